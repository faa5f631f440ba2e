//! `dpone-connectors certify` in package mode, end to end: scaffold a package with the real
//! binary, record evidence with the package's own `certification/run_certification.py`
//! (python3 with pytest is required: these tests fail loudly without it), then certify.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use dpone_connector_sdk::registry;
use serde_json::Value;
use tempfile::TempDir;

/// Every runtime capability of the registry.
fn all() -> Vec<&'static str> {
    registry()
        .unwrap()
        .names(dpone_connector_sdk::CapabilityKind::Runtime)
}

fn bin() -> Command {
    Command::cargo_bin("dpone-connectors").expect("the binary is built")
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Fails the test (never skips it) when pytest is not installed.
fn require_pytest() {
    let probe = Process::new(python())
        .args(["-c", "import pytest"])
        .output()
        .expect("python3 runs (set PYTHON to another interpreter)");
    assert!(
        probe.status.success(),
        "these tests need pytest: `python3 -m pip install pytest pyyaml` ({})",
        String::from_utf8_lossy(&probe.stderr).trim()
    );
}

fn scaffold(root: &Path, name: &str, capabilities: &[&str]) -> PathBuf {
    let mut cmd = bin();
    cmd.args(["scaffold", name, "--root"]).arg(root);
    for capability in capabilities {
        cmd.args(["--capability", capability]);
    }
    cmd.assert().success();
    root.join(format!("dpone-connector-{}", name.replace('_', "-")))
}

/// Runs the package's evidence runner; returns its exit status.
fn record_evidence(package: &Path) -> i32 {
    require_pytest();
    let run = Process::new(python())
        .arg("certification/run_certification.py")
        .current_dir(package)
        .env_remove("PYTEST_ADDOPTS")
        .output()
        .expect("run certification/run_certification.py");
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "the runner crashed: {}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    run.status.code().unwrap_or(-1)
}

fn certify(package: &Path, extra: &[&str]) -> (i32, String) {
    let output = bin()
        .arg("certify")
        .arg("--package")
        .arg(package)
        .args(extra)
        .output()
        .expect("run certify");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code().unwrap_or(-1), stdout)
}

fn certify_json(package: &Path) -> (i32, Value) {
    let (code, stdout) = certify(package, &["--format", "json"]);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("{err}: {stdout}"));
    (code, value)
}

/// `capability.test` for every required test a fresh package cannot prove, per the registry.
fn pending(capabilities: &[&str]) -> Vec<String> {
    let registry = registry().unwrap();
    let mut out = Vec::new();
    for name in all() {
        if !capabilities.contains(&name) {
            continue;
        }
        let capability = registry.get(name).unwrap();
        for test in capability.required_tests() {
            if !capability.proven_by_scaffold().contains(&test.test) {
                out.push(format!("{name}.{}", test.test));
            }
        }
    }
    out
}

/// `capability.test` for every required test a fresh package already proves, per the registry.
fn proven_by_scaffold(capabilities: &[&str]) -> Vec<String> {
    let registry = registry().unwrap();
    let mut out = Vec::new();
    for name in capabilities {
        let capability = registry.get(name).unwrap();
        for test in capability.required_tests() {
            if capability.proven_by_scaffold().contains(&test.test) {
                out.push(format!("{name}.{}", test.test));
            }
        }
    }
    out
}

fn tests_with(result: &Value, status: &str) -> Vec<String> {
    let mut out = Vec::new();
    for capability in result["capabilities"].as_array().unwrap() {
        for test in capability["required_tests"].as_array().unwrap() {
            if test["status"] == status {
                out.push(format!(
                    "{}.{}",
                    capability["capability"].as_str().unwrap(),
                    test["test"].as_str().unwrap()
                ));
            }
        }
    }
    out
}

