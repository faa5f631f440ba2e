//! `certify` (package certification) for a terminal: a header, aligned tables of required
//! tests, gates and conformance problems, then why the package is not certified. Markdown
//! and JSON are the library's published renderings.

use std::fmt::Write as _;

use crate::model::verdict::{Check, Status};
use crate::verify::evidence::recorded::EvidenceStatus;
use crate::verify::evidence::report::{
    check_rows, evidence_line, performance_lines, tally, test_rows,
};
use crate::verify::evidence::PackageCertification;

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

/// The text report: a header, then tables of required tests, gates and conformance
/// problems, then why the package is not certified.
pub fn certification_text(result: &PackageCertification) -> String {
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
    let _ = writeln!(out, "\nPerformance:");
    for line in performance_lines(result) {
        let _ = writeln!(out, "  {line}");
    }
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
}
