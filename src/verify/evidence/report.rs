//! The published renderings of a [`PackageCertification`]: markdown for pull requests and CI
//! summaries, JSON for machines, and the rows both show. All are deterministic.

use std::fmt::Write as _;

use super::assess::PackageCertification;
use super::performance::{describe_requirement, describe_run};
use crate::model::verdict::{Check, Tally};
use crate::text::markdown::cell as markdown_cell;

/// Pretty JSON with a trailing newline.
pub fn json(result: &PackageCertification) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(result).map(|text| text + "\n")
}

/// `N passed, N failed, N missing`.
pub fn tally(t: Tally) -> String {
    format!(
        "{} passed, {} failed, {} missing",
        t.passed, t.failed, t.missing
    )
}

/// The evidence found: its status, its path and the pytest exit status it recorded.
pub fn evidence_line(result: &PackageCertification) -> String {
    let evidence = &result.evidence;
    let mut line = format!("{} {}", evidence.status.as_str(), evidence.path);
    if let Some(code) = evidence.pytest_exit_code {
        let _ = write!(line, " (pytest exit status {code})");
    }
    line.trim_end().to_owned()
}

/// One row per required test: capability, test, status, reason (for a missing test, also
/// what it must prove).
pub fn test_rows(result: &PackageCertification) -> Vec<Vec<String>> {
    result
        .capabilities
        .iter()
        .flat_map(|c| {
            c.required_tests.iter().map(|t| {
                vec![
                    c.capability.clone(),
                    t.test.clone(),
                    t.status.as_str().to_owned(),
                    t.explained_reason(),
                ]
            })
        })
        .collect()
}

/// The benchmark in a few lines: the verdict on it and what is required, the run it rests
/// on, and why it falls short.
pub fn performance_lines(result: &PackageCertification) -> Vec<String> {
    let performance = &result.performance;
    let mut lines = vec![format!(
        "benchmark: {}; required: {}",
        performance.status.as_str(),
        describe_requirement(&performance.requirement)
    )];
    if let Some(run) = &performance.run {
        lines.push(format!("run: {}, by {}", describe_run(run), run.test));
    }
    if !performance.reason.is_empty() {
        lines.push(format!("reason: {}", performance.reason));
    }
    lines
}

