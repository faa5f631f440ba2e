"""Scaffolding connector packages: one, or many at once.

``ConnectorSdkScaffoldService`` is a drop-in for ``dpone.connector_sdk``'s service of the same
name: the same keyword arguments, defaults and result. Beyond the reference, it never
replaces a generated file a person edited (it raises ``ConflictError`` instead, unless
``force=True``), it can plan without writing (``dry_run=True``), and ``scaffold_many`` writes
a whole list of packages in parallel.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import _native
from ._paths import _paths
from .certification import ConnectorCertificationTemplateService
from .errors import ConflictError, RequestError, SpecError, refuse_foreign_text
from .models import BatchEntryResult, ConnectorSdkScaffoldResult

__all__ = ["ConnectorSdkScaffoldService"]


class ConnectorSdkScaffoldService:
    """Generates community connector packages from the Rust core."""

    def __init__(self, certification_templates: object | None = None) -> None:
        # The certification manifest is a contract file, byte-identical to the reference's:
        # only the built-in template service may produce it.
        if certification_templates is not None and not isinstance(
            certification_templates, ConnectorCertificationTemplateService
        ):
            raise TypeError(
                "certification_templates must be None or a ConnectorCertificationTemplateService: "
                "certification/certification.yaml is a contract file and cannot be customized"
            )

    @staticmethod
    def native_capability_choices() -> tuple[str, ...]:
        """The native-transfer capability names, in the order the command line lists them."""
        return _NATIVE_CAPABILITY_NAMES

    def scaffold(
        self,
        *,
        name: str,
        root: str | os.PathLike[str] = ".",
        connector_type: str = "api",
        capabilities: Iterable[str] = ("source",),
        native_capabilities: Iterable[str] = (),
        package_prefix: str = "dpone_connector",
        include_certification: bool = True,
        force: bool = False,
        dry_run: bool = False,
        durable: bool = False,
        author: str | None = None,
        email: str | None = None,
        license: str | None = None,
        description: str | None = None,
        python: str | None = None,
        capability_path: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] = (),
    ) -> ConnectorSdkScaffoldResult:
        """Writes the package ``<root>/<prefix>-<connector>`` and returns what it holds.

        Names are normalized like the reference (``Demo API`` becomes ``demo_api``); bad
        input raises ``RequestError`` (a ``ValueError``) and writes nothing. Files that
        already hold the generated content are left untouched; files a person edited raise
        ``ConflictError`` (a ``FileExistsError``) and nothing changes, unless ``force=True``.
        With ``dry_run=True`` nothing is written and the result says what would be.

        A package appears whole or not at all. ``durable=True`` also flushes it to disk
        before it appears (what the command line does); in-process calls skip that flush by
        default, like the reference, so a loop is not bound by the disk's flush latency
        (``scaffold_many`` flushes once at the end).

        ``author``, ``email``, ``license`` (an SPDX id: ``Apache-2.0``, the default, ``MIT``
        or ``BSD-3-Clause``; a chosen one also writes ``LICENSE``), ``description`` and
        ``python`` (the lowest version, ``3.11`` or later) go into ``pyproject.toml``; they
        never change the contract files. Unlike the command line, nothing is read from the
        environment or the user's config file: a script says what it means. That includes
        ``capability_path``: the directories of capability packs whose capabilities can be
        requested (``DPONE_CONNECTORS_CAPABILITY_PATH`` is not read here).
        """
        with refuse_foreign_text(RequestError):
            text = _native.scaffold(
                name=name,
                root=os.fspath(root),
                connector_type=connector_type,
                capabilities=list(capabilities),
                native_capabilities=list(native_capabilities),
                package_prefix=package_prefix,
                include_certification=include_certification,
                force=force,
                dry_run=dry_run,
                durable=durable,
                author=author,
                email=email,
                license=license,
                description=description,
                python=python,
                capability_path=_paths(capability_path),
            )
        result = ConnectorSdkScaffoldResult.from_dict(_exact_paths(json.loads(text), os.fspath(root)))
        if result.conflicts:
            raise ConflictError(result, result.conflicts)
        return result

    def scaffold_many(
        self,
        entries: Iterable[Mapping[str, Any]],
        *,
        root: str | os.PathLike[str] = ".",
        jobs: int | None = None,
        force: bool = False,
        dry_run: bool = False,
        fail_fast: bool = False,
        capability_path: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] = (),
    ) -> tuple[BatchEntryResult, ...]:
        """Scaffolds every entry in parallel (``jobs`` workers; default one per CPU, at most 8).

        Each entry takes the keyword arguments of ``scaffold`` except ``root`` and the write
        options: ``name`` (required), ``connector_type``, ``capabilities``,
        ``native_capabilities``, ``package_prefix``, ``include_certification``, ``author``,
        ``email``, ``license``, ``description`` and ``python``. A bad entry fails alone; with
        ``fail_fast=True`` nothing after the first failure is started. Entries that would
        create the same package directory are refused. Returns one outcome per entry, in
        entry order.
        """
        try:
            spec = json.dumps({"connectors": [_entry(index, entry) for index, entry in enumerate(entries)]})
        except (TypeError, ValueError, RecursionError) as err:
            raise SpecError(f"the entries cannot be read: {err}") from err
        outcomes = json.loads(
            _native.scaffold_batch(
                spec,
                root=os.fspath(root),
                jobs=jobs,
                force=force,
                dry_run=dry_run,
                fail_fast=fail_fast,
                capability_path=_paths(capability_path),
            )
        )
        root_text = os.fspath(root)
        for outcome in outcomes:
            if outcome["result"] is not None:
                outcome["result"] = _exact_paths(outcome["result"], root_text)
        return tuple(BatchEntryResult.from_dict(outcome) for outcome in outcomes)


def _native_capability_names() -> tuple[str, ...]:
    listing = json.loads(_native.capabilities())["capabilities"]
    return tuple(item["name"] for item in listing if item["kind"] == "native_transfer")


# Read once, at import (a tenth of a millisecond): the registry is compiled into the core.
_NATIVE_CAPABILITY_NAMES = _native_capability_names()


def _exact_paths(data: dict[str, Any], root: str) -> dict[str, Any]:
    """A scaffold result's paths under ``root`` exactly as given: JSON cannot carry a root
    that is not UTF-8 (``os.fsdecode`` gives it surrogate escapes), so the core reports it
    with U+FFFD; the package directory and its files are rebuilt on the real root."""
    try:
        root.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return data
    shown, exact = data["sdk_root"], os.fspath(Path(root) / data["package_name"])

    def fix(value: Any) -> Any:
        if isinstance(value, str) and (value == shown or value.startswith(shown + "/")):
            return exact + value[len(shown) :]
        if isinstance(value, list):
            return [fix(item) for item in value]
        return value

    return {key: fix(value) for key, value in data.items()}


def _entry(index: int, entry: Mapping[str, Any]) -> dict[str, Any]:
    """One entry as the batch spec spells it (tuples as lists)."""
    if not isinstance(entry, Mapping):
        raise SpecError(f"entry {index} is not a mapping of scaffold arguments: {type(entry).__name__}")
    return {
        key: list(value) if isinstance(value, (tuple, set, frozenset)) else value
        for key, value in entry.items()
    }
