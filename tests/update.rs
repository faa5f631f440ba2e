//! `dpone-connectors update` through the binary: packages made by generator 0.1.0 (the
//! golden output of its release binary) and by dpone 0.88.0 (its own scaffold), edited as a
//! team would, come out with every edit kept, untouched files equal to today's scaffold, the
//! new version recorded and `check` clean; a second run and a dry run write nothing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{cannot_run, copy_tree, run, snapshot_with_mtimes};
use serde_json::Value;
use tempfile::TempDir;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const MY_TEST: &str =
    "\n\ndef test_our_own_regression() -> None:\n    assert sorted([2, 1]) == [1, 2]\n";
const MY_SECTION: &str = "\n## Runbook\n\nPage the data on-call when a load fails.\n";
const MY_HELPER: &str = "\"\"\"Our helper.\"\"\"\n\nRETRIES = 3\n";
const MY_MODULE_LINE: &str = "# Team note: rate limits are per tenant.\n";

/// Writes the golden package of generator `version`'s answer set `case` under `root`;
/// returns its directory and the scaffold arguments that made it.
fn golden_package(root: &Path, version: &str, case: &str) -> (PathBuf, Vec<String>) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/generations")
        .join(version)
        .join(format!("{case}.json"));
    let record: Value = serde_json::from_str(&fs::read_to_string(golden).unwrap()).unwrap();
    let args: Vec<String> = serde_json::from_value(record["args"].clone()).unwrap();
    let files: BTreeMap<String, String> = serde_json::from_value(record["files"].clone()).unwrap();
    let dir = root.join(format!("{case}-{version}"));
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    (dir, args)
}

fn append(path: &Path, text: &str) {
    let old = fs::read_to_string(path).unwrap();
    fs::write(path, old + text).unwrap();
}

/// The package's import package directory (`src/<import_package>`).
fn import_dir(dir: &Path) -> PathBuf {
    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(dir.join("dpone_connector_manifest.json")).unwrap(),
    )
    .unwrap();
    dir.join("src")
        .join(manifest["import_package"].as_str().unwrap())
}

fn test_module(dir: &Path) -> PathBuf {
    let tests = fs::read_dir(dir.join("tests")).unwrap();
    tests
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("_contract.py"))
        .unwrap()
}

/// The edits of the hidden check: a test at the end of the test module, a line in a
/// module, a README section, a new helper file. Returns the edited files.
fn edit_as_a_team(dir: &Path) -> Vec<PathBuf> {
    let tests = test_module(dir);
    append(&tests, MY_TEST);
    append(&dir.join("README.md"), MY_SECTION);
    let connector = import_dir(dir).join("connector.py");
    let text = fs::read_to_string(&connector).unwrap();
    let at = text
        .find("\nfrom ")
        .or_else(|| text.find("\nimport "))
        .unwrap()
        + 1;
    fs::write(
        &connector,
        format!("{}{MY_MODULE_LINE}{}", &text[..at], &text[at..]),
    )
    .unwrap();
    fs::write(import_dir(dir).join("retries.py"), MY_HELPER).unwrap();
    vec![tests, dir.join("README.md"), connector]
}

fn assert_edits_kept(dir: &Path) {
    let tests = fs::read_to_string(test_module(dir)).unwrap();
    assert!(tests.contains(MY_TEST.trim_start()), "test lost:\n{tests}");
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.contains(MY_SECTION.trim_start()),
        "section lost:\n{readme}"
    );
    let connector = fs::read_to_string(import_dir(dir).join("connector.py")).unwrap();
    assert!(connector.contains(MY_MODULE_LINE), "module line lost");
    assert_eq!(
        fs::read_to_string(import_dir(dir).join("retries.py")).unwrap(),
        MY_HELPER
    );
}

/// `update DIR --format json`, parsed: (exit code, the one package object, stderr).
fn update(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["update", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    let doc: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 1, "{stdout}");
    (code, packages[0].clone(), stderr)
}

