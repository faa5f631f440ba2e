//! `dpone-connectors check`: contract drift is an error, edits are information.

mod common;

use common::run;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{scaffold, ScaffoldRequest};
use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;

fn run_in(cwd: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::cargo_bin("dpone-connectors").unwrap();
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command.args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn check_json(dir: &Path) -> (i32, Value) {
    let (code, stdout, stderr) = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (code, report)
}

/// Scaffolds a package with this crate and returns (tempdir, package dir).
fn generate(request: ScaffoldRequest) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let request = request.root(tmp.path());
    let options = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    scaffold(&request, &options).unwrap();
    let name = fs::read_dir(tmp.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    (tmp, name)
}

fn generate_into(root: &Path, request: ScaffoldRequest) {
    let options = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    scaffold(&request.root(root), &options).unwrap();
}

fn demo() -> (TempDir, PathBuf) {
    generate(ScaffoldRequest::new("demo").capability("source"))
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn reference(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reference")
        .join(name)
}

#[rstest]
#[case::defaults(ScaffoldRequest::new("demo"))]
#[case::everything(
    ScaffoldRequest::new("Demo Store")
        .connector_type("database")
        .capability("sink")
        .capability("source")
        .capability("state")
        .native_capability("object_staging_load")
        .native_capability("stream_export")
)]
#[case::no_certification(ScaffoldRequest::new("quiet").capability("sink").include_certification(false))]
fn a_fresh_package_has_no_findings_at_all(#[case] request: ScaffoldRequest) {
    let (_tmp, dir) = generate(request);
    let (code, report) = check_json(&dir);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["status"], "ok");
    assert_eq!(findings(&report), []);
}

#[rstest]
#[case::source_only("dpone-connector-demo-api")]
#[case::every_capability_and_natives("dpone-connector-demo-store")]
#[case::sink_only_no_certification("dpone-connector-sink-only")]
fn a_reference_generated_package_has_no_contract_drift(#[case] name: &str) {
    let dir = reference(name);
    let (code, report) = check_json(&dir);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["errors"], 0);
    // Its templates are not ours: those files are reported, as information only.
    let found = findings(&report);
    assert!(
        found.iter().any(|(_, kind, _)| kind == "edited"),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(severity, _, _)| severity == "info"),
        "{found:?}"
    );
    // The contract files themselves are byte-identical to ours.
    assert!(!found.iter().any(
        |(_, _, path)| path.contains("manifest") || path == "certification/certification.yaml"
    ));
}

#[test]
fn the_reference_source_example_in_a_sink_only_package_is_not_drift() {
    let dir = reference("dpone-connector-sink-only");
    assert!(dir.join("examples/sink_only_to_postgres.yaml").is_file());
    let (_, report) = check_json(&dir);
    assert!(!findings(&report)
        .iter()
        .any(|(_, _, path)| path == "examples/sink_only_to_postgres.yaml"));
}

#[test]
fn a_hand_edited_certification_manifest_is_contract_drift() {
    let (_tmp, dir) = demo();
    let path = dir.join("certification/certification.yaml");
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("minimum_rows: 10000", "minimum_rows: 10");
    fs::write(&path, edited).unwrap();

    let (code, stdout, stderr) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let line = stdout
        .lines()
        .find(|l| l.contains("certification/certification.yaml"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.starts_with("error "), "{line}");
    assert!(line.contains("first difference at line"), "{line}");
    assert!(
        stdout.contains("result: contract drift (1 error(s)"),
        "{stdout}"
    );
    assert!(stderr.starts_with("error: contract drift"), "{stderr}");

    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [(
            "error".to_owned(),
            "contract_drift".to_owned(),
            "certification/certification.yaml".to_owned()
        )]
    );
    assert_eq!(
        report["findings"][0]["cause"], "certification/certification.yaml",
        "a hand edit is its own cause"
    );
}

#[test]
fn a_hand_edited_reference_certification_manifest_is_detected_too() {
    let tmp = TempDir::new().unwrap();
    let source = reference("dpone-connector-demo-api");
    let dir = tmp.path().join("pkg");
    copy_tree(&source, &dir);
    let path = dir.join("certification/certification.yaml");
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("status: community", "status: certified");
    fs::write(&path, edited).unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 1);
    assert!(findings(&report).contains(&(
        "error".to_owned(),
        "contract_drift".to_owned(),
        "certification/certification.yaml".to_owned()
    )));
}

