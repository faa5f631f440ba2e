//! The update service against a generation that differs from the one that made the
//! package (a stand-in for the next release), so every merge rule runs for real.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::model::package::ScaffoldRequest;
use crate::model::update::FileAction;
use crate::scaffold::plan_package;
use crate::writer::write_package;

const TESTS: &str = "tests/test_demo_contract.py";
const CONNECTOR: &str = "src/dpone_connector_demo/connector.py";
const MY_TEST: &str = "\n\ndef test_my_own_check() -> None:\n    assert 1 + 1 == 2\n";
const TEMPLATE_TEST: &str = "\n\ndef test_from_the_new_template() -> None:\n    assert True\n";

/// The current templates as the next version would change them: a new test at the end of
/// the contract tests, a changed README title line and a changed first docstring line.
fn next_generation() -> Generation {
    let mut next = Generation::current().clone();
    next.version = "9.9.9".into();
    next.shared.contract_tests = format!("{}{TEMPLATE_TEST}", next.shared.contract_tests).into();
    let readme = next.shared.readme.replacen("# ", "# The ", 1);
    next.shared.readme = readme.into();
    let connector = next.shared.connector.replacen("\"\"\"", "\"\"\"Next: ", 1);
    next.shared.connector = connector.into();
    next
}

fn options(dry_run: bool) -> UpdateOptions {
    UpdateOptions {
        dry_run,
        durable: false,
        ..UpdateOptions::default()
    }
}

fn request() -> ScaffoldRequest {
    ScaffoldRequest::new("demo")
        .capability("source")
        .capability("sink")
}

/// A package written by the current generation into a temporary directory.
fn package() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let plan = plan_package(&request()).unwrap();
    let dir = root.path().join(&plan.identity.package_name);
    write_package(&dir, &plan.files, &WriteOptions::default()).unwrap();
    (root, dir)
}

fn append(dir: &Path, path: &str, text: &str) {
    let file = dir.join(path);
    let old = std::fs::read_to_string(&file).unwrap();
    std::fs::write(file, old + text).unwrap();
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn action(result: &UpdateResult, path: &str) -> FileAction {
    result.files.iter().find(|f| f.path == path).unwrap().action
}

#[test]
fn a_team_edited_package_follows_the_next_templates_and_keeps_every_edit() {
    let (_root, dir) = package();
    append(&dir, TESTS, MY_TEST);
    let module = std::fs::read_to_string(dir.join(CONNECTOR)).unwrap();
    let module = module.replacen("\nfrom ", "\nimport os  # ours\nfrom ", 1);
    std::fs::write(dir.join(CONNECTOR), &module).unwrap();
    append(&dir, "README.md", "\n## Our runbook\n\nPage the on-call.\n");
    std::fs::write(dir.join("src/dpone_connector_demo/helpers.py"), "X = 1\n").unwrap();
    std::fs::remove_file(dir.join("docs/demo.md")).unwrap();

    let next = next_generation();
    let result = update_locked(&dir, None, &options(false), &next).unwrap();
    assert_eq!(result.base_version, GENERATOR_VERSION);
    assert_eq!(result.target_version, "9.9.9");
    assert!(result.conflicts().is_empty(), "{result:#?}");
    assert_eq!(action(&result, TESTS), FileAction::Merged);
    assert_eq!(action(&result, "README.md"), FileAction::Merged);
    assert_eq!(action(&result, CONNECTOR), FileAction::Merged);
    assert_eq!(action(&result, "docs/demo.md"), FileAction::DeletedByYou);
    assert_eq!(action(&result, "pyproject.toml"), FileAction::Updated);

    let tests = std::fs::read_to_string(dir.join(TESTS)).unwrap();
    assert!(
        tests.ends_with(&format!("{MY_TEST}{TEMPLATE_TEST}")),
        "{tests}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.starts_with("# The ") && readme.ends_with("Page the on-call.\n"));
    let connector = std::fs::read_to_string(dir.join(CONNECTOR)).unwrap();
    assert!(connector.contains("import os  # ours\n") && connector.contains("\"\"\"Next: "));
    assert_eq!(
        std::fs::read_to_string(dir.join("src/dpone_connector_demo/helpers.py")).unwrap(),
        "X = 1\n"
    );
    assert!(!dir.join("docs/demo.md").exists());

    // Untouched files are what the next version scaffolds.
    let fresh = plan_with_generation(&request(), &next).unwrap();
    for file in &fresh.files {
        if [TESTS, CONNECTOR, "README.md", "docs/demo.md"].contains(&file.path.as_str()) {
            continue;
        }
        let on_disk = std::fs::read_to_string(dir.join(&file.path)).unwrap();
        assert_eq!(on_disk, file.contents, "{}", file.path);
    }
    let pyproject = std::fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("generator-version = \"9.9.9\""));

    // A second run, and a dry run, change nothing.
    let before = snapshot(&dir);
    for dry_run in [true, false] {
        let again = update_locked(&dir, None, &options(dry_run), &next).unwrap();
        assert!(!again.changes_anything(), "{again:#?}");
        assert_eq!(again.base_version, "9.9.9");
    }
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn both_changing_a_line_is_a_listed_conflict_and_everything_else_is_written() {
    let (_root, dir) = package();
    let module = std::fs::read_to_string(dir.join(CONNECTOR)).unwrap();
    std::fs::write(
        dir.join(CONNECTOR),
        module.replacen("\"\"\"", "\"\"\"Ours: ", 1),
    )
    .unwrap();
    let result = update_locked(&dir, None, &options(false), &next_generation()).unwrap();
    assert_eq!(result.conflicts(), [CONNECTOR]);
    let text = std::fs::read_to_string(dir.join(CONNECTOR)).unwrap();
    assert!(text.contains("<<<<<<< yours\n\"\"\"Ours: "), "{text}");
    assert!(text.contains("=======\n\"\"\"Next: "));
    assert!(text.contains(">>>>>>> dpone-connectors 9.9.9\n"));
    assert_eq!(action(&result, "README.md"), FileAction::Updated);
}

#[test]
fn a_dry_run_shows_diffs_and_writes_nothing() {
    let (_root, dir) = package();
    append(&dir, TESTS, MY_TEST);
    let before = snapshot(&dir);
    let result = update_locked(&dir, None, &options(true), &next_generation()).unwrap();
    assert_eq!(snapshot(&dir), before);
    let tests = result.files.iter().find(|f| f.path == TESTS).unwrap();
    assert_eq!(tests.action, FileAction::Merged);
    assert!(tests
        .diff
        .as_deref()
        .unwrap()
        .contains("+def test_from_the_new_template()"));
}

#[test]
fn an_edited_contract_file_is_a_conflict() {
    let (_root, dir) = package();
    append(&dir, "dpone_connector_manifest.json", "\n");
    let result = update_locked(&dir, None, &options(false), &next_generation()).unwrap();
    assert_eq!(result.conflicts(), ["dpone_connector_manifest.json"]);
}

#[test]
fn a_version_this_build_does_not_know_is_refused() {
    let (_root, dir) = package();
    let pyproject = std::fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    let edited = pyproject.replace(
        &format!("generator-version = \"{GENERATOR_VERSION}\""),
        "generator-version = \"99.0.0\"",
    );
    std::fs::write(dir.join("pyproject.toml"), edited).unwrap();
    let before = snapshot(&dir);
    let err = update_package(&dir, &options(false)).unwrap_err();
    assert!(matches!(err, UpdateError::UnknownVersion { .. }), "{err}");
    assert!(err.to_string().contains("\"99.0.0\""), "{err}");
    assert_eq!(snapshot(&dir), before);
}
