"""Scaffolding from Python: what is written, what is refused, and what is never lost."""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import pytest

from dpone_connectors import (
    ConflictError,
    ConnectorSdkScaffoldService,
    DponeConnectorsError,
    RequestError,
    WriteError,
)

SERVICE = ConnectorSdkScaffoldService()


def test_a_fresh_package_is_created_whole(tmp_path: Path) -> None:
    result = SERVICE.scaffold(name="Demo API", root=tmp_path, capabilities=("sink",))
    assert result.sdk_root == tmp_path / "dpone-connector-demo-api"
    assert set(result.created) == set(result.files)
    assert all(path.is_file() for path in result.files)
    assert result.certification_manifest == result.sdk_root / "certification/certification.yaml"
    on_disk = {p for p in result.sdk_root.rglob("*") if p.is_file()}
    assert on_disk == set(result.files)


def test_a_package_prefix_names_the_distribution_and_the_import(tmp_path: Path) -> None:
    result = SERVICE.scaffold(name="demo", root=tmp_path, package_prefix="Acme Corp")
    assert (result.package_name, result.import_package) == ("acme-corp-demo", "acme_corp_demo")
    assert (result.sdk_root / "src/acme_corp_demo/__init__.py").is_file()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "!!!"}, 'connector name "!!!" must contain at least one alphanumeric character'),
        ({"name": "ok", "package_prefix": "__"}, 'package prefix "__" must contain'),
        ({"name": "ok", "connector_type": "graph"}, 'unsupported connector type "graph"'),
        ({"name": "ok", "capabilities": ("teleport",)}, "teleport"),
        ({"name": "ok", "native_capabilities": ("stream_import",)}, "stream_import"),
    ],
)
def test_bad_input_is_a_value_error_and_writes_nothing(
    kwargs: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(RequestError, match=message) as raised:
        SERVICE.scaffold(root=tmp_path, **kwargs)  # type: ignore[arg-type]
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, DponeConnectorsError)
    assert list(tmp_path.iterdir()) == []


def test_an_edited_file_is_never_overwritten(tmp_path: Path) -> None:
    first = SERVICE.scaffold(name="demo", root=tmp_path)
    edited = first.sdk_root / "README.md"
    edited.write_text("my own words\n", encoding="utf-8")
    with pytest.raises(ConflictError) as raised:
        SERVICE.scaffold(name="demo", root=tmp_path)
    conflict = raised.value
    assert isinstance(conflict, FileExistsError)
    assert conflict.errno == errno.EEXIST
    assert conflict.paths == (edited,)
    assert conflict.result.conflicts == (edited,)
    assert "force=True" in str(conflict)
    assert edited.read_text(encoding="utf-8") == "my own words\n"
    again = pickle.loads(pickle.dumps(conflict))
    assert again.paths == conflict.paths

    # A different package would change the generated files too: refused, nothing written.
    with pytest.raises(ConflictError) as bigger:
        SERVICE.scaffold(name="demo", root=tmp_path, capabilities=("source", "sink"))
    assert edited in bigger.value.paths
    assert not (first.sdk_root / "src/dpone_connector_demo/sink.py").exists(), "a refused write changed files"

    forced = SERVICE.scaffold(name="demo", root=tmp_path, force=True)
    assert forced.overwritten == (edited,)
    assert edited.read_text(encoding="utf-8") != "my own words\n"


def test_scaffolding_again_changes_nothing(tmp_path: Path) -> None:
    first = SERVICE.scaffold(name="demo", root=tmp_path)
    again = SERVICE.scaffold(name="demo", root=tmp_path)
    assert again.created == ()
    assert set(again.unchanged) == set(first.files)


def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    result = SERVICE.scaffold(name="demo", root=tmp_path, dry_run=True)
    assert result.dry_run
    assert set(result.created) == set(result.files)
    assert list(tmp_path.iterdir()) == []


def test_a_durable_scaffold_writes_the_same_package(tmp_path: Path) -> None:
    quick = SERVICE.scaffold(name="demo", root=tmp_path / "quick")
    durable = SERVICE.scaffold(name="demo", root=tmp_path / "durable", durable=True)
    for a, b in zip(quick.files, durable.files, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_a_root_that_is_a_file_is_a_write_error(tmp_path: Path) -> None:
    root = tmp_path / "not-a-dir"
    root.write_text("", encoding="utf-8")
    with pytest.raises(WriteError) as raised:
        SERVICE.scaffold(name="demo", root=root)
    assert isinstance(raised.value, OSError)


def test_to_dict_is_the_command_line_json_object(tmp_path: Path) -> None:
    result = SERVICE.scaffold(name="demo", root=tmp_path, capabilities=())
    data = result.to_dict()
    assert list(data)[:9] == [
        "connector",
        "connector_type",
        "capabilities",
        "native_capabilities",
        "package_name",
        "import_package",
        "sdk_root",
        "files",
        "certification_manifest",
    ]
    assert data["capabilities"] == ["source"]
    assert type(result).from_dict(data) == result


def test_custom_certification_templates_are_refused() -> None:
    class Custom:
        def build(self, **_: object) -> dict[str, object]:
            return {}

    with pytest.raises(TypeError, match="contract file"):
        ConnectorSdkScaffoldService(certification_templates=Custom())


def test_the_person_s_details_shape_pyproject_not_the_contract(tmp_path: Path) -> None:
    plain = SERVICE.scaffold(name="demo", root=tmp_path / "plain")
    mine = SERVICE.scaffold(
        name="demo",
        root=tmp_path / "mine",
        author="Ada Lovelace",
        email="ada@example.org",
        license="MIT",
        description="Reads orders.",
        python="3.12",
    )
    pyproject = (mine.sdk_root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'authors = [{ name = "Ada Lovelace", email = "ada@example.org" }]' in pyproject
    assert 'requires-python = ">=3.12"' in pyproject
    assert (mine.sdk_root / "LICENSE").is_file()
    assert not (plain.sdk_root / "LICENSE").exists(), "the default license is metadata only"
    for contract in ("dpone_connector_manifest.json", "certification/certification.yaml"):
        assert (mine.sdk_root / contract).read_bytes() == (plain.sdk_root / contract).read_bytes()


def test_an_unsupported_license_is_a_request_error(tmp_path: Path) -> None:
    with pytest.raises(RequestError, match="WTFPL"):
        SERVICE.scaffold(name="demo", root=tmp_path, license="WTFPL")
    assert list(tmp_path.iterdir()) == []
