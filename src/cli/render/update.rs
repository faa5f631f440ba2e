//! `update` for people: one line per package (what made it, what it became, what
//! happened), then its files other than the unchanged ones, and in a dry run their diffs.
//! JSON is the result itself, through serde.

use std::fmt::Write as _;

use crate::model::update::{FileAction, UpdateResult};
use crate::text::markdown::cell;

/// How the package's update went, in a few words.
fn verb(result: &UpdateResult) -> &'static str {
    match (result.dry_run, result.conflicts().is_empty()) {
        (_, true) if !result.changes_anything() => "up to date",
        (true, true) => "would update",
        (false, true) => "updated",
        (true, false) => "would update with conflicts",
        (false, false) => "updated with conflicts",
    }
}

fn from_to(result: &UpdateResult) -> String {
    format!(
        "{} {} -> dpone-connectors {}",
        result.base_generator, result.base_version, result.target_version
    )
}

/// The counts of the actions that happened, in a fixed order: `2 merged, 1 conflict`.
fn counts(result: &UpdateResult) -> String {
    let order = [
        FileAction::Conflict,
        FileAction::Merged,
        FileAction::Updated,
        FileAction::Created,
        FileAction::Kept,
        FileAction::DeletedByYou,
    ];
    let parts: Vec<String> = order
        .iter()
        .filter_map(|action| {
            let n = result.with(*action).len();
            (n > 0).then(|| format!("{n} {}", action.as_str()))
        })
        .collect();
    if parts.is_empty() {
        "nothing to change".to_owned()
    } else {
        parts.join(", ")
    }
}

/// A terminal report of one package: a summary line, then every file that is not
/// unchanged (`files` false: only the conflicts, for a run over many packages).
pub fn update_text(result: &UpdateResult, files: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}): {}",
        verb(result),
        result.package_dir,
        from_to(result),
        counts(result)
    );
    for file in &result.files {
        let shown = match file.action {
            FileAction::Unchanged => false,
            FileAction::Conflict => true,
            _ => files,
        };
        if !shown {
            continue;
        }
        let regions = match file.conflicts {
            0 => String::new(),
            1 => " (1 region)".to_owned(),
            n => format!(" ({n} regions)"),
        };
        let _ = writeln!(out, "  {:<15}{}{regions}", file.action.as_str(), file.path);
        if let Some(diff) = &file.diff {
            for line in diff.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}

/// The markdown table header of a report.
pub const MARKDOWN_HEADER: &str =
    "| package | from | to | outcome | files |\n| --- | --- | --- | --- | --- |\n";

/// One markdown row per package: its conflicts named in the last cell.
pub fn update_markdown_row(result: &UpdateResult) -> String {
    let conflicts = result.conflicts();
    let conflicts = if conflicts.is_empty() {
        String::new()
    } else {
        format!("; conflicts: {}", conflicts.join(", "))
    };
    format!(
        "| `{}` | {} {} | {} | {} | {}{} |\n",
        cell(&result.package_dir),
        cell(&result.base_generator),
        cell(&result.base_version),
        cell(&result.target_version),
        verb(result),
        cell(&counts(result)),
        cell(&conflicts)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::update::FileUpdate;

    fn result(actions: &[(&str, FileAction)]) -> UpdateResult {
        UpdateResult {
            package_dir: "pkg".into(),
            connector: "demo".into(),
            base_generator: "dpone-connectors".into(),
            base_version: "0.1.0".into(),
            target_version: "0.2.0".into(),
            adopted: false,
            dry_run: false,
            files: actions
                .iter()
                .map(|(path, action)| FileUpdate {
                    path: (*path).into(),
                    action: *action,
                    conflicts: usize::from(*action == FileAction::Conflict),
                    diff: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_text_names_versions_counts_and_files() {
        let r = result(&[
            ("README.md", FileAction::Merged),
            ("tests/t.py", FileAction::Conflict),
            ("LICENSE", FileAction::Unchanged),
        ]);
        let text = update_text(&r, true);
        assert_eq!(
            text,
            "updated with conflicts pkg (dpone-connectors 0.1.0 -> dpone-connectors 0.2.0): \
             1 conflict, 1 merged\n  merged         README.md\n  conflict       tests/t.py (1 region)\n"
        );
        assert!(!update_text(&r, false).contains("README.md"));
        let idle = result(&[("LICENSE", FileAction::Unchanged)]);
        assert!(update_text(&idle, true).starts_with("up to date pkg"));
        assert!(update_markdown_row(&r).contains("conflicts: tests/t.py"));
    }
}
