//! `add-capability` for people: capabilities before and after, and every file with what
//! happened to it. JSON is the result itself, through serde.

use std::fmt::Write as _;

use crate::model::results::EvolveResult;

use super::{field_table, file_table, join_or_none, write_capability_lines};

fn evolve_verb(result: &EvolveResult) -> &'static str {
    match (result.dry_run, result.conflicts.is_empty()) {
        (_, true) if !result.changes_anything() => "up to date",
        (true, true) => "would evolve",
        (false, true) => "evolved",
        (true, false) => "would evolve with conflicts",
        (false, false) => "evolved with conflicts",
    }
}

/// Whether the changes were written: not on a dry run.
fn written(result: &EvolveResult) -> bool {
    !result.dry_run
}

/// Every file of the evolved package with what happened to it (or would have, when nothing
/// was written), in package order.
fn file_statuses(result: &EvolveResult) -> Vec<(&str, &'static str)> {
    let (overwritten, created, updated, merged) = if written(result) {
        ("overwritten", "created", "updated", "merged")
    } else {
        (
            "would overwrite",
            "would create",
            "would update",
            "would merge",
        )
    };
    let lists: [(&[String], &'static str); 8] = [
        (&result.conflicts, "conflict"),
        (&result.merged, merged),
        (&result.skipped, "skipped"),
        (&result.overwritten, overwritten),
        (&result.created, created),
        (&result.updated, updated),
        (&result.kept, "kept"),
        (&result.unchanged, "unchanged"),
    ];
    result
        .files
        .iter()
        .map(|file| {
            let status = lists
                .iter()
                .find(|(list, _)| list.contains(file))
                .map_or("unchanged", |(_, status)| *status);
            (file.as_str(), status)
        })
        .collect()
}

/// A terminal summary: capabilities before and after, and every file with its status.
pub fn evolve_text(result: &EvolveResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({})",
        evolve_verb(result),
        result.package_dir,
        result.connector
    );
    let _ = writeln!(
        out,
        "  added:               {}",
        join_or_none(
            &result
                .added_capabilities
                .iter()
                .chain(&result.added_native_capabilities)
                .cloned()
                .collect::<Vec<_>>()
        )
    );
    write_capability_lines(&mut out, &result.capabilities, &result.native_capabilities);
    let (created, updated, overwritten) = if written(result) {
        ("created", "updated", "overwritten")
    } else {
        (
            "would be created",
            "would be updated",
            "would be overwritten",
        )
    };
    let _ = writeln!(
        out,
        "  files: {} {created}, {} {updated}, {} merged, {} unchanged, {} kept, {} skipped, {} {overwritten}, {} conflicts",
        result.created.len(),
        result.updated.len(),
        result.merged.len(),
        result.unchanged.len(),
        result.kept.len(),
        result.skipped.len(),
        result.overwritten.len(),
        result.conflicts.len()
    );
    let width = if written(result) { 11 } else { 15 };
    for (file, status) in file_statuses(result) {
        let _ = writeln!(out, "    {status:<width$} {file}");
    }
    if !result.skipped.is_empty() {
        let _ = writeln!(
            out,
            "next: merge the new capabilities' sections into the skipped files; to compare with a fresh copy:\n  {}",
            fresh_scaffold_command(result)
        );
    }
    out
}

/// The `scaffold` command that generates what the evolved package is compared with.
pub fn fresh_scaffold_command(result: &EvolveResult) -> String {
    let mut command = format!(
        "dpone-connectors scaffold {} --connector-type {}",
        result.connector, result.connector_type
    );
    for capability in &result.capabilities {
        let _ = write!(command, " --capability {capability}");
    }
    for capability in &result.native_capabilities {
        let _ = write!(command, " --native-capability {capability}");
    }
    if !result.certification {
        command.push_str(" --no-certification");
    }
    command.push_str(" --root /tmp/dpone-compare");
    command
}

/// A markdown summary of an `add-capability` run.
pub fn evolve_markdown(result: &EvolveResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: `{}`\n", evolve_verb(result), result.package_dir);
    let added: Vec<String> = result
        .added_capabilities
        .iter()
        .chain(&result.added_native_capabilities)
        .cloned()
        .collect();
    let rows = [
        ("connector", result.connector.clone()),
        ("added", join_or_none(&added)),
        ("capabilities", join_or_none(&result.capabilities)),
        (
            "native capabilities",
            join_or_none(&result.native_capabilities),
        ),
    ];
    field_table(&mut out, &rows);
    file_table(&mut out, file_statuses(result));
    out
}