fn statuses(checks: &Value) -> Vec<(String, String)> {
    checks
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["subject"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn contract_tests(package: &Path) -> PathBuf {
    let json: Value = serde_json::from_str(
        &fs::read_to_string(package.join("dpone_connector_manifest.json")).unwrap(),
    )
    .unwrap();
    package.join(format!(
        "tests/test_{}_contract.py",
        json["connector"].as_str().unwrap()
    ))
}

/// The benchmark the scenario's passing test records: `record_benchmark(rows, columns, 0.8)`.
#[derive(Debug, Clone, Copy)]
struct Benchmark {
    rows: u64,
    columns: u64,
}

/// Enough for the generated `performance` section (10000 rows of 120 columns).
const ENOUGH: Option<Benchmark> = Some(Benchmark {
    rows: 12000,
    columns: 120,
});

/// What a contributor does: deletes the placeholders and writes a real test, tagged with
/// the required test it proves, for each of them, and (with `benchmark`) a test tagged
/// `performance.benchmark` that records a run. `failing` names one that fails.
fn write_the_missing_tests(
    package: &Path,
    capabilities: &[&str],
    failing: Option<&str>,
    benchmark: Option<Benchmark>,
) {
    let path = contract_tests(package);
    let source = fs::read_to_string(&path).unwrap();
    let mut kept = Vec::new();
    let mut in_placeholder = false;
    let mut removed = 0;
    let lines: Vec<&str> = source.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let next = lines.get(index + 1).copied().unwrap_or_default();
        if line.starts_with("@pytest.mark.parametrize(\"required_test\", pending(")
            || (line.starts_with("@pytest.mark.parametrize(") && next == "    \"required_test\",")
        {
            in_placeholder = true;
        }
        if !in_placeholder {
            kept.push((*line).to_owned());
        }
        if in_placeholder && line.trim() == "placeholder_ran(required_test)" {
            in_placeholder = false;
            removed += 1;
        }
    }
    let text = kept.join("\n");
    let placeholders = source
        .matches("\n    placeholder_ran(required_test)\n")
        .count();
    assert!(
        placeholders > 0 && removed == placeholders,
        "every placeholder was removed"
    );
    let mut text = text;
    if let Some(Benchmark { rows, columns }) = benchmark {
        text.push_str(&format!(
            "\n\n\n@certification(\"performance.benchmark\")\ndef test_benchmark_against_the_sandbox() -> None:\n    record_benchmark(rows={rows}, columns={columns}, seconds=0.8)\n"
        ));
    }
    for id in pending(capabilities) {
        let body = if failing == Some(id.as_str()) {
            "    assert 2 + 2 == 5, \"the load lost rows\"".to_owned()
        } else {
            "    assert package.CONNECTOR_NAME in load_connector_manifest()[\"connector\"]"
                .to_owned()
        };
        text.push_str(&format!(
            "\n\n\n@certification(\"{id}\")\ndef test_proves_{}() -> None:\n{body}\n",
            id.replace('.', "_")
        ));
    }
    fs::write(&path, text).unwrap();
}

/// A real test written while its name was left in `pending(...)`: the placeholder stops
/// counting, and the real test decides.
#[test]
fn a_placeholder_left_in_pending_yields_to_the_real_test() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let path = contract_tests(&package);
    let generated = fs::read_to_string(&path).unwrap();
    let mut text = generated.clone();
    for id in pending(&["source"]) {
        text.push_str(&format!(
            "\n\n@certification(\"{id}\")\ndef test_proves_{}() -> None:\n    assert package.CONNECTOR_NAME\n",
            id.replace('.', "_")
        ));
    }
    text.push_str("\n\n@certification(\"performance.benchmark\")\ndef test_benchmark() -> None:\n    record_benchmark(rows=12000, columns=120, seconds=0.8)\n");
    fs::write(&path, &text).unwrap();
    assert_eq!(record_evidence(&package), 0);
    let (code, result) = certify_json(&package);
    assert_eq!(
        (code, result["status"].as_str()),
        (0, Some("certified")),
        "{result:#}"
    );
    let schema = &result["capabilities"][0]["required_tests"][2];
    assert_eq!(
        schema["tests"],
        serde_json::json!(["tests/test_demo_api_contract.py::test_proves_source_schema_inference"]),
        "the placeholder is not among the tests that proved it"
    );

    // Without the real test, the placeholder alone is missing again.
    fs::write(
        &path,
        text.replace("@certification(\"source.schema_inference\")\n", ""),
    )
    .unwrap();
    assert_eq!(record_evidence(&package), 1);
    let (_, result) = certify_json(&package);
    assert_eq!(tests_with(&result, "missing"), ["source.schema_inference"]);
}