fn actions(package: &Value) -> BTreeMap<String, String> {
    package["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Today's scaffold of the same answers, file by file.
fn todays_scaffold(args: &[String]) -> BTreeMap<String, String> {
    let root = TempDir::new().unwrap();
    let mut command: Vec<&str> = vec!["scaffold"];
    command.extend(args.iter().map(String::as_str));
    command.extend([
        "--root",
        root.path().to_str().unwrap(),
        "--no-input",
        "--quiet",
    ]);
    let (code, _, stderr) = run(&command);
    assert_eq!(code, 0, "{stderr}");
    let package = fs::read_dir(root.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    snapshot_with_mtimes(&package)
        .into_keys()
        .filter(|p| package.join(p).is_file())
        .map(|p| {
            let text = fs::read_to_string(package.join(&p)).unwrap();
            (p.display().to_string(), text)
        })
        .collect()
}

/// The whole expectation of the hidden check, for a package already edited.
fn expect_a_clean_update(dir: &Path, args: &[String], edited: &[PathBuf], extra: &[&str]) {
    let (code, package, stderr) = update(dir, extra);
    assert_eq!(code, 0, "{package:#}\n{stderr}");
    assert_eq!(package["target_version"], VERSION);
    assert_edits_kept(dir);
    let done = actions(&package);
    assert!(done.values().all(|a| a != "conflict"), "{done:?}");

    for (path, text) in todays_scaffold(args) {
        if edited.iter().any(|e| e.ends_with(&path)) {
            continue;
        }
        let on_disk = fs::read_to_string(dir.join(&path)).unwrap();
        assert!(on_disk == text, "{path} differs from today's scaffold");
    }
    let pyproject = fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains(&format!("generator-version = \"{VERSION}\"")));

    let (code, stdout, stderr) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "check after update:\n{stdout}{stderr}");
    assert!(stdout.contains("no contract drift"), "{stdout}");

    // A dry run and a second run write nothing.
    let before = snapshot_with_mtimes(dir);
    for more in [&["--dry-run"][..], &[]] {
        let mut args = extra.to_vec();
        args.extend_from_slice(more);
        let (code, again, _) = update(dir, &args);
        assert_eq!(code, 0);
        let changes: Vec<_> = actions(&again)
            .into_iter()
            .filter(|(_, a)| !["unchanged", "kept", "deleted-by-you"].contains(&a.as_str()))
            .collect();
        assert!(changes.is_empty(), "{changes:?}");
    }
    assert_eq!(snapshot_with_mtimes(dir), before);
}

#[test]
fn packages_made_by_generator_0_1_0_keep_every_edit() {
    let root = TempDir::new().unwrap();
    for case in [
        "default",
        "everything",
        "sink_no_certification",
        "files_state",
    ] {
        let (dir, args) = golden_package(root.path(), "0.1.0", case);
        let edited = edit_as_a_team(&dir);
        expect_a_clean_update(&dir, &args, &edited, &[]);
    }
}

/// The Python of the dpone 0.88.0 environment (`DPONE_REFERENCE_PYTHON`, else the one
/// this machine keeps in `~/.cache`), or `None` after saying the scenario cannot run here.
fn reference_python() -> Option<String> {
    let cache = std::env::var("XDG_CACHE_HOME")
        .unwrap_or_else(|_| format!("{}/.cache", std::env::var("HOME").unwrap_or_default()));
    let python = std::env::var("DPONE_REFERENCE_PYTHON")
        .unwrap_or_else(|_| format!("{cache}/dpone-0.88-venv/bin/python"));
    if Path::new(&python).exists() {
        Some(python)
    } else {
        cannot_run(
            common::Missing::Tools,
            &format!("dpone 0.88.0's Python ({python}) is not installed"),
        );
        None
    }
}

#[test]
fn packages_made_by_dpone_0_88_are_adopted_and_keep_every_edit() {
    let Some(python) = reference_python() else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference");
    let cases: [(&str, &[&str]); 2] = [
        ("dpone-connector-demo-api", &["demo_api"]),
        (
            "dpone-connector-demo-store",
            &[
                "Demo Store",
                "--connector-type",
                "database",
                "--capability",
                "sink",
                "--capability",
                "source",
                "--capability",
                "state",
                "--native-capability",
                "object_staging_load",
                "--native-capability",
                "stream_export",
            ],
        ),
    ];
    let root = TempDir::new().unwrap();
    for (name, args) in cases {
        let dir = root.path().join(name);
        copy_tree(&fixtures.join(name), &dir);
        let edited = edit_as_a_team(&dir);
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let extra = ["--python", python.as_str()];
        let (code, package, stderr) = update(&dir, &extra);
        assert_eq!(code, 0, "{package:#}\n{stderr}");
        assert_eq!(package["base_generator"], "dpone");
        assert_eq!(package["base_version"], "0.88.0");
        assert_eq!(package["adopted"], true);
        // Adopted: the second pass starts from this version's record.
        expect_a_clean_update(&dir, &args, &edited, &extra);
    }
}

#[test]
fn adopting_without_dpone_0_88_is_refused_clearly() {
    let root = TempDir::new().unwrap();
    let dir = root.path().join("pkg");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/reference/dpone-connector-demo-api"),
        &dir,
    );
    let before = snapshot_with_mtimes(&dir);
    let (code, stdout, stderr) = run(&[
        "update",
        dir.to_str().unwrap(),
        "--python",
        "/nonexistent/python3",
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("adopted as a dpone 0.88.0 package"),
        "{stderr}"
    );
    assert!(stderr.contains("--python"), "{stderr}");
    assert_eq!(snapshot_with_mtimes(&dir), before);

    // A Python without dpone says so.
    let (code, _, stderr) = run(&["update", dir.to_str().unwrap(), "--python", "python3"]);
    if code == 2 {
        assert!(stderr.contains("dpone"), "{stderr}");
    }
}

#[test]
fn many_packages_in_one_run_report_one_json_document_in_order() {
    let root = TempDir::new().unwrap();
    let mut dirs = Vec::new();
    for case in ["default", "everything", "files_state"] {
        let (dir, _) = golden_package(root.path(), "0.1.0", case);
        edit_as_a_team(&dir);
        dirs.push(dir);
    }
    let mut args = vec!["update", "--format", "json", "--jobs", "2"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let packages = doc["packages"].as_array().unwrap();
    let reported: Vec<&str> = packages
        .iter()
        .map(|p| p["package_dir"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = dirs.iter().map(|d| d.to_str().unwrap()).collect();
    assert_eq!(reported, expected);
    for dir in &dirs {
        assert_edits_kept(dir);
    }
}

#[test]
fn a_directory_that_is_not_a_package_is_bad_input_beside_the_others() {
    let root = TempDir::new().unwrap();
    let (dir, _) = golden_package(root.path(), "0.1.0", "default");
    let (code, stdout, _) = run(&[
        "update",
        root.path().join("nope").to_str().unwrap(),
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["packages"][0]["error"]["kind"], "not_a_directory");
    assert_eq!(doc["packages"][1]["connector"], "demo_api");
}

#[test]
fn adding_sink_to_an_edited_0_1_0_package_keeps_the_teams_tests_and_adds_the_sinks() {
    let root = TempDir::new().unwrap();
    let (dir, _) = golden_package(root.path(), "0.1.0", "default");
    let edited = edit_as_a_team(&dir);
    let (code, stdout, stderr) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let result: Value = serde_json::from_str(&stdout).unwrap();
    let tests = edited[0].strip_prefix(&dir).unwrap().to_str().unwrap();
    assert!(
        result["merged"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == tests),
        "{result:#}"
    );
    assert_edits_kept(&dir);
    let module = fs::read_to_string(test_module(&dir)).unwrap();
    assert!(module.contains("def test_sink_"), "{module}");
    let pyproject = fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains(&format!("generator-version = \"{VERSION}\"")));
    common::assert_package_tests_pass(&dir);
}
