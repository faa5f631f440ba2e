//! One convention for every command: the package directory as a positional argument,
//! `-q/--quiet`, `--format json` errors as JSON objects, and plans said in the conditional
//! when nothing was written.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::outcome;
use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;

fn cli(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(
        Command::cargo_bin("dpone-connectors")
            .unwrap()
            .current_dir(cwd)
            .env_remove("CI")
            .args(args)
            .output()
            .unwrap(),
    )
}

/// A temporary directory with a fresh `demo` package in `dpone-connector-demo`.
fn with_package() -> TempDir {
    let root = TempDir::new().unwrap();
    let (code, _, stderr) = cli(root.path(), &["scaffold", "demo", "--capability", "sink"]);
    assert_eq!(code, 0, "{stderr}");
    root
}

const PACKAGE: &str = "dpone-connector-demo";

#[test]
fn certify_takes_the_package_directory_as_an_argument_or_as_the_old_flag() {
    let root = with_package();
    let positional = cli(root.path(), &["certify", PACKAGE, "--format", "json"]);
    let flag = cli(
        root.path(),
        &["certify", "--package", PACKAGE, "--format", "json"],
    );
    let inside = cli(&root.path().join(PACKAGE), &["certify", "--format", "json"]);
    assert_eq!(positional.0, 1, "{}", positional.2);
    assert_eq!(positional, flag);
    // The same verdict from inside the package (whose report names it `.`).
    assert_eq!(positional.0, inside.0);
    let status = |json: &str| serde_json::from_str::<Value>(json).unwrap()["status"].clone();
    assert_eq!(status(&positional.1), status(&inside.1));
    let both = cli(root.path(), &["certify", PACKAGE, "--package", PACKAGE]);
    assert_eq!(both.0, 2);
    assert!(!cli(root.path(), &["certify", "--help"])
        .1
        .contains("--package"));
}

#[test]
fn native_certification_reads_the_package_directory_given() {
    let root = with_package();
    let args = ["--capability", "native_transfer.stream", "--format", "json"];
    let inside = cli(
        &root.path().join(PACKAGE),
        &[&["certify"][..], &args].concat(),
    );
    let given = cli(root.path(), &[&["certify", PACKAGE][..], &args].concat());
    assert_eq!(given, inside);
    let report: Value = serde_json::from_str(&given.1).unwrap();
    assert_eq!(report["connector"], "demo", "{report}");
}

#[rstest]
#[case::scaffold(&["scaffold", "other"], 0)]
#[case::certify(&["certify", PACKAGE], 1)]
#[case::check(&["check", PACKAGE], 0)]
#[case::list(&["list", "--strict"], 0)]
#[case::capabilities(&["capabilities", "--format", "json"], 0)]
#[case::add_capability(&["add-capability", PACKAGE, "--capability", "state"], 0)]
fn quiet_prints_nothing_and_keeps_the_exit_status(#[case] args: &[&str], #[case] code: i32) {
    let root = with_package();
    for quiet in ["-q", "--quiet"] {
        let (got, stdout, stderr) = cli(root.path(), &[args, &[quiet]].concat());
        assert_eq!(
            (got, stdout.as_str(), stderr.as_str()),
            (code, "", ""),
            "{args:?} {quiet}"
        );
    }
    if args[0] == "scaffold" {
        // The work was still done.
        assert!(root.path().join("dpone-connector-other").is_dir());
    }
}

#[rstest]
#[case::scaffold(&["scaffold", "!!!"], "invalid_request", None)]
#[case::certify(&["certify", "nope"], "not_a_package", Some("nope"))]
#[case::check(&["check", "nope"], "not_a_directory", Some("nope"))]
#[case::list(&["list", "nope"], "not_a_directory", Some("nope"))]
#[case::add_capability(&["add-capability", "nope", "--capability", "sink"], "not_a_directory", Some("nope"))]
#[case::usage(&["scaffold", "x", "--connector-type", "graph"], "usage", None)]
#[case::unknown_command(&["nope"], "usage", None)]
fn with_format_json_an_error_is_a_json_object_on_stderr(
    #[case] args: &[&str],
    #[case] kind: &str,
    #[case] path: Option<&str>,
) {
    let root = TempDir::new().unwrap();
    let (code, stdout, stderr) = cli(root.path(), &[args, &["--format", "json"]].concat());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let error: Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(error["error"]["kind"], kind, "{error}");
    assert_eq!(
        error["error"]["path"],
        path.map_or(Value::Null, Value::from),
        "{error}"
    );
    let message = error["error"]["message"].as_str().unwrap();
    // The same message as the text form, without its `error: ` prefix.
    let (_, _, text) = cli(root.path(), args);
    assert_eq!(text, format!("error: {message}\n"));
}

