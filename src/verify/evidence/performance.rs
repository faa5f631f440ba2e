//! The benchmark `certification.yaml` asks for under `performance`, checked against the runs
//! the evidence recorded.
//!
//! `benchmark_required: true` (or the key or the whole section removed: a requirement is not
//! dropped by deleting it) means one run recorded with `record_benchmark(rows, columns,
//! seconds)` by a passing test tagged `certification("performance.benchmark")` must have at
//! least `minimum_rows` rows and at least `wide_columns` columns. Only `benchmark_required:
//! false` turns it off.

use serde::Serialize;
use serde_json::Value;

use super::manifests::Package;
use super::recorded::{BenchmarkRun, Evidence};
use crate::contract::{BENCHMARK_MARKER, BENCHMARK_MINIMUM_ROWS, BENCHMARK_WIDE_COLUMNS};
use crate::model::verdict::Status;

/// What `performance` in `certification.yaml` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BenchmarkRequirement {
    /// Whether a benchmark is required at all.
    pub benchmark_required: bool,
    /// The fewest rows a certifying run moves.
    pub minimum_rows: u64,
    /// The fewest columns a certifying run's rows have.
    pub wide_columns: u64,
}

/// The benchmark's place in the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerformanceResult {
    /// What the manifest asks for.
    #[serde(flatten)]
    pub requirement: BenchmarkRequirement,
    /// `passed`, `failed` or `missing` (always `passed` when no benchmark is required).
    pub status: Status,
    /// Why it failed or is missing; for a passed benchmark, empty.
    pub reason: String,
    /// The pytest node ids tagged `performance.benchmark`.
    pub tests: Vec<String>,
    /// The run the verdict rests on: the first that meets the requirement, else the largest
    /// recorded by a passing tagged test; `None` when there is none.
    pub run: Option<BenchmarkRun>,
}

impl PerformanceResult {
    /// Whether the verdict counts it (a benchmark is required).
    pub fn counts(&self) -> bool {
        self.requirement.benchmark_required
    }
}

/// Reads `performance` from the certification manifest. `Err` names a key whose value cannot
/// be a requirement (`minimum_rows: many`).
pub fn requirement(package: &Package) -> Result<BenchmarkRequirement, String> {
    let section = package.certification.get("performance");
    let key = |name: &str| section.and_then(|s| s.get(name));
    let benchmark_required = match key("benchmark_required") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(required)) => *required,
        Some(other) => {
            return Err(format!(
                "performance.benchmark_required in certification.yaml must be true or false, not {other}"
            ))
        }
    };
    let count = |name: &str, default: u64| match key(name) {
        None | Some(Value::Null) => Ok(default),
        Some(value) => value.as_u64().ok_or_else(|| {
            format!("performance.{name} in certification.yaml must be a whole number, not {value}")
        }),
    };
    Ok(BenchmarkRequirement {
        benchmark_required,
        minimum_rows: count("minimum_rows", BENCHMARK_MINIMUM_ROWS)?,
        wide_columns: count("wide_columns", BENCHMARK_WIDE_COLUMNS)?,
    })
}

/// Checks the benchmark of `package` against its evidence.
pub fn evaluate(package: &Package, evidence: &Evidence) -> PerformanceResult {
    let requirement = match requirement(package) {
        Ok(requirement) => requirement,
        Err(reason) => {
            return PerformanceResult {
                requirement: BenchmarkRequirement {
                    benchmark_required: true,
                    minimum_rows: BENCHMARK_MINIMUM_ROWS,
                    wide_columns: BENCHMARK_WIDE_COLUMNS,
                },
                status: Status::Failed,
                reason,
                tests: Vec::new(),
                run: None,
            }
        }
    };
    let result = |status, reason: String, tests: Vec<String>, run| PerformanceResult {
        requirement,
        status,
        reason,
        tests,
        run,
    };
    let Some(report) = &evidence.report else {
        let status = if requirement.benchmark_required {
            Status::Missing
        } else {
            Status::Passed
        };
        let reason = format!("no usable evidence ({})", evidence.status.as_str());
        return result(status, reason, Vec::new(), None);
    };
    let Some(performance) = &report.performance else {
        return judge(
            requirement,
            Status::Missing,
            "the evidence has no benchmark section (recorded by a runner older than generator 0.2.0)".to_owned(),
            Vec::new(),
            &[],
        );
    };
    let benchmark = &performance.benchmark;
    judge(
        requirement,
        benchmark.status,
        benchmark.reason.clone(),
        benchmark.tests.clone(),
        &performance.runs,
    )
}

