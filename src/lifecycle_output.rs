//! Human-readable renderings (`text`, `md`) of `check` and `add-capability` results. JSON
//! comes from serde.

use std::fmt::Write as _;

use crate::check::{CheckReport, Severity};
use crate::evolve::EvolveResult;
use crate::output::{join_or_none, write_capability_lines};

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn check_verdict(report: &CheckReport) -> String {
    if report.passed() {
        format!("no contract drift ({} note(s))", report.notes)
    } else {
        format!(
            "contract drift ({} error(s), {} note(s))",
            report.errors, report.notes
        )
    }
}

/// One line per finding, each naming its file, then the verdict.
pub fn check_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "checked {} ({}, {}; capabilities: {}; native capabilities: {}; certification: {})",
        report.package_dir,
        report.connector,
        report.connector_type,
        join_or_none(&report.capabilities),
        join_or_none(&report.native_capabilities),
        on_off(report.certification),
    );
    for finding in &report.findings {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Info => "info ",
        };
        let _ = writeln!(
            out,
            "{severity} {}: {} [{}]",
            finding.path,
            finding.message,
            finding.kind.label()
        );
    }
    let _ = writeln!(out, "result: {}", check_verdict(report));
    out
}

/// A markdown report, for pull-request comments and CI logs.
pub fn check_markdown(report: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# check: `{}`\n", report.package_dir);
    let _ = writeln!(out, "**{}**\n", check_verdict(report));
    let _ = writeln!(out, "| field | value |\n| --- | --- |");
    let rows = [
        ("connector", report.connector.clone()),
        ("connector type", report.connector_type.clone()),
        ("capabilities", join_or_none(&report.capabilities)),
        (
            "native capabilities",
            join_or_none(&report.native_capabilities),
        ),
        ("certification", on_off(report.certification).to_owned()),
    ];
    for (field, value) in rows {
        let _ = writeln!(out, "| {field} | `{value}` |");
    }
    if !report.findings.is_empty() {
        let _ = writeln!(
            out,
            "\n## Findings\n\n| severity | file | finding |\n| --- | --- | --- |"
        );
        for finding in &report.findings {
            let severity = match finding.severity {
                Severity::Error => "error",
                Severity::Info => "info",
            };
            let _ = writeln!(
                out,
                "| {severity} | `{}` | {}: {} |",
                finding.path,
                finding.kind.label(),
                finding.message
            );
        }
    }
    out
}

fn evolve_verb(result: &EvolveResult) -> &'static str {
    match (result.dry_run, result.conflicts.is_empty()) {
        (_, false) => "refused",
        (_, true) if !result.changes_anything() => "up to date",
        (true, true) => "would evolve",
        (false, true) => "evolved",
    }
}

/// Every file of the evolved package with what happened to it, in package order.
fn file_statuses(result: &EvolveResult) -> Vec<(&str, &'static str)> {
    let lists: [(&[String], &'static str); 7] = [
        (&result.conflicts, "conflict"),
        (&result.skipped, "skipped"),
        (&result.overwritten, "overwritten"),
        (&result.created, "created"),
        (&result.updated, "updated"),
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
    let _ = writeln!(
        out,
        "  files: {} created, {} updated, {} unchanged, {} kept, {} skipped, {} overwritten, {} conflicts",
        result.created.len(),
        result.updated.len(),
        result.unchanged.len(),
        result.kept.len(),
        result.skipped.len(),
        result.overwritten.len(),
        result.conflicts.len()
    );
    for (file, status) in file_statuses(result) {
        let _ = writeln!(out, "    {status:<11} {file}");
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
    let _ = writeln!(out, "| field | value |\n| --- | --- |");
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
    for (field, value) in rows {
        let _ = writeln!(out, "| {field} | `{value}` |");
    }
    let _ = writeln!(out, "\n## Files\n\n| file | status |\n| --- | --- |");
    for (file, status) in file_statuses(result) {
        let _ = writeln!(out, "| `{file}` | {status} |");
    }
    out
}
