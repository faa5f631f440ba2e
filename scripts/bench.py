#!/usr/bin/env python3
"""The project's speed benchmark: the three figures of the speed goals, and how the cost of
`scaffold --from` grows with the number of packages (with an SVG plot).

    python3 scripts/bench.py                 # figures + scaling series, printed only
    python3 scripts/bench.py --write         # also write docs/performance-data.json and docs/scaling.svg
    python3 scripts/bench.py --quick         # smaller series, for a smoke run
    python3 scripts/bench.py --no-settle     # measure right after the previous deletions
    python3 scripts/bench.py --no-settle --churn 66000 --no-scaling
                                             # each round right after deleting 66,000 files
    python3 scripts/bench.py --replot        # redraw docs/scaling.svg from docs/performance-data.json

The reference is measured when it is installed in PEER_VENV (default
~/.cache/dpone-0.88-venv: `python3 -m venv ~/.cache/dpone-0.88-venv &&
~/.cache/dpone-0.88-venv/bin/pip install dpone==0.88.0`); without it, its figures are left
out and the run says so.

Figures (medians of alternating rounds):
  cli    reference `dpone connectors scaffold` wall time / ours (`scaffold --root D --capability
         source -- demo`), whole process
  batch  reference in-process API for N packages (import excluded) / ours `scaffold --from`
  floor  ours / the same files and bytes created with bare os.open/os.write/os.close
  rss    peak RSS of ours for the batch, measured by /usr/bin/time (GNU time) so that the
         parent's memory is not counted

File-system state matters on ext4 without a journal (this machine): for about a minute after
many files are deleted (six while the deleted inodes' table blocks are unwritten), creating a
file scans past every recently deleted inode of its block group. By default the benchmark
therefore flushes the file system and waits for that window to pass before each measurement
(`--no-settle` turns that off), and never deletes anything until all measurements are done.

It is not part of `cargo test`: it takes minutes and writes hundreds of thousands of files.
"""

from __future__ import annotations

import argparse
import json
import math
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
PEER_VENV = Path(os.environ.get("PEER_VENV", Path.home() / ".cache/dpone-0.88-venv"))
SETTLE_SECONDS = 65

PEER_LOOP = """
import sys, time
from dpone.connector_sdk.scaffold import ConnectorSdkScaffoldService
n, root = int(sys.argv[1]), sys.argv[2]
s = ConnectorSdkScaffoldService()
t = time.perf_counter()
for i in range(n):
    s.scaffold(name=f"conn_{i}", root=root, connector_type="database", capabilities=("source", "sink", "state"),
               native_capabilities=("stream_export", "stream_staging_load"))
print(time.perf_counter() - t)
"""

# The floor: the same directories, files and bytes as a finished batch, created with bare
# calls and timed inside Python (interpreter start-up excluded). Same code as perf.py.
FLOOR = """
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
files = []
for dirpath, _, names in os.walk(src):
    for name in names:
        p = os.path.join(dirpath, name)
        files.append((os.path.relpath(p, src), open(p, 'rb').read()))
dirs = sorted({os.path.dirname(rel) for rel, _ in files})
t = time.perf_counter()
for d in dirs:
    os.makedirs(os.path.join(dst, d), exist_ok=True)
for rel, data in files:
    fd = os.open(os.path.join(dst, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, data)
    os.close(fd)
print(time.perf_counter() - t)
"""


def spec(n: int) -> dict:
    return {"connectors": [{"name": f"conn_{i}", "connector_type": "database",
                            "capabilities": ["source", "sink", "state"],
                            "native_capabilities": ["stream_export", "stream_staging_load"]}
                           for i in range(n)]}


def settle(enabled: bool) -> None:
    """Flush, then wait out the window in which recently deleted inodes slow file creation."""
    if enabled:
        os.sync()
        time.sleep(SETTLE_SECONDS)


def churn(files: int, where: Path) -> None:
    """Creates `files` empty files (1,000 per directory), flushes them, then deletes them all:
    the state a previous round's deleted trees leave the file system in."""
    if files <= 0:
        return
    for start in range(0, files, 1000):
        d = where / f"{start // 1000}"
        d.mkdir(parents=True)
        for i in range(min(1000, files - start)):
            os.close(os.open(d / str(i), os.O_WRONLY | os.O_CREAT, 0o644))
    os.sync()
    shutil.rmtree(where)


