"""Captures golden packages of a released generator binary, one JSON file per answer set.

    python3 tests/golden/generations/capture.py /path/to/dpone-connectors-0.1.0 0.1.0

Each `<version>/<case>.json` holds the scaffold arguments and every file the binary wrote
(path -> text). `tests/generations.rs` renders the same answers with the frozen generation
of that version and compares byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CASES: dict[str, list[str]] = {
    "default": ["demo_api"],
    "everything": [
        "Demo Store",
        "--connector-type", "database",
        "--capability", "sink", "--capability", "source", "--capability", "state",
        "--native-capability", "object_staging_load", "--native-capability", "stream_export",
        "--package-prefix", "acme",
        "--author", "Ada Lovelace", "--email", "ada@example.com", "--license", "MIT",
        "--description", "Loads \"stores\" into the lake.", "--python", "3.12",
    ],
    "sink_no_certification": [
        "sink_only",
        "--connector-type", "event",
        "--capability", "sink",
        "--native-capability", "file_staging_load", "--native-capability", "file_export",
        "--no-certification", "--license", "BSD-3-Clause",
    ],
    "files_state": [
        "postgres",
        "--connector-type", "file",
        "--capability", "state", "--capability", "source",
        "--native-capability", "object_export", "--native-capability", "stream_staging_load",
        "--native-capability", "stream_export",
        "--author", "Grace", "--python", "3.13", "--package-prefix", "Team X",
    ],
}


def capture(binary: str, args: list[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as root:
        subprocess.run(
            [binary, "scaffold", *args, "--root", root, "--no-input", "--quiet"],
            check=True,
        )
        (package,) = Path(root).iterdir()
        return {
            path.relative_to(package).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(package.rglob("*"))
            if path.is_file()
        }


def main() -> None:
    binary, version = sys.argv[1], sys.argv[2]
    out = Path(__file__).parent / version
    out.mkdir(exist_ok=True)
    for name, args in CASES.items():
        record = {"args": args, "files": capture(binary, args)}
        (out / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
