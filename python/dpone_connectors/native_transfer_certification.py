"""Native-transfer capabilities and their certification, without runtime IO: a drop-in for
``dpone.connector_sdk.native_transfer_certification``.

The dataclasses are the reference's; every decision (presets, reading a manifest, scoring,
choosing a transport) is made by the Rust core, the same code ``dpone-connectors certify
--capability`` runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _native
from .errors import CertificationError, refuse_foreign_text

__all__ = [
    "CapabilityCertificationResult",
    "ConnectorCapabilityCertificationReport",
    "ConnectorCapabilityCertificationService",
    "NativeTransferCapability",
    "TransportCapabilityMatrix",
    "TransportConformanceCase",
]


@dataclass(frozen=True, slots=True)
class NativeTransferCapability:
    """One declared native-transfer role of a connector package."""

    name: str
    transport: str
    role: str
    formats: tuple[str, ...] = ()
    bounded: bool = False
    staging_safe: bool = False
    supports_checksum: bool = False
    supports_cleanup: bool = False
    supports_abort: bool = False
    supports_idempotency_key: bool = False

    @classmethod
    def _from_json(cls, text: str) -> NativeTransferCapability:
        fields = json.loads(text)
        fields["formats"] = tuple(fields["formats"])
        return cls(**fields)

    @classmethod
    def stream_export(
        cls, *, formats: tuple[str, ...] = ("tabseparated", "jsonl")
    ) -> NativeTransferCapability:
        """A bounded stream export with checksums and cleanup."""
        return cls._from_json(_native.native_preset("stream_export", list(formats)))

    @classmethod
    def file_export(cls) -> NativeTransferCapability:
        """A file export with cleanup."""
        return cls._from_json(_native.native_preset("file_export"))

    @classmethod
    def stream_staging_load(
        cls, *, formats: tuple[str, ...] = ("tabseparated", "jsonl")
    ) -> NativeTransferCapability:
        """A staging-safe stream load that can abort and takes an idempotency key."""
        return cls._from_json(_native.native_preset("stream_staging_load", list(formats)))

    @classmethod
    def preset(cls, name: str, *, formats: tuple[str, ...] | None = None) -> NativeTransferCapability:
        """The ready-made declaration of any registered native capability ``name``, as its
        module declares it (``formats`` replaces the default ones where it takes formats).

        The named classmethods above are the reference's; this reaches every capability,
        including ones added after them. An unknown name raises ``RequestError``.
        """
        chosen = None if formats is None else list(formats)
        return cls._from_json(_native.native_preset(name, chosen))

    @classmethod
    def from_manifest(cls, name: str, raw: Mapping[str, Any]) -> NativeTransferCapability:
        """The declaration ``name`` from its ``native_transfer.capabilities`` mapping."""
        return cls._from_json(_native.native_from_manifest(name, raw))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "transport": self.transport,
            "role": self.role,
            "formats": list(self.formats),
            "bounded": self.bounded,
            "staging_safe": self.staging_safe,
            "supports_checksum": self.supports_checksum,
            "supports_cleanup": self.supports_cleanup,
            "supports_abort": self.supports_abort,
            "supports_idempotency_key": self.supports_idempotency_key,
        }


@dataclass(frozen=True, slots=True)
class TransportCapabilityMatrix:
    """The transport a transfer from ``source`` to ``sink`` would use, and why."""

    selected_transport: str
    source_supported: bool
    sink_supported: bool
    codec_supported: bool
    fallback_reason: str | None
    reasons: tuple[str, ...] = ()

    @classmethod
    def from_capabilities(
        cls,
        *,
        source: NativeTransferCapability,
        sink: NativeTransferCapability,
        codec_format: str,
    ) -> TransportCapabilityMatrix:
        """A stream when the source exports one, the sink loads one through staging and
        both declare the codec; otherwise the file (or object) fallback."""
        fields = json.loads(
            _native.transport_matrix(source=source.to_dict(), sink=sink.to_dict(), codec_format=codec_format)
        )
        fields["reasons"] = tuple(fields["reasons"])
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "selected_transport": self.selected_transport,
            "source_supported": self.source_supported,
            "sink_supported": self.sink_supported,
            "codec_supported": self.codec_supported,
            "fallback_reason": self.fallback_reason,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class TransportConformanceCase:
    """One planned conformance case of a capability."""

    name: str
    status: str
    failure_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "failure_code": self.failure_code}


@dataclass(frozen=True, slots=True)
class CapabilityCertificationResult:
    """The certification of one requested capability."""

    name: str
    status: str
    cases: tuple[TransportConformanceCase, ...]
    blockers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "cases": [case.to_dict() for case in self.cases],
            "blockers": list(self.blockers),
        }


@dataclass(frozen=True, slots=True)
class ConnectorCapabilityCertificationReport:
    """A connector's native-transfer certification (schema
    ``dpone.connector_capability_certification.v1``)."""

    connector: str
    connector_type: str
    profile: str
    status: str
    capabilities: dict[str, CapabilityCertificationResult]
    blockers: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether everything requested is certified."""
        return self.status == "certified"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConnectorCapabilityCertificationReport:
        """Builds the report from its ``to_dict()`` form."""
        return cls(
            connector=data["connector"],
            connector_type=data["connector_type"],
            profile=data["profile"],
            status=data["status"],
            capabilities={
                name: CapabilityCertificationResult(
                    name=result["name"],
                    status=result["status"],
                    cases=tuple(TransportConformanceCase(**case) for case in result["cases"]),
                    blockers=tuple(result["blockers"]),
                )
                for name, result in data["capabilities"].items()
            },
            blockers=tuple(data["blockers"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": "dpone.connector_capability_certification.v1",
            "passed": self.passed,
            "connector": self.connector,
            "connector_type": self.connector_type,
            "profile": self.profile,
            "status": self.status,
            "blockers": list(self.blockers),
            "capabilities": {name: result.to_dict() for name, result in self.capabilities.items()},
        }


class ConnectorCapabilityCertificationService:
    """Scores the native-transfer capabilities a manifest declares, without runtime IO."""

    def certify(
        self,
        *,
        manifest: Mapping[str, Any],
        profile: str,
        requested_capabilities: Iterable[str],
    ) -> ConnectorCapabilityCertificationReport:
        """Certifies ``requested_capabilities`` (e.g. ``native_transfer.stream``) of the
        manifest (a loaded ``certification.yaml``) for ``profile`` (``static``,
        ``local_live`` or ``vendor_live``). A manifest whose sections have the wrong shape
        raises ``CertificationError`` (a ``ValueError``)."""
        if not isinstance(manifest, Mapping):
            raise TypeError(f"manifest must be a mapping, not {type(manifest).__name__}")
        with refuse_foreign_text(CertificationError):
            report = _native.certify_native(
                manifest=manifest if isinstance(manifest, dict) else dict(manifest),
                profile=profile,
                requested_capabilities=list(requested_capabilities),
            )
        return ConnectorCapabilityCertificationReport.from_dict(json.loads(report))