#[test]
fn a_fresh_scaffold_is_unverified_with_exactly_the_pending_tests_missing() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &all());
    assert_eq!(
        record_evidence(&package),
        1,
        "missing tests make the runner exit 1"
    );
    let (code, result) = certify_json(&package);
    assert_eq!(code, 1);
    assert_eq!(result["status"], "unverified");
    assert_eq!(result["evidence"]["status"], "current");
    assert_eq!(tests_with(&result, "missing"), pending(&all()));
    assert!(tests_with(&result, "failed").is_empty());
    assert_eq!(tests_with(&result, "passed"), proven_by_scaffold(&all()));
    // The reference's capabilities come first, each proving its import (and a source or
    // sink its manifest) from the start.
    assert_eq!(
        proven_by_scaffold(&all())[..5],
        [
            "source.import_safety",
            "source.manifest_validation",
            "sink.import_safety",
            "sink.manifest_validation",
            "state.import_safety"
        ]
    );
    for (gate, status) in statuses(&result["quality_gates"]) {
        assert_eq!(status, "passed", "gate {gate}");
    }
    for (subject, status) in statuses(&result["conformance"]) {
        assert_eq!(status, "passed", "conformance of {subject}");
    }
    let reasons = result["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0]
        .as_str()
        .unwrap()
        .starts_with("performance benchmark missing (at least 10000 rows of at least 120 columns required): not written yet. "));
    let missing = format!(
        "{} required test(s) missing: source.schema_inference",
        pending(&all()).len()
    );
    assert!(
        reasons[1].as_str().unwrap().starts_with(&missing),
        "{reasons:?}"
    );
    // Every missing row says what its test must prove, in the words of the registry.
    for capability in result["capabilities"].as_array().unwrap() {
        let known = registry()
            .unwrap()
            .get(capability["capability"].as_str().unwrap())
            .unwrap();
        for test in capability["required_tests"].as_array().unwrap() {
            let proves = known
                .required_tests()
                .iter()
                .find(|t| t.test == test["test"])
                .unwrap()
                .proves;
            assert_eq!(test["proves"], proves);
            if test["status"] == "missing" {
                assert_eq!(
                    test["reason"].as_str().unwrap(),
                    format!("not written yet. {proves}")
                );
            }
        }
    }
}

fn list_strict(root: &Path) -> (i32, Value) {
    let output = bin()
        .args(["list", "--strict", "--format", "json"])
        .arg(root)
        .output()
        .expect("run list");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("{err}: {stdout}"));
    (output.status.code().unwrap_or(-1), value)
}

