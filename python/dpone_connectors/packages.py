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
from .models import CapabilityInfo, CheckReport, EvolveResult, PackageCertification, PackageList

__all__ = ["add_capability", "capabilities", "certify_package", "check_package", "list_packages"]


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

    Edited files the change would touch raise ``ConflictError`` and nothing changes, unless
    ``force=True`` (replace them) or ``keep_edited=True`` (leave them as they are). With
    ``dry_run=True`` nothing is written.
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
