"""Shared fixtures of the binding tests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


def require(tool: str, why: str) -> str:
    """The path of ``tool``. Without it the test fails (as in CI and ``scripts/test.sh``),
    unless ``DPONE_TEST_ALLOW_SKIP=tools`` allows the skip, which is then reported."""
    found = shutil.which(tool, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        message = f"{tool} is not installed: {why}"
        allowed = os.environ.get("DPONE_TEST_ALLOW_SKIP", "").split(",")
        if "tools" not in (item.strip() for item in allowed):
            pytest.fail(message + " (install it, or set DPONE_TEST_ALLOW_SKIP=tools to skip on purpose)")
        pytest.skip(message)
    return found


@pytest.fixture
def console_script() -> str:
    """The ``dpone-connectors`` command the wheel installed beside this interpreter."""
    return require("dpone-connectors", "the console script is installed with the package")
