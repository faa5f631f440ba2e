"""Rewrites (or, with --check, compares) every generated section of the docs.

A generated section sits between two HTML comments, on one line or across several:

    <!-- generated:KEY (how it is made) -->...<!-- /generated:KEY -->

and KEY names what goes between them, produced by the `dpone-connectors` binary from the
capability registry. `bash scripts/regen-docs.sh` runs this after a capability is added;
`tests/generated_docs.rs` runs it with --check, so a stale doc fails the suite and the
tests never rewrite a file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(
    r"(?P<begin><!-- generated:(?P<key>[a-z-]+)(?: [^>]*)? -->)(?P<body>.*?)(?P<end><!-- /generated:(?P=key) -->)",
    re.DOTALL,
)


def run(binary: str, *args: str) -> str:
    return subprocess.run(
        [binary, *args], capture_output=True, text=True, check=True
    ).stdout


def generators(binary: str) -> dict[str, str]:
    listing = json.loads(run(binary, "capabilities", "--format", "json"))[
        "capabilities"
    ]

    def names(kind: str) -> str:
        return ", ".join(f"`{c['name']}`" for c in listing if c["kind"] == kind)

    def required_tests_table() -> str:
        # One row per required test with what it must prove (`proves`, declared by the
        # capability module; the registry keeps `|` and line breaks out of it).
        rows = [
            f"| `{test}` | `{c['name']}` | {proves} |"
            for c in listing
            for test, proves in c["proves"].items()
        ]
        header = ["| required test | capability | what it must prove |", "| --- | --- | --- |"]
        return "\n" + "\n".join(header + rows) + "\n"

    return {
        # Between markers on their own lines: the table keeps its own blank-line framing.
        "capabilities-table": "\n" + run(binary, "capabilities", "--format", "md"),
        "required-tests-table": required_tests_table(),
        "runtime-names": names("runtime"),
        "native-names": names("native_transfer"),
    }


def regenerate(text: str, made: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match["key"]
        if key not in made:
            sys.exit(
                f"{where}: unknown generated section `{key}` (known: {', '.join(sorted(made))})"
            )
        return match["begin"] + made[key] + match["end"]

    return SECTION.sub(replace, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bin", required=True, help="the dpone-connectors binary to ask"
    )
    parser.add_argument(
        "--check", action="store_true", help="compare only; exit 1 when a doc is stale"
    )
    options = parser.parse_args()
    made = generators(options.bin)
    docs = [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "python" / "README.md",
    ]
    stale = []
    for path in docs:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        fresh = regenerate(text, made, where)
        if fresh == text:
            continue
        stale.append(where)
        if options.check:
            diff = difflib.unified_diff(
                text.splitlines(),
                fresh.splitlines(),
                where,
                f"{where} (generated)",
                lineterm="",
            )
            print("\n".join(diff))
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"rewrote {where}")
    if options.check and stale:
        print(f"stale: {', '.join(stale)}; run `bash scripts/regen-docs.sh`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
