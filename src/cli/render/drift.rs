//! `check` for people: one line per finding (text) or a findings table (markdown). JSON is
//! the report itself, through serde.

use crate::scaffold::vars::GENERATOR_VERSION;
use std::fmt::Write as _;

use crate::model::drift::{CheckReport, Severity};
use crate::text::markdown::cell;

use super::{field_table, join_or_none};

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

/// Which version made the package and whether `update` would bring it forward.
pub fn made_by(report: &CheckReport) -> String {
    let made = format!("made by {} {}", report.generator, report.generator_version);
    if report.outdated {
        format!(
            "{made}: `dpone-connectors update {}` would bring it to {GENERATOR_VERSION}",
            report.package_dir
        )
    } else if report.generator_version == GENERATOR_VERSION {
        format!("{made} (this version)")
    } else {
        format!("{made}, which this version ({GENERATOR_VERSION}) does not know")
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
    let _ = writeln!(out, "{}", made_by(report));
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
    let rows = [
        ("connector", report.connector.clone()),
        ("connector type", report.connector_type.clone()),
        ("capabilities", join_or_none(&report.capabilities)),
        (
            "native capabilities",
            join_or_none(&report.native_capabilities),
        ),
        ("certification", on_off(report.certification).to_owned()),
        (
            "made by",
            format!(
                "{} {}{}",
                report.generator,
                report.generator_version,
                if report.outdated { " (outdated)" } else { "" }
            ),
        ),
    ];
    field_table(&mut out, &rows);
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
                cell(&finding.path),
                finding.kind.label(),
                cell(&finding.message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::drift::{Finding, FindingKind};

    fn report(findings: Vec<Finding>) -> CheckReport {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        CheckReport {
            package_dir: "pkg".to_owned(),
            connector: "demo".to_owned(),
            connector_type: "api".to_owned(),
            capabilities: vec!["source".to_owned(), "sink".to_owned()],
            native_capabilities: vec![],
            certification: true,
            generator: "dpone-connectors",
            generator_version: "0.0.1".to_owned(),
            outdated: true,
            status: if errors == 0 { "ok" } else { "drift" },
            errors,
            notes: findings.len() - errors,
            findings,
        }
    }

    fn drifted() -> CheckReport {
        report(vec![
            Finding::new(FindingKind::MissingModule, "src/demo/sink.py", "missing"),
            Finding::new(FindingKind::Edited, "README.md", "edited|by hand"),
        ])
    }

    #[test]
    fn text_is_one_line_per_finding_then_the_verdict() {
        assert_eq!(
            check_text(&drifted()),
            format!(
                "checked pkg (demo, api; capabilities: source, sink; native capabilities: none; certification: on)\n\
                 made by dpone-connectors 0.0.1: `dpone-connectors update pkg` would bring it to {GENERATOR_VERSION}\n\
                 error src/demo/sink.py: missing [missing module]\n\
                 info  README.md: edited|by hand [edited]\n\
                 result: contract drift (1 error(s), 1 note(s))\n"
            )
        );
        let mut current = report(vec![]);
        current.generator_version = GENERATOR_VERSION.to_owned();
        current.outdated = false;
        assert_eq!(
            made_by(&current),
            format!("made by dpone-connectors {GENERATOR_VERSION} (this version)")
        );
        assert_eq!(
            check_text(&report(vec![])).lines().last(),
            Some("result: no contract drift (0 note(s))")
        );
    }

    #[test]
    fn markdown_is_a_field_table_then_a_findings_table() {
        assert_eq!(
            check_markdown(&drifted()),
            "# check: `pkg`\n\n\
             **contract drift (1 error(s), 1 note(s))**\n\n\
             | field | value |\n\
             | --- | --- |\n\
             | connector | `demo` |\n\
             | connector type | `api` |\n\
             | capabilities | `source, sink` |\n\
             | native capabilities | `none` |\n\
             | certification | `on` |\n\
             | made by | `dpone-connectors 0.0.1 (outdated)` |\n\
             \n## Findings\n\n\
             | severity | file | finding |\n\
             | --- | --- | --- |\n\
             | error | `src/demo/sink.py` | missing module: missing |\n\
             | info | `README.md` | edited: edited\\|by hand |\n"
        );
    }
}
