"""The package is typed: its own code and a user's script pass ``mypy --strict``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dpone_connectors
from conftest import require


def test_a_user_script_and_the_package_pass_mypy_strict() -> None:
    require("mypy", "the typing contract is checked with mypy --strict")
    package = Path(dpone_connectors.__file__).parent
    assert (package / "py.typed").is_file(), "py.typed is shipped"
    assert (package / "_native.pyi").is_file(), "the compiled core has stubs"
    script = Path(__file__).with_name("typed_usage.py")
    for target in ([str(script)], ["-p", "dpone_connectors"]):
        done = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *target],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_stubs_match_the_compiled_module_exactly() -> None:
    """``mypy.stubtest`` imports the package and holds every stub (``_native.pyi`` included)
    to what is really there: names, parameters, their kinds and defaults."""
    require("mypy", "the stubs are checked with mypy.stubtest")
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "dpone_connectors"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
