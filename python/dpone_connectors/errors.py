"""Exceptions raised by ``dpone_connectors``.

Each one subclasses the built-in exception a caller of ``dpone.connector_sdk`` already
catches: bad input is a ``ValueError``, an edited file that blocks a write is a
``FileExistsError``, a failed write is an ``OSError``. All of them also subclass
``DponeConnectorsError``, so one ``except`` catches everything this package raises.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar

__all__ = [
    "CertificationError",
    "ConflictError",
    "DponeConnectorsError",
    "PackError",
    "PackageError",
    "RegistryError",
    "RequestError",
    "SpecError",
    "WriteError",
]

ResultT = TypeVar("ResultT")


class DponeConnectorsError(Exception):
    """Base class of every exception this package raises."""


class RequestError(DponeConnectorsError, ValueError):
    """A name, package prefix, connector type or capability that cannot be used.

    Nothing was written.
    """


class PackError(DponeConnectorsError, ValueError):
    """A capability pack that was refused (a path that leaves the pack, a symlinked template,
    malformed ``capability.toml``, a name already taken, ...), or a ``capability_path``
    entry that is not a directory. Nothing was written."""


class PackageError(DponeConnectorsError, ValueError):
    """A directory that is not a readable connector package."""


class CertificationError(DponeConnectorsError, ValueError):
    """A manifest, report or evidence that cannot be scored."""


class SpecError(DponeConnectorsError, ValueError):
    """Batch entries that cannot be read at all (one bad entry fails alone instead)."""


class RegistryError(DponeConnectorsError, RuntimeError):
    """The capability registry compiled into the core is broken."""


class WriteError(DponeConnectorsError, OSError):
    """The file system refused a write. Nothing partial was left behind."""


class ConflictError(DponeConnectorsError, FileExistsError, Generic[ResultT]):
    """Generated files that a person edited would be replaced; nothing was changed.

    ``result`` is what the call would have done (its ``conflicts`` list the edited files) and
    ``paths`` holds those files. Call again with ``force=True`` to replace them.
    """

    result: ResultT
    paths: tuple[Path, ...]

    def __init__(self, result: ResultT, paths: Sequence[str | Path]) -> None:
        self.result = result
        self.paths = tuple(Path(path) for path in paths)
        shown = ", ".join(str(path) for path in self.paths)
        super().__init__(
            f"{len(self.paths)} generated file(s) were edited and would be replaced; "
            f"nothing was changed (pass force=True to replace them): {shown}"
        )
        self.errno = errno.EEXIST

    def __reduce__(self) -> tuple[type[ConflictError[ResultT]], tuple[ResultT, tuple[Path, ...]]]:
        return (type(self), (self.result, self.paths))


@contextlib.contextmanager
def refuse_foreign_text(error: type[DponeConnectorsError]) -> Iterator[None]:
    """Raises ``error`` for a string argument the core cannot take: one holding a lone
    surrogate (what ``os.fsdecode`` makes of bytes that are not UTF-8) is not text, and
    would otherwise surface as a bare ``UnicodeEncodeError``. Paths are not affected: they
    cross as the bytes they stand for."""
    try:
        yield
    except UnicodeEncodeError as err:
        bad = err.object[err.start : err.end] if isinstance(err.object, str) else ""
        raise error(f"an argument holds {bad!r}, which is not valid UTF-8 text") from err
