//! `dpone-connectors certify --capability ...`: native-transfer certification, end to end.

mod common;

use common::strings;
use std::fs;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use rstest::rstest;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("dpone-connectors").unwrap_or_else(|e| panic!("{e}"))
}

/// A package directory holding `certification/certification.yaml` with `manifest`.
fn package(manifest: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    if let Some(text) = manifest {
        fs::create_dir_all(dir.path().join("certification")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("certification/certification.yaml"), text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn certify(dir: &Path, args: &[&str]) -> Run {
    let output = bin()
        .current_dir(dir)
        .arg("certify")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

const STREAM: &str = "native_transfer.stream";

const COMPLETE: &str = "connector: demo\nconnector_type: database\nnative_transfer:\n  capabilities:\n    stream_export:\n      formats: [tabseparated, jsonl]\n      bounded: true\n      supports_checksum: true\n      supports_cleanup: true\n    stream_staging_load:\n      formats: [tabseparated, jsonl]\n      staging_safe: true\n      supports_abort: true\n      supports_idempotency_key: true\n";

#[test]
fn json_report_is_byte_for_byte_the_reference_layout() {
    let dir = package(None);
    let run = certify(dir.path(), &["--capability", STREAM, "--format", "json"]);
    let expected = r#"{
  "blockers": [
    "native_transfer_stream_capability_missing"
  ],
  "capabilities": {
    "native_transfer.stream": {
      "blockers": [
        "native_transfer_stream_capability_missing"
      ],
      "cases": [],
      "name": "native_transfer.stream",
      "status": "blocked"
    }
  },
  "connector": "unknown",
  "connector_type": "unknown",
  "passed": false,
  "profile": "static",
  "schema_version": "dpone.connector_capability_certification.v1",
  "status": "blocked"
}
"#;
    assert_eq!(run.stdout, expected);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
}

#[rstest]
#[case("static", &["manifest_schema", "secret_redaction", "docs_contract"], "static_profile_is_plan_only")]
#[case("local_live", &["stream_success", "file_fallback", "source_failure", "sink_failure", "timeout", "checksum_mismatch"], "live_evidence_not_provided:local_live")]
#[case("vendor_live", &["stream_success", "file_fallback", "source_failure", "sink_failure", "timeout", "checksum_mismatch"], "live_evidence_not_provided:vendor_live")]
fn complete_stream_declarations_plan_the_profile_cases(
    #[case] profile: &str,
    #[case] cases: &[&str],
    #[case] blocker: &str,
) {
    let dir = package(Some(COMPLETE));
    let run = certify(
        dir.path(),
        &[
            "--capability",
            STREAM,
            "--profile",
            profile,
            "--format",
            "json",
        ],
    );
    let report = json(&run);
    assert_eq!(report["status"], "unverified");
    assert_eq!(report["connector"], "demo");
    assert_eq!(report["connector_type"], "database");
    assert_eq!(report["profile"], profile);
    assert_eq!(strings(&report["blockers"]), [blocker]);
    let planned: Vec<&str> = report["capabilities"][STREAM]["cases"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(planned, cases);
    assert!(report["capabilities"][STREAM]["cases"]
        .as_array()
        .is_some_and(|c| c
            .iter()
            .all(|c| c["status"] == "unverified" && c["failure_code"].is_null())));
    // Not certified: exit 1, unless the report is all that was asked for.
    assert_eq!(run.code, 1);
    let only = certify(
        dir.path(),
        &[
            "--capability",
            STREAM,
            "--profile",
            profile,
            "--report-only",
        ],
    );
    assert_eq!(only.code, 0);
}

#[rstest]
#[case::export_unbounded(
    "native_transfer:\n  capabilities:\n    stream_export: {bounded: false, supports_cleanup: true}\n",
    &["stream_export_contract_incomplete"]
)]
#[case::load_without_abort(
    "native_transfer:\n  capabilities:\n    stream_staging_load: {staging_safe: true}\n",
    &["stream_staging_load_contract_incomplete"]
)]
#[case::only_file_and_object(
    "native_transfer:\n  capabilities:\n    file_export: {bounded: true, supports_cleanup: true}\n    object_staging_load: {}\n",
    &["native_transfer_stream_capability_missing"]
)]
#[case::unregistered_names_by_prefix_and_suffix(
    "native_transfer:\n  capabilities:\n    stream_foo: {bounded: true}\n    stream_bar_staging_load: {staging_safe: true, supports_abort: true}\n    stream_baz_staging_load: {bounded: true, supports_cleanup: true}\n",
    &["stream_foo_contract_incomplete", "stream_baz_staging_load_contract_incomplete"]
)]
#[case::yaml_1_1_booleans(
    "native_transfer:\n  capabilities:\n    stream_export: {bounded: yes, supports_cleanup: off}\n    stream_staging_load: {staging_safe: on, supports_abort: 'no'}\n",
    &["stream_export_contract_incomplete"]
)]
#[case::non_mapping_declarations_are_skipped(
    "native_transfer:\n  capabilities:\n    stream_export: yes\n",
    &["native_transfer_stream_capability_missing"]
)]
fn stream_rules(#[case] manifest: &str, #[case] blockers: &[&str]) {
    let dir = package(Some(manifest));
    let run = certify(dir.path(), &["--capability", STREAM, "--format", "json"]);
    let report = json(&run);
    assert_eq!(report["status"], "blocked");
    assert_eq!(strings(&report["blockers"]), blockers);
    assert_eq!(
        report["capabilities"][STREAM]["cases"],
        serde_json::json!([])
    );
    assert_eq!(run.code, 1);
}

