//! Reading the evidence report that `certification/run_certification.py` writes, and
//! deciding whether it can be trusted for this package as it is now.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::manifests::{source_digests, Package};
use crate::model::verdict::Status;

/// The evidence report schema this SDK reads (and its generated runner writes).
pub const EVIDENCE_SCHEMA: &str = "dpone_connector_sdk.certification_evidence.v1";

/// What the evidence recorded for one required test or gate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TestEvidence {
    /// Passed, failed or missing.
    pub status: Status,
    /// Why it failed or is missing (the skip reason, the failure message).
    #[serde(default)]
    pub reason: String,
    /// The pytest node ids carrying the marker.
    #[serde(default)]
    pub tests: Vec<String>,
}

/// One benchmark run a test recorded with `record_benchmark(rows, columns, seconds)`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct BenchmarkRun {
    /// The pytest node id of the test that recorded it.
    pub test: String,
    /// Rows moved.
    pub rows: u64,
    /// Columns of each row.
    pub columns: u64,
    /// Wall-clock seconds it took (finite and positive).
    pub seconds: f64,
    /// `rows / seconds`, as the runner computed it.
    pub rows_per_second: f64,
}

/// What the run recorded for `performance.benchmark`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PerformanceEvidence {
    /// The outcome of the tests tagged `certification("performance.benchmark")`.
    pub benchmark: TestEvidence,
    /// Every run recorded during the suite, by any test, in the order recorded.
    #[serde(default)]
    pub runs: Vec<BenchmarkRun>,
}

/// The evidence report (`certification_report.json`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EvidenceReport {
    /// [`EVIDENCE_SCHEMA`].
    pub schema_version: String,
    /// The connector the run certified.
    pub connector: String,
    /// The sha256 of the certification manifest the run read.
    pub certification_manifest_sha256: String,
    /// pytest's exit status for the whole suite.
    pub pytest_exit_code: i64,
    /// sha256 of every Python file under `src/` and `tests/` when the run started.
    pub sources: BTreeMap<String, String>,
    /// capability -> required test -> evidence.
    pub capabilities: IndexMap<String, IndexMap<String, TestEvidence>>,
    /// gate -> evidence from tests tagged `quality_gates.<gate>`.
    #[serde(default)]
    pub quality_gates: IndexMap<String, TestEvidence>,
    /// Certification markers that named no required test.
    #[serde(default)]
    pub unknown_markers: Vec<String>,
    /// The benchmark evidence (absent from reports of runners before generator 0.2.0,
    /// which recorded no benchmark).
    #[serde(default)]
    pub performance: Option<PerformanceEvidence>,
}

/// Whether the evidence can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Recorded for this connector against the current certification manifest.
    Current,
    /// No report.
    Missing,
    /// Unreadable, not JSON, or not shaped like an evidence report.
    Corrupt,
    /// A schema this SDK does not read.
    Unsupported,
    /// Recorded for another connector.
    Foreign,
    /// Recorded against a certification manifest, or code, that has changed since.
    Stale,
}

impl EvidenceStatus {
    /// The lowercase word used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::Current => "current",
            EvidenceStatus::Missing => "missing",
            EvidenceStatus::Corrupt => "corrupt",
            EvidenceStatus::Unsupported => "unsupported",
            EvidenceStatus::Foreign => "foreign",
            EvidenceStatus::Stale => "stale",
        }
    }
}

/// The evidence as found: its status, a message saying why, and the report when current.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Whether it can be used.
    pub status: EvidenceStatus,
    /// The JSON report's path relative to the package (empty when the manifest's
    /// `evidence:` section is unusable).
    pub path: String,
    /// One sentence for people; empty when current.
    pub message: String,
    /// The report, only when `status` is `Current`.
    pub report: Option<EvidenceReport>,
}

const RERUN: &str = "run `python certification/run_certification.py` to record it";

impl Evidence {
    fn rejected(status: EvidenceStatus, path: &str, message: String) -> Self {
        Evidence {
            status,
            path: path.to_owned(),
            message,
            report: None,
        }
    }

    /// Finds, parses and vets the package's evidence report.
    pub fn load(package: &Package) -> Evidence {
        let paths = match &package.evidence_paths {
            Ok(paths) => paths,
            Err(reason) => {
                return Evidence::rejected(EvidenceStatus::Missing, "", reason.clone());
            }
        };
        let path = paths.json.as_str();
        let bytes = match crate::bounded::read(&package.root.join(path)) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Evidence::rejected(
                    EvidenceStatus::Missing,
                    path,
                    format!("no evidence report at {path}; {RERUN}"),
                );
            }
            Err(err) => {
                return Evidence::rejected(
                    EvidenceStatus::Corrupt,
                    path,
                    format!("cannot read the evidence report {path}: {err}"),
                );
            }
        };
        vet(package, path, &bytes)
    }
}

