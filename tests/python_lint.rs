//! A package reformatted with `ruff format` is still one `check` and `add-capability` accept
//! as unedited. (That `ruff check`, `ruff format --check` and `mypy --strict` pass for every
//! capability of the registry, alone and all at once, is the contract kit's rule:
//! `tests/contract_kit.rs`.)
//!
//! Needs `python3 -m ruff` and `python3 -m mypy` (`.ci/run` and `scripts/test.sh` install
//! them). Without them the tests fail, unless `DPONE_TEST_ALLOW_SKIP=tools` allows the skip
//! (it is printed).

use std::path::{Path, PathBuf};
use std::process::Command;

use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{scaffold, ScaffoldRequest};
use tempfile::TempDir;

mod common;

/// Whether `python3 -m <tool>` runs; fails when it does not, unless the skip is allowed.
fn tool_available(tool: &str) -> bool {
    let works = Command::new("python3")
        .args(["-m", tool, "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        common::cannot_run(
            common::Missing::Tools,
            &format!(
            "python3 -m {tool} is not installed (.ci/run installs it); generated Python not linted"
        ),
        );
    }
    works
}

fn generate(root: &Path, name: &str, capabilities: &[&str], natives: &[&str]) -> PathBuf {
    let mut request = ScaffoldRequest::new(name).root(root);
    for c in capabilities {
        request = request.capability(*c);
    }
    for n in natives {
        request = request.native_capability(*n);
    }
    let write = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    PathBuf::from(scaffold(&request, &write).unwrap().sdk_root)
}

fn python(package: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new("python3")
        .args(args)
        .current_dir(package)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

fn assert_ruff_clean(package: &Path) {
    for args in [
        &["-m", "ruff", "check", "--no-cache", "."][..],
        &["-m", "ruff", "format", "--check", "--no-cache", "."][..],
    ] {
        let (ok, out) = python(package, args);
        assert!(ok, "{args:?} in {}:\n{out}", package.display());
    }
}

#[test]
fn a_package_reformatted_with_ruff_is_still_unedited_for_check_and_add_capability() {
    if !tool_available("ruff") {
        return;
    }
    let dir = TempDir::new().unwrap();
    let package = generate(dir.path(), "demo", &["source"], &[]);
    let (ok, out) = python(&package, &["-m", "ruff", "format", "--no-cache", "."]);
    assert!(ok, "ruff format: {out}");
    assert!(
        out.contains("left unchanged"),
        "ruff format changed files: {out}"
    );
    let package_arg = package.to_str().unwrap();
    let (code, stdout, stderr) = common::run(&["check", package_arg, "--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["notes"], 0,
        "reformatting marked files as edited: {stdout}"
    );
    let (code, stdout, stderr) = common::run(&[
        "add-capability",
        package_arg,
        "--capability",
        "sink",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let result: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(common::strings(&result["conflicts"]), Vec::<String>::new());
    assert_ruff_clean(&package);
}
