"""The rest of the product from Python: registry, check, certify, add_capability, update."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import tomllib
from pathlib import Path

import pytest

import dpone_connectors
from dpone_connectors import (
    ConflictError,
    ConnectorSdkScaffoldService,
    PackageError,
    RequestError,
    UpdateResult,
    add_capability,
    capabilities,
    certify_package,
    check_package,
    list_packages,
    update_package,
)
from dpone_connectors.native_transfer_certification import NativeTransferCapability


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return ConnectorSdkScaffoldService().scaffold(name="demo", root=tmp_path).sdk_root


def test_the_registry_lists_every_capability(console_script: str) -> None:
    listing = capabilities()
    # The command line reads the same registry: the two list the same capabilities, in order.
    cli = subprocess.run(
        [console_script, "capabilities", "--format", "json"], capture_output=True, text=True, check=True
    )
    expected = [(c["name"], c["kind"]) for c in json.loads(cli.stdout)["capabilities"]]
    assert [(c.name, c.kind) for c in listing] == expected
    runtime = [c.name for c in listing if c.kind == "runtime"]
    native = [c for c in listing if c.kind == "native_transfer"]
    # The reference's capabilities come first, in its order; more may follow.
    assert runtime[:3] == ["source", "sink", "state"]
    assert native
    assert all(c.transport and c.role for c in native)
    assert ConnectorSdkScaffoldService.native_capability_choices() == tuple(c.name for c in native)
    for capability in native:
        # Every native capability has a ready-made declaration with its transport and role.
        preset = NativeTransferCapability.preset(capability.name)
        declared = (capability.name, capability.transport, capability.role)
        assert (preset.name, preset.transport, preset.role) == declared
    with pytest.raises(RequestError, match="teleport_export"):
        NativeTransferCapability.preset("teleport_export")
    source = listing[0]
    assert source.flag == "--capability source"
    assert "src/{import_package}/source.py" in source.files
    assert set(source.proven_by_scaffold) <= set(source.required_tests)
    assert tuple(source.proves) == source.required_tests
    assert all(len(sentence) >= 40 for sentence in source.proves.values())


def test_a_fresh_package_has_no_drift_and_an_edit_is_a_note(package: Path) -> None:
    assert check_package(package).passed
    (package / "README.md").write_text("edited\n", encoding="utf-8")
    report = check_package(package)
    assert report.passed
    assert report.notes == 1
    assert [(f.kind, f.path, f.cause) for f in report.findings] == [("edited", "README.md", "README.md")]
    assert report.to_dict()["findings"][0]["path"] == "README.md"


def test_check_refuses_a_directory_that_is_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="not a connector package"):
        check_package(tmp_path)


def test_a_fresh_package_is_unverified_until_its_evidence_is_recorded(package: Path, tmp_path: Path) -> None:
    certification = certify_package(package, artifact_dir=tmp_path / "artifacts")
    assert certification.status == "unverified"
    assert not certification.passed
    assert certification.evidence.status == "missing"
    assert certification.required_tests.missing > 0
    missing = certification.capabilities[0].required_tests[-1]
    assert (missing.status, missing.test) == ("missing", "run_artifact_evidence")
    assert missing.proves.startswith("An extract run against the real system")
    performance = certification.performance
    required = (performance.benchmark_required, performance.minimum_rows, performance.wide_columns)
    assert required == (True, 10000, 120)
    assert (performance.status, performance.run) == ("missing", None)
    assert any(reason.startswith("performance benchmark missing") for reason in certification.reasons)
    assert all(check.status == "passed" for check in certification.conformance)
    assert certification.reasons
    assert (tmp_path / "artifacts" / "package-certification.json").is_file()
    assert certification.to_dict()["schema_version"] == "dpone_connector_sdk.package_certification.v1"


def test_add_capability_updates_what_is_still_generated(package: Path) -> None:
    planned = add_capability(package, capabilities=("sink",), dry_run=True)
    assert planned.dry_run
    assert "src/dpone_connector_demo/sink.py" in planned.created
    assert not (package / "src/dpone_connector_demo/sink.py").exists()
    done = add_capability(package, capabilities=("sink",))
    assert done.added_capabilities == ("sink",)
    assert (package / "src/dpone_connector_demo/sink.py").is_file()
    assert check_package(package).passed


def test_add_capability_marks_conflicts_in_an_edited_file(package: Path) -> None:
    readme = package / "README.md"
    readme.write_text("mine\n", encoding="utf-8")
    with pytest.raises(ConflictError) as raised:
        add_capability(package, capabilities=("state",), dry_run=True)
    assert raised.value.paths == (readme,)
    assert raised.value.result.conflicts == ("README.md",)
    assert readme.read_text(encoding="utf-8") == "mine\n"
    kept = add_capability(package, capabilities=("state",), keep_edited=True)
    assert kept.skipped == ("README.md",)
    assert readme.read_text(encoding="utf-8") == "mine\n"


def test_add_capability_merges_an_edited_test_module(package: Path) -> None:
    tests = next((package / "tests").glob("test_*_contract.py"))
    mine = "\n\ndef test_ours() -> None:\n    assert True\n"
    tests.write_text(tests.read_text(encoding="utf-8") + mine, encoding="utf-8")
    result = add_capability(package, capabilities=("sink",))
    assert result.merged == (tests.relative_to(package).as_posix(),)
    merged = tests.read_text(encoding="utf-8")
    assert mine.strip() in merged
    assert "def test_sink_" in merged


def test_update_package_reports_every_file(package: Path) -> None:
    readme = package / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n## Ours\n", encoding="utf-8")
    result = update_package(package, dry_run=True)
    assert isinstance(result, UpdateResult)
    assert result.base_generator == "dpone-connectors"
    assert result.target_version == dpone_connectors.__version__
    assert result.passed
    assert not result.adopted
    assert result.dry_run
    assert {f.action for f in result.files} <= {"unchanged", "kept"}
    assert result.to_dict()["package_dir"] == os.fspath(package)


def test_update_package_refuses_what_is_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(PackageError):
        update_package(tmp_path)


def test_add_capability_refuses_an_unknown_capability(package: Path) -> None:
    with pytest.raises(RequestError):
        add_capability(package, capabilities=("teleport",))


def test_the_version_is_the_core_version() -> None:
    """The version the binding reports is the Rust core's, as its Cargo.toml declares it, and
    the installed distribution's (maturin takes it from there)."""
    manifest = Path(__file__).resolve().parents[2] / "Cargo.toml"
    declared = tomllib.loads(manifest.read_text(encoding="utf-8"))["package"]["version"]
    assert dpone_connectors.__version__ == declared
    assert importlib.metadata.version("dpone-connectors") == declared