/// One row per check: subject, the rule when `with_rule`, status, reason.
pub fn check_rows(checks: &[Check], with_rule: bool) -> Vec<Vec<String>> {
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

/// A markdown table cell: escaped, and an empty cell shown as a dash.
fn cell(text: &str) -> String {
    if text.is_empty() {
        return "-".to_owned();
    }
    markdown_cell(text)
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
    let sections = [
        (
            "Required tests",
            result.summary.required_tests,
            ["capability", "test", "status", "reason"],
            test_rows(result),
        ),
        (
            "Quality gates",
            result.summary.quality_gates,
            ["gate", "rule", "status", "reason"],
            check_rows(&result.quality_gates, true),
        ),
        (
            "Conformance",
            result.summary.conformance,
            ["subject", "check", "status", "reason"],
            check_rows(&result.conformance, true),
        ),
    ];
    for (title, counts, headers, rows) in sections {
        let _ = writeln!(out, "\n## {title} ({})\n", tally(counts));
        md_table(&mut out, &headers, &rows);
    }
    let _ = writeln!(out, "\n## Performance\n");
    for line in performance_lines(result) {
        let _ = writeln!(out, "- {line}");
    }
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

    use crate::model::verdict::{Check, Overall, Status, Tally};
    use crate::verify::evidence::assess::{
        CertificationManifestRef, EvidenceSummary, RequiredTest, RuntimeCapabilityTests, Summary,
    };
    use crate::verify::evidence::performance::{BenchmarkRequirement, PerformanceResult};
    use crate::verify::evidence::recorded::{BenchmarkRun, EvidenceStatus};

    #[test]
    fn markdown_cells_escape_pipes_and_show_empty_as_a_dash() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell(""), "-");
    }

    fn tally(passed: usize, failed: usize, missing: usize) -> Tally {
        Tally {
            passed,
            failed,
            missing,
        }
    }

    /// A small failed certification with one of everything.
    fn sample() -> PackageCertification {
        PackageCertification {
            schema_version: "dpone_connector_sdk.package_certification.v1",
            status: Overall::Failed,
            connector: "demo".to_owned(),
            package: "pkg".to_owned(),
            certification_manifest: CertificationManifestRef {
                path: "certification/certification.yaml",
                sha256: "ab12".to_owned(),
            },
            evidence: EvidenceSummary {
                status: EvidenceStatus::Current,
                path: "out/evidence.json".to_owned(),
                message: String::new(),
                pytest_exit_code: Some(1),
                unknown_markers: vec!["typo".to_owned()],
            },
            summary: Summary {
                required_tests: tally(1, 1, 0),
                quality_gates: tally(0, 0, 1),
                conformance: tally(1, 0, 0),
            },
            capabilities: vec![RuntimeCapabilityTests {
                capability: "source".to_owned(),
                required_tests: vec![
                    RequiredTest {
                        test: "full_refresh_extract".to_owned(),
                        status: Status::Passed,
                        reason: String::new(),
                        tests: vec!["tests/test_source.py::test_extract".to_owned()],
                        proves: "",
                    },
                    RequiredTest {
                        test: "schema_discovery".to_owned(),
                        status: Status::Failed,
                        reason: "a|b".to_owned(),
                        tests: vec![],
                        proves: "",
                    },
                    RequiredTest {
                        test: "schema_inference".to_owned(),
                        status: Status::Missing,
                        reason: "no test carries this certification marker".to_owned(),
                        tests: vec![],
                        proves: "Columns have types.",
                    },
                ],
            }],
            quality_gates: vec![Check::new(
                "unit_tests",
                "declared true",
                Status::Missing,
                "no",
            )],
            conformance: vec![Check::passed("package", "module src/x.py exists")],
            performance: PerformanceResult {
                requirement: BenchmarkRequirement {
                    benchmark_required: true,
                    minimum_rows: 10000,
                    wide_columns: 120,
                },
                status: Status::Failed,
                reason: "minimum_rows: the run recorded 10 rows, certification.yaml requires at least 10000".to_owned(),
                tests: vec!["tests/t.py::test_bench".to_owned()],
                run: Some(BenchmarkRun {
                    test: "tests/t.py::test_bench".to_owned(),
                    rows: 10,
                    columns: 120,
                    seconds: 0.5,
                    rows_per_second: 20.0,
                }),
            },
            reasons: vec!["1 required test failed".to_owned()],
        }
    }

    #[test]
    fn the_markdown_report_is_exactly_this() {
        let expected = "\
# Package certification: `demo` is failed

- package: `pkg`
- certification manifest: `certification/certification.yaml` (sha256 `ab12`)
- evidence: current out/evidence.json (pytest exit status 1)

## Why it is not certified

- 1 required test failed

## Required tests (1 passed, 1 failed, 0 missing)

| capability | test | status | reason |
| --- | --- | --- | --- |
| source | full_refresh_extract | passed | - |
| source | schema_discovery | failed | a\\|b |
| source | schema_inference | missing | no test carries this certification marker. Columns have types. |

## Quality gates (0 passed, 0 failed, 1 missing)

| gate | rule | status | reason |
| --- | --- | --- | --- |
| unit_tests | declared true | missing | no |

## Conformance (1 passed, 0 failed, 0 missing)

| subject | check | status | reason |
| --- | --- | --- | --- |
| package | module src/x.py exists | passed | - |

## Performance

- benchmark: failed; required: at least 10000 rows of at least 120 columns
- run: 10 rows x 120 columns in 0.500 s (20 rows/s), by tests/t.py::test_bench
- reason: minimum_rows: the run recorded 10 rows, certification.yaml requires at least 10000

Certification markers that name no required test: `typo`
";
        assert_eq!(markdown(&sample()), expected);
    }

    #[test]
    fn the_json_report_names_every_field() {
        let text = json(&sample()).unwrap();
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with(
            "{\n  \"schema_version\": \"dpone_connector_sdk.package_certification.v1\",\n  \"status\": \"failed\",\n  \"connector\": \"demo\",\n  \"package\": \"pkg\",\n"
        ), "{text}");
        assert!(text.contains("\"pytest_exit_code\": 1,"), "{text}");
        assert!(
            text.contains("\"performance\": {\n    \"benchmark_required\": true,\n    \"minimum_rows\": 10000,\n    \"wide_columns\": 120,\n    \"status\": \"failed\","),
            "{text}"
        );
        assert!(
            text.contains("\"proves\": \"Columns have types.\""),
            "{text}"
        );
        assert!(
            text.contains("\"reasons\": [\n    \"1 required test failed\"\n  ]\n}"),
            "{text}"
        );
    }
}
