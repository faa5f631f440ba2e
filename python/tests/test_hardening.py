"""Hostile input, interruptions and unusual processes from Python (docs/safety.md): bad
``jobs=``, paths that are not UTF-8, empty paths, nesting, Ctrl-C during a batch, closed
standard streams, fork and threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dpone_connectors import ConnectorSdkScaffoldService, add_capability, check_package, list_packages
from dpone_connectors.errors import CertificationError, RequestError, SpecError
from dpone_connectors.native_transfer_certification import ConnectorCapabilityCertificationService


@pytest.mark.parametrize("jobs", [0, -1, 65, 10**12, 10**30, True, "2", 2.0])
def test_jobs_out_of_range_are_refused_before_any_work(tmp_path: Path, jobs: Any) -> None:
    service = ConnectorSdkScaffoldService()
    with pytest.raises(RequestError, match="jobs must be an integer from 1 to 64"):
        list_packages(tmp_path, jobs=jobs)
    with pytest.raises(RequestError, match="jobs must be an integer from 1 to 64"):
        service.scaffold_many([{"name": "one"}], root=tmp_path, jobs=jobs)
    assert list(tmp_path.iterdir()) == []
    assert list_packages(tmp_path, jobs=64).packages == ()


def test_a_root_that_is_not_utf8_is_returned_exactly(tmp_path: Path) -> None:
    group = tmp_path / os.fsdecode(b"grp\xff")
    group.mkdir()
    service = ConnectorSdkScaffoldService()
    result = service.scaffold(name="demo", root=group)
    assert result.sdk_root == group / "dpone-connector-demo"
    assert result.sdk_root.is_dir()
    assert all(path.is_file() for path in result.files)
    [entry] = service.scaffold_many([{"name": "other"}], root=group)
    assert entry.result is not None
    assert entry.result.sdk_root.is_dir()
    listing = list_packages(tmp_path)
    assert listing.root == str(tmp_path)
    paths = [package.path for package in listing.packages]
    assert paths == [
        os.fsdecode(b"grp\xff/dpone-connector-demo"),
        os.fsdecode(b"grp\xff/dpone-connector-other"),
    ]
    assert all((tmp_path / path).is_dir() for path in paths)
    assert {package.status for package in listing.packages} == {"unverified"}
    assert check_package(result.sdk_root).package_dir == str(result.sdk_root)
    assert add_capability(result.sdk_root, capabilities=("state",)).package_dir == str(result.sdk_root)


def test_an_empty_path_is_the_current_directory_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ConnectorSdkScaffoldService().scaffold(name="here", root="")
    assert (tmp_path / "dpone-connector-here").is_dir()
    assert [p.path for p in list_packages("").packages] == ["dpone-connector-here"]
    assert [p.path for p in list_packages("").packages] == [p.path for p in list_packages(".").packages]


def test_a_manifest_nested_too_deep_raises_the_package_error() -> None:
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    service = ConnectorCapabilityCertificationService()
    with pytest.raises(CertificationError, match="nests deeper"):
        service.certify(manifest={"native_transfer": deep}, profile="static", requested_capabilities=())


def test_a_certification_yaml_nested_too_deep_is_listed_invalid(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    for name in ("deep", "fine"):
        service.scaffold(name=name, root=tmp_path)
    manifest = tmp_path / "dpone-connector-deep" / "certification" / "certification.yaml"
    manifest.write_text("- " * 10_000 + "x\n", encoding="utf-8")
    listing = list_packages(tmp_path, jobs=2)
    assert listing.packages[0].status == "invalid"
    assert "nest deeper" in (listing.packages[0].reason or "")
    assert listing.packages[1].status != "invalid"


INTERRUPTED = textwrap.dedent(
    """
    import json, os, signal, sys, threading, time
    from dpone_connectors import ConnectorSdkScaffoldService

    root = sys.argv[1]
    entries = [{"name": f"c{n}"} for n in range(5000)]
    threading.Timer(0.6, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    try:
        ConnectorSdkScaffoldService().scaffold_many(entries, root=root, jobs=2)
    except KeyboardInterrupt:
        print(json.dumps({"interrupted": True, "after": time.monotonic() - started}))
    else:
        print(json.dumps({"interrupted": False, "after": time.monotonic() - started}))
    """
)


def test_ctrl_c_stops_a_batch_between_whole_packages(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    names = sorted(path.name for path in tmp_path.iterdir())
    if not outcome["interrupted"]:
        # Only a machine that wrote all 5,000 within 0.6 s gets here.
        assert len(names) == 5000
        assert outcome["after"] < 0.6
        return
    # KeyboardInterrupt within half a second of the signal.
    assert outcome["after"] < 0.6 + 0.5, outcome
    assert 0 < len(names) < 5000
    expected = len(list((tmp_path / "dpone-connector-c0").rglob("*")))
    for name in names:
        assert name.startswith("dpone-connector-c"), f"leftover {name}"
        assert len(list((tmp_path / name).rglob("*"))) == expected, f"{name} is partial"


def run_module(args: list[str], cwd: Path, redirect: str) -> subprocess.CompletedProcess[str]:
    """``python -m dpone_connectors ARGS`` with a shell redirection closing streams."""
    command = " ".join(["exec", '"$0"', "-m", "dpone_connectors", *args, redirect])
    return subprocess.run(
        ["sh", "-c", command, sys.executable], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_console_script_with_stdout_closed_exits_cleanly(tmp_path: Path) -> None:
    done = run_module(["scaffold", "x"], tmp_path, ">&-")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "dpone-connector-x").is_dir()


def test_with_stderr_closed_errors_never_land_in_generated_files(tmp_path: Path) -> None:
    entries = "".join(
        f"  - {{name: bad{n}, connector_type: nope}}\n" if n % 3 == 0 else f"  - name: good{n}\n"
        for n in range(40)
    )
    (tmp_path / "s.yaml").write_text("connectors:\n" + entries, encoding="utf-8")
    done = run_module(
        ["scaffold", "--from", "s.yaml", "--root", "out", "--format", "json"], tmp_path, "2>&- >&-"
    )
    assert done.returncode == 2
    listing = list_packages(tmp_path / "out")
    assert len(listing.packages) == 26
    assert all(p.drift == 0 and p.status != "invalid" for p in listing.packages)


FORKED = textwrap.dedent(
    """
    import os, sys
    from dpone_connectors import ConnectorSdkScaffoldService, add_capability, check_package, list_packages

    root = sys.argv[1]
    service = ConnectorSdkScaffoldService()
    service.scaffold_many([{"name": f"p{n}"} for n in range(20)], root=root, jobs=4)
    assert len(list_packages(root, jobs=4).packages) == 20
    pid = os.fork()
    if pid == 0:
        try:
            service.scaffold_many([{"name": "child"}], root=root, jobs=4)
            ok = len(list_packages(root, jobs=4).packages) == 21
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_the_binding_works_in_a_forked_child(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", FORKED, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_threads_calling_at_once_each_get_their_own_results(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()

    def work(n: int) -> tuple[int, int]:
        root = tmp_path / f"t{n}"
        service.scaffold_many([{"name": f"c{i}"} for i in range(5)], root=root, jobs=2)
        return n, len(list_packages(root, jobs=2).packages)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(work, range(16))) == [(n, 5) for n in range(16)]


def test_every_refusal_is_one_of_the_package_errors(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    with pytest.raises(RequestError, match="not valid UTF-8"):
        service.scaffold(name="a\udcff", root=tmp_path)
    with pytest.raises(RequestError, match="not valid UTF-8"):
        service.scaffold(name="a", root=tmp_path, author="Jos\udce9")
    with pytest.raises(SpecError, match="entry 1 is not a mapping"):
        service.scaffold_many([{"name": "a"}, 1], root=tmp_path)  # type: ignore[list-item]
    with pytest.raises(SpecError, match="cannot be read"):
        service.scaffold_many([{"name": "a", "author": object()}], root=tmp_path)
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(SpecError, match="cannot be read"):
        service.scaffold_many([{"name": "a", "capabilities": deep}], root=tmp_path)
    with pytest.raises(CertificationError, match="not valid UTF-8"):
        ConnectorCapabilityCertificationService().certify(
            manifest={"connector": "x\udcff"}, profile="static", requested_capabilities=()
        )
    assert list(tmp_path.iterdir()) == []