/// The verdict on the benchmark from the tagged tests' outcome and the recorded runs.
fn judge(
    requirement: BenchmarkRequirement,
    tagged: Status,
    tagged_reason: String,
    tests: Vec<String>,
    runs: &[BenchmarkRun],
) -> PerformanceResult {
    // Only runs recorded by the tagged tests count, and only when all of them passed.
    let counted: Vec<&BenchmarkRun> = if tagged == Status::Passed {
        runs.iter().filter(|r| tests.contains(&r.test)).collect()
    } else {
        Vec::new()
    };
    let meets = |run: &&&BenchmarkRun| {
        run.rows >= requirement.minimum_rows && run.columns >= requirement.wide_columns
    };
    let chosen = counted
        .iter()
        .find(meets)
        .or_else(|| counted.iter().max_by_key(|r| (r.rows, r.columns)))
        .map(|r| (*r).clone());
    let (status, reason) = match (tagged, &chosen) {
        (Status::Failed, _) => (
            Status::Failed,
            format!("a test tagged {BENCHMARK_MARKER} failed: {tagged_reason}"),
        ),
        (Status::Missing, _) if tests.is_empty() => (
            Status::Missing,
            format!(
                "no test tagged {BENCHMARK_MARKER} ran; time a load of the real system with benchmark(...) or call record_benchmark(rows, columns, seconds) in one"
            ),
        ),
        (Status::Missing, _) => (Status::Missing, tagged_reason),
        (Status::Passed, None) => (
            Status::Missing,
            format!(
                "the tests tagged {BENCHMARK_MARKER} passed but recorded no run; call record_benchmark(rows, columns, seconds)"
            ),
        ),
        (Status::Passed, Some(run)) => match unmet(&requirement, run) {
            unmet if unmet.is_empty() => (Status::Passed, String::new()),
            unmet => (Status::Failed, unmet.join("; ")),
        },
    };
    let status = if requirement.benchmark_required {
        status
    } else {
        Status::Passed
    };
    PerformanceResult {
        requirement,
        status,
        reason,
        tests,
        run: chosen,
    }
}

/// Each requirement `run` falls short of, naming the key and the recorded figure.
fn unmet(requirement: &BenchmarkRequirement, run: &BenchmarkRun) -> Vec<String> {
    let mut out = Vec::new();
    if run.rows < requirement.minimum_rows {
        out.push(format!(
            "minimum_rows: the run recorded {} rows, certification.yaml requires at least {}",
            run.rows, requirement.minimum_rows
        ));
    }
    if run.columns < requirement.wide_columns {
        out.push(format!(
            "wide_columns: the run recorded {} columns, certification.yaml requires at least {}",
            run.columns, requirement.wide_columns
        ));
    }
    out
}

/// `12000 rows x 120 columns in 0.800 s (15000 rows/s)`.
pub fn describe_run(run: &BenchmarkRun) -> String {
    format!(
        "{} rows x {} columns in {:.3} s ({:.0} rows/s)",
        run.rows, run.columns, run.seconds, run.rows_per_second
    )
}