/// The acceptance scenario: a source+sink package with every required test passing
/// is certified only with a benchmark as large as `performance` asks, and then `list
/// --strict` passes although the generated tests were edited.
#[test]
fn certification_requires_the_benchmark_the_manifest_asks_for() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source", "sink"]);
    let generated = fs::read_to_string(contract_tests(&package)).unwrap();
    let with = |benchmark: Option<Benchmark>| {
        fs::write(contract_tests(&package), &generated).unwrap();
        write_the_missing_tests(&package, &["source", "sink"], None, benchmark);
        let runner = record_evidence(&package);
        let (code, text) = certify(&package, &[]);
        let (_, result) = certify_json(&package);
        (runner, code, text, result)
    };

    // Every required test passes, but there is no benchmark.
    let (runner, code, text, result) = with(None);
    assert_eq!((runner, code), (1, 1), "{text}");
    assert_eq!(result["status"], "unverified");
    assert!(tests_with(&result, "missing").is_empty(), "{result:#}");
    assert_eq!(result["performance"]["status"], "missing");
    assert!(text.starts_with("demo_api: UNVERIFIED\n"), "{text}");
    assert!(
        text.contains("  - performance benchmark missing (at least 10000 rows of at least 120 columns required): no test tagged performance.benchmark ran"),
        "{text}"
    );

    // A large enough benchmark certifies, and `list --strict` agrees.
    let (runner, code, text, result) = with(ENOUGH);
    assert_eq!((runner, code), (0, 0), "{text}");
    assert!(text.starts_with("demo_api: CERTIFIED\n"), "{text}");
    assert!(
        text.contains("  benchmark: passed; required: at least 10000 rows of at least 120 columns\n  run: 12000 rows x 120 columns in 0.800 s (15000 rows/s), by tests/test_demo_api_contract.py::test_benchmark_against_the_sandbox\n"),
        "{text}"
    );
    let run = &result["performance"]["run"];
    assert_eq!(
        (
            &run["rows"],
            &run["columns"],
            &run["seconds"],
            &run["rows_per_second"]
        ),
        (
            &Value::from(12000),
            &Value::from(120),
            &Value::from(0.8),
            &Value::from(15000.0)
        )
    );
    assert_eq!(result["performance"]["minimum_rows"], 10000);
    let (_, markdown) = certify(&package, &["--format", "md"]);
    assert!(
        markdown.contains("## Performance\n\n- benchmark: passed; required: at least 10000 rows of at least 120 columns\n- run: 12000 rows x 120 columns"),
        "{markdown}"
    );
    let evidence: Value = serde_json::from_str(
        &fs::read_to_string(
            package.join("test_artifacts/connectors/demo_api/certification_report.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        evidence["performance"]["runs"][0]["rows_per_second"],
        15000.0
    );
    let (code, listing) = list_strict(tmp.path());
    let entry = &listing["packages"][0];
    assert_eq!(code, 0, "{listing:#}");
    assert_eq!(entry["status"], "certified");
    assert_eq!(entry["drift"], 0);
    assert_eq!(
        entry["edited"], 1,
        "the contract tests were edited: {listing:#}"
    );

    // Too few rows, then too few columns: failed, naming the key and the figure.
    let small = Some(Benchmark {
        rows: 10,
        columns: 120,
    });
    let (runner, code, text, result) = with(small);
    assert_eq!((runner, code), (1, 1), "{text}");
    assert_eq!(result["status"], "failed");
    assert!(
        text.contains(
            "minimum_rows: the run recorded 10 rows, certification.yaml requires at least 10000"
        ),
        "{text}"
    );
    assert!(!text.contains("wide_columns:"), "{text}");
    let narrow = Some(Benchmark {
        rows: 12000,
        columns: 3,
    });
    let (_, code, text, _) = with(narrow);
    assert_eq!(code, 1);
    assert!(!text.contains("CERTIFIED"), "{text}");
    assert!(
        text.contains(
            "wide_columns: the run recorded 3 columns, certification.yaml requires at least 120"
        ),
        "{text}"
    );
    assert!(!text.contains("minimum_rows:"), "{text}");
}

#[test]
fn complete_passing_evidence_is_certified_and_one_failing_test_fails() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &all());
    let generated = fs::read_to_string(contract_tests(&package)).unwrap();
    write_the_missing_tests(&package, &all(), None, ENOUGH);
    assert_eq!(record_evidence(&package), 0);
    let (code, result) = certify_json(&package);
    assert_eq!(result["status"], "certified", "{result:#}");
    assert_eq!(code, 0);
    assert_eq!(result["reasons"], Value::Array(Vec::new()));
    let required: usize = all()
        .iter()
        .map(|name| {
            registry()
                .unwrap()
                .get(name)
                .unwrap()
                .required_tests()
                .len()
        })
        .sum();
    assert_eq!(result["summary"]["required_tests"]["passed"], required);
    let (code, text) = certify(&package, &[]);
    assert_eq!(code, 0);
    assert!(text.starts_with("demo_api: CERTIFIED\n"), "{text}");

    fs::write(contract_tests(&package), generated).unwrap();
    write_the_missing_tests(
        &package,
        &all(),
        Some("sink.incremental_merge_load"),
        ENOUGH,
    );
    assert_eq!(record_evidence(&package), 1);
    let (code, result) = certify_json(&package);
    assert_eq!(code, 1);
    assert_eq!(result["status"], "failed");
    assert_eq!(
        tests_with(&result, "failed"),
        ["sink.incremental_merge_load"]
    );
    let failed = &result["capabilities"][1]["required_tests"][5];
    assert_eq!(failed["test"], "incremental_merge_load");
    assert!(
        failed["reason"]
            .as_str()
            .unwrap()
            .contains("the load lost rows"),
        "{failed}"
    );
    let unit_tests = &result["quality_gates"][0];
    assert_eq!(
        (
            unit_tests["subject"].as_str(),
            unit_tests["status"].as_str()
        ),
        (Some("unit_tests"), Some("failed"))
    );
    let (code, _) = certify(&package, &["--report-only"]);
    assert_eq!(code, 0, "--report-only always exits 0");
}