/// Decides what `bytes` (the report at `path`) are worth for `package`.
pub fn vet(package: &Package, path: &str, bytes: &[u8]) -> Evidence {
    let corrupt = |why: String| {
        Evidence::rejected(
            EvidenceStatus::Corrupt,
            path,
            format!("the evidence report {path} is corrupt ({why}); {RERUN} again"),
        )
    };
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(err) => return corrupt(format!("not valid JSON: {err}")),
    };
    let Some(object) = value.as_object() else {
        return corrupt("not a JSON object".to_owned());
    };
    match object.get("schema_version").and_then(|v| v.as_str()) {
        Some(EVIDENCE_SCHEMA) => {}
        Some(other) => {
            return Evidence::rejected(
                EvidenceStatus::Unsupported,
                path,
                format!(
                    "the evidence report {path} has schema {other:?}, this SDK reads {EVIDENCE_SCHEMA:?}; {RERUN} with the runner this SDK generates"
                ),
            );
        }
        None => return corrupt("no schema_version".to_owned()),
    }
    let report: EvidenceReport = match serde_json::from_value(value) {
        Ok(report) => report,
        Err(err) => return corrupt(err.to_string()),
    };
    // A pass must name the test that proved it; one that names none was not recorded by
    // the runner.
    let unproven = report.capabilities.iter().find_map(|(capability, tests)| {
        tests
            .iter()
            .find(|(_, t)| t.status == Status::Passed && t.tests.is_empty())
            .map(|(name, _)| format!("{capability}.{name}"))
    });
    if let Some(id) = unproven {
        return corrupt(format!("{id} is passed but names no test"));
    }
    if let Some(performance) = &report.performance {
        if performance.benchmark.status == Status::Passed && performance.benchmark.tests.is_empty()
        {
            return corrupt("performance.benchmark is passed but names no test".to_owned());
        }
        let impossible = performance
            .runs
            .iter()
            .find(|run| !(run.seconds.is_finite() && run.seconds > 0.0));
        if let Some(run) = impossible {
            return corrupt(format!(
                "a benchmark run of {} took {} seconds",
                run.test, run.seconds
            ));
        }
    }
    let connector = &package.connector_manifest.connector;
    if &report.connector != connector {
        return Evidence::rejected(
            EvidenceStatus::Foreign,
            path,
            format!(
                "the evidence report {path} is for connector `{}`, not `{connector}`; {RERUN} for this package",
                report.connector
            ),
        );
    }
    if report.certification_manifest_sha256 != package.certification_sha256 {
        return Evidence::rejected(
            EvidenceStatus::Stale,
            path,
            format!(
                "the evidence is stale: it was recorded against certification.yaml sha256 {}, which has changed since (now {}); {RERUN} again",
                short(&report.certification_manifest_sha256),
                short(&package.certification_sha256)
            ),
        );
    }
    let changed = changed_sources(&report.sources, &source_digests(&package.root));
    if !changed.is_empty() {
        return Evidence::rejected(
            EvidenceStatus::Stale,
            path,
            format!(
                "the evidence is stale: {} since it was recorded; {RERUN} again",
                changed.join(", ")
            ),
        );
    }
    Evidence {
        status: EvidenceStatus::Current,
        path: path.to_owned(),
        message: String::new(),
        report: Some(report),
    }
}

/// What differs between the recorded and current source digests, at most five entries:
/// `tests/x.py changed`, `src/y.py added`, `src/z.py removed`.
fn changed_sources(
    recorded: &BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut changes: Vec<String> = current
        .iter()
        .filter_map(|(path, digest)| match recorded.get(path) {
            Some(old) if old == digest => None,
            Some(_) => Some(format!("{path} changed")),
            None => Some(format!("{path} added")),
        })
        .chain(
            recorded
                .keys()
                .filter(|path| !current.contains_key(*path))
                .map(|path| format!("{path} removed")),
        )
        .collect();
    changes.sort();
    if changes.len() > 5 {
        let more = changes.len() - 5;
        changes.truncate(5);
        changes.push(format!("and {more} more file(s) changed"));
    }
    changes
}

