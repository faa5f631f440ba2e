//! Renderings of a [`PackageCertification`]: a text table for people, markdown for pull
//! requests and CI summaries, JSON for machines. All are deterministic.

use std::fmt::Write as _;

use super::certify::PackageCertification;
use super::report::EvidenceStatus;
use super::status::{Check, Status, Tally};

/// Pretty JSON with a trailing newline.
pub fn json(result: &PackageCertification) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(result).map(|text| text + "\n")
}

fn tally(t: Tally) -> String {
    format!(
        "{} passed, {} failed, {} missing",
        t.passed, t.failed, t.missing
    )
}

/// Columns padded to their widest cell; the last column is not padded.
fn table(headers: &[&str], rows: &[Vec<String>], indent: &str) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        let mut line = indent.to_owned();
        for (i, cell) in row.iter().enumerate() {
            if i == last {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn evidence_line(result: &PackageCertification) -> String {
    let evidence = &result.evidence;
    let mut line = format!("{} {}", evidence.status.as_str(), evidence.path);
    if let Some(code) = evidence.pytest_exit_code {
        let _ = write!(line, " (pytest exit status {code})");
    }
    line.trim_end().to_owned()
}

fn test_rows(result: &PackageCertification) -> Vec<Vec<String>> {
    result
        .capabilities
        .iter()
        .flat_map(|c| {
            c.required_tests.iter().map(|t| {
                vec![
                    c.capability.clone(),
                    t.test.clone(),
                    t.status.as_str().to_owned(),
                    t.reason.clone(),
                ]
            })
        })
        .collect()
}

fn check_rows(checks: &[Check], with_rule: bool) -> Vec<Vec<String>> {
    checks
        .iter()
        .map(|c| {
            let mut row = vec![c.subject.clone()];
            if with_rule {
                row.push(c.check.clone());
            }
            row.push(c.status.as_str().to_owned());
            row.push(c.reason.clone());
            row
        })
        .collect()
}

/// The text report: a header, then tables of required tests, gates and conformance
/// problems, then why the package is not certified.
pub fn text(result: &PackageCertification) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        result.connector,
        result.status.as_str().to_uppercase()
    );
    let _ = writeln!(out, "  package:   {}", result.package);
    let _ = writeln!(
        out,
        "  manifest:  {} (sha256 {})",
        result.certification_manifest.path, result.certification_manifest.sha256
    );
    let _ = writeln!(out, "  evidence:  {}", evidence_line(result));
    if result.evidence.status != EvidenceStatus::Current {
        let _ = writeln!(out, "             {}", result.evidence.message);
    }
    let _ = writeln!(
        out,
        "\nRequired tests: {}",
        tally(result.summary.required_tests)
    );
    out.push_str(&table(
        &["capability", "test", "status", "reason"],
        &test_rows(result),
        "  ",
    ));
    let _ = writeln!(
        out,
        "\nQuality gates: {}",
        tally(result.summary.quality_gates)
    );
    out.push_str(&table(
        &["gate", "status", "reason"],
        &check_rows(&result.quality_gates, false),
        "  ",
    ));
    let _ = writeln!(out, "\nConformance: {}", tally(result.summary.conformance));
    let problems: Vec<Check> = result
        .conformance
        .iter()
        .filter(|c| c.status != Status::Passed)
        .cloned()
        .collect();
    if !problems.is_empty() {
        out.push_str(&table(
            &["subject", "check", "status", "reason"],
            &check_rows(&problems, true),
            "  ",
        ));
    }
    if !result.evidence.unknown_markers.is_empty() {
        let _ = writeln!(
            out,
            "\nnote: certification markers that name no required test (typos?): {}",
            result.evidence.unknown_markers.join(", ")
        );
    }
    if !result.reasons.is_empty() {
        let _ = writeln!(out, "\nNot certified because:");
        for reason in &result.reasons {
            let _ = writeln!(out, "  - {reason}");
        }
    }
    out
}

/// A markdown table cell: pipes escaped, newlines flattened, empty shown as a dash.
fn cell(text: &str) -> String {
    if text.is_empty() {
        return "-".to_owned();
    }
    text.replace('|', "\\|").replace('\n', " ")
}

fn md_table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(headers.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The markdown report: every table in full.
pub fn markdown(result: &PackageCertification) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Package certification: `{}` is {}\n",
        result.connector,
        result.status.as_str()
    );
    let _ = writeln!(out, "- package: `{}`", result.package);
    let _ = writeln!(
        out,
        "- certification manifest: `{}` (sha256 `{}`)",
        result.certification_manifest.path, result.certification_manifest.sha256
    );
    let _ = writeln!(out, "- evidence: {}", evidence_line(result));
    if !result.evidence.message.is_empty() {
        let _ = writeln!(out, "  - {}", result.evidence.message);
    }
    if !result.reasons.is_empty() {
        let _ = writeln!(out, "\n## Why it is not certified\n");
        for reason in &result.reasons {
            let _ = writeln!(out, "- {reason}");
        }
    }
    let _ = writeln!(
        out,
        "\n## Required tests ({})\n",
        tally(result.summary.required_tests)
    );
    md_table(
        &mut out,
        &["capability", "test", "status", "reason"],
        &test_rows(result),
    );
    let _ = writeln!(
        out,
        "\n## Quality gates ({})\n",
        tally(result.summary.quality_gates)
    );
    md_table(
        &mut out,
        &["gate", "rule", "status", "reason"],
        &check_rows(&result.quality_gates, true),
    );
    let _ = writeln!(
        out,
        "\n## Conformance ({})\n",
        tally(result.summary.conformance)
    );
    md_table(
        &mut out,
        &["subject", "check", "status", "reason"],
        &check_rows(&result.conformance, true),
    );
    if !result.evidence.unknown_markers.is_empty() {
        let _ = writeln!(
            out,
            "\nCertification markers that name no required test: {}",
            result
                .evidence
                .unknown_markers
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_every_column_but_the_last() {
        let rows = vec![vec!["source".to_owned(), "x".to_owned(), String::new()]];
        assert_eq!(
            table(&["capability", "t", "reason"], &rows, ""),
            "capability  t  reason\nsource      x\n"
        );
    }

    #[test]
    fn markdown_cells_escape_pipes_and_show_empty_as_a_dash() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell(""), "-");
    }
}