#[test]
fn a_refused_write_reports_json_on_stdout_and_the_error_on_stderr() {
    let root = with_package();
    std::fs::write(root.path().join(PACKAGE).join("README.md"), "mine\n").unwrap();
    let (code, stdout, stderr) = cli(
        root.path(),
        &[
            "scaffold",
            "demo",
            "--capability",
            "sink",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2);
    let result: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        result["conflicts"],
        serde_json::json!([format!("{PACKAGE}/README.md")])
    );
    let error: Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(error["error"]["kind"], "conflicts");
    assert_eq!(error["error"]["path"], PACKAGE);
}

#[test]
fn nothing_written_is_said_in_the_conditional() {
    let root = TempDir::new().unwrap();
    let (code, stdout, _) = cli(root.path(), &["scaffold", "demo", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("would scaffold "), "{stdout}");
    assert!(
        stdout.contains(" would be created, 0 unchanged, 0 would be overwritten, 0 conflicts\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    would create    dpone-connector-demo/README.md\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("    created "), "{stdout}");
    assert!(!root.path().join(PACKAGE).exists());

    let root = with_package();
    std::fs::write(root.path().join(PACKAGE).join("README.md"), "mine\n").unwrap();
    std::fs::remove_file(root.path().join(PACKAGE).join("docs/demo.md")).unwrap();
    let (code, stdout, _) = cli(root.path(), &["scaffold", "demo", "--capability", "sink"]);
    assert_eq!(code, 2);
    assert!(stdout.starts_with("refused "), "{stdout}");
    assert!(
        stdout.contains("    would create    dpone-connector-demo/docs/demo.md\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    conflict        dpone-connector-demo/README.md\n"),
        "{stdout}"
    );
    assert!(!root.path().join(PACKAGE).join("docs/demo.md").exists());
}

#[test]
fn a_usage_error_is_one_line_naming_the_help_to_read() {
    let root = TempDir::new().unwrap();
    let (code, stdout, stderr) = cli(root.path(), &["certify", "--profil", "static"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: unexpected argument '--profil'"),
        "{stderr}"
    );
    assert!(stderr.contains("'--profile'"), "the tip is kept: {stderr}");
    assert!(
        stderr
            .trim_end()
            .ends_with("(see `dpone-connectors certify --help`)"),
        "{stderr}"
    );
}

#[test]
fn scaffold_help_says_when_name_may_be_left_out() {
    let root = TempDir::new().unwrap();
    let (_, help, _) = cli(root.path(), &["scaffold", "--help"]);
    assert!(
        help.contains("Usage: dpone-connectors scaffold NAME [OPTIONS]"),
        "{help}"
    );
    assert!(
        help.contains("dpone-connectors scaffold --from FILE [OPTIONS]"),
        "{help}"
    );
    assert!(
        help.contains("required unless --from FILE, asked for at a terminal"),
        "{help}"
    );
}

#[rstest]
#[case::missing_arguments(&["add-capability"], "the following required arguments were not provided: <--capability <CAPABILITY>|--native-capability <NATIVE>> <DIR>", "add-capability")]
#[case::invalid_value(&["scaffold", "x", "--format", "yaml"], "invalid value 'yaml' for '--format <FORMAT>' [possible values: text, json, md]", "scaffold")]
#[case::conflict(&["scaffold", "x", "--from", "y"], "the argument '[NAME]' cannot be used with '--from <FILE>'", "scaffold")]
fn a_usage_error_keeps_what_clap_said_on_one_line(
    #[case] args: &[&str],
    #[case] said: &str,
    #[case] command: &str,
) {
    let root = TempDir::new().unwrap();
    let (code, stdout, stderr) = cli(root.path(), args);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!("error: {said} (see `dpone-connectors {command} --help`)\n")
    );
}
