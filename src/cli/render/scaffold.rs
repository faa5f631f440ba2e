//! `scaffold` for people: what was generated, where, and every file with its status. JSON is
//! the contract's result object, through serde.

use std::fmt::Write as _;

use crate::model::results::ScaffoldResult;

use super::{field_table, file_table, join_or_none, write_capability_lines};

fn verb(result: &ScaffoldResult) -> &'static str {
    match (result.dry_run, result.conflicts.is_empty()) {
        (_, false) => "refused",
        (true, true) => "would scaffold",
        (false, true) if result.created.is_empty() && result.overwritten.is_empty() => "up to date",
        (false, true) => "scaffolded",
    }
}

/// Whether the files were written: not on a dry run, nor when conflicts refused the write.
/// Otherwise every change is said in the conditional: it would have been made.
fn written(result: &ScaffoldResult) -> bool {
    !result.dry_run && result.conflicts.is_empty()
}

fn status_of<'a>(result: &'a ScaffoldResult, path: &str) -> &'a str {
    let has = |list: &[String]| list.iter().any(|p| p == path);
    let written = written(result);
    if has(&result.conflicts) {
        "conflict"
    } else if has(&result.overwritten) {
        if written {
            "overwritten"
        } else {
            "would overwrite"
        }
    } else if has(&result.unchanged) {
        "unchanged"
    } else if written {
        "created"
    } else {
        "would create"
    }
}

/// `N created, N unchanged, N overwritten, N conflicts`, in the conditional when nothing
/// was written.
pub fn file_counts(result: &ScaffoldResult) -> String {
    let (created, overwritten) = if written(result) {
        ("created", "overwritten")
    } else {
        ("would be created", "would be overwritten")
    };
    format!(
        "{} {created}, {} unchanged, {} {overwritten}, {} conflicts",
        result.created.len(),
        result.unchanged.len(),
        result.overwritten.len(),
        result.conflicts.len()
    )
}

/// A terminal summary: what was generated, where, and every file with its status.
pub fn scaffold_text(result: &ScaffoldResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}) in {}",
        verb(result),
        result.package_name,
        result.connector_type,
        result.sdk_root
    );
    let _ = writeln!(out, "  connector:           {}", result.connector);
    let _ = writeln!(out, "  import package:      {}", result.import_package);
    write_capability_lines(&mut out, &result.capabilities, &result.native_capabilities);
    let _ = writeln!(
        out,
        "  certification:       {}",
        result
            .certification_manifest
            .as_deref()
            .unwrap_or("not generated")
    );
    let _ = writeln!(out, "  files: {}", file_counts(result));
    let width = if written(result) { 11 } else { 15 };
    for file in &result.files {
        let _ = writeln!(out, "    {:<width$} {file}", status_of(result, file));
    }
    if result.conflicts.is_empty() && !result.dry_run {
        let _ = writeln!(out, "next: cd {} && python -m pytest", result.sdk_root);
    }
    out
}

/// A markdown summary, for pull-request comments and CI logs.
pub fn scaffold_markdown(result: &ScaffoldResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: `{}`\n", verb(result), result.package_name);
    let rows = [
        ("connector", result.connector.clone()),
        ("connector type", result.connector_type.clone()),
        ("capabilities", join_or_none(&result.capabilities)),
        (
            "native capabilities",
            join_or_none(&result.native_capabilities),
        ),
        ("package name", result.package_name.clone()),
        ("import package", result.import_package.clone()),
        ("package directory", result.sdk_root.clone()),
        (
            "certification manifest",
            result
                .certification_manifest
                .clone()
                .unwrap_or_else(|| "not generated".to_owned()),
        ),
    ];
    field_table(&mut out, &rows);
    file_table(
        &mut out,
        result
            .files
            .iter()
            .map(|file| (file.as_str(), status_of(result, file))),
    );
    out
}