#[test]
fn a_lost_certification_manifest_is_contract_drift() {
    let (_tmp, dir) = demo();
    fs::remove_file(dir.join("certification/certification.yaml")).unwrap();
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.contains(
        "error certification/certification.yaml: missing, but the package has certification files (certification/run_certification.py, .github/workflows/certification.yml)"
    ), "{stdout}");
}

#[test]
fn a_reformatted_connector_manifest_is_contract_drift() {
    let (_tmp, dir) = demo();
    let path = dir.join("dpone_connector_manifest.json");
    let value: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [(
            "error".to_owned(),
            "contract_drift".to_owned(),
            "dpone_connector_manifest.json".to_owned()
        )]
    );
}

#[test]
fn declaring_a_capability_by_hand_shows_every_consequence() {
    // The person added `sink` to the manifest but nothing else.
    let (_tmp, dir) = demo();
    let path = dir.join("dpone_connector_manifest.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"source\"\n", "\"source\",\n    \"sink\"\n");
    fs::write(&path, text).unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    let found = findings(&report);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|(s, _, _)| s == "error")
        .map(|(_, kind, path)| (kind.as_str(), path.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("contract_drift", "dpone_connector_manifest.json"),
            ("missing_module", "src/dpone_connector_demo/sink.py"),
            ("contract_drift", "certification/certification.yaml"),
        ]
    );
    // Every one of them comes from the manifest edit, and the manifest says what changed.
    let first = &report["findings"][0];
    assert!(
        first["message"].as_str().unwrap().starts_with(
            "changed since the package was generated (capabilities source -> source, sink)"
        ),
        "{first}"
    );
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(
            finding["cause"], "dpone_connector_manifest.json",
            "{finding}"
        );
    }
}

/// The issue's report: `connector_type` edited in the connector manifest flagged
/// certification.yaml and four untouched files, and never named the manifest.
#[test]
fn an_edited_connector_manifest_is_named_as_the_cause() {
    let (_tmp, dir) = generate(
        ScaffoldRequest::new("demo")
            .capability("source")
            .capability("sink")
            .connector_type("database"),
    );
    let path = dir.join("dpone_connector_manifest.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("\"database\"", "\"api\"")).unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(
        found[0],
        (
            "error".to_owned(),
            "contract_drift".to_owned(),
            "dpone_connector_manifest.json".to_owned()
        )
    );
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "changed since the package was generated (connector_type `database` -> `api`); "
        ),
        "{message}"
    );
    assert!(
        message.contains("certification/certification.yaml"),
        "{message}"
    );
    let causes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["cause"].as_str().unwrap())
        .collect();
    assert!(found.len() > 2, "{found:?}");
    assert!(
        causes.iter().all(|c| *c == "dpone_connector_manifest.json"),
        "{causes:?}"
    );
    let (_, text, _) = run(&["check", dir.to_str().unwrap()]);
    assert!(
        text.lines()
            .find(|l| l.starts_with("error "))
            .unwrap()
            .starts_with(
                "error dpone_connector_manifest.json: changed since the package was generated"
            ),
        "{text}"
    );

    // Put back, the package is clean again; a person's edit elsewhere is its own cause.
    fs::write(&path, text_of(&path).replace("\"api\"", "\"database\"")).unwrap();
    let readme = dir.join("README.md");
    fs::write(&readme, "mine\n").unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 0);
    assert_eq!(report["findings"][0]["cause"], "README.md");
}

fn text_of(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn a_missing_declared_module_is_contract_drift() {
    let (_tmp, dir) = demo();
    fs::remove_file(dir.join("src/dpone_connector_demo/source.py")).unwrap();
    let (code, report) = check_json(&dir);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [(
            "error".to_owned(),
            "missing_module".to_owned(),
            "src/dpone_connector_demo/source.py".to_owned()
        )]
    );
}

#[test]
fn an_undeclared_capability_module_is_contract_drift() {
    let (_tmp, dir) = demo();
    fs::write(
        dir.join("src/dpone_connector_demo/state.py"),
        "STATE = {}\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.contains(
        "error src/dpone_connector_demo/state.py: module of capability `state`, which the manifest does not declare"
    ), "{stdout}");
}

