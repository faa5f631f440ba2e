"""``scaffold_many``: many packages in one call, each entry failing alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from dpone_connectors import ConnectorSdkScaffoldService, SpecError


def test_entries_are_scaffolded_and_reported_in_order(tmp_path: Path) -> None:
    entries = [
        {"name": "alpha", "capabilities": ("source", "sink")},
        {"name": "!!!"},
        {"name": "beta", "connector_type": "database", "package_prefix": "acme"},
        {"name": "Alpha"},
        {"name": "gamma", "unknown_field": 1},
    ]
    outcomes = ConnectorSdkScaffoldService().scaffold_many(entries, root=tmp_path, jobs=2)
    assert [o.index for o in outcomes] == [0, 1, 2, 3, 4]
    assert [o.status for o in outcomes] == ["scaffolded", "invalid", "scaffolded", "invalid", "invalid"]
    assert [o.ok for o in outcomes] == [True, False, True, False, False]
    alpha = outcomes[0].result
    assert alpha is not None
    assert alpha.capabilities == ("source", "sink")
    assert all(path.is_file() for path in alpha.files)
    assert outcomes[2].result is not None
    assert outcomes[2].result.package_name == "acme-beta"
    assert outcomes[1].error is not None
    assert "alphanumeric" in outcomes[1].error
    assert outcomes[3].error is not None
    assert "entry 0" in outcomes[3].error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme-beta", "dpone-connector-alpha"]


def test_fail_fast_starts_nothing_after_the_first_bad_entry(tmp_path: Path) -> None:
    outcomes = ConnectorSdkScaffoldService().scaffold_many(
        [{"name": "!!!"}, {"name": "later"}], root=tmp_path, fail_fast=True
    )
    assert outcomes[0].status == "invalid"
    assert not (tmp_path / "dpone-connector-later").exists()


def test_entries_that_are_not_objects_refuse_the_whole_call(tmp_path: Path) -> None:
    with pytest.raises(SpecError):
        ConnectorSdkScaffoldService().scaffold_many([{"name": float("nan")}], root=tmp_path)
