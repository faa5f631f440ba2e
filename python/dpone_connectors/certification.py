"""The certification manifest as data: a drop-in for the reference's
``ConnectorCertificationTemplateService``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from . import _native
from ._paths import _paths

__all__ = ["ConnectorCertificationTemplateService"]


class ConnectorCertificationTemplateService:
    """Builds the ``certification/certification.yaml`` document a package would get."""

    def build(
        self,
        *,
        connector: str,
        connector_type: str,
        capabilities: tuple[str, ...],
        native_capabilities: tuple[str, ...] = (),
        capability_path: Iterable[str | os.PathLike[str]] = (),
    ) -> dict[str, Any]:
        """The manifest as a dict, keys in file order.

        Like the reference, nothing is validated or normalized: ``connector`` and
        ``connector_type`` are used as given, a capability is looked up as written, repeats
        count once, and names no capability answers to are left out. ``capability_path``:
        directories of capability packs whose capabilities can be named too.
        """
        document: dict[str, Any] = json.loads(
            _native.certification_document(
                connector=connector,
                connector_type=connector_type,
                capabilities=list(capabilities),
                native_capabilities=list(native_capabilities),
                capability_path=_paths(capability_path),
            )
        )
        return document