#[test]
fn evidence_that_no_longer_matches_is_rejected_with_a_clear_message() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    write_the_missing_tests(&package, &["source"], None, ENOUGH);
    record_evidence(&package);
    assert_eq!(certify_json(&package).1["status"], "certified");
    let report = package.join("test_artifacts/connectors/demo_api/certification_report.json");
    let good = fs::read_to_string(&report).unwrap();

    // Stale: the manifest changed after the run.
    let manifest = package.join("certification/certification.yaml");
    let original = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{original}# reviewed\n")).unwrap();
    let (code, result) = certify_json(&package);
    assert_eq!((code, result["status"].as_str()), (1, Some("unverified")));
    assert_eq!(result["evidence"]["status"], "stale");
    assert!(result["evidence"]["message"]
        .as_str()
        .unwrap()
        .contains("the evidence is stale"));
    assert!(
        tests_with(&result, "passed").is_empty(),
        "stale results are not trusted"
    );
    let (_, text) = certify(&package, &[]);
    assert!(text.contains("evidence:  stale"), "{text}");
    assert!(text.contains("which has changed since"), "{text}");
    fs::write(&manifest, original).unwrap();

    // Stale: the code changed after the run.
    let module = package.join("src/dpone_connector_demo_api/source.py");
    let code = fs::read_to_string(&module).unwrap();
    fs::write(&module, format!("{code}\nDEBUG = True\n")).unwrap();
    let (_, result) = certify_json(&package);
    assert_eq!(result["evidence"]["status"], "stale");
    let message = result["evidence"]["message"].as_str().unwrap();
    assert!(
        message.contains("src/dpone_connector_demo_api/source.py changed since it was recorded"),
        "{message}"
    );
    fs::write(&module, code).unwrap();
    assert_eq!(certify_json(&package).1["status"], "certified");

    // Corrupt: not JSON.
    fs::write(&report, "{\"schema_version\": ").unwrap();
    let (code, result) = certify_json(&package);
    assert_eq!((code, result["status"].as_str()), (1, Some("unverified")));
    assert_eq!(result["evidence"]["status"], "corrupt");
    let message = result["evidence"]["message"].as_str().unwrap();
    assert!(message.contains("is corrupt (not valid JSON"), "{message}");

    // Corrupt: JSON, but a status that does not exist.
    fs::write(&report, good.replacen("\"passed\"", "\"ok\"", 1)).unwrap();
    let (_, result) = certify_json(&package);
    assert_eq!(result["evidence"]["status"], "corrupt");
    assert!(result["evidence"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown variant `ok`"));

    // Foreign: recorded for another connector.
    fs::write(
        &report,
        good.replace(
            "\"connector\": \"demo_api\"",
            "\"connector\": \"other_api\"",
        ),
    )
    .unwrap();
    let (_, result) = certify_json(&package);
    assert_eq!(result["evidence"]["status"], "foreign");
    assert!(result["evidence"]["message"]
        .as_str()
        .unwrap()
        .contains("is for connector `other_api`, not `demo_api`"));

    // Unsupported: another schema.
    fs::write(
        &report,
        good.replace("certification_evidence.v1", "certification_evidence.v9"),
    )
    .unwrap();
    let (_, result) = certify_json(&package);
    assert_eq!(result["evidence"]["status"], "unsupported");

    // The untouched report certifies again.
    fs::write(&report, &good).unwrap();
    assert_eq!(certify_json(&package).1["status"], "certified");
}

#[test]
fn without_evidence_a_package_is_unverified_and_says_how_to_record_it() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let (code, result) = certify_json(&package);
    assert_eq!((code, result["status"].as_str()), (1, Some("unverified")));
    assert_eq!(result["evidence"]["status"], "missing");
    assert!(result["evidence"]["message"]
        .as_str()
        .unwrap()
        .contains("run `python certification/run_certification.py`"));
    let gates = statuses(&result["quality_gates"]);
    assert!(gates.contains(&("run_artifacts_present".to_owned(), "missing".to_owned())));
    assert!(gates.contains(&("docs_present".to_owned(), "passed".to_owned())));
}

#[test]
fn broken_structure_fails_without_running_anything() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source", "sink"]);
    fs::remove_file(package.join("src/dpone_connector_demo_api/sink.py")).unwrap();
    fs::write(
        package.join("examples/demo_api_to_postgres.yaml"),
        "source:\n  type: demo_api\n",
    )
    .unwrap();
    let yaml = package.join("certification/certification.yaml");
    let text = fs::read_to_string(&yaml)
        .unwrap()
        .replace("secret_redaction: true", "secret_redaction: false");
    fs::write(&yaml, text).unwrap();
    let (code, result) = certify_json(&package);
    assert_eq!((code, result["status"].as_str()), (1, Some("failed")));
    let reasons: Vec<&str> = result["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("src/dpone_connector_demo_api/sink.py does not exist")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("has no top-level `name`")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("quality gate secret_redaction failed: disabled")),
        "{reasons:?}"
    );
}

