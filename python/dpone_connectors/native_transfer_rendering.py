"""Renderings of a native-transfer certification report: a drop-in for
``dpone.connector_sdk.native_transfer_rendering``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol

from . import _native

__all__ = ["TransportEvidenceRenderer"]


class _Report(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class TransportEvidenceRenderer:
    """Renders (and publishes) a report for the command line and CI."""

    def render_json(self, report: _Report) -> str:
        """The report as sorted, indented JSON with a trailing newline."""
        return _native.render_native_report(json.dumps(report.to_dict()), "json")

    def render_markdown(self, report: _Report) -> str:
        """The report as a markdown list: connector, profile, status, blockers, capabilities
        and their cases (the reference's layout)."""
        return _native.render_native_report(json.dumps(report.to_dict()), "markdown")

    def write(self, report: _Report, artifact_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Publishes ``connector-capability-certification.json`` and ``.md`` into
        ``artifact_dir`` (created if missing) as one consistent pair; returns their paths."""
        json_path, markdown_path = _native.publish_native_report(
            json.dumps(report.to_dict()), os.fspath(artifact_dir)
        )
        return Path(json_path), Path(markdown_path)
