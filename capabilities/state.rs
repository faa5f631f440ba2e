//! `state`: the connector stores pipeline state (cursors, checkpoints) in the system.

use crate::model::capability::{
    test_names, Capability, CapabilityKind, FileTemplate, Fragments, RequiredTest,
};
use crate::yaml::Node;

/// Keeps pipeline state in the connector's system.
pub struct State;

crate::register_capability!(State);

const STRATEGIES: &[&str] = &["read", "write", "commit", "rollback"];
const REQUIRED_TESTS: &[RequiredTest] = &[
    RequiredTest {
        test: "import_safety",
        proves: "Importing the state module in a fresh interpreter succeeds and prints, warns and imports nothing else.",
    },
    RequiredTest {
        test: "state_read_write_round_trip",
        proves: "State written to the real system and committed reads back equal, nested values included, after a new connection.",
    },
    RequiredTest {
        test: "state_commit_after_success",
        proves: "State written during a run becomes visible in the real system only when the run commits it after succeeding.",
    },
    RequiredTest {
        test: "state_no_advance_after_failure",
        proves: "After a run fails and rolls back, the real system still holds the last committed state, so the next run resumes from it.",
    },
];

impl Capability for State {
    fn name(&self) -> &'static str {
        "state"
    }

    fn kind(&self) -> CapabilityKind {
        CapabilityKind::Runtime
    }

    fn rank(&self) -> u32 {
        2
    }

    fn summary(&self) -> &'static str {
        "stores pipeline state with commit and rollback"
    }

    fn certification_section(&self) -> Node {
        Node::map()
            .with("strategies", Node::str_seq(STRATEGIES))
            .with("required_tests", Node::str_seq(&test_names(REQUIRED_TESTS)))
    }

    fn required_tests(&self) -> &'static [RequiredTest] {
        REQUIRED_TESTS
    }

    fn proven_by_scaffold(&self) -> &'static [&'static str] {
        &["import_safety"]
    }

    fn files(&self) -> &'static [FileTemplate] {
        &[FileTemplate { path: "src/{{import_package}}/state.py", body: MODULE }]
    }

    fn fragments(&self) -> Fragments {
        Fragments { readme: README, docs: DOCS, tests: TESTS, test_imports: TEST_IMPORTS }
    }
}

const MODULE: &str = r#""""Pipeline state for `{{connector}}`: read, write, commit, rollback.

A run reads the committed state, stages the new state while it works, and commits only
after it succeeded; a failed run rolls back and the next run starts from the same place.
The storage is a store with `get`, `put` and `delete`; implement it for {{connector}}.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol


class {{Class}}StateStore(Protocol):
    """Durable key-value storage in {{connector}}. Tests use a dict."""

    def get(self, key: str) -> Mapping[str, Any] | None: ...

    def put(self, key: str, value: Mapping[str, Any]) -> None: ...

    def delete(self, key: str) -> None: ...


class {{Class}}StateBackend:
    """State for one pipeline, committed only after success."""

    def __init__(self, store: {{Class}}StateStore) -> None:
        self._store = store
        self._pending: dict[str, dict[str, Any]] = {}

    def read_state(self, key: str) -> dict[str, Any] | None:
        """The committed state for `key` (pending writes are not visible)."""
        value = self._store.get(key)
        return copy.deepcopy(dict(value)) if value is not None else None

    def write_state(self, key: str, value: Mapping[str, Any]) -> None:
        """Stage a new state for `key`; it takes effect on `commit`."""
        if not key:
            raise ValueError("state key must not be empty")
        self._pending[key] = copy.deepcopy(dict(value))

    def commit(self) -> None:
        """Make every staged state durable."""
        for key, value in self._pending.items():
            self._store.put(key, value)
        self._pending.clear()

    def rollback(self) -> None:
        """Forget every staged state."""
        self._pending.clear()
"#;

const README: &str = r#"
### state: `src/{{import_package}}/state.py`

1. Write a store with `get`, `put` and `delete` on {{connector}} and pass it to
   `{{Class}}StateBackend`.
2. Replace the `state.*` placeholders in the contract tests with tests against a real
   {{connector}}: a round trip, commit after success, no advance after a failure.
"#;

const DOCS: &str = r#"
## Pipeline state in {{connector}}

The connector can keep pipeline state (cursors and checkpoints) in {{connector}}. State is
committed only after a run succeeded, so a failed run never moves a cursor forward.
"#;

const TEST_IMPORTS: &str = "from collections.abc import Mapping\nfrom {{import_package}}.state import {{Class}}StateBackend\n";

const TESTS: &str = r#"

# --- state --------------------------------------------------------------------------------


class StateDictStore:
    """A stand-in for durable storage in {{connector}}."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.data.get(key)

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        self.data[key] = dict(value)

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


@certification("state.import_safety")
def test_state_module_imports_without_side_effects() -> None:
    assert_imports_cleanly("{{import_package}}.state")


def test_state_is_visible_only_after_commit() -> None:
    backend = {{Class}}StateBackend(StateDictStore())
    assert backend.read_state("orders") is None
    backend.write_state("orders", {"cursor": "2026-01-02"})
    assert backend.read_state("orders") is None
    backend.commit()
    assert backend.read_state("orders") == {"cursor": "2026-01-02"}


def test_state_rollback_keeps_the_committed_value() -> None:
    backend = {{Class}}StateBackend(StateDictStore())
    backend.write_state("orders", {"cursor": 1})
    backend.commit()
    backend.write_state("orders", {"cursor": 2})
    backend.rollback()
    backend.commit()
    assert backend.read_state("orders") == {"cursor": 1}


def test_state_read_returns_a_copy() -> None:
    backend = {{Class}}StateBackend(StateDictStore())
    backend.write_state("orders", {"nested": {"cursor": 1}})
    backend.commit()
    state = backend.read_state("orders")
    assert state is not None
    state["nested"]["cursor"] = 99
    assert backend.read_state("orders") == {"nested": {"cursor": 1}}


@pytest.mark.parametrize(
    "required_test",
    pending{{pending_tests}},
)
def test_state_certification_pending(required_test: str) -> None:
    placeholder_ran(required_test)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_module_without_an_example_pipeline() {
        let paths: Vec<&str> = State.files().iter().map(|f| f.path).collect();
        assert_eq!(paths, ["src/{{import_package}}/state.py"]);
    }

    #[test]
    fn declares_the_transaction_it_must_prove() {
        assert_eq!(
            State.certification_section().to_yaml(),
            "strategies:\n- read\n- write\n- commit\n- rollback\nrequired_tests:\n- import_safety\n\
             - state_read_write_round_trip\n- state_commit_after_success\n\
             - state_no_advance_after_failure\n"
        );
        assert_eq!(State.proven_by_scaffold(), ["import_safety"]);
    }
}
