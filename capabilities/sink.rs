//! `sink`: the connector writes records into the system, staging first.

use crate::model::capability::{
    test_names, Capability, CapabilityKind, FileTemplate, Fragments, RequiredTest,
};
use crate::yaml::Node;

/// Loads records into the connector's system.
pub struct Sink;

crate::register_capability!(Sink);

const STRATEGIES: &[&str] = &["full_refresh", "incremental_append", "incremental_merge", "replace"];
const REQUIRED_TESTS: &[RequiredTest] = &[
    RequiredTest {
        test: "import_safety",
        proves: "Importing the sink module in a fresh interpreter succeeds and prints, warns and imports nothing else.",
    },
    RequiredTest {
        test: "manifest_validation",
        proves: "The package, dpone_connector_manifest.json and certification.yaml all declare the sink capability alike.",
    },
    RequiredTest {
        test: "staging_first_load",
        proves: "A load into the real system writes a staging area first and publishes only a complete one; a failed load aborts staging and leaves the target as it was.",
    },
    RequiredTest {
        test: "full_refresh_load",
        proves: "A full-refresh load into the real system leaves the target holding exactly the loaded rows.",
    },
    RequiredTest {
        test: "incremental_append_load",
        proves: "An incremental-append load into the real system adds the loaded rows and keeps every row the target already held.",
    },
    RequiredTest {
        test: "incremental_merge_load",
        proves: "An incremental-merge load into the real system updates rows whose merge keys match, inserts the others and leaves no duplicate keys.",
    },
    RequiredTest {
        test: "replace_load",
        proves: "A replace load into the real system swaps the target for the loaded rows in one step, so readers never see a partly replaced table.",
    },
    RequiredTest {
        test: "schema_evolution_contracts",
        proves: "Loading rows with a new column into the real system plans a safe change from the target's introspected schema, and refuses an unsafe one.",
    },
    RequiredTest {
        test: "quality_contracts",
        proves: "Quality contracts on loaded rows (not-null columns, unique keys, accepted values) pass on good data in the real system and fail the load on bad data.",
    },
    RequiredTest {
        test: "run_artifact_evidence",
        proves: "A load run against the real system leaves run artifacts (rows staged and published, strategy, target schema) that match what it wrote.",
    },
];

impl Capability for Sink {
    fn name(&self) -> &'static str {
        "sink"
    }

    fn kind(&self) -> CapabilityKind {
        CapabilityKind::Runtime
    }

    fn rank(&self) -> u32 {
        1
    }

    fn summary(&self) -> &'static str {
        "loads records through staging (full refresh, append, merge, replace)"
    }

    fn certification_section(&self) -> Node {
        Node::map()
            .with("strategies", Node::str_seq(STRATEGIES))
            .with("required_tests", Node::str_seq(&test_names(REQUIRED_TESTS)))
            .with("schema_evolution", Node::str("target_introspection_and_safe_plan"))
            .with("staging_first", Node::Bool(true))
    }

    fn required_tests(&self) -> &'static [RequiredTest] {
        REQUIRED_TESTS
    }

    fn proven_by_scaffold(&self) -> &'static [&'static str] {
        &["import_safety", "manifest_validation"]
    }

    fn files(&self) -> &'static [FileTemplate] {
        &[
            FileTemplate { path: "src/{{import_package}}/sink.py", body: MODULE },
            FileTemplate { path: "examples/{{peer}}_to_{{connector}}.yaml", body: EXAMPLE },
        ]
    }

    fn fragments(&self) -> Fragments {
        Fragments { readme: README, docs: DOCS, tests: TESTS, test_imports: TEST_IMPORTS }
    }
}

const MODULE: &str = r#""""Load records into `{{connector}}`, staging first.

A load never writes the target directly: rows go to a staging area, and only a complete,
successful staging load is published with the chosen strategy. A failure aborts the staging
area and leaves the target as it was. The system-specific part is a client with four
methods; implement it for the real {{connector}} and pass it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

Record = dict[str, Any]
STRATEGIES = ("full_refresh", "incremental_append", "incremental_merge", "replace")