#[test]
fn edited_and_missing_generated_files_are_information() {
    let (_tmp, dir) = demo();
    fs::write(dir.join("README.md"), "# mine now\n").unwrap();
    fs::remove_file(dir.join("examples/demo_to_postgres.yaml")).unwrap();
    fs::write(dir.join("NOTES.md"), "not generated, not looked at\n").unwrap();
    let (code, stdout, stderr) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.is_empty());
    let finding_lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("info") || l.starts_with("error"))
        .collect();
    assert_eq!(finding_lines.len(), 2, "{stdout}");
    assert!(
        finding_lines[0].starts_with("info  README.md: "),
        "{stdout}"
    );
    assert!(
        finding_lines[1].starts_with("info  examples/demo_to_postgres.yaml: "),
        "{stdout}"
    );
    assert!(stdout.contains("result: no contract drift (2 note(s))"));
}

#[test]
fn errors_are_listed_before_information() {
    let (_tmp, dir) = demo();
    fs::write(dir.join("README.md"), "# mine now\n").unwrap();
    fs::write(
        dir.join("certification/certification.yaml"),
        "edited: true\n",
    )
    .unwrap();
    let (_, report) = check_json(&dir);
    let severities: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(severities, ["error", "info"]);
}

#[test]
fn markdown_has_one_table_row_per_finding() {
    let (_tmp, dir) = demo();
    fs::write(
        dir.join("certification/certification.yaml"),
        "edited: true\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap(), "--format", "md"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("**contract drift (1 error(s), 0 note(s))**"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| error | `certification/certification.yaml` | drift: "),
        "{stdout}"
    );
}

#[test]
fn dir_defaults_to_the_current_directory() {
    let (_tmp, dir) = demo();
    let (code, stdout, _) = run_in(Some(&dir), &["check"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("checked . (demo, api;"), "{stdout}");
}

#[test]
fn check_does_not_change_the_package() {
    let (_tmp, dir) = demo();
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    let before = snapshot(&dir);
    run(&["check", dir.to_str().unwrap()]);
    assert_eq!(snapshot(&dir), before);
}

#[rstest]
#[case::not_json("{ nope", "dpone_connector_manifest.json: not valid JSON")]
#[case::not_an_object("[1, 2]", "dpone_connector_manifest.json: expected a JSON object")]
#[case::missing_field(r#"{"connector": "demo"}"#, "`connector_type` is missing")]
#[case::unknown_capability(
    r#"{"connector": "demo", "connector_type": "api", "capabilities": ["teleport"], "native_capabilities": []}"#,
    "dpone_connector_manifest.json: unsupported capability \"teleport\"; expected one of: "
)]
#[case::unknown_type(
    r#"{"connector": "demo", "connector_type": "fax", "capabilities": [], "native_capabilities": []}"#,
    "unsupported connector type \"fax\""
)]
fn an_unreadable_manifest_is_bad_input(#[case] manifest: &str, #[case] message: &str) {
    let (_tmp, dir) = demo();
    fs::write(dir.join("dpone_connector_manifest.json"), manifest).unwrap();
    let (code, stdout, stderr) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    if message.ends_with("expected one of: ") {
        // The choices are the registry's.
        let choices = format!("{message}{}\n", common::runtime_choices());
        assert!(stderr.ends_with(&choices), "{stderr}");
    }
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_directory_that_is_not_a_package_is_bad_input() {
    let tmp = TempDir::new().unwrap();
    let (code, _, stderr) = run(&["check", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not a connector package: dpone_connector_manifest.json not found"),
        "{stderr}"
    );
    generate_into(tmp.path(), ScaffoldRequest::new("beta"));
    generate_into(tmp.path(), ScaffoldRequest::new("alpha"));
    let (code, _, stderr) = run(&["check", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr
            .trim_end()
            .ends_with("not found (packages inside: dpone-connector-alpha, dpone-connector-beta)"),
        "{stderr}"
    );
    let missing = tmp.path().join("nowhere");
    let (code, _, stderr) = run(&["check", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a directory"), "{stderr}");
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}