#[test]
fn reports_are_deterministic_and_published_into_the_artifact_dir() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["sink"]);
    let artifacts = tmp.path().join("out/reports");
    for format in ["text", "markdown", "md", "json"] {
        let first = certify(&package, &["--format", format]);
        assert_eq!(
            first,
            certify(&package, &["--format", format]),
            "{format} is deterministic"
        );
    }
    let (_, json) = certify(
        &package,
        &[
            "--format",
            "json",
            "--artifact-dir",
            artifacts.to_str().unwrap(),
        ],
    );
    assert_eq!(
        fs::read_to_string(artifacts.join("package-certification.json")).unwrap(),
        json
    );
    let (_, markdown) = certify(&package, &["--format", "markdown"]);
    assert_eq!(
        fs::read_to_string(artifacts.join("package-certification.md")).unwrap(),
        markdown
    );
    assert!(markdown.starts_with("# Package certification: `demo_api` is unverified\n"));
}

#[test]
fn unusable_input_is_refused_with_one_error_line() {
    let tmp = TempDir::new().unwrap();
    let assert = bin()
        .args(["certify", "--package"])
        .arg(tmp.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with("error: ") && stderr.contains("is not a connector package"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);

    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let assert = bin()
        .args(["certify", "--format", "yaml", "--package"])
        .arg(&package)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr)
        .contains("[possible values: text, json, md]"));

    fs::write(
        package.join("certification/certification.yaml"),
        "connector: [unclosed\n",
    )
    .unwrap();
    let assert = bin()
        .args(["certify", "--package"])
        .arg(&package)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr)
        .contains("is not a valid certification manifest"));

    let bare = tmp.path().join("bare");
    let _ = scaffold(&bare, "bare", &["source"]);
    let bare = bare.join("dpone-connector-bare");
    fs::remove_file(bare.join("certification/certification.yaml")).unwrap();
    let assert = bin()
        .args(["certify", "--package"])
        .arg(&bare)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("--no-certification"));
}

#[test]
fn the_current_directory_is_the_default_package() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let output = bin().arg("certify").current_dir(&package).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("demo_api: UNVERIFIED\n  package:   .\n"),
        "{stdout}"
    );
}

#[test]
fn the_runner_records_the_same_evidence_without_pyyaml() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &all());
    record_evidence(&package);
    let report = package.join("test_artifacts/connectors/demo_api/certification_report.json");
    let with_pyyaml = fs::read_to_string(&report).unwrap();
    fs::remove_file(&report).unwrap();
    // `sys.modules["yaml"] = None` makes `import yaml` fail, as on a machine without PyYAML.
    let run = Process::new(python())
        .args([
            "-c",
            "import runpy, sys; sys.modules['yaml'] = None; sys.argv = ['run_certification.py']; \
             runpy.run_path('certification/run_certification.py', run_name='__main__')",
        ])
        .current_dir(&package)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(fs::read_to_string(&report).unwrap(), with_pyyaml);
}

#[test]
fn the_runner_refuses_evidence_paths_outside_the_package() {
    require_pytest();
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let yaml = package.join("certification/certification.yaml");
    let text = fs::read_to_string(&yaml).unwrap().replace(
        "artifacts_dir: test_artifacts/connectors/demo_api",
        "artifacts_dir: ../outside",
    );
    fs::write(&yaml, text).unwrap();
    let run = Process::new(python())
        .arg("certification/run_certification.py")
        .current_dir(&package)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("must stay inside the package"));
    assert!(!tmp.path().join("outside").exists());
    let (_, result) = certify_json(&package);
    assert_eq!(result["status"], "failed");
    assert!(result["evidence"]["message"]
        .as_str()
        .unwrap()
        .contains("evidence.artifacts_dir must be a relative path inside the package"));
}

#[test]
fn a_profile_is_refused_in_package_mode() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let assert = bin()
        .args(["certify", "--profile", "local_live", "--package"])
        .arg(&package)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr)
        .contains("--profile applies to native-transfer certification"));
}

