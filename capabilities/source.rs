//! `source`: the connector reads records out of the system.

use crate::model::capability::{
    test_names, Capability, CapabilityKind, FileTemplate, Fragments, RequiredTest,
};
use crate::yaml::Node;

/// Reads records from the connector's system.
pub struct Source;

crate::register_capability!(Source);

const STRATEGIES: &[&str] = &["full_refresh", "incremental_append"];
const REQUIRED_TESTS: &[RequiredTest] = &[
    RequiredTest {
        test: "import_safety",
        proves: "Importing the source module in a fresh interpreter succeeds and prints, warns and imports nothing else.",
    },
    RequiredTest {
        test: "manifest_validation",
        proves: "The package, dpone_connector_manifest.json and certification.yaml all declare the source capability alike.",
    },
    RequiredTest {
        test: "schema_inference",
        proves: "The schema inferred from records read from the real system names every column with the type it is loaded as.",
    },
    RequiredTest {
        test: "full_refresh_extract",
        proves: "A full-refresh extract from the real system yields every record it holds, each exactly once.",
    },
    RequiredTest {
        test: "incremental_append_extract",
        proves: "An incremental extract from the real system yields only records past the saved cursor, and the next state holds the highest cursor read.",
    },
    RequiredTest {
        test: "quality_contracts",
        proves: "Quality contracts on extracted records (not-null columns, unique keys, accepted values) pass on good data from the real system and fail the run on bad data.",
    },
    RequiredTest {
        test: "run_artifact_evidence",
        proves: "An extract run against the real system leaves run artifacts (row count, extract schema, cursor state) that match what it read.",
    },
];

impl Capability for Source {
    fn name(&self) -> &'static str {
        "source"
    }

    fn kind(&self) -> CapabilityKind {
        CapabilityKind::Runtime
    }

    fn rank(&self) -> u32 {
        0
    }

    fn summary(&self) -> &'static str {
        "extracts records (full refresh, incremental append)"
    }

    fn requested_by_default(&self) -> bool {
        true
    }

    fn certification_section(&self) -> Node {
        Node::map()
            .with("strategies", Node::str_seq(STRATEGIES))
            .with("required_tests", Node::str_seq(&test_names(REQUIRED_TESTS)))
            .with("schema_evolution", Node::str("emits_extract_schema"))
    }

    fn required_tests(&self) -> &'static [RequiredTest] {
        REQUIRED_TESTS
    }

    fn proven_by_scaffold(&self) -> &'static [&'static str] {
        &["import_safety", "manifest_validation"]
    }

    fn files(&self) -> &'static [FileTemplate] {
        &[
            FileTemplate { path: "src/{{import_package}}/source.py", body: MODULE },
            FileTemplate { path: "examples/{{connector}}_to_{{peer}}.yaml", body: EXAMPLE },
        ]
    }

    fn fragments(&self) -> Fragments {
        Fragments { readme: README, docs: DOCS, tests: TESTS, test_imports: TEST_IMPORTS }
    }
}

const MODULE: &str = r#""""Extract records from `{{connector}}`.

`{{Class}}Source` holds the extraction rules dpone relies on (strategies, cursors, schema
inference). The system-specific part is a client with one method, `fetch`: implement it for
the real {{connector}} API or database and pass it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

Record = dict[str, Any]
STRATEGIES = ("full_refresh", "incremental_append")


class {{Class}}Client(Protocol):
    """What the source needs from the system. Implement it; tests use an in-memory fake."""

    def fetch(self, *, since: Any = None) -> Iterable[Mapping[str, Any]]:
        """Yield records; when `since` is given, at least every record whose cursor is past it."""
        ...


