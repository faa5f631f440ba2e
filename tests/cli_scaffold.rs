//! `dpone-connectors scaffold` as a person (or a script) runs it.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use rstest::rstest;
use serde_json::{json, Value};
use tempfile::TempDir;

fn cli(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dpone-connectors").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn json_output(dir: &Path, args: &[&str]) -> Value {
    let output = cli(dir)
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).unwrap()
}

fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn json_result_has_the_reference_keys_and_values() {
    let tmp = TempDir::new().unwrap();
    let result = json_output(
        tmp.path(),
        &[
            "scaffold",
            "Demo API",
            "--root",
            "out",
            "--capability",
            "sink",
            "--capability",
            "source",
            "--native-capability",
            "stream_export",
        ],
    );
    let pkg = "out/dpone-connector-demo-api";
    assert_eq!(result["connector"], "demo_api");
    assert_eq!(result["connector_type"], "api");
    assert_eq!(result["capabilities"], json!(["sink", "source"]));
    assert_eq!(result["native_capabilities"], json!(["stream_export"]));
    assert_eq!(result["package_name"], "dpone-connector-demo-api");
    assert_eq!(result["import_package"], "dpone_connector_demo_api");
    assert_eq!(result["sdk_root"], pkg);
    assert_eq!(
        result["certification_manifest"],
        format!("{pkg}/certification/certification.yaml")
    );
    let keys: Vec<&str> = result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..9],
        [
            "connector",
            "connector_type",
            "capabilities",
            "native_capabilities",
            "package_name",
            "import_package",
            "sdk_root",
            "files",
            "certification_manifest"
        ]
    );
    let files: Vec<&str> = result["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for file in &files {
        assert!(
            tmp.path().join(file).is_file(),
            "{file} listed but not written"
        );
    }
    assert_eq!(result["created"].as_array().unwrap().len(), files.len());
    assert!(files.contains(&"out/dpone-connector-demo-api/examples/postgres_to_demo_api.yaml"));
    assert!(files.contains(&"out/dpone-connector-demo-api/examples/demo_api_to_postgres.yaml"));
}

#[test]
fn defaults_are_the_references() {
    let tmp = TempDir::new().unwrap();
    let result = json_output(tmp.path(), &["scaffold", "x"]);
    assert_eq!(result["connector_type"], "api");
    assert_eq!(result["capabilities"], json!(["source"]));
    assert_eq!(result["native_capabilities"], json!([]));
    assert_eq!(result["sdk_root"], "dpone-connector-x");
    assert_eq!(
        result["certification_manifest"],
        "dpone-connector-x/certification/certification.yaml"
    );
    assert!(tmp
        .path()
        .join("dpone-connector-x/.github/workflows/certification.yml")
        .is_file());
}

#[test]
fn no_certification_skips_the_certification_files() {
    let tmp = TempDir::new().unwrap();
    let result = json_output(tmp.path(), &["scaffold", "x", "--no-certification"]);
    assert_eq!(result["certification_manifest"], Value::Null);
    assert!(!tmp.path().join("dpone-connector-x/certification").exists());
    assert!(!tmp.path().join("dpone-connector-x/.github").exists());
}

#[test]
fn a_sink_only_package_has_no_source_example_and_state_only_no_example() {
    let tmp = TempDir::new().unwrap();
    json_output(tmp.path(), &["scaffold", "s", "--capability", "sink"]);
    assert_eq!(
        tree(&tmp.path().join("dpone-connector-s/examples")),
        ["postgres_to_s.yaml"]
    );
    json_output(tmp.path(), &["scaffold", "t", "--capability", "state"]);
    assert!(!tmp.path().join("dpone-connector-t/examples").exists());
}

#[rstest]
#[case::empty_name(&["scaffold", ""], "must contain at least one alphanumeric character")]
#[case::symbol_name(&["scaffold", "!!!"], "must contain at least one alphanumeric character")]
#[case::cjk_name(&["scaffold", "日本語"], "must contain at least one alphanumeric character")]
#[case::root_is_a_file(&["scaffold", "x", "--root", "a-file"], "a-file exists and is not a directory")]
fn bad_input_is_one_clear_line_exit_2_and_nothing_written(
    #[case] args: &[&str],
    #[case] message: &str,
) {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("a-file"), "keep me").unwrap();
    let before = tree(tmp.path());
    let assert = cli(tmp.path()).args(args).assert().code(2).stdout("");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr:?}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(message),
        "{stderr:?}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(tree(tmp.path()), before);
    assert_eq!(
        fs::read_to_string(tmp.path().join("a-file")).unwrap(),
        "keep me"
    );
}

#[rstest]
#[case::unknown_type(&["scaffold", "x", "--connector-type", "ftp"])]
#[case::unknown_capability(&["scaffold", "x", "--capability", "transform"])]
#[case::unknown_native(&["scaffold", "x", "--native-capability", "carrier_pigeon"])]
#[case::unknown_format(&["scaffold", "x", "--format", "yaml"])]
#[case::missing_name(&["scaffold"])]
fn usage_errors_exit_2_and_write_nothing(#[case] args: &[&str]) {
    let tmp = TempDir::new().unwrap();
    cli(tmp.path())
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error:"));
    assert!(tree(tmp.path()).is_empty());
}

