#!/usr/bin/env python3
"""The Python API's speed: N in-process scaffolds with `dpone_connectors` against the
reference's `dpone.connector_sdk` (dpone 0.88.0), each side in its own interpreter.

    python3 scripts/bench_python.py                  # 1,000 packages, median of 3 rounds
    python3 scripts/bench_python.py --n 200 --rounds 5

Ours is the interpreter OURS_PY names (default: target/test-venv/bin/python, where
`bash scripts/test.sh` installs the wheel; or any venv after `pip install dist/*.whl`). The
reference is the interpreter in PEER_VENV (default ~/.cache/dpone-0.88-venv:
`python3 -m venv ~/.cache/dpone-0.88-venv && ~/.cache/dpone-0.88-venv/bin/pip install
dpone==0.88.0`). Every package is source + sink + state with two native capabilities; the
imports are not timed. Rounds alternate the sides, each in a fresh directory after a `sync`,
so one side's write-back does not land on the other's clock. Last line:
`python-api: reference S s, ours S s (median of K): xR`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER_VENV = Path(os.environ.get("PEER_VENV", Path.home() / ".cache/dpone-0.88-venv"))
OURS_PY = Path(os.environ.get("OURS_PY", REPO / "target/test-venv/bin/python"))

LOOP = """
import sys, time
service = __import__(sys.argv[1], fromlist=["ConnectorSdkScaffoldService"]).ConnectorSdkScaffoldService()
n, root = int(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
for i in range(n):
    service.scaffold(name=f"conn_{i}", root=root, connector_type="database",
                     capabilities=("source", "sink", "state"),
                     native_capabilities=("stream_export", "stream_staging_load"))
print(time.perf_counter() - start)
"""


def timed(python: Path, module: str, n: int, root: Path) -> float:
    os.sync()
    done = subprocess.run(
        [str(python), "-c", LOOP, module, str(n), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench_python: {module} under {python} failed:\n{done.stderr}")
    return float(done.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1000, help="packages per round")
    ap.add_argument("--rounds", type=int, default=3)
    o = ap.parse_args()
    peer = PEER_VENV / "bin" / "python"
    for python, what in (
        (OURS_PY, "OURS_PY (an interpreter with dpone_connectors)"),
        (peer, "PEER_VENV"),
    ):
        if not python.is_file():
            print(f"bench_python: {python} not found: set {what}", file=sys.stderr)
            return 2
    sides = [
        ("reference", peer, "dpone.connector_sdk"),
        ("ours", OURS_PY, "dpone_connectors"),
    ]
    seconds: dict[str, list[float]] = {"reference": [], "ours": []}
    work = Path(tempfile.mkdtemp(prefix="bench-python-"))
    try:
        for rnd in range(o.rounds):
            for name, python, module in sides if rnd % 2 else sides[::-1]:
                root = work / f"{name}{rnd}"
                seconds[name].append(timed(python, module, o.n, root))
                shutil.rmtree(root, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ref, ours = (
        statistics.median(seconds["reference"]),
        statistics.median(seconds["ours"]),
    )
    print(
        f"in-process scaffold of {o.n} packages, every round: reference {seconds['reference']}, ours {seconds['ours']}"
    )
    print(
        f"python-api: reference {ref:.3f} s, ours {ours:.3f} s (median of {o.rounds}): x{ref / ours:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