#[test]
fn unknown_and_repeated_capabilities() {
    let dir = package(Some(COMPLETE));
    let run = certify(
        dir.path(),
        &[
            "--capability",
            "native_transfer.batch",
            "--capability",
            STREAM,
            "--capability",
            "native_transfer.batch",
            "--capability",
            "source",
            "--format",
            "json",
        ],
    );
    let report = json(&run);
    let names: Vec<&String> = report["capabilities"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(names, ["native_transfer.batch", STREAM, "source"]);
    assert_eq!(report["status"], "blocked");
    assert_eq!(
        strings(&report["blockers"]),
        [
            "unsupported_capability:native_transfer.batch",
            "static_profile_is_plan_only",
            "unsupported_capability:source"
        ]
    );
}

#[rstest]
#[case::empty_file("")]
#[case::yaml_list("- a\n- b\n")]
#[case::scalar("just text\n")]
#[case::no_manifest_fields("quality_gates: {unit_tests: true}\n")]
fn manifests_without_a_mapping_or_names_are_unknown(#[case] manifest: &str) {
    let dir = package(Some(manifest));
    let report = json(&certify(
        dir.path(),
        &["--capability", STREAM, "--format", "json"],
    ));
    assert_eq!(report["connector"], "unknown");
    assert_eq!(report["connector_type"], "unknown");
    assert_eq!(
        strings(&report["blockers"]),
        ["native_transfer_stream_capability_missing"]
    );
}

#[rstest]
#[case("connector: yes\nconnector_type: 010\n", "True", "8")]
#[case("connector: 'yes'\nconnector_type: 1.0e+5\n", "yes", "100000.0")]
#[case(
    "connector: [a, 1]\nconnector_type: 2024-01-31\n",
    "['a', 1]",
    "2024-01-31"
)]
#[case("connector: 0\nconnector_type: ''\n", "unknown", "unknown")]
fn names_print_as_python_str(#[case] manifest: &str, #[case] connector: &str, #[case] kind: &str) {
    let dir = package(Some(manifest));
    let report = json(&certify(
        dir.path(),
        &["--capability", STREAM, "--format", "json"],
    ));
    assert_eq!(report["connector"], connector);
    assert_eq!(report["connector_type"], kind);
}