def wall(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def timed_batch(binary: str, spec_file: Path, root: Path, jobs: int | None) -> tuple[float, float]:
    """Wall time of one batch and its peak RSS in MB (GNU time's %M, our process alone)."""
    extra = ["--jobs", str(jobs)] if jobs else []
    rss_file = root.parent / f".{root.name}.rss"
    t = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-o", str(rss_file), "-f", "%M", binary, "scaffold", "--from",
                    str(spec_file), "--root", str(root), "--format", "json", *extra],
                   check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    return elapsed, int(rss_file.read_text().split()[-1]) / 1024.0


def python_seconds(python: str, code: str, *args: str) -> float:
    out = subprocess.run([python, "-c", code, *args], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def figures(o, binary: str, tmp: Path) -> dict:
    peer = PEER_VENV / "bin"
    has_peer = (peer / "dpone").exists()
    spec_file = tmp / "spec.json"
    spec_file.write_text(json.dumps(spec(o.n)))
    rows = {k: [] for k in ("cli_ours", "cli_ref", "batch_ours", "batch_ref", "floor", "rss")}
    for k in range(o.rounds):
        churn(o.churn, tmp / f"churn{k}")
        settle(o.settle)
        rows["cli_ours"].append(wall([binary, "scaffold", "--root", str(tmp / f"a{k}"), "--capability",
                                      "source", "--", "demo"]))
        if has_peer:
            rows["cli_ref"].append(wall([str(peer / "dpone"), "connectors", "scaffold", "--root",
                                         str(tmp / f"b{k}"), "--capability", "source", "demo"]))
        settle(o.settle)
        elapsed, rss = timed_batch(binary, spec_file, tmp / f"c{k}", o.jobs)
        rows["batch_ours"].append(elapsed)
        rows["rss"].append(rss)
        if has_peer:
            settle(o.settle)
            rows["batch_ref"].append(python_seconds(str(peer / "python"), PEER_LOOP, str(o.n), str(tmp / f"d{k}")))
        settle(o.settle)
        rows["floor"].append(python_seconds(sys.executable, FLOOR, str(tmp / f"c{k}"), str(tmp / f"e{k}")))
        print(f"  round {k + 1}: " + ", ".join(f"{key} {vals[-1]:.4f}" for key, vals in rows.items() if vals),
              flush=True)
    med = {key: statistics.median(vals) for key, vals in rows.items() if vals}
    med["rss"] = max(rows["rss"])
    return med


def scaling(o, binary: str, tmp: Path, rss_by_size: dict) -> list[tuple[int, float, float]]:
    series = []
    for n in o.sizes:
        spec_file = tmp / f"spec{n}.json"
        spec_file.write_text(json.dumps(spec(n)))
        settle(o.settle)
        ours, rss = timed_batch(binary, spec_file, tmp / f"s{n}", o.jobs)
        settle(o.settle)
        floor = python_seconds(sys.executable, FLOOR, str(tmp / f"s{n}"), str(tmp / f"f{n}"))
        print(f"  {n:>6} packages: ours {ours:.3f} s ({ours / n * 1e6:.0f} us/package, {rss:.1f} MB), "
              f"floor {floor:.3f} s ({floor / n * 1e6:.0f} us/package)", flush=True)
        series.append((n, ours, floor))
        rss_by_size[str(n)] = rss
    return series


def nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares t = a + b * n."""
    k = len(points)
    mx = sum(n for n, _ in points) / k
    my = sum(t for _, t in points) / k
    b = sum((n - mx) * (t - my) for n, t in points) / sum((n - mx) ** 2 for n, _ in points)
    return my - b * mx, b


def svg_plot(series: list[tuple[int, float, float]], path: Path) -> None:
    """Wall time against package count on linear axes, with the least-squares line through
    ours: points on a straight line are a cost that grows linearly."""
    w, h, left, right, top, bottom = 640, 420, 70, 20, 30, 50
    xmax = max(n for n, _, _ in series)
    ymax = max(max(a, b) for _, a, b in series)
    xstep, ystep = nice_step(xmax), nice_step(ymax)
    xmax, ymax = math.ceil(xmax / xstep) * xstep, math.ceil(ymax / ystep) * ystep
    px = lambda x: left + x / xmax * (w - left - right)
    py = lambda y: h - bottom - y / ymax * (h - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="18" text-anchor="middle">scaffold --from: wall time against package count</text>']
    x = 0.0
    while x <= xmax + 1e-9:
        out.append(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{h - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{px(x):.1f}" y="{h - bottom + 18}" text-anchor="middle">{x:,.0f}</text>')
        x += xstep
    y = 0.0
    while y <= ymax + 1e-9:
        out.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{w - right}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g} s</text>')
        y += ystep
    out.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">packages</text>')
    a, b = fit([(n, t) for n, t, _ in series])
    out.append(f'<line x1="{px(0):.1f}" y1="{py(a):.1f}" x2="{px(xmax):.1f}" y2="{py(a + b * xmax):.1f}" '
               'stroke="#1f77b4" stroke-opacity="0.5" stroke-dasharray="4 4"/>')
    for idx, (label, colour) in enumerate((("ours (scaffold --from, whole process)", "#1f77b4"),
                                           ("floor (bare open/write/close, in Python)", "#d62728"))):
        pts = [(px(row[0]), py(row[idx + 1])) for row in series]
        out.append('<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'.format(
            colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
        out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in pts)
        out.append(f'<text x="{left + 12}" y="{top + 18 + 16 * idx}" fill="{colour}">{label}</text>')
    out.append(f'<text x="{left + 12}" y="{top + 50}" fill="#1f77b4" fill-opacity="0.7">dashed: least squares, '
               f'{b * 1e6:.0f} us per package, intercept {a * 1e3:+.0f} ms</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="binary to measure (default: cargo build --release)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, help="pass --jobs to ours (default: the binary's default)")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100, 1000, 3000, 10000])
    ap.add_argument("--quick", action="store_true", help="--rounds 1 --sizes 10,100,1000 --no-settle")
    ap.add_argument("--no-settle", dest="settle", action="store_false")
    ap.add_argument("--churn", type=int, default=0, metavar="FILES",
                    help="create and delete this many files at the start of each round of figures")
    ap.add_argument("--no-figures", dest="figures", action="store_false")
    ap.add_argument("--no-scaling", dest="scaling", action="store_false")
    ap.add_argument("--write", action="store_true",
                    help="write the figures and series to --data and the plot to --plot (otherwise only printed)")
    ap.add_argument("--plot", default=str(REPO / "docs" / "scaling.svg"), help="the plot --write writes")
    ap.add_argument("--data", default=str(REPO / "docs" / "performance-data.json"),
                    help="where --write writes the measured figures and series (JSON)")
    ap.add_argument("--replot", action="store_true", help="redraw --plot from --data; measure nothing")
    o = ap.parse_args()
    if o.replot:
        data = json.loads(Path(o.data).read_text())
        svg_plot([tuple(row) for row in data["series"]], Path(o.plot))
        return 0
    if o.quick:
        o.rounds, o.sizes, o.settle = 1, [10, 100, 1000], False
    binary = o.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
        binary = str(REPO / "target" / "release" / "dpone-connectors")
    print(f"machine: {os.cpu_count()} cpus, {platform.platform()}; settle: {o.settle}", flush=True)
    if not (PEER_VENV / "bin" / "dpone").exists():
        print(f"reference: not installed in {PEER_VENV}; its figures are left out", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="dpone-bench-"))
    data = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "settle": o.settle,
            "churn": o.churn, "n": o.n, "rounds": o.rounds}
    try:
        if o.figures:
            print(f"figures, {o.n} packages, {o.rounds} rounds:", flush=True)
            med = figures(o, binary, tmp)
            line = f"ours cli {med['cli_ours'] * 1e3:.1f} ms"
            if "cli_ref" in med:
                line += f", ref cli {med['cli_ref'] * 1e3:.0f} ms (x{med['cli_ref'] / med['cli_ours']:.0f})"
            line += f"; ours batch {med['batch_ours']:.3f} s"
            if "batch_ref" in med:
                line += f", ref api {med['batch_ref']:.3f} s (x{med['batch_ref'] / med['batch_ours']:.1f})"
            line += f", floor {med['floor']:.3f} s (x{med['batch_ours'] / med['floor']:.2f}); rss {med['rss']:.1f} MB"
            print(line, flush=True)
            data["figures"] = med
        if o.scaling:
            print("scaling:", flush=True)
            data["series_rss_mb"] = {}
            series = scaling(o, binary, tmp, data["series_rss_mb"])
            data["series"] = series
            if o.write:
                svg_plot(series, Path(o.plot))
                print(f"plot: {o.plot}")
        if o.write:
            Path(o.data).write_text(json.dumps(data, indent=2) + "\n")
            print(f"data: {o.data}")
        else:
            print(json.dumps(data, indent=2))
            print("(nothing written: --write saves the data and the plot)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