class {{Class}}Writer(Protocol):
    """What the sink needs from the system. Implement it; tests use an in-memory fake."""

    def create_staging(self, table: str) -> str:
        """Create an empty staging area for `table` and return its name."""
        ...

    def write_staging(self, staging: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Append rows to the staging area."""
        ...

    def publish(self, staging: str, table: str, strategy: str, merge_keys: Sequence[str]) -> None:
        """Apply the staging area to `table` with `strategy`, atomically, then drop it."""
        ...

    def abort(self, staging: str) -> None:
        """Drop the staging area without touching `table`."""
        ...


class {{Class}}Sink:
    """Load records into `{{connector}}`."""

    strategies = STRATEGIES
    staging_first = True

    def __init__(self, writer: {{Class}}Writer, *, batch_size: int = 10_000) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._writer = writer
        self.batch_size = batch_size

    def load(
        self,
        table: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        strategy: str = "incremental_append",
        merge_keys: Sequence[str] = (),
    ) -> int:
        """Load `rows` into `table`; returns how many rows were published."""
        if strategy not in STRATEGIES:
            raise ValueError(f"unsupported strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
        if strategy == "incremental_merge" and not merge_keys:
            raise ValueError("incremental_merge needs merge_keys")
        staging = self._writer.create_staging(table)
        count = 0
        try:
            batch: list[Mapping[str, Any]] = []
            for row in rows:
                if strategy == "incremental_merge" and any(row.get(key) is None for key in merge_keys):
                    raise ValueError(f"row has no value for merge keys {list(merge_keys)}: {row!r}")
                batch.append(row)
                if len(batch) >= self.batch_size:
                    self._writer.write_staging(staging, batch)
                    count += len(batch)
                    batch = []
            if batch:
                self._writer.write_staging(staging, batch)
                count += len(batch)
            self._writer.publish(staging, table, strategy, tuple(merge_keys))
        except BaseException:
            self._writer.abort(staging)
            raise
        return count
"#;

const EXAMPLE: &str = r#"# Copy a {{peer}} table into {{connector}}, staging first and appending on each run.
# Check it with: dpone manifest validate examples/{{peer}}_to_{{connector}}.yaml
name: {{peer}}_to_{{connector}}

source:
  type: {{peer}}
  connection_id: {{peer}}_source
  connection_type: env
  table:
    schema: public
    name: orders

sink:
  type: {{connector_yaml}}
  connection_id: {{connector}}_target
  connection_type: env
  table:
    schema: public
    name: orders
  strategy:
    mode: incremental_append
"#;

const README: &str = r#"
### sink: `src/{{import_package}}/sink.py`

1. Write a class with `create_staging`, `write_staging`, `publish` and `abort` for
   {{connector}}, and pass it to `{{Class}}Sink`. `publish` must be atomic.
2. Replace the `sink.*` placeholders in the contract tests with tests against a real
   {{connector}}: each load strategy, staging-first behaviour and schema evolution.
3. Try `examples/{{peer}}_to_{{connector}}.yaml` with `dpone plan`.
"#;

const DOCS: &str = r#"
## Writing to {{connector}}

Use `type: {{connector}}` in a pipeline's `sink:` section. Rows are always written to a
staging area first and published only when the whole load succeeded.

| strategy | effect on the target |
| --- | --- |
| `full_refresh` | target emptied, then loaded |
| `incremental_append` | rows appended |
| `incremental_merge` | rows upserted by the merge keys |
| `replace` | target swapped for the new data |

See `examples/{{peer}}_to_{{connector}}.yaml`.
"#;

const TEST_IMPORTS: &str = "from collections.abc import Mapping, Sequence\nfrom {{import_package}}.sink import {{Class}}Sink\n";

const TESTS: &str = r#"

# --- sink ---------------------------------------------------------------------------------


class InMemorySinkWriter:
    """A stand-in for the real {{connector}} writer: tables are lists of rows."""

    def __init__(self, fail_on_write: bool = False) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {"orders": [{"id": 1, "v": "old"}]}
        self.staging: dict[str, list[dict[str, Any]]] = {}
        self.fail_on_write = fail_on_write

    def create_staging(self, table: str) -> str:
        name = f"{table}__staging_{len(self.staging)}"
        self.staging[name] = []
        return name

    def write_staging(self, staging: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if self.fail_on_write:
            raise ConnectionError("lost the connection")
        self.staging[staging].extend(dict(row) for row in rows)

    def publish(self, staging: str, table: str, strategy: str, merge_keys: Sequence[str]) -> None:
        rows = self.staging.pop(staging)
        current = self.tables.get(table, [])
        if strategy in ("full_refresh", "replace"):
            current = rows
        elif strategy == "incremental_append":
            current = current + rows
        else:
            merged = {tuple(row[k] for k in merge_keys): row for row in current}
            merged.update((tuple(row[k] for k in merge_keys), row) for row in rows)
            current = list(merged.values())
        self.tables[table] = current

    def abort(self, staging: str) -> None:
        self.staging.pop(staging, None)


@certification("sink.import_safety")
def test_sink_module_imports_without_side_effects() -> None:
    assert_imports_cleanly("{{import_package}}.sink")


@certification("sink.manifest_validation")
def test_sink_is_declared_in_both_manifests() -> None:
    assert_declared("sink")


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("incremental_append", [{"id": 1, "v": "old"}, {"id": 1, "v": "new"}, {"id": 2, "v": "new"}]),
        ("incremental_merge", [{"id": 1, "v": "new"}, {"id": 2, "v": "new"}]),
        ("full_refresh", [{"id": 1, "v": "new"}, {"id": 2, "v": "new"}]),
        ("replace", [{"id": 1, "v": "new"}, {"id": 2, "v": "new"}]),
    ],
)
def test_sink_strategies_publish_through_staging(strategy: str, expected: list[dict[str, Any]]) -> None:
    writer = InMemorySinkWriter()
    sink = {{Class}}Sink(writer, batch_size=1)
    rows = [{"id": 1, "v": "new"}, {"id": 2, "v": "new"}]
    loaded = sink.load("orders", rows, strategy=strategy, merge_keys=("id",))
    assert loaded == 2
    assert writer.tables["orders"] == expected
    assert writer.staging == {}, "the staging area is gone after publishing"


def test_sink_failure_leaves_the_target_untouched() -> None:
    writer = InMemorySinkWriter(fail_on_write=True)
    with pytest.raises(ConnectionError):
        {{Class}}Sink(writer).load("orders", [{"id": 2, "v": "new"}])
    assert writer.tables["orders"] == [{"id": 1, "v": "old"}]
    assert writer.staging == {}, "a failed load aborts its staging area"


def test_sink_rejects_unknown_strategies_and_merges_without_keys() -> None:
    with pytest.raises(ValueError, match="unsupported strategy"):
        {{Class}}Sink(InMemorySinkWriter()).load("orders", [], strategy="upsert_everything")
    with pytest.raises(ValueError, match="merge_keys"):
        {{Class}}Sink(InMemorySinkWriter()).load("orders", [], strategy="incremental_merge")


@pytest.mark.parametrize(
    "required_test",
    pending{{pending_tests}},
)
def test_sink_certification_pending(required_test: str) -> None:
    placeholder_ran(required_test)
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::template::Vars;
    use serde_json::Value;

    #[test]
    fn declares_every_load_strategy_and_staging_first() {
        let yaml = Sink.certification_section().to_yaml();
        assert!(yaml.ends_with("staging_first: true\n"), "{yaml}");
        for strategy in ["incremental_merge", "replace"] {
            assert!(yaml.contains(&format!("- {strategy}\n")), "{yaml}");
        }
        assert!(!Sink.requested_by_default());
    }

    #[test]
    fn its_example_writes_from_postgres_into_the_connector() {
        let mut vars = Vars::new();
        vars.set("connector", "demo")
            .set("connector_yaml", "demo")
            .set("peer", "postgres");
        let example: Value = crate::yaml::to_json::load_json(&vars.render(EXAMPLE)).unwrap();
        assert_eq!(example["source"]["type"].as_str(), Some("postgres"));
        assert_eq!(example["sink"]["type"].as_str(), Some("demo"));
    }
}
