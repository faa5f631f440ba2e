

# --- {{capability}} -------------------------------------------------------------------------


@certification("{{capability}}.import_safety")
def test_{{capability}}_module_imports_without_side_effects() -> None:
    assert_imports_cleanly("{{import_package}}.{{capability}}")


def test_{{capability}}_counts_records_across_batches() -> None:
    counter = {{Class}}RecordCounter()
    moved = [*counter.count([{"id": 1}, {"id": 2}]), *counter.count([]), *counter.count([{"id": 3}])]
    assert [record["id"] for record in moved] == [1, 2, 3]
    assert counter.summary() == {"records": 3, "batches": 3}


@pytest.mark.parametrize(
    "required_test",
    pending{{pending_tests}},
)
def test_{{capability}}_certification_pending(required_test: str) -> None:
    pytest.skip(f"{required_test}: not written yet; prove it against a real {{connector}}")