/// The first 12 hex digits of a digest, for messages.
fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package whose directory has no Python files (the directory does not exist).
    fn package() -> Package {
        Package {
            certification_sha256: "a".repeat(64),
            ..Package::for_tests("connector: demo\n")
        }
    }

    fn report(connector: &str, sha: &str, status: &str, tests: &str) -> String {
        format!(
            r#"{{"schema_version": "{EVIDENCE_SCHEMA}", "connector": "{connector}",
                "certification_manifest_sha256": "{sha}", "pytest_exit_code": 0, "sources": {{}},
                "capabilities": {{"source": {{"import_safety": {{"status": "{status}", "reason": "", "tests": {tests}}}}}}}}}"#
        )
    }

    fn vetted(text: &str) -> Evidence {
        vet(&package(), "e/r.json", text.as_bytes())
    }

    #[test]
    fn current_evidence_is_kept_with_its_report() {
        let evidence = vetted(&report("demo", &"a".repeat(64), "passed", r#"["t::x"]"#));
        assert_eq!(evidence.status, EvidenceStatus::Current);
        let report = evidence.report.unwrap();
        assert_eq!(
            report.capabilities["source"]["import_safety"].tests,
            ["t::x"]
        );
        assert!(report.quality_gates.is_empty() && report.unknown_markers.is_empty());
    }

    #[test]
    fn each_kind_of_unusable_evidence_is_named() {
        let cases = [
            ("{", EvidenceStatus::Corrupt, "not valid JSON"),
            ("[]", EvidenceStatus::Corrupt, "not a JSON object"),
            ("{}", EvidenceStatus::Corrupt, "no schema_version"),
            (
                r#"{"schema_version": "other.v2"}"#,
                EvidenceStatus::Unsupported,
                "has schema \"other.v2\"",
            ),
            (
                &report("demo", "b", "maybe", "[]"),
                EvidenceStatus::Corrupt,
                "unknown variant `maybe`",
            ),
            (
                &report("demo", "b", "passed", "[]"),
                EvidenceStatus::Corrupt,
                "source.import_safety is passed but names no test",
            ),
            (
                &report("other", "b", "passed", r#"["t"]"#),
                EvidenceStatus::Foreign,
                "is for connector `other`, not `demo`",
            ),
            (
                &report("demo", "bbbb", "passed", r#"["t"]"#),
                EvidenceStatus::Stale,
                "recorded against certification.yaml sha256 bbbb",
            ),
        ];
        for (text, status, message) in cases {
            let evidence = vetted(text);
            assert_eq!(evidence.status, status, "{text}");
            assert!(evidence.message.contains(message), "{}", evidence.message);
            assert!(evidence.message.contains("e/r.json") || status == EvidenceStatus::Stale);
            assert!(evidence.report.is_none());
        }
    }

    #[test]
    fn changed_code_makes_the_evidence_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("src/pkg/__pycache__")).unwrap();
        std::fs::create_dir_all(root.join("tests/.hidden")).unwrap();
        std::fs::write(root.join("src/pkg/a.py"), "A = 1\n").unwrap();
        std::fs::write(root.join("src/pkg/__pycache__/a.py"), "ignored").unwrap();
        std::fs::write(root.join("tests/.hidden/b.py"), "ignored").unwrap();
        std::fs::write(root.join("tests/test_a.py"), "").unwrap();
        std::fs::write(root.join("tests/notes.txt"), "ignored").unwrap();
        let digests = source_digests(root);
        assert_eq!(
            digests.keys().collect::<Vec<_>>(),
            ["src/pkg/a.py", "tests/test_a.py"]
        );
        assert_eq!(
            digests["tests/test_a.py"],
            crate::text::digest::sha256_hex(b"")
        );

        let recorded = serde_json::to_string(&digests).unwrap();
        let text = report("demo", &"a".repeat(64), "passed", r#"["t"]"#)
            .replace(r#""sources": {}"#, &format!(r#""sources": {recorded}"#));
        let pkg = Package {
            root: root.to_owned(),
            ..package()
        };
        assert_eq!(
            vet(&pkg, "e/r.json", text.as_bytes()).status,
            EvidenceStatus::Current
        );

        std::fs::write(root.join("src/pkg/a.py"), "A = 2\n").unwrap();
        std::fs::remove_file(root.join("tests/test_a.py")).unwrap();
        std::fs::write(root.join("tests/test_b.py"), "").unwrap();
        let evidence = vet(&pkg, "e/r.json", text.as_bytes());
        assert_eq!(evidence.status, EvidenceStatus::Stale);
        assert!(
            evidence.message.contains("the evidence is stale: src/pkg/a.py changed, tests/test_a.py removed, tests/test_b.py added since it was recorded"),
            "{}",
            evidence.message
        );
    }

    #[test]
    fn long_change_lists_are_cut_short() {
        let recorded = BTreeMap::new();
        let current: BTreeMap<String, String> = (0..7)
            .map(|i| (format!("src/m{i}.py"), String::new()))
            .collect();
        let changes = changed_sources(&recorded, &current);
        assert_eq!(changes.len(), 6);
        assert_eq!(changes[5], "and 2 more file(s) changed");
    }
}
