"""Working with packages that exist: the capability registry, drift, certification from
evidence, and adding capabilities. The same services as the ``capabilities``, ``check``,
``certify`` and ``add-capability`` commands."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from . import _native
from ._paths import _paths
from .errors import ConflictError, RequestError, refuse_foreign_text
from .models import (
    CapabilityInfo,
    CheckReport,
    EvolveResult,
    PackageCertification,
    PackageList,
    UpdateResult,
)

__all__ = [
    "add_capability",
    "capabilities",
    "certify_package",
    "check_package",
    "list_packages",
    "update_package",
]


PathArg = str | os.PathLike[str]


def capabilities(*, capability_path: Iterable[PathArg] | PathArg = ()) -> tuple[CapabilityInfo, ...]:
    """Every registered capability, runtime ones first, each in registry order; with
    ``capability_path`` (directories of capability packs, one pack per subdirectory), the
    packs' capabilities too, each with ``origin="pack"``, its directory and digest."""
    listing = json.loads(_native.capabilities(capability_path=_paths(capability_path)))["capabilities"]
    return tuple(CapabilityInfo.from_dict(item) for item in listing)


def check_package(
    package_dir: str | os.PathLike[str] = ".", *, capability_path: Iterable[PathArg] | PathArg = ()
) -> CheckReport:
    """Compares the package with what this version generates for its declared capabilities.

    ``report.passed`` is false when the contract drifted (a declaration that does not match
    the files); edited files are notes, not failures. A directory that is not a connector
    package raises ``PackageError``, and so does a package made with a capability pack that
    is not in ``capability_path``.
    """
    report = _native.check(os.fspath(package_dir), capability_path=_paths(capability_path))
    return CheckReport.from_dict(_exact_dir(json.loads(report), package_dir))


def certify_package(
    package_dir: str | os.PathLike[str] = ".",
    *,
    artifact_dir: str | os.PathLike[str] | None = None,
    capability_path: Iterable[PathArg] | PathArg = (),
) -> PackageCertification:
    """Certifies the package from its recorded evidence (what
    ``certification/run_certification.py`` wrote); with ``artifact_dir``, also publishes
    ``package-certification.json`` and ``.md`` there."""
    report = _native.certify_package_dir(
        os.fspath(package_dir),
        artifact_dir=os.fspath(artifact_dir) if artifact_dir is not None else None,
        capability_path=_paths(capability_path),
    )
    return PackageCertification.from_dict(json.loads(report))


def add_capability(
    package_dir: str | os.PathLike[str] = ".",
    *,
    capabilities: Iterable[str] = (),
    native_capabilities: Iterable[str] = (),
    force: bool = False,
    dry_run: bool = False,
    keep_edited: bool = False,
    capability_path: Iterable[PathArg] | PathArg = (),
) -> EvolveResult:
    """Adds capabilities to the package, updating the files that are still as generated.

    Edited files the change touches are merged with it line by line, as ``update_package``
    merges. Where the person's lines and the change's overlap, the file is written with
    conflict markers and ``ConflictError`` is raised once everything is written (its
    ``.result.conflicts`` lists them). ``force=True`` replaces edited files instead, and
    ``keep_edited=True`` leaves them as they are. With ``dry_run=True`` nothing is written
    (conflicts still raise).
    """
    with refuse_foreign_text(RequestError):
        text = _native.add_capability(
            os.fspath(package_dir),
            capabilities=list(capabilities),
            native_capabilities=list(native_capabilities),
            force=force,
            dry_run=dry_run,
            keep_edited=keep_edited,
            capability_path=_paths(capability_path),
        )
    data = _exact_dir(json.loads(text), package_dir)
    result = EvolveResult.from_dict(data)
    if result.conflicts:
        root = os.fspath(package_dir)
        raise ConflictError(result, [os.path.join(root, path) for path in result.conflicts])
    return result


def list_packages(
    root: str | os.PathLike[str] = ".",
    *,
    jobs: int | None = None,
    capability_path: Iterable[PathArg] | PathArg = (),
) -> PackageList:
    """Every connector package under ``root`` with its certification status and drift, in
    path order (``.git``, ignored files, virtual environments, build and cache directories
    are skipped). One unreadable package is listed as ``invalid`` with the reason; it never
    stops the others. ``jobs``: packages examined at once (default one per CPU, at most 64).

    Paths are the file system's own: a directory whose name is not UTF-8 comes back as
    ``os.fsdecode`` gives it (with surrogate escapes), so it can be opened again."""
    root_text = os.fspath(root)
    text, dirs = _native.list_packages(root_text, jobs=jobs, capability_path=_paths(capability_path))
    data = json.loads(text)
    data["root"] = root_text
    for package, directory in zip(data["packages"], dirs, strict=True):
        package["path"] = os.fspath(directory)
    return PackageList.from_dict(data)


def _exact_dir(data: dict[str, Any], package_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The report's ``package_dir`` as given: JSON cannot carry a path that is not UTF-8
    (``os.fsdecode`` gives it surrogate escapes), so the core reports it with U+FFFD."""
    given = os.fspath(package_dir)
    try:
        given.encode("utf-8")
    except UnicodeEncodeError:
        return {**data, "package_dir": given}
    return data


def update_package(
    package_dir: str | os.PathLike[str] = ".",
    *,
    python: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
) -> UpdateResult:
    """Brings the package forward to this generator version, keeping every edit.

    A three-way merge of what the generator that made the package would write (the base),
    what this version writes, and the files on disk (``dpone-connectors update``). Conflicts
    are written with markers and listed in ``result.conflicts``; nothing is raised for them.
    A package made by dpone 0.88.0 is adopted: its base is rendered by the dpone 0.88.0 of
    ``python`` (default ``python3``). An unreadable package, an unknown generator version or
    a missing dpone 0.88.0 raise ``PackageError``; with ``dry_run=True`` nothing is written.
    """
    data = json.loads(
        _native.update_package(
            os.fspath(package_dir),
            python=os.fspath(python) if python is not None else None,
            dry_run=dry_run,
        )
    )
    return UpdateResult.from_dict(_exact_dir(data, package_dir))
