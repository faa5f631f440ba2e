"""Regenerates reference.json from the reference, dpone 0.88.0 (``dpone.connector_sdk``).

Run with the reference's interpreter (``../shared/tools/ensure_peer.sh`` prints its bin dir)::

    $PEER/python python/tests/golden/make_golden.py

The cases are the contract's edge cases; ``tests/test_reference.py`` replays them against
``dpone_connectors`` and compares the answers, so the suite needs no reference at run time.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from dpone.connector_sdk import (
    ConnectorCapabilityCertificationService,
    ConnectorCertificationTemplateService,
    ConnectorSdkScaffoldService,
    NativeTransferCapability,
    TransportCapabilityMatrix,
    TransportEvidenceRenderer,
)

SCAFFOLDS: list[dict[str, Any]] = [
    {"name": "Demo API"},
    {"name": "warehouse", "connector_type": "DATABASE ", "capabilities": ["sink", "source", "sink"]},
    {"name": "123abc", "capabilities": ["state"], "include_certification": False},
    {"name": "Ünïcödé-Connector 2", "native_capabilities": ["stream_export", "file_staging_load"]},
    {"name": "yes", "capabilities": []},
    {"name": "null", "connector_type": "file"},
    {"name": "x", "package_prefix": "Acme Corp"},
    {"name": "x", "package_prefix": "9lives"},
    {"name": "日本語"},
    {"name": "ok", "package_prefix": "--"},
    {"name": "ok", "connector_type": "graph"},
    {"name": "ok", "capabilities": ["source", "teleport"]},
    {"name": "ok", "native_capabilities": ["stream_import"]},
]

BUILDS: list[dict[str, Any]] = [
    {"connector": "demo", "connector_type": "api", "capabilities": ["sink", "source"]},
    {
        "connector": "Not Normalized",
        "connector_type": "whatever",
        "capabilities": ["state", "teleport", "state"],
        "native_capabilities": ["object_staging_load", "stream_export", "object_staging_load"],
    },
    {"connector": "off", "connector_type": "api", "capabilities": []},
]

MANIFESTS: list[dict[str, Any]] = [
    {},
    {
        "connector": "demo",
        "connector_type": "api",
        "native_transfer": {
            "capabilities": {
                "stream_export": {"formats": ["jsonl"], "bounded": True, "supports_cleanup": True},
                "stream_staging_load": {"formats": ["jsonl"], "staging_safe": True, "supports_abort": True},
            }
        },
    },
    {
        "connector": "demo",
        "native_transfer": {
            "capabilities": {"stream_export": {"bounded": "no", "supports_cleanup": 0}, "file_export": None}
        },
    },
    {"connector": 7, "connector_type": None, "native_transfer": None},
]
# How each native capability is built: a classmethod and its arguments.
NATIVES: list[dict[str, Any]] = [
    {"id": "stream_export", "ctor": "stream_export", "kwargs": {}},
    {"id": "stream_export_jsonl", "ctor": "stream_export", "kwargs": {"formats": ["jsonl"]}},
    {"id": "file_export", "ctor": "file_export", "kwargs": {}},
    {"id": "stream_staging_load", "ctor": "stream_staging_load", "kwargs": {}},
    {
        "id": "object_export",
        "ctor": "from_manifest",
        "kwargs": {"name": "object_export", "raw": {"formats": ["jsonl"], "bounded": 1}},
    },
    {
        "id": "odd_staging_load",
        "ctor": "from_manifest",
        "kwargs": {"name": "stream_odd_staging_load", "raw": {"formats": "ab"}},
    },
]
REQUESTS = [("native_transfer.stream",), (), ("native_transfer.batch", "native_transfer.stream")]
PROFILES = ["static", "local_live", "vendor_live", "cloud"]


def build_native(recipe: dict[str, Any]) -> Any:
    kwargs = {k: tuple(v) if k == "formats" else v for k, v in recipe["kwargs"].items()}
    return getattr(NativeTransferCapability, recipe["ctor"])(**kwargs)


def outcome(call: Any) -> dict[str, Any]:
    try:
        return {"ok": call()}
    except ValueError as exc:
        return {"value_error": str(exc)}


def main() -> None:
    service = ConnectorSdkScaffoldService()
    renderer = TransportEvidenceRenderer()
    golden: dict[str, Any] = {"scaffold": [], "build": [], "certify": [], "native": [], "matrix": []}
    with tempfile.TemporaryDirectory() as tmp:
        for index, kwargs in enumerate(SCAFFOLDS):
            root = Path(tmp) / str(index)

            def scaffold(kwargs: dict[str, Any] = kwargs, root: Path = root) -> dict[str, Any]:
                result = service.scaffold(root=root, **kwargs).to_dict()
                files = [str(Path(f).relative_to(root)) for f in result.pop("files")]
                manifest = result.pop("certification_manifest")
                package = root / result["package_name"]
                contract = {
                    rel: (package / rel).read_text(encoding="utf-8")
                    for rel in ("dpone_connector_manifest.json", "certification/certification.yaml")
                    if (package / rel).exists()
                }
                result["sdk_root"] = str(Path(result["sdk_root"]).relative_to(root))
                return {
                    "result": result,
                    "files": files,
                    "has_manifest": manifest is not None,
                    "contract": contract,
                }

            golden["scaffold"].append({"kwargs": kwargs, "expected": outcome(scaffold)})
    for kwargs in BUILDS:
        built = ConnectorCertificationTemplateService().build(
            **{key: tuple(value) if isinstance(value, list) else value for key, value in kwargs.items()}
        )
        golden["build"].append({"kwargs": kwargs, "expected": built})
    for manifest in MANIFESTS:
        for profile in PROFILES:
            for requested in REQUESTS:
                report = ConnectorCapabilityCertificationService().certify(
                    manifest=manifest, profile=profile, requested_capabilities=requested
                )
                golden["certify"].append(
                    {
                        "manifest": manifest,
                        "profile": profile,
                        "requested": list(requested),
                        "expected": {
                            "dict": report.to_dict(),
                            "passed": report.passed,
                            "json": renderer.render_json(report),
                            "markdown": renderer.render_markdown(report),
                        },
                    }
                )
    natives = {recipe["id"]: build_native(recipe) for recipe in NATIVES}
    golden["native"] = [{**recipe, "expected": natives[recipe["id"]].to_dict()} for recipe in NATIVES]
    for source in ("stream_export", "file_export", "object_export"):
        for sink in ("stream_staging_load", "odd_staging_load"):
            for codec in ("jsonl", "tabseparated", "csv"):
                matrix = TransportCapabilityMatrix.from_capabilities(
                    source=natives[source], sink=natives[sink], codec_format=codec
                )
                golden["matrix"].append(
                    {"source": source, "sink": sink, "codec": codec, "expected": matrix.to_dict()}
                )
    out = Path(__file__).with_name("reference.json")
    out.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
