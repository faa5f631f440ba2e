"""The GIL is released while the core works, so Python threads run alongside it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dpone_connectors import ConnectorSdkScaffoldService

# The thread blocks inside the core, reading the batch spec from stdin (a pipe). Only the main
# thread can write that spec: if the core held the GIL while it waited, the main thread could
# never run and the script would hang until the timeout below kills it.
BLOCKED_IN_RUST = textwrap.dedent(
    """
    import os, sys, threading
    from dpone_connectors import _native

    read_end, write_end = os.pipe()
    os.dup2(read_end, 0)
    outcome = {}
    argv = ["dpone-connectors", "scaffold", "--from", "-", "--root", sys.argv[1], "--format", "json"]
    worker = threading.Thread(target=lambda: outcome.setdefault("code", _native.run_cli(argv)))
    worker.start()
    os.write(write_end, b'{"connectors": [{"name": "from_a_pipe"}]}')
    os.close(write_end)
    worker.join()
    sys.exit(outcome["code"])
    """
)


def test_a_call_blocked_in_the_core_lets_other_threads_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_IN_RUST, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dpone-connector-from-a-pipe" / "dpone_connector_manifest.json").is_file()


def test_threads_scaffold_in_parallel_into_one_root(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    names = [f"conn_{i}" for i in range(24)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(
            pool.map(lambda name: service.scaffold(name=name, root=tmp_path, capabilities=("sink",)), names)
        )
    assert sorted(r.connector for r in results) == sorted(names)
    for result in results:
        assert {p for p in result.sdk_root.rglob("*") if p.is_file()} == set(result.files)


def test_threads_racing_for_one_package_leave_it_whole(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: service.scaffold(name="same", root=tmp_path), range(16)))
    created = [r for r in results if r.created]
    assert len(created) == 1, "exactly one thread creates the package; the others find it done"
    package = results[0].sdk_root
    assert {p for p in package.rglob("*") if p.is_file()} == set(results[0].files)
    assert [p.name for p in tmp_path.iterdir()] == [package.name], "no staging directory left behind"
