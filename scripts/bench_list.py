#!/usr/bin/env python3
"""Benchmark of `dpone-connectors list`: a tree of N scaffolded packages, listed, against a
plain Python script that reads every file `list` reads; peak memory; a scaling series.

    python3 scripts/bench_list.py                      # series 100..10,000, print only
    python3 scripts/bench_list.py --sizes 100,1000     # a shorter series
    python3 scripts/bench_list.py --write              # also write docs/list-performance-data.json

One tree grows through the sizes (`scaffold --from` adds the packages each size needs), so a
series costs one tree. At every size, a few packages of each kind are planted among the
fresh ones (edited, certified, failed, stale, corrupt) and the JSON listing is checked:
each must be reported as what it is, or the benchmark stops. Then, in alternating rounds:

  list    `list ROOT --format json > /dev/null`, whole process (start-up and walk included),
          with peak RSS from GNU time's %M (the process alone)
  read    the floor: a Python process that walks the same tree (hidden directories skipped)
          and reads every file of every package whole, in one thread; its own time, from
          start to end of the walk (interpreter start-up excluded)

and reports the medians and `list / read` (the goal: at most 1.5 at 10,000 packages, with
peak memory under 32 MB). Both run on a warm page cache (the tree was just written). The
tree lives in a temporary directory and is deleted at the end.

It is not part of `cargo test`: at 10,000 packages it writes 150,000 files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "docs" / "list-performance-data.json"

READ_ALL = """
import os, sys, time
root = sys.argv[1]
t = time.perf_counter()
total = 0
for dirpath, dirnames, filenames in os.walk(root):
    dirnames[:] = [d for d in dirnames if not d.startswith('.')]
    for name in filenames:
        with open(os.path.join(dirpath, name), 'rb') as f:
            total += len(f.read())
