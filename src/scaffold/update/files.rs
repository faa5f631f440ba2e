//! The decision for one file of an update, from its three versions: base (what the
//! generator that made the package wrote), theirs (what this version writes) and ours (the
//! file on disk).
//!
//! | ours | base, theirs | action |
//! | --- | --- | --- |
//! | equal to theirs | any | `unchanged` |
//! | missing | base exists (not a contract file) | `deleted-by-you`: stays deleted |
//! | missing | no base, or a contract file | `created` |
//! | equal to base | any | `updated` to theirs |
//! | edited, contract file | any | `conflict`: every difference from theirs marked |
//! | edited | base equal to theirs | `kept` |
//! | edited | no base | `conflict`: every difference marked |
//! | edited | both differ | `merged` line by line (`pyproject.toml` by key first), or `conflict` |
//!
//! A file only the base has (the template no longer writes it) is `kept` when it is still
//! there: deleting a file is the person's call.

use crate::merge::{mark_differences, merge, merge_pyproject, Merged};
use crate::model::update::{FileAction, FileUpdate};

/// `pyproject.toml`, merged by key before the line merge.
const PYPROJECT: &str = "pyproject.toml";

/// One file's three versions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Versions<'a> {
    pub path: &'a str,
    pub base: Option<&'a str>,
    pub ours: Option<&'a [u8]>,
    pub theirs: Option<&'a str>,
    /// A contract file: it must match the answers, so a person's edit is a conflict.
    pub contract: bool,
}

/// The decision: what happened, and the new content when the file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub action: FileAction,
    pub conflicts: usize,
    pub write: Option<String>,
}

impl Decision {
    fn keep(action: FileAction) -> Decision {
        Decision {
            action,
            conflicts: 0,
            write: None,
        }
    }

    fn write(action: FileAction, text: &str) -> Decision {
        Decision {
            action,
            conflicts: 0,
            write: Some(text.to_owned()),
        }
    }

    fn merged(merged: Merged) -> Decision {
        let action = if merged.is_clean() {
            FileAction::Merged
        } else {
            FileAction::Conflict
        };
        Decision {
            action,
            conflicts: merged.conflicts,
            write: Some(merged.text),
        }
    }

    /// The report line of this decision for `path`.
    pub fn report(&self, path: &str) -> FileUpdate {
        FileUpdate {
            path: path.to_owned(),
            action: self.action,
            conflicts: self.conflicts,
            diff: None,
        }
    }
}

/// Decides what happens to one file; `label` names this version in conflict markers.
pub(crate) fn decide(v: Versions<'_>, label: &str) -> Decision {
    let Some(theirs) = v.theirs else {
        // The template no longer writes it: whatever is there stays.
        return Decision::keep(if v.ours.is_some() {
            FileAction::Kept
        } else {
            FileAction::Unchanged
        });
    };
    let Some(ours) = v.ours else {
        return match v.base {
            Some(_) if !v.contract => Decision::keep(FileAction::DeletedByYou),
            _ => Decision::write(FileAction::Created, theirs),
        };
    };
    if ours == theirs.as_bytes() {
        return Decision::keep(FileAction::Unchanged);
    }
    if v.base.is_some_and(|base| ours == base.as_bytes()) {
        return Decision::write(FileAction::Updated, theirs);
    }
    if v.base == Some(theirs) && !v.contract {
        return Decision::keep(FileAction::Kept);
    }
    let Ok(ours) = std::str::from_utf8(ours) else {
        // Not text: nothing to merge or mark; left for the person, reported.
        return Decision {
            action: FileAction::Conflict,
            conflicts: 1,
            write: None,
        };
    };
    let merged = match v.base {
        _ if v.contract => mark_differences(ours, theirs, label),
        None => mark_differences(ours, theirs, label),
        Some(base) if v.path == PYPROJECT => merge_pyproject(base, ours, theirs, label),
        Some(base) => merge(base, ours, theirs, label),
    };
    if merged.text == ours {
        return Decision::keep(FileAction::Kept);
    }
    Decision::merged(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn versions<'a>(
        base: Option<&'a str>,
        ours: Option<&'a str>,
        theirs: Option<&'a str>,
        contract: bool,
    ) -> Versions<'a> {
        Versions {
            path: "README.md",
            base,
            ours: ours.map(str::as_bytes),
            theirs,
            contract,
        }
    }

    #[rstest]
    #[case(Some("a\n"), Some("b\n"), Some("b\n"), false, FileAction::Unchanged)]
    #[case(Some("a\n"), None, Some("b\n"), false, FileAction::DeletedByYou)]
    #[case(None, None, Some("b\n"), false, FileAction::Created)]
    #[case(Some("a\n"), None, Some("b\n"), true, FileAction::Created)]
    #[case(Some("a\n"), Some("a\n"), Some("b\n"), false, FileAction::Updated)]
    #[case(Some("a\n"), Some("a\n"), Some("b\n"), true, FileAction::Updated)]
    #[case(Some("a\n"), Some("mine\n"), Some("a\n"), false, FileAction::Kept)]
    #[case(Some("a\n"), Some("mine\n"), Some("a\n"), true, FileAction::Conflict)]
    #[case(
        Some("a\nb\n"),
        Some("a\nb\nmine\n"),
        Some("A\nb\n"),
        false,
        FileAction::Merged
    )]
    #[case(Some("a\n"), Some("mine\n"), Some("b\n"), false, FileAction::Conflict)]
    #[case(
        Some("a\nb\n"),
        Some("a\nb\nmine\n"),
        Some("A\nb\n"),
        true,
        FileAction::Conflict
    )]
    #[case(None, Some("mine\n"), Some("b\n"), false, FileAction::Conflict)]
    #[case(Some("a\n"), Some("mine\n"), None, false, FileAction::Kept)]
    #[case(Some("a\n"), None, None, false, FileAction::Unchanged)]
    fn each_combination_has_one_action(
        #[case] base: Option<&str>,
        #[case] ours: Option<&str>,
        #[case] theirs: Option<&str>,
        #[case] contract: bool,
        #[case] expected: FileAction,
    ) {
        let decision = decide(versions(base, ours, theirs, contract), "v");
        assert_eq!(decision.action, expected);
        assert_eq!(decision.write.is_some(), expected.writes());
    }

    #[test]
    fn a_merge_keeps_the_persons_lines_after_the_templates() {
        let d = decide(
            versions(
                Some("a\nb\n"),
                Some("a\nb\nmine\n"),
                Some("a\nb\nnew\n"),
                false,
            ),
            "v",
        );
        assert_eq!(d.write.as_deref(), Some("a\nb\nmine\nnew\n"));
    }

    #[test]
    fn an_edited_contract_file_is_marked_not_dropped() {
        let d = decide(
            versions(Some("x\n"), Some("mine\n"), Some("y\n"), true),
            "v",
        );
        assert_eq!(d.action, FileAction::Conflict);
        assert!(d.write.unwrap().contains("mine\n=======\ny\n"));
    }
}