#[test]
fn native_capabilities_bring_their_own_conformance_checks() {
    let tmp = TempDir::new().unwrap();
    bin()
        .args([
            "scaffold",
            "warehouse",
            "--capability",
            "sink",
            "--native-capability",
            "stream_export",
            "--root",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let package = tmp.path().join("dpone-connector-warehouse");
    let (_, result) = certify_json(&package);
    let native: Vec<&Value> = result["conformance"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == "stream_export")
        .collect();
    assert_eq!(native.len(), 2, "{native:?}");
    assert!(native.iter().all(|c| c["status"] == "passed"));

    let docs = package.join("docs/warehouse.md");
    let text = fs::read_to_string(&docs)
        .unwrap()
        .replace("### Native transfer: `stream_export`", "### Streaming");
    fs::write(&docs, text).unwrap();
    let (_, result) = certify_json(&package);
    assert_eq!(result["status"], "failed");
    let reasons = result["reasons"].to_string();
    assert!(
        reasons.contains("docs/warehouse.md has no `### Native transfer: `stream_export`` section"),
        "{reasons}"
    );
}

/// `certification.yaml` is read as PyYAML, dpone and `certify --capability` read it: YAML 1.1,
/// where `yes` is true and `off` is false.
#[test]
fn certification_yaml_is_read_with_yaml_1_1_rules() {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let path = package.join("certification/certification.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("  unit_tests: true\n", "  unit_tests: yes\n")
        .replace("  docs_present: true\n", "  docs_present: off\n");
    assert_ne!(edited, text);
    fs::write(&path, edited).unwrap();
    let (_, result) = certify_json(&package);
    let gate = |name: &str| {
        result["quality_gates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["subject"] == name)
            .unwrap_or_else(|| panic!("no gate {name}: {result}"))
            .clone()
    };
    // Declared true: it now waits for evidence, like the untouched `true`.
    let unit_tests = gate("unit_tests");
    assert_eq!(unit_tests["status"], "missing", "{unit_tests}");
    assert!(!unit_tests["reason"]
        .as_str()
        .unwrap()
        .contains("not declared"));
    // Declared false: disabled.
    let docs = gate("docs_present");
    assert_eq!(docs["status"], "failed", "{docs}");
    assert!(
        docs["reason"].as_str().unwrap().starts_with("disabled"),
        "{docs}"
    );
}

/// Runs `dpone-connectors ARGS` in `dir`, killing it if it is still busy after 20 seconds
/// (a parser that is not linear takes far longer on these inputs).
fn run_bounded(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("dpone-connectors"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            return (None, String::new());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// 120 KB of unclosed `[`: refused at once with one clear line, by plain `certify` and by
/// `scaffold --from`.
#[rstest::rstest]
#[case::bare("")]
#[case::under_a_key("quality_gates: ")]
#[case::in_a_flow_mapping("{a: ")]
fn unclosed_brackets_are_refused_at_once(#[case] prefix: &str) {
    let tmp = TempDir::new().unwrap();
    let package = scaffold(tmp.path(), "demo_api", &["source"]);
    let hostile = format!("{prefix}{}", "[".repeat(120_000));
    fs::write(package.join("certification/certification.yaml"), &hostile).unwrap();
    let (code, stderr) = run_bounded(&package, &["certify"]);
    assert_eq!(code, Some(2), "certify: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("certification.yaml"), "{stderr}");

    fs::write(
        tmp.path().join("spec.yaml"),
        format!("connectors: {hostile}"),
    )
    .unwrap();
    let (code, stderr) = run_bounded(tmp.path(), &["scaffold", "--from", "spec.yaml"]);
    assert_eq!(code, Some(2), "scaffold --from: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("spec.yaml"), "{stderr}");
}

/// A certification manifest that is a device (or a FIFO, or a link to one) is not "missing":
/// it is named for what it is, and nothing waits on it.
#[test]
fn a_manifest_that_is_not_a_regular_file_is_named_for_what_it_is() {
    let dir = TempDir::new().unwrap();
    let package = scaffold(dir.path(), "demo", &["source"]);
    let manifest = package.join("certification/certification.yaml");
    fs::remove_file(&manifest).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &manifest).unwrap();
    let output = bin()
        .args(["certify", "--package"])
        .arg(&package)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(!stderr.contains("--no-certification"), "{stderr}");
}