def test_list_reports_every_package_of_a_tree(tmp_path: Path) -> None:
    service = ConnectorSdkScaffoldService()
    for name in ("alpha", "beta"):
        service.scaffold(name=name, root=tmp_path / "connectors")
    edited = tmp_path / "connectors" / "dpone-connector-beta" / "README.md"
    edited.write_text("edited\n", encoding="utf-8")
    broken = tmp_path / "connectors" / "broken"
    broken.mkdir()
    (broken / "dpone_connector_manifest.json").write_text("{", encoding="utf-8")
    service.scaffold(name="hidden", root=tmp_path / ".venv")  # environments are skipped

    listing = list_packages(tmp_path, jobs=2)
    assert [p.path for p in listing.packages] == [
        "connectors/broken",
        "connectors/dpone-connector-alpha",
        "connectors/dpone-connector-beta",
    ]
    broken_entry, alpha, beta = listing.packages
    assert broken_entry.status == "invalid"
    assert broken_entry.reason
    assert (alpha.status, alpha.drift, alpha.edited) == ("unverified", 0, 0)
    assert (beta.drift, beta.edited) == (0, 1), "an edited README is not contract drift"
    assert (broken_entry.drift, broken_entry.edited) == (None, None)
    assert listing.summary["unverified"] == 2
    assert listing.summary["invalid"] == 1
    assert [p.path for p in listing.problems] == ["connectors/broken"]

    manifest = tmp_path / "connectors" / "dpone-connector-alpha" / "certification" / "certification.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "extra: true\n", encoding="utf-8")
    alpha = list_packages(tmp_path / "connectors" / "dpone-connector-alpha").packages[0]
    assert (alpha.drift, alpha.edited) == (1, 0)
    assert listing.to_dict()["packages"][1]["connector"] == "alpha"


def test_list_refuses_a_root_that_is_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(PackageError):
        list_packages(tmp_path / "missing")
