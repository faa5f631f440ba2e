#!/usr/bin/env python3
"""Benchmark of `dpone-connectors update` against scaffolding the same packages afresh.

    python3 scripts/bench_update.py                         # 300 packages, 3 rounds
    python3 scripts/bench_update.py --made-by OLD_BINARY    # packages made by an older release
    python3 scripts/bench_update.py --packages 50 --rounds 1

Each round: `scaffold --from` writes N packages (timed: the baseline), every package is
edited as a team would (a test appended to the test module, a line in a module, a README
section, a new helper file), then one `update DIR...` over all N is timed. The goal is that
the update takes at most 3x the scaffold (or 3 s, whichever is longer), exits 0 and keeps
every edit; the run checks the edits and prints the medians and the verdict.

With --made-by, the packages are scaffolded by that binary (an older release, e.g. 0.1.0),
so the update really merges three versions of every edited file; otherwise they come from
the binary under test and the update finds its base equal to today's templates.

Not part of `cargo test`: it writes thousands of files and takes a while.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MY_TEST = "\n\ndef test_team_regression() -> None:\n    assert sorted([2, 1]) == [1, 2]\n"
MY_SECTION = "\n## Runbook\n\nPage the data on-call when a load fails.\n"
MY_LINE = "# Team note: rate limits are per tenant.\n"
CAPABILITY_SETS = [["source"], ["source", "sink"], ["sink", "state"], ["source", "sink", "state"]]


def build() -> Path:
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return REPO / "target/release/dpone-connectors"


def spec(n: int) -> str:
    entries = [
        {"name": f"conn_{i}", "connector_type": "api", "capabilities": CAPABILITY_SETS[i % 4]}
        for i in range(n)
    ]
    return json.dumps({"connectors": entries})


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[:3]} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def edit(package: Path) -> None:
    tests = next((package / "tests").glob("test_*_contract.py"))
    tests.write_text(tests.read_text() + MY_TEST)
    readme = package / "README.md"
    readme.write_text(readme.read_text() + MY_SECTION)
    (source_dir,) = [p for p in (package / "src").iterdir() if p.is_dir()]
    connector = source_dir / "connector.py"
    text = connector.read_text()
    at = text.index("\nfrom ") + 1
    connector.write_text(text[:at] + MY_LINE + text[at:])
    (source_dir / "retries.py").write_text('"""Our helper."""\n\nRETRIES = 3\n')


def kept(package: Path) -> bool:
    tests = next((package / "tests").glob("test_*_contract.py")).read_text()
    (source_dir,) = [p for p in (package / "src").iterdir() if p.is_dir()]
    return (
        MY_TEST.strip() in tests
        and MY_SECTION.strip() in (package / "README.md").read_text()
        and MY_LINE in (source_dir / "connector.py").read_text()
        and (source_dir / "retries.py").is_file()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--made-by", type=Path, help="binary that scaffolds the packages to update")
    args = parser.parse_args()
    ours = build()
    maker = args.made_by or ours
    scaffolds, updates = [], []
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(spec(args.packages))
        for round_ in range(args.rounds):
            fresh = Path(tmp) / f"fresh-{round_}"
            scaffolds.append(timed([str(ours), "scaffold", "--from", str(spec_path), "--root", str(fresh), "-q"]))
            root = Path(tmp) / f"edited-{round_}"
            subprocess.run(
                [str(maker), "scaffold", "--from", str(spec_path), "--root", str(root), "-q"], check=True
            )
            packages = sorted(p for p in root.iterdir() if p.is_dir())
            for package in packages:
                edit(package)
            updates.append(timed([str(ours), "update", *map(str, packages), "-q"]))
            lost = [p.name for p in packages if not kept(p)]
            if lost:
                sys.exit(f"edits lost in {len(lost)} package(s): {lost[:5]}")
    scaffold, update = statistics.median(scaffolds), statistics.median(updates)
    budget = max(3 * scaffold, 3.0)
    print(f"packages: {args.packages}, rounds: {args.rounds}, made by: {maker}")
    print(f"scaffold --from: {scaffold:.3f} s (median)")
    print(f"update:          {update:.3f} s (median), {update / scaffold:.2f}x the scaffold")
    print(f"budget:          {budget:.3f} s (3x the scaffold, or 3 s): {'ok' if update <= budget else 'OVER'}")
    if update > budget:
        sys.exit(1)


if __name__ == "__main__":
    main()