print(time.perf_counter() - t)
"""

PLANTED = ("edited", "certified", "failed", "stale", "corrupt")
EXPECTED = {"edited": "failed", "certified": "certified", "failed": "failed", "stale": "stale",
            "corrupt": "invalid"}


def entry(i: int) -> dict:
    return {"name": f"conn_{i:05d}", "connector_type": "database",
            "capabilities": ["source", "sink", "state"],
            "native_capabilities": ["stream_export", "stream_staging_load"]}


def grow(binary: str, root: Path, start: int, end: int, tmp: Path) -> None:
    spec = tmp / "spec.json"
    spec.write_text(json.dumps({"connectors": [entry(i) for i in range(start, end)]}))
    subprocess.run([binary, "scaffold", "--from", str(spec), "--root", str(root), "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources(package: Path) -> dict:
    out = {}
    for folder in ("src", "tests"):
        for dirpath, dirnames, filenames in os.walk(package / folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for name in filenames:
                if name.endswith(".py"):
                    path = Path(dirpath) / name
                    out[path.relative_to(package).as_posix()] = sha256(path)
    return out


def record_evidence(binary: str, package: Path, failing: str | None = None) -> None:
    """The evidence report the package's runner would write if every required test passed
    (or `failing` failed), without running pytest: the verdict depends only on it."""
    out = subprocess.run([binary, "certify", "--package", str(package), "--format", "json", "--report-only"],
                         check=True, capture_output=True, text=True)
    cert = json.loads(out.stdout)
    capabilities = {
        c["capability"]: {t["test"]: {"status": "failed" if t["test"] == failing else "passed",
                                      "reason": "", "tests": [f"tests/test_x.py::{t['test']}"]}
                          for t in c["required_tests"]}
        for c in cert["capabilities"]}
    report = {"schema_version": "dpone_connector_sdk.certification_evidence.v1",
              "connector": cert["connector"],
              "certification_manifest_sha256": cert["certification_manifest"]["sha256"],
              "pytest_exit_code": 1 if failing else 0, "sources": sources(package),
              "capabilities": capabilities,
              "quality_gates": {"secret_redaction": {"status": "passed", "reason": "",
                                                     "tests": ["tests/test_x.py::test_redaction"]}},
              "unknown_markers": []}
    path = package / cert["evidence"]["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
    path.with_suffix(".md").write_text("# evidence\n")


def plant(binary: str, root: Path) -> dict:
    """Turns two of the first 100 packages into each planted kind; returns path -> expected
    status (every other package is fresh, so `unverified`)."""
    expected = {}
    for k, kind in enumerate(PLANTED):
        for j in range(2):
            i = 7 + 17 * k + 8 * j
            name = f"dpone-connector-conn-{i:05d}"
            package = root / name
            if kind == "edited":
                (package / "README.md").write_text("# ours now\n")
                (package / f"docs/conn_{i:05d}.md").write_text("# rewritten\n")
            elif kind == "certified":
                record_evidence(binary, package)
            elif kind == "failed":
                record_evidence(binary, package, failing="full_refresh_extract")
            elif kind == "stale":
                record_evidence(binary, package)
                module = package / f"src/dpone_connector_conn_{i:05d}/source.py"
                module.write_text(module.read_text() + "\n# tuned\n")
            elif kind == "corrupt":
                (package / "dpone_connector_manifest.json").write_text('{"connector": ')
            expected[name] = EXPECTED[kind]
    return expected


def check_listing(binary: str, root: Path, n: int, expected: dict) -> None:
    out = subprocess.run([binary, "list", str(root), "--format", "json"], check=True,
                         capture_output=True, text=True)
    listing = json.loads(out.stdout)
    packages = listing["packages"]
    if len(packages) != n:
        sys.exit(f"listed {len(packages)} packages, expected {n}")
    wrong = [(p["path"], p["status"], expected.get(p["path"], "unverified")) for p in packages
             if p["status"] != expected.get(p["path"], "unverified")]
    if wrong:
        sys.exit(f"misreported packages (path, listed, expected): {wrong[:10]}")
    if [p["path"] for p in packages] != sorted(p["path"] for p in packages):
        sys.exit("the listing is not in path order")


def time_list(binary: str, root: Path, rss_file: Path) -> tuple[float, float]:
    t = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", str(rss_file), "-f", "%M", binary, "list", str(root),
                    "--format", "json"], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    return elapsed, int(rss_file.read_text().split()[-1]) / 1024.0


def time_read(root: Path) -> float:
    out = subprocess.run([sys.executable, "-c", READ_ALL, str(root)], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="binary to measure (default: cargo build --release)")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                    default=[100, 1000, 2000, 5000, 10000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--write", action="store_true", help=f"write the figures to {DATA.relative_to(REPO)}")
    o = ap.parse_args()
    binary = o.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
        binary = str(REPO / "target" / "release" / "dpone-connectors")
    print(f"machine: {os.cpu_count()} cpus, {platform.platform()}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="dpone-bench-list-"))
    root = tmp / "tree"
    series = []
    try:
        have, expected = 0, {}
        sizes = sorted(o.sizes)
        if sizes[0] < 100:
            sys.exit("the smallest size is 100: the planted packages are among the first 100")
        for n in sizes:
            grow(binary, root, have, n, tmp)
            if not have:
                expected = plant(binary, root)
            have = n
            check_listing(binary, root, n, expected)
            lists, reads, rss = [], [], []
            for _ in range(o.rounds):
                elapsed, peak = time_list(binary, root, tmp / "rss")
                lists.append(elapsed)
                rss.append(peak)
                reads.append(time_read(root))
            row = {"packages": n, "list_s": statistics.median(lists), "read_s": statistics.median(reads),
                   "peak_rss_mb": max(rss), "planted": len(expected)}
            row["ratio"] = row["list_s"] / row["read_s"]
            series.append(row)
            print(f"  {n:>6} packages: list {row['list_s']:.3f} s ({row['list_s'] / n * 1e6:.0f} us/package), "
                  f"read {row['read_s']:.3f} s, ratio {row['ratio']:.2f}, peak RSS {row['peak_rss_mb']:.1f} MB, "
                  f"{len(expected)} planted packages reported correctly", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if o.write:
        data = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                "rounds": o.rounds, "series": series}
        DATA.write_text(json.dumps(data, indent=2) + "\n")
        print(f"data: {DATA.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
