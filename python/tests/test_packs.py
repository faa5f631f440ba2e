"""Capability packs from Python: ``capability_path=`` on every function that takes
capabilities, and ``capabilities()``; nothing read from the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dpone_connectors import (
    ConnectorCertificationTemplateService,
    ConnectorSdkScaffoldService,
    PackageError,
    PackError,
    RequestError,
    add_capability,
    capabilities,
    certify_package,
    check_package,
    list_packages,
)

PACKS = Path(__file__).resolve().parents[2] / "examples" / "packs"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DPONE_CONNECTORS_CACHE_DIR", str(cache))
    monkeypatch.delenv("DPONE_CONNECTORS_CAPABILITY_PATH", raising=False)
    return cache


def test_packs_are_listed_beside_the_builtins_with_their_origin() -> None:
    assert PACKS.is_dir(), PACKS
    listing = capabilities(capability_path=[PACKS])
    names = [c.name for c in listing if c.kind == "runtime"]
    builtins = [c.name for c in capabilities() if c.kind == "runtime"]
    # The pack ranks after every built-in (rank 90), in the one registry order.
    assert names == [*builtins, "example_pack"]
    example = next(c for c in listing if c.name == "example_pack")
    assert example.origin == "pack"
    assert example.pack_path == str(PACKS / "example_pack")
    assert example.pack_version == "1.0.0"
    assert example.pack_digest is not None
    assert example.pack_digest.startswith("sha256:")
    assert next(c for c in listing if c.name == "source").origin == "built-in"
    assert "example_pack" not in [c.name for c in capabilities()]


def test_the_environment_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPONE_CONNECTORS_CAPABILITY_PATH", str(PACKS))
    assert "example_pack" not in [c.name for c in capabilities()]


def test_a_package_made_with_a_pack_is_found_again_only_with_it(tmp_path: Path, private_cache: Path) -> None:
    result = ConnectorSdkScaffoldService().scaffold(
        name="demo", root=tmp_path / "out", capabilities=("source", "example_pack"), capability_path=PACKS
    )
    package = Path(result.sdk_root)
    assert (package / "src" / "dpone_connector_demo" / "example_pack.py").is_file()
    digest = next(c for c in capabilities(capability_path=[PACKS]) if c.name == "example_pack").pack_digest
    assert digest is not None
    recorded = f'name = "example_pack"\nversion = "1.0.0"\ndigest = "{digest}"'
    assert recorded in (package / "pyproject.toml").read_text()
    assert (private_cache / "packs" / digest.removeprefix("sha256:") / "capability.toml").is_file()

    assert check_package(package, capability_path=[PACKS]).passed
    with pytest.raises(PackageError, match=r"capability pack `example_pack` 1\.0\.0"):
        check_package(package)
    listed = list_packages(tmp_path / "out")
    assert [p.status for p in listed.packages] == ["invalid"]
    with_pack = list_packages(tmp_path / "out", capability_path=[PACKS])
    assert [p.status for p in with_pack.packages] == ["unverified"]
    assert certify_package(package, capability_path=[PACKS]).status == "unverified"
    # Without the pack, the capability the package declares is unknown: a failed conformance
    # check, not a crash.
    assert certify_package(package).status == "failed"


def test_add_capability_and_the_certification_document_take_packs(tmp_path: Path) -> None:
    package = Path(ConnectorSdkScaffoldService().scaffold(name="demo", root=tmp_path).sdk_root)
    with pytest.raises(RequestError):
        add_capability(package, capabilities=["example_pack"])
    result = add_capability(package, capabilities=["example_pack"], capability_path=[PACKS])
    assert "example_pack" in result.added_capabilities
    document = ConnectorCertificationTemplateService().build(
        connector="demo", connector_type="api", capabilities=("example_pack",), capability_path=[PACKS]
    )
    assert document["capabilities"]["example_pack"]["counters"] == ["records", "batches"]


def test_a_hostile_pack_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(PACKS / "example_pack", packs / "hostile")
    manifest = packs / "hostile" / "capability.toml"
    manifest.write_text(manifest.read_text().replace('name = "example_pack"', 'name = "hostile"'))
    template = packs / "hostile" / "templates" / "example_pack.py"
    template.unlink()
    template.symlink_to("/etc/hostname")
    with pytest.raises(PackError, match="is a symlink"):
        ConnectorSdkScaffoldService().scaffold(
            name="demo", root=tmp_path / "out", capabilities=("hostile",), capability_path=[packs]
        )
    assert not (tmp_path / "out").exists()
    with pytest.raises(PackError):
        capabilities(capability_path=[packs])


def test_scaffold_many_workers_see_the_packs(tmp_path: Path) -> None:
    entries = [{"name": f"demo{n}", "capabilities": ["example_pack"]} for n in range(4)]
    service = ConnectorSdkScaffoldService()
    outcomes = service.scaffold_many(entries, root=tmp_path, jobs=2, capability_path=[PACKS])
    assert [o.status for o in outcomes] == ["scaffolded"] * 4
    for n in range(4):
        assert (
            tmp_path / f"dpone-connector-demo{n}" / "src" / f"dpone_connector_demo{n}" / "example_pack.py"
        ).is_file()
    without = service.scaffold_many(entries[:1], root=tmp_path / "again", jobs=2)
    assert [o.status for o in without] == ["invalid"]