class {{Class}}Source:
    """Extract records from `{{connector}}`."""

    strategies = STRATEGIES

    def __init__(self, client: {{Class}}Client, *, cursor_field: str | None = None) -> None:
        self._client = client
        self.cursor_field = cursor_field

    def extract(self, strategy: str = "full_refresh", *, state: Mapping[str, Any] | None = None) -> Iterator[Record]:
        """Yield records for `strategy`.

        `full_refresh` yields every record. `incremental_append` yields only records whose
        `cursor_field` is past the value saved in `state` (all records on the first run).
        """
        if strategy not in STRATEGIES:
            raise ValueError(f"unsupported strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
        if strategy == "full_refresh":
            for record in self._client.fetch():
                yield dict(record)
            return
        if not self.cursor_field:
            raise ValueError("incremental_append needs a cursor_field")
        since = (state or {}).get(self.cursor_field)
        for record in self._client.fetch(since=since):
            value = record.get(self.cursor_field)
            if value is None:
                raise ValueError(f"record has no {self.cursor_field!r} cursor value: {record!r}")
            if since is None or value > since:
                yield dict(record)

    def next_state(
        self, records: Iterable[Mapping[str, Any]], state: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The state to save after `records` were loaded: the highest cursor seen."""
        new_state = dict(state or {})
        if not self.cursor_field:
            return new_state
        for record in records:
            value = record.get(self.cursor_field)
            current = new_state.get(self.cursor_field)
            if value is not None and (current is None or value > current):
                new_state[self.cursor_field] = value
        return new_state

    @staticmethod
    def infer_schema(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """Column name to type name, in first-seen order. Columns with mixed types are
        `string`; columns that are only ever null are `null`."""
        names = {bool: "boolean", int: "integer", float: "number", str: "string"}
        schema: dict[str, str] = {}
        for record in records:
            for column, value in record.items():
                seen = "null" if value is None else names.get(type(value), "string")
                known = schema.get(column)
                if known is None or known == "null":
                    schema[column] = seen
                elif seen not in ("null", known):
                    schema[column] = "number" if {known, seen} == {"integer", "number"} else "string"
        return schema
"#;

const EXAMPLE: &str = r#"# Copy {{connector}} records into {{peer}}, appending only new ones on each run.
# Check it with: dpone manifest validate examples/{{connector}}_to_{{peer}}.yaml
name: {{connector}}_to_{{peer}}

source:
  type: {{connector_yaml}}
  connection_id: {{connector}}_source
  connection_type: env
  options:
    batch_size: 10000

sink:
  type: {{peer}}
  connection_id: {{peer}}_target
  connection_type: env
  table:
    schema: public
    name: {{connector}}_records
  strategy:
    mode: incremental_append
  options:
    schema_evolution:
      enabled: true
"#;

const README: &str = r#"
### source: `src/{{import_package}}/source.py`

1. Write a class with `fetch(since=None)` that reads records from {{connector}}, and pass it
   to `{{Class}}Source`.
2. Replace the `source.*` placeholders in the contract tests with tests against a real
   {{connector}} (a container or a sandbox account): extraction, schema inference, quality
   contracts and run artifacts.
3. Try `examples/{{connector}}_to_{{peer}}.yaml` with `dpone plan`.
"#;

const DOCS: &str = r#"
## Reading from {{connector}}

Use `type: {{connector}}` in a pipeline's `source:` section. Strategies:

| strategy | what is read |
| --- | --- |
| `full_refresh` | every record, each run |
| `incremental_append` | only records whose cursor is past the last run's |

The extract schema (column names and types) is emitted with each run, so targets can evolve
safely. See `examples/{{connector}}_to_{{peer}}.yaml`.
"#;

const TEST_IMPORTS: &str = "from {{import_package}}.source import {{Class}}Source\n";

const TESTS: &str = r#"

# --- source -------------------------------------------------------------------------------

SOURCE_ROWS: list[dict[str, Any]] = [
    {"id": 1, "updated_at": "2026-01-01", "amount": 10},
    {"id": 2, "updated_at": "2026-01-02", "amount": 12.5},
    {"id": 3, "updated_at": "2026-01-03", "amount": None},
]


class InMemorySourceClient:
    """A stand-in for the real {{connector}} client."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.calls: list[object] = []

    def fetch(self, *, since: object = None) -> list[dict[str, Any]]:
        self.calls.append(since)
        return list(self.rows)


@certification("source.import_safety")
def test_source_module_imports_without_side_effects() -> None:
    assert_imports_cleanly("{{import_package}}.source")


@certification("source.manifest_validation")
def test_source_is_declared_in_both_manifests() -> None:
    assert_declared("source")


def test_source_full_refresh_yields_every_record() -> None:
    source = {{Class}}Source(InMemorySourceClient(SOURCE_ROWS))
    assert list(source.extract("full_refresh")) == SOURCE_ROWS


def test_source_incremental_append_resumes_after_the_saved_cursor() -> None:
    client = InMemorySourceClient(SOURCE_ROWS)
    source = {{Class}}Source(client, cursor_field="updated_at")
    first = list(source.extract("incremental_append"))
    state = source.next_state(first)
    assert state == {"updated_at": "2026-01-03"}
    assert list(source.extract("incremental_append", state={"updated_at": "2026-01-01"})) == SOURCE_ROWS[1:]
    assert client.calls == [None, "2026-01-01"]


def test_source_rejects_unknown_strategies_and_missing_cursors() -> None:
    with pytest.raises(ValueError, match="unsupported strategy"):
        list({{Class}}Source(InMemorySourceClient([])).extract("merge"))
    with pytest.raises(ValueError, match="cursor_field"):
        list({{Class}}Source(InMemorySourceClient([])).extract("incremental_append"))


def test_source_infers_the_extract_schema() -> None:
    expected = {"id": "integer", "updated_at": "string", "amount": "number"}
    assert {{Class}}Source.infer_schema(SOURCE_ROWS) == expected


@pytest.mark.parametrize(
    "required_test",
    pending{{pending_tests}},
)
def test_source_certification_pending(required_test: str) -> None:
    placeholder_ran(required_test)
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::template::Vars;
    use serde_json::Value;

    #[test]
    fn is_the_capability_a_package_gets_by_default() {
        assert!(Source.requested_by_default());
        assert_eq!(
            Source.proven_by_scaffold(),
            ["import_safety", "manifest_validation"]
        );
    }

    #[test]
    fn its_example_reads_from_the_connector_into_postgres() {
        let mut vars = Vars::new();
        vars.set("connector", "demo")
            .set("connector_yaml", "demo")
            .set("peer", "postgres");
        let example: Value = crate::yaml::to_json::load_json(&vars.render(EXAMPLE)).unwrap();
        assert_eq!(example["source"]["type"].as_str(), Some("demo"));
        assert_eq!(example["sink"]["type"].as_str(), Some("postgres"));
        assert_eq!(
            example["sink"]["strategy"]["mode"].as_str(),
            Some("incremental_append")
        );
    }
}
