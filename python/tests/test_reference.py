"""The drop-in surface answers like the reference, dpone 0.88.0.

The reference's answers are recorded in ``golden/reference.json`` (``golden/make_golden.py``
regenerates them); every case here replays one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dpone_connectors import (
    ConnectorCapabilityCertificationService,
    ConnectorCertificationTemplateService,
    ConnectorSdkScaffoldService,
    NativeTransferCapability,
    RequestError,
    TransportCapabilityMatrix,
    TransportEvidenceRenderer,
)

GOLDEN: dict[str, Any] = json.loads(
    (Path(__file__).parent / "golden" / "reference.json").read_text(encoding="utf-8")
)


def ids(cases: list[dict[str, Any]], key: str) -> list[str]:
    return [json.dumps(case[key], ensure_ascii=False)[:60] for case in cases]


def by_role(files: list[str], connector: str, capabilities: list[str]) -> list[str]:
    """The reference's file list, in its order, with this project's one deviation: examples
    by role (a source's and a sink's, where the reference writes a source's example)."""
    source_example = f"examples/{connector}_to_postgres.yaml"
    package = files[0].split("/")[0]
    ours = [f"{package}/{source_example}"] if "source" in capabilities else []
    if "sink" in capabilities:
        ours.append(f"{package}/examples/postgres_to_{connector}.yaml")
    expected: list[str] = []
    for path in files:
        if path.endswith(source_example):
            expected.extend(ours)
            ours = []
        else:
            expected.append(path)
    return expected


@pytest.mark.parametrize("case", GOLDEN["scaffold"], ids=ids(GOLDEN["scaffold"], "kwargs"))
def test_scaffold_matches_the_reference(case: dict[str, Any], tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    expected = case["expected"]
    if "value_error" in expected:
        # The reference raised ValueError; ours raises its subclass RequestError.
        with pytest.raises(RequestError) as raised:
            service.scaffold(root=tmp_path, **case["kwargs"])
        assert isinstance(raised.value, ValueError)
        assert list(tmp_path.iterdir()) == [], "a refused scaffold wrote files"
        return
    want = expected["ok"]
    result = service.scaffold(root=tmp_path, **case["kwargs"])
    got = result.to_dict()
    assert isinstance(result.sdk_root, Path)
    assert all(isinstance(path, Path) for path in result.files)
    assert isinstance(result.capabilities, tuple)
    for key, value in want["result"].items():
        if key == "sdk_root":
            assert Path(got[key]).relative_to(tmp_path) == Path(value)
        else:
            assert got[key] == value, key
    files = [str(path.relative_to(tmp_path)) for path in result.files]
    # Every file, in the order the reference writes (and lists) them.
    assert files == by_role(want["files"], result.connector, list(result.capabilities))
    assert (result.certification_manifest is not None) == want["has_manifest"]
    for relative, text in want["contract"].items():
        assert (result.sdk_root / relative).read_text(encoding="utf-8") == text, relative


@pytest.mark.parametrize("case", GOLDEN["build"], ids=ids(GOLDEN["build"], "kwargs"))
def test_build_matches_the_reference_key_order_included(case: dict[str, Any]) -> None:
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    built = ConnectorCertificationTemplateService().build(**kwargs)
    assert json.dumps(built) == json.dumps(case["expected"])


@pytest.mark.parametrize(
    "case",
    GOLDEN["certify"],
    ids=[f"{c['profile']}-{c['requested']}-{json.dumps(c['manifest'])[:40]}" for c in GOLDEN["certify"]],
)
def test_certify_and_its_renderings_match_the_reference(case: dict[str, Any]) -> None:
    report = ConnectorCapabilityCertificationService().certify(
        manifest=case["manifest"],
        profile=case["profile"],
        requested_capabilities=tuple(case["requested"]),
    )
    renderer = TransportEvidenceRenderer()
    assert report.to_dict() == case["expected"]["dict"]
    assert report.passed is case["expected"]["passed"]
    assert renderer.render_json(report) == case["expected"]["json"]
    assert renderer.render_markdown(report) == case["expected"]["markdown"]


def test_the_published_pair_is_the_rendered_pair(tmp_path: Path) -> None:
    case = GOLDEN["certify"][0]
    report = ConnectorCapabilityCertificationService().certify(
        manifest=case["manifest"],
        profile=case["profile"],
        requested_capabilities=tuple(case["requested"]),
    )
    renderer = TransportEvidenceRenderer()
    json_path, markdown_path = renderer.write(report, tmp_path / "artifacts")
    assert json_path.name == "connector-capability-certification.json"
    assert markdown_path.name == "connector-capability-certification.md"
    assert json_path.read_text(encoding="utf-8") == case["expected"]["json"]
    # One markdown layout under the contract's name: the reference's, as `certify
    # --artifact-dir` publishes it too.
    assert markdown_path.read_text(encoding="utf-8") == case["expected"]["markdown"]


def build_native(recipe: dict[str, Any]) -> NativeTransferCapability:
    kwargs = {k: tuple(v) if k == "formats" else v for k, v in recipe["kwargs"].items()}
    built: NativeTransferCapability = getattr(NativeTransferCapability, recipe["ctor"])(**kwargs)
    return built


def test_native_capabilities_match_the_reference() -> None:
    natives = {recipe["id"]: build_native(recipe) for recipe in GOLDEN["native"]}
    for recipe in GOLDEN["native"]:
        assert natives[recipe["id"]].to_dict() == recipe["expected"], recipe["id"]
    for case in GOLDEN["matrix"]:
        matrix = TransportCapabilityMatrix.from_capabilities(
            source=natives[case["source"]],
            sink=natives[case["sink"]],
            codec_format=case["codec"],
        )
        assert matrix.to_dict() == case["expected"], case


def test_native_capability_choices_are_the_reference_order() -> None:
    reference = (
        "stream_export",
        "file_export",
        "object_export",
        "stream_staging_load",
        "file_staging_load",
        "object_staging_load",
    )
    # Capabilities added beside the reference's may appear anywhere; the reference's keep its order.
    choices = ConnectorSdkScaffoldService.native_capability_choices()
    assert tuple(name for name in choices if name in reference) == reference