#[rstest]
#[case::native_transfer_list(
    "connector: listy\nnative_transfer:\n  capabilities:\n  - stream_export\n"
)]
#[case::native_transfer_scalar("native_transfer: stream\n")]
#[case::formats_number("native_transfer:\n  capabilities:\n    stream_export: {formats: 3}\n")]
#[case::syntax_error("connector: [unclosed\n")]
#[case::tab_indent("\tconnector: x\n")]
#[case::two_documents("connector: a\n---\nconnector: b\n")]
#[case::unknown_tag("connector: !custom x\n")]
fn malformed_manifests_are_one_line_errors(#[case] manifest: &str) {
    let dir = package(Some(manifest));
    for extra in [&[][..], &["--report-only"][..]] {
        let mut args = vec!["--capability", STREAM];
        args.extend_from_slice(extra);
        let run = certify(dir.path(), &args);
        assert_eq!(run.code, 2, "{manifest:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(run
            .stderr
            .starts_with("error: certification/certification.yaml: "));
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn unreadable_manifests_are_errors() {
    let dir = package(None);
    fs::create_dir_all(dir.path().join("certification/certification.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = certify(dir.path(), &["--capability", STREAM]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .starts_with("error: cannot read certification/certification.yaml"));
    let dir = package(None);
    fs::create_dir_all(dir.path().join("certification")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        dir.path().join("certification/certification.yaml"),
        b"connector: \xff\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = certify(dir.path(), &["--capability", STREAM]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
}

#[test]
fn markdown_is_the_default_summary_first_then_cases() {
    let dir = package(Some(COMPLETE));
    let run = certify(dir.path(), &["--capability", STREAM, "--capability", "x"]);
    assert_eq!(run.code, 1);
    let md = &run.stdout;
    assert!(
        md.starts_with("# Native-transfer certification: `demo`\n"),
        "{md}"
    );
    let verdict = md.find("**Verdict: not certified (blocked).**");
    let blockers = md.find("- `x`: `unsupported_capability:x`");
    let table = md.find("| capability | case | status | failure code |");
    assert!(
        verdict.is_some() && blockers.is_some() && table.is_some(),
        "{md}"
    );
    assert!(verdict < blockers && blockers < table);
    assert!(md.contains("2 capabilities requested: 1 unverified, 1 blocked."));
    assert!(md.contains("| `native_transfer.stream` | `docs_contract` | unverified | - |"));
}

#[rstest]
#[case(&["--format", "text"])]
#[case(&["--format", "xml"])]
#[case(&[".", "--package", "."])]
fn bad_flags_for_native_mode_are_refused(#[case] extra: &[&str]) {
    let dir = package(Some(COMPLETE));
    let mut args = vec!["--capability", STREAM];
    args.extend_from_slice(extra);
    let run = certify(dir.path(), &args);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[test]
fn md_is_the_reference_markdown_format() {
    // One spelling across commands (`md`); the reference's `markdown` is accepted too.
    let dir = package(Some(COMPLETE));
    let default = certify(dir.path(), &["--capability", STREAM]);
    let md = certify(dir.path(), &["--capability", STREAM, "--format", "md"]);
    let markdown = certify(
        dir.path(),
        &["--capability", STREAM, "--format", "markdown"],
    );
    assert!(default
        .stdout
        .starts_with("# Native-transfer certification"));
    assert_eq!(md.stdout, default.stdout);
    assert_eq!(markdown.stdout, default.stdout);
    assert_eq!((md.code, markdown.code), (default.code, default.code));
}

#[test]
fn unknown_profile_is_a_usage_error() {
    let dir = package(Some(COMPLETE));
    let run = certify(dir.path(), &["--capability", STREAM, "--profile", "cloud"]);
    assert_eq!(run.code, 2);
}

/// A file that must exist and be text: a missing artifact fails the test.
fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn artifacts_hold_the_json_report_and_the_reference_markdown() {
    let dir = package(Some(COMPLETE));
    let artifacts = dir.path().join("out/certify");
    let artifacts_arg = artifacts.to_string_lossy().into_owned();
    let json_run = certify(
        dir.path(),
        &[
            "--capability",
            STREAM,
            "--format",
            "json",
            "--artifact-dir",
            &artifacts_arg,
        ],
    );
    let md_run = certify(dir.path(), &["--capability", STREAM]);
    assert_eq!(
        fs::read_to_string(artifacts.join("connector-capability-certification.json")).ok(),
        Some(json_run.stdout)
    );
    // The markdown artifact is the reference's layout, whichever front end publishes it;
    // stdout has the page for people.
    let md = read(&artifacts.join("connector-capability-certification.md"));
    assert!(
        md.starts_with("# dpone connector capability certification\n\n- connector: `demo`\n"),
        "{md}"
    );
    assert!(md_run
        .stdout
        .starts_with("# Native-transfer certification: `demo`\n"));
    assert_eq!(
        entries(&artifacts),
        [
            ".connector-capability-certification.lock",
            "connector-capability-certification.json",
            "connector-capability-certification.md"
        ]
    );
}

#[test]
fn an_unusable_artifact_dir_is_exit_2_without_a_report() {
    let dir = package(Some(COMPLETE));
    fs::write(dir.path().join("taken"), "a file").unwrap_or_else(|e| panic!("{e}"));
    for target in ["taken", "taken/below"] {
        let run = certify(
            dir.path(),
            &[
                "--capability",
                STREAM,
                "--report-only",
                "--artifact-dir",
                target,
            ],
        );
        assert_eq!(run.code, 2, "{target}");
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr
                .starts_with("error: cannot publish certification artifacts: "),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1);
    }
}

#[test]
fn concurrent_runs_into_one_artifact_dir_end_with_a_complete_pair() {
    let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let artifacts = root.path().join("shared-artifacts");
    let exe = assert_cmd::cargo::cargo_bin("dpone-connectors");
    let mut children = Vec::new();
    for i in 0..12 {
        let pkg = root.path().join(format!("pkg{i}"));
        fs::create_dir_all(pkg.join("certification")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(
            pkg.join("certification/certification.yaml"),
            COMPLETE.replace("connector: demo", &format!("connector: writer_{i}")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let child = StdCommand::new(&exe)
            .current_dir(&pkg)
            .args([
                "certify",
                "--capability",
                STREAM,
                "--report-only",
                "--artifact-dir",
            ])
            .arg(&artifacts)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        children.push(child);
    }
    for child in children {
        let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json_text = read(&artifacts.join("connector-capability-certification.json"));
    let report: Value = serde_json::from_str(&json_text).unwrap_or_else(|e| panic!("{e}"));
    let writer = report["connector"].as_str().unwrap_or_default().to_owned();
    assert!(writer.starts_with("writer_"), "{writer}");
    let md = read(&artifacts.join("connector-capability-certification.md"));
    assert!(
        md.contains(&format!("\n- connector: `{writer}`\n")),
        "the pair comes from different runs: {writer} vs {md:.60}"
    );
    assert_eq!(entries(&artifacts).len(), 3, "{:?}", entries(&artifacts));
}

#[test]
fn a_reader_never_sees_a_torn_report() {
    let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let artifacts = root.path().join("artifacts");
    let pkg = root.path().join("pkg");
    fs::create_dir_all(pkg.join("certification")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(pkg.join("certification/certification.yaml"), COMPLETE)
        .unwrap_or_else(|e| panic!("{e}"));
    let exe = assert_cmd::cargo::cargo_bin("dpone-connectors");
    let run_once = move || {
        StdCommand::new(&exe)
            .current_dir(&pkg)
            .args([
                "certify",
                "--capability",
                STREAM,
                "--report-only",
                "--artifact-dir",
            ])
            .arg(&artifacts)
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    assert!(run_once());
    let json_path = root
        .path()
        .join("artifacts/connector-capability-certification.json");
    let expected = read(&json_path);
    assert!(
        expected.starts_with('{') && expected.ends_with("}\n"),
        "{expected}"
    );
    let writer = std::thread::spawn(move || (0..15).all(|_| run_once()));
    let mut reads = 0;
    while !writer.is_finished() {
        // The report is replaced by a rename: it never goes missing or shows half.
        let text = read(&json_path);
        assert_eq!(text, expected, "a reader saw a partial report");
        reads += 1;
    }
    assert!(writer.join().unwrap_or(false));
    assert!(reads > 0);
}