#[test]
fn text_and_markdown_reports_are_for_people() {
    let tmp = TempDir::new().unwrap();
    let text = cli(tmp.path())
        .args(["scaffold", "Demo API", "--capability", "source"])
        .assert()
        .success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(
        text.starts_with("scaffolded dpone-connector-demo-api (api) in dpone-connector-demo-api\n")
    );
    assert!(text.contains("capabilities:        source\n"));
    assert!(!text.contains("['"), "no Python list reprs");
    let md = cli(tmp.path())
        .args(["scaffold", "Demo API", "--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8(md.get_output().stdout.clone()).unwrap();
    assert!(md.starts_with("# up to date: `dpone-connector-demo-api`\n"));
    assert!(md.contains("| `dpone-connector-demo-api/pyproject.toml` | unchanged |"));
}

#[test]
fn same_input_same_bytes() {
    let a = TempDir::new().unwrap();
    let b = TempDir::new().unwrap();
    for dir in [a.path(), b.path()] {
        cli(dir)
            .args([
                "scaffold",
                "Same",
                "--capability",
                "state",
                "--capability",
                "source",
                "--native-capability",
                "file_export",
            ])
            .assert()
            .success();
    }
    let files = tree(a.path());
    assert_eq!(files, tree(b.path()));
    for file in files.iter().filter(|f| a.path().join(f).is_file()) {
        assert_eq!(
            fs::read(a.path().join(file)).unwrap(),
            fs::read(b.path().join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_package_prefix_names_the_package_and_later_commands_keep_it() {
    let tmp = TempDir::new().unwrap();
    let result = json_output(
        tmp.path(),
        &[
            "scaffold",
            "demo",
            "--package-prefix",
            "Acme Corp",
            "--capability",
            "sink",
        ],
    );
    assert_eq!(result["package_name"], "acme-corp-demo");
    assert_eq!(result["import_package"], "acme_corp_demo");
    assert_eq!(result["sdk_root"], "acme-corp-demo");
    let package = tmp.path().join("acme-corp-demo");
    let manifest: Value =
        serde_json::from_slice(&fs::read(package.join("dpone_connector_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["import_package"], "acme_corp_demo");
    assert!(package.join("src/acme_corp_demo/sink.py").is_file());
    // `check` regenerates with the recorded prefix: a fresh package has no drift.
    cli(tmp.path())
        .args(["check", "acme-corp-demo"])
        .assert()
        .success();
    // `add-capability` keeps the prefix too.
    let evolved = json_output(
        tmp.path(),
        &["add-capability", "acme-corp-demo", "--capability", "state"],
    );
    assert!(evolved["created"]
        .as_array()
        .unwrap()
        .contains(&json!("src/acme_corp_demo/state.py")));
}

#[test]
fn a_prefix_without_alphanumerics_is_refused() {
    let tmp = TempDir::new().unwrap();
    cli(tmp.path())
        .args(["scaffold", "demo", "--package-prefix", "__"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "package prefix \"__\" must contain at least one alphanumeric character",
        ));
    assert!(tree(tmp.path()).is_empty());
}

#[rstest]
#[case("NAME")]
#[case("--description")]
#[case("--license")]
fn an_error_quotes_a_short_visible_prefix_of_a_huge_value(#[case] flag: &str) {
    let tmp = TempDir::new().unwrap();
    let value = format!("\u{1b}]\u{7}{}", "!".repeat(100_000));
    let args: Vec<&str> = match flag {
        "NAME" => vec!["scaffold", &value],
        _ => vec!["scaffold", "demo", flag, &value],
    };
    let output = cli(tmp.path()).args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.len() < 300, "{} bytes", stderr.len());
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'));
    assert!(stderr.contains("more characters"), "{stderr}");
}

#[test]
fn terminal_escapes_in_a_package_are_shown_not_obeyed() {
    let tmp = TempDir::new().unwrap();
    cli(tmp.path())
        .args(["scaffold", "demo"])
        .assert()
        .success();
    let manifest = tmp
        .path()
        .join("dpone-connector-demo/dpone_connector_manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace(
            "\"connector\": \"demo\"",
            "\"connector\": \"demo\\u001b[2J\\u009b\"",
        ),
    )
    .unwrap();
    for format in ["text", "md"] {
        let output = cli(tmp.path())
            .args([
                "certify",
                "--package",
                "dpone-connector-demo",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("\\u{1b}[2J"), "{format}: {stdout}");
        assert!(!stdout.contains(['\u{1b}', '\u{9b}']), "{format}");
    }
}

#[rstest]
#[case(&["capabilities"][..])]
#[case(&["scaffold", "demo", "--format", "json"][..])]
#[case(&["scaffold", "--from", "spec.json"][..])]
fn output_that_cannot_be_written_is_a_failure(#[case] args: &[&str]) {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("spec.json"),
        r#"{"connectors": [{"name": "a"}]}"#,
    )
    .unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dpone-connectors"))
        .current_dir(tmp.path())
        .args(args)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot write the output"), "{stderr}");
}
