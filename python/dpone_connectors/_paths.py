"""``capability_path=`` as the core takes it."""

from __future__ import annotations

import os
from collections.abc import Iterable


def _paths(capability_path: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[str]:
    """The directories of capability packs, in order. One path (a ``str`` or ``Path``) is one
    directory, not a sequence of characters."""
    if isinstance(capability_path, (str, os.PathLike)):
        return [os.fspath(capability_path)]
    return [os.fspath(path) for path in capability_path]
