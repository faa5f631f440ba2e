"""Shared fixtures of the binding tests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


def require(tool: str, why: str) -> str:
    """The path of ``tool``; skips the test on a desk without it, fails under CI."""
    found = shutil.which(tool, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        message = f"{tool} is not installed: {why}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must install it)")
        pytest.skip(message)
    return found


@pytest.fixture
def console_script() -> str:
    """The ``dpone-connectors`` command the wheel installed beside this interpreter."""
    return require("dpone-connectors", "the console script is installed with the package")
