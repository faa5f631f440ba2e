"""The Python result types cannot drift from the Rust ones.

Every result dataclass is built from a JSON object the Rust core emits. Here every kind of
object is produced for real (a scaffold, a batch, the registry, a check with findings, a
certification, an ``add_capability`` and a listing) and compared with its dataclass, both
ways: a key the core emits that the dataclass does not carry (a new Rust field, silently
dropped or a ``TypeError``), and a field the dataclass declares that the core no longer
emits, both fail and name the type and the key.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from dpone_connectors import _native, models

# Keys carried under another name, or spread over several fields: JSON key -> fields.
RENAMED: dict[type[Any], dict[str, tuple[str, ...]]] = {
    models.CapabilityInfo: {
        "native_transfer": ("transport", "role"),
        "origin": ("origin", "pack_path", "pack_version", "pack_digest"),
    },
    models.PackageCertification: {"summary": ("required_tests",)},
}
# Fields computed on the Python side, never emitted: none today.
PYTHON_ONLY: dict[type[Any], frozenset[str]] = {}


def public_fields(cls: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}


def assert_same_fields(cls: type[Any], emitted: dict[str, Any]) -> None:
    renamed = RENAMED.get(cls, {})
    fields = public_fields(cls)
    carried = {field for key in emitted if key in renamed for field in renamed[key]}
    unknown = sorted(key for key in emitted if key not in fields and key not in renamed)
    assert not unknown, f"{cls.__name__} drops keys the core emits: {unknown}"
    missing = sorted(fields - set(emitted) - carried - PYTHON_ONLY.get(cls, frozenset()))
    assert not missing, f"{cls.__name__} declares fields the core does not emit: {missing}"


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> dict[type[Any], list[dict[str, Any]]]:
    """Every kind of JSON object the core emits, by the dataclass that carries it."""
    root = tmp_path_factory.mktemp("fields")
    found: dict[type[Any], list[dict[str, Any]]] = {}

    def add(cls: type[Any], *objects: dict[str, Any]) -> None:
        found.setdefault(cls, []).extend(objects)

    scaffold = json.loads(
        _native.scaffold(
            name="demo_api",
            root=str(root),
            connector_type="api",
            capabilities=["source", "sink"],
            native_capabilities=["stream_export"],
            package_prefix="dpone_connector",
            include_certification=True,
            force=False,
            dry_run=False,
            durable=False,
        )
    )
    add(models.ConnectorSdkScaffoldResult, scaffold)
    package = Path(scaffold["sdk_root"])

    spec = json.dumps({"connectors": [{"name": "batch_api"}, {"name": ""}]})
    outcomes = json.loads(
        _native.scaffold_batch(spec, root=str(root), jobs=1, force=False, dry_run=True, fail_fast=False)
    )
    add(models.BatchEntryResult, *outcomes)
    add(models.ConnectorSdkScaffoldResult, *(o["result"] for o in outcomes if o["result"]))

    add(models.CapabilityInfo, *json.loads(_native.capabilities())["capabilities"])
    # A capability pack's entry too: its origin names the pack.
    packs = Path(__file__).resolve().parents[2] / "examples" / "packs"
    with_pack = json.loads(_native.capabilities(capability_path=[str(packs)]))["capabilities"]
    assert any(c["origin"]["source"] == "pack" for c in with_pack)
    add(models.CapabilityInfo, *with_pack)

    (package / "README.md").write_text("edited by a person\n", encoding="utf-8")
    check = json.loads(_native.check(str(package)))
    add(models.CheckReport, check)
    add(models.Finding, *check["findings"])

    certification = json.loads(_native.certify_package_dir(str(package)))
    add(models.PackageCertification, certification)
    add(models.ManifestRef, certification["certification_manifest"])
    add(models.EvidenceSummary, certification["evidence"])
    add(models.Tally, certification["summary"]["required_tests"])
    add(models.CertificationCheck, *certification["quality_gates"], *certification["conformance"])
    add(models.CapabilityTests, *certification["capabilities"])
    add(models.RequiredTest, *(t for c in certification["capabilities"] for t in c["required_tests"]))

    evolve = json.loads(
        _native.add_capability(
            str(package),
            capabilities=["state"],
            native_capabilities=[],
            force=False,
            dry_run=True,
            keep_edited=True,
        )
    )
    add(models.EvolveResult, evolve)

    listing = json.loads(_native.list_packages(str(root))[0])
    add(models.PackageList, listing)
    add(models.ListedPackage, *listing["packages"])
    return found


RESULT_TYPES = sorted(
    (getattr(models, name) for name in models.__all__ if dataclasses.is_dataclass(getattr(models, name))),
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda cls: cls.__name__)
def test_each_result_type_carries_exactly_what_the_core_emits(
    cls: type[Any], emitted: dict[type[Any], list[dict[str, Any]]]
) -> None:
    objects = emitted.get(cls)
    assert objects, f"no {cls.__name__} was produced: the scenario must cover every result type"
    for emitted_object in objects:
        assert_same_fields(cls, emitted_object)


def test_a_new_key_in_the_core_would_be_caught() -> None:
    finding = {"severity": "error", "kind": "edited", "path": "a", "message": "m", "new_rust_field": 1}
    with pytest.raises(AssertionError, match=r"Finding drops keys the core emits: \['new_rust_field'\]"):
        assert_same_fields(models.Finding, finding)