/// `at least 10000 rows of at least 120 columns`, or `not required`.
pub fn describe_requirement(requirement: &BenchmarkRequirement) -> String {
    if requirement.benchmark_required {
        format!(
            "at least {} rows of at least {} columns",
            requirement.minimum_rows, requirement.wide_columns
        )
    } else {
        "not required (benchmark_required: false)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const REQUIRED: BenchmarkRequirement = BenchmarkRequirement {
        benchmark_required: true,
        minimum_rows: 10000,
        wide_columns: 120,
    };

    fn run(test: &str, rows: u64, columns: u64) -> BenchmarkRun {
        BenchmarkRun {
            test: test.to_owned(),
            rows,
            columns,
            seconds: 0.8,
            rows_per_second: rows as f64 / 0.8,
        }
    }

    fn tagged() -> Vec<String> {
        vec!["tests/t.py::test_bench".to_owned()]
    }

    #[rstest]
    #[case(12000, 120, Status::Passed, "")]
    #[case(10000, 120, Status::Passed, "")]
    #[case(
        10,
        120,
        Status::Failed,
        "minimum_rows: the run recorded 10 rows, certification.yaml requires at least 10000"
    )]
    #[case(
        12000,
        3,
        Status::Failed,
        "wide_columns: the run recorded 3 columns, certification.yaml requires at least 120"
    )]
    fn a_passing_tagged_run_is_held_to_both_figures(
        #[case] rows: u64,
        #[case] columns: u64,
        #[case] status: Status,
        #[case] reason: &str,
    ) {
        let runs = [run("tests/t.py::test_bench", rows, columns)];
        let result = judge(REQUIRED, Status::Passed, String::new(), tagged(), &runs);
        assert_eq!((result.status, result.reason.as_str()), (status, reason));
        assert_eq!(result.run.unwrap().rows, rows);
    }

    #[test]
    fn both_unmet_keys_are_named() {
        let runs = [run("tests/t.py::test_bench", 10, 3)];
        let result = judge(REQUIRED, Status::Passed, String::new(), tagged(), &runs);
        assert!(
            result.reason.starts_with("minimum_rows: ")
                && result.reason.contains("; wide_columns: ")
        );
    }

    #[test]
    fn runs_of_untagged_tests_do_not_count() {
        let runs = [run("tests/t.py::test_other", 12000, 120)];
        let result = judge(REQUIRED, Status::Passed, String::new(), tagged(), &runs);
        assert_eq!(result.status, Status::Missing);
        assert!(
            result.reason.contains("recorded no run"),
            "{}",
            result.reason
        );
        assert!(result.run.is_none());
    }

    #[test]
    fn one_sufficient_run_among_small_ones_certifies() {
        let runs = [
            run("tests/t.py::test_bench", 10, 3),
            run("tests/t.py::test_bench", 20000, 150),
        ];
        let result = judge(REQUIRED, Status::Passed, String::new(), tagged(), &runs);
        assert_eq!(result.status, Status::Passed);
        assert_eq!(result.run.unwrap().rows, 20000);
    }

    #[test]
    fn a_failed_or_missing_tagged_test_decides_whatever_it_recorded() {
        let runs = [run("tests/t.py::test_bench", 12000, 120)];
        let failed = judge(
            REQUIRED,
            Status::Failed,
            "call failed: boom".into(),
            tagged(),
            &runs,
        );
        assert_eq!(failed.status, Status::Failed);
        assert!(failed.reason.contains("call failed: boom"));
        assert!(failed.run.is_none());
        let skipped = judge(
            REQUIRED,
            Status::Missing,
            "not written yet".into(),
            tagged(),
            &runs,
        );
        assert_eq!(
            (skipped.status, skipped.reason.as_str()),
            (Status::Missing, "not written yet")
        );
        let absent = judge(
            REQUIRED,
            Status::Missing,
            "no test carries this certification marker".into(),
            Vec::new(),
            &[],
        );
        assert!(absent
            .reason
            .contains("no test tagged performance.benchmark"));
    }

    #[test]
    fn nothing_is_held_against_a_package_that_requires_no_benchmark() {
        let optional = BenchmarkRequirement {
            benchmark_required: false,
            ..REQUIRED
        };
        let result = judge(optional, Status::Missing, String::new(), Vec::new(), &[]);
        assert_eq!(result.status, Status::Passed);
        assert!(!result.counts());
        assert_eq!(
            describe_requirement(&optional),
            "not required (benchmark_required: false)"
        );
    }

    #[rstest]
    #[case("performance:\n  benchmark_required: true\n  minimum_rows: 10\n  wide_columns: 3\n", Ok((true, 10, 3)))]
    #[case("performance:\n  benchmark_required: no\n", Ok((false, 10000, 120)))]
    #[case("connector: demo\n", Ok((true, 10000, 120)))]
    #[case(
        "performance:\n  minimum_rows: many\n",
        Err("performance.minimum_rows in certification.yaml must be a whole number, not \"many\"")
    )]
    #[case(
        "performance:\n  wide_columns: -1\n",
        Err("performance.wide_columns in certification.yaml must be a whole number, not -1")
    )]
    #[case(
        "performance:\n  benchmark_required: 1\n",
        Err("performance.benchmark_required in certification.yaml must be true or false, not 1")
    )]
    fn the_requirement_is_read_from_the_manifest_and_cannot_be_dropped_by_deleting_it(
        #[case] yaml: &str,
        #[case] expected: Result<(bool, u64, u64), &str>,
    ) {
        let read = requirement(&Package::for_tests(yaml))
            .map(|r| (r.benchmark_required, r.minimum_rows, r.wide_columns));
        assert_eq!(read, expected.map_err(str::to_owned));
    }

    #[test]
    fn figures_are_described_for_people() {
        assert_eq!(
            describe_run(&run("t", 12000, 120)),
            "12000 rows x 120 columns in 0.800 s (15000 rows/s)"
        );
        assert_eq!(
            describe_requirement(&REQUIRED),
            "at least 10000 rows of at least 120 columns"
        );
    }
}
