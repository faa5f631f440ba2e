//! `list` through the real binary: a tree of freshly scaffolded packages with edited,
//! certified, failed, stale, corrupt and hostile ones mixed in, each reported as what it is;
//! the walk's skip rules; formats, determinism, `--strict` and bad input.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{outcome, run};
use dpone_connector_sdk::model::verdict::Status;
use dpone_connector_sdk::verify::evidence::source_digests;
use dpone_connector_sdk::verify::evidence::{certify_package, EVIDENCE_SCHEMA};
use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{scaffold, ScaffoldRequest};
use serde_json::{json, Value};

/// Scaffolds `name` under `root` (not durable: tests need no flush) and returns its directory.
fn package(root: &Path, name: &str, capabilities: &[&str], certification: bool) -> PathBuf {
    let mut request = ScaffoldRequest::new(name).include_certification(certification);
    request.root = root.to_owned();
    for capability in capabilities {
        request = request.capability(*capability);
    }
    let options = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    let result = scaffold(&request, &options).unwrap();
    PathBuf::from(result.sdk_root)
}

/// Writes the evidence the generated runner would record for `dir` if every required test
/// passed (or `failing` failed), without running pytest: the verdict depends only on it.
fn record_evidence(dir: &Path, failing: Option<&str>) {
    let certification = certify_package(dir).unwrap();
    let mut capabilities = serde_json::Map::new();
    for capability in &certification.capabilities {
        let tests: serde_json::Map<String, Value> = capability
            .required_tests
            .iter()
            .map(|t| {
                let failed = failing == Some(t.test.as_str());
                let status = if failed { Status::Failed } else { Status::Passed };
                let reason = if failed { "assert 1 == 2" } else { "" };
                let entry = json!({"status": status, "reason": reason, "tests": [format!("tests/test_x.py::{}", t.test)]});
                (t.test.clone(), entry)
            })
            .collect();
        capabilities.insert(capability.capability.clone(), Value::Object(tests));
    }
    let report = json!({
        "schema_version": EVIDENCE_SCHEMA,
        "connector": certification.connector,
        "certification_manifest_sha256": certification.certification_manifest.sha256,
        "pytest_exit_code": if failing.is_some() { 1 } else { 0 },
        "sources": source_digests(dir),
        "capabilities": capabilities,
        "quality_gates": {"secret_redaction": {"status": "passed", "reason": "", "tests": ["tests/test_x.py::test_redaction"]}},
        "unknown_markers": [],
        "performance": {
            "benchmark": {"status": "passed", "reason": "", "tests": ["tests/test_x.py::test_benchmark"]},
            "runs": [{"test": "tests/test_x.py::test_benchmark", "rows": 12000, "columns": 120, "seconds": 0.8, "rows_per_second": 15000.0}],
        },
    });
    let json_path = dir.join(&certification.evidence.path);
    fs::create_dir_all(json_path.parent().unwrap()).unwrap();
    fs::write(&json_path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    fs::write(json_path.with_extension("md"), "# evidence\n").unwrap();
}

fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
}

fn list(root: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["list", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn list_json(root: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = list(root, &args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The package at `path` in a JSON listing.
fn entry<'a>(listing: &'a Value, path: &str) -> &'a Value {
    listing["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("{path} not listed: {listing}"))
}

fn paths(listing: &Value) -> Vec<String> {
    listing["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_owned())
        .collect()
}

/// The mixed tree: `fresh` plain packages under `connectors/`, and one of each kind.
struct Tree {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn mixed_tree(fresh: usize) -> Tree {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    let connectors = root.join("connectors");
    for i in 0..fresh {
        package(&connectors, &format!("plain_{i:03}"), &["source"], true);
    }
    let edited = package(&connectors, "edited", &["source", "sink"], true);
    fs::write(edited.join("README.md"), "# ours now\n").unwrap();
    fs::write(edited.join("docs/edited.md"), "# edited\n").unwrap();

    let certified = package(&connectors, "certified", &["source", "sink"], true);
    record_evidence(&certified, None);

    let failed = package(&connectors, "failed", &["source"], true);
    record_evidence(&failed, Some("full_refresh_extract"));

    let stale = package(&connectors, "stale", &["source"], true);
    record_evidence(&stale, None);
    let module = stale.join("src/dpone_connector_stale/source.py");
    let code = fs::read_to_string(&module).unwrap();
    fs::write(&module, code + "\n# tuned\n").unwrap();

    let corrupt = package(&connectors, "corrupt", &["source"], true);
    fs::write(
        corrupt.join("dpone_connector_manifest.json"),
        "{\"connector\": ",
    )
    .unwrap();

    let fifo = package(&connectors, "fifo", &["source"], true);
    fs::remove_file(fifo.join("src/dpone_connector_fifo/source.py")).unwrap();
    mkfifo(&fifo.join("src/dpone_connector_fifo/source.py"));

    let huge = package(&connectors, "huge", &["source"], true);
    fs::File::create(huge.join("certification/certification.yaml"))
        .unwrap()
        .set_len(9 * 1024 * 1024)
        .unwrap();

    let looped = package(&connectors, "looped", &["source"], true);
    let manifest = looped.join("dpone_connector_manifest.json");
    fs::remove_file(&manifest).unwrap();
    std::os::unix::fs::symlink("dpone_connector_manifest.json", &manifest).unwrap();

    package(&connectors, "bare", &["source"], false);
    Tree { _tmp: tmp, root }
}

#[test]
fn every_kind_of_package_is_reported_as_what_it_is() {
    let tree = mixed_tree(40);
    let listing = list_json(&tree.root, &[]);
    let p = |name: &str| entry(&listing, &format!("connectors/dpone-connector-{name}")).clone();

    let plain = p("plain-007");
    assert_eq!(
        plain,
        json!({
            "path": "connectors/dpone-connector-plain-007",
            "connector": "plain_007",
            "connector_type": "api",
            "capabilities": ["source"],
            "native_capabilities": [],
            "status": "unverified",
            "outdated": false,
            "drift": 0,
            "edited": 0,
            "reason": "no evidence report at test_artifacts/connectors/plain_007/certification_report.json; run `python certification/run_certification.py` to record it",
        })
    );

    let edited = p("edited");
    assert_eq!(
        (&edited["status"], &edited["drift"], &edited["edited"]),
        (&json!("failed"), &json!(0), &json!(2)),
        "edits are not contract drift"
    );
    assert_eq!(edited["capabilities"], json!(["source", "sink"]));
    assert!(
        edited["reason"]
            .as_str()
            .unwrap()
            .contains("docs/edited.md"),
        "{edited}"
    );

    let certified = p("certified");
    assert_eq!(
        (
            &certified["status"],
            &certified["drift"],
            &certified["reason"]
        ),
        (&json!("certified"), &json!(0), &Value::Null)
    );

    let failed = p("failed");
    assert_eq!(failed["status"], "failed");
    assert!(failed["reason"]
        .as_str()
        .unwrap()
        .contains("source.full_refresh_extract"));

    let stale = p("stale");
    assert_eq!(
        (&stale["status"], &stale["drift"], &stale["edited"]),
        (&json!("stale"), &json!(0), &json!(1))
    );
    assert!(
        stale["reason"]
            .as_str()
            .unwrap()
            .contains("src/dpone_connector_stale/source.py changed"),
        "{stale}"
    );

    for (name, why) in [
        ("corrupt", "not valid JSON"),
        ("fifo", "not a regular file"),
        ("huge", "larger than the 8 MiB limit"),
        ("looped", "dpone_connector_manifest.json"),
    ] {
        let invalid = p(name);
        assert_eq!(invalid["status"], "invalid", "{invalid}");
        assert_eq!(
            (&invalid["drift"], &invalid["edited"], &invalid["connector"]),
            (&Value::Null, &Value::Null, &Value::Null)
        );
        assert!(
            invalid["reason"].as_str().unwrap().contains(why),
            "{name}: {invalid}"
        );
    }

    let bare = p("bare");
    assert_eq!(
        (&bare["status"], &bare["drift"]),
        (&json!("unverified"), &json!(0))
    );
    assert!(bare["reason"]
        .as_str()
        .unwrap()
        .contains("without certification"));

    assert_eq!(listing["root"], tree.root.to_str().unwrap());
    assert_eq!(
        listing["summary"],
        json!({"certified": 1, "unverified": 41, "failed": 2, "stale": 1, "invalid": 4})
    );
    let listed = paths(&listing);
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert_eq!(listed.len(), 49);
    let keys: Vec<&String> = listing.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["root", "packages", "summary"]);
}

#[test]
fn output_is_the_same_bytes_whatever_the_jobs() {
    let tree = mixed_tree(12);
    for format in ["json", "text", "md"] {
        let one = list(&tree.root, &["--format", format, "--jobs", "1"]);
        let four = list(&tree.root, &["--format", format, "--jobs", "4"]);
        let again = list(&tree.root, &["--format", format]);
        assert_eq!(one, four, "{format}");
        assert_eq!(one, again, "{format}");
    }
    let one = list(&tree.root, &["--matrix", "--format", "json", "-j", "1"]);
    assert_eq!(
        one,
        list(&tree.root, &["--matrix", "--format", "json", "-j", "3"])
    );
}

#[test]
fn strict_fails_on_failed_stale_invalid_or_contract_drift_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let first = package(root, "first", &["source"], true);
    package(root, "second", &["sink"], false);
    assert_eq!(list(root, &["--strict"]).0, 0);

    // Edited or removed generated files are edits: certification requires them.
    fs::write(first.join("pyproject.toml"), "[project]\nname = \"mine\"\n").unwrap();
    let (code, stdout, stderr) = list(root, &["--strict"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    fs::remove_file(first.join("pyproject.toml")).unwrap();
    let listing = list_json(root, &["--strict"]);
    let entry_first = entry(&listing, "dpone-connector-first");
    assert_eq!(
        (&entry_first["drift"], &entry_first["edited"]),
        (&json!(0), &json!(1))
    );

    // Contract drift fails it: the certification manifest no longer says what is declared.
    let manifest = first.join("certification/certification.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("wide_columns: 120", "wide_columns: 3"),
    )
    .unwrap();
    let (code, stdout, stderr) = list(root, &["--strict"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(list(root, &[]).0, 0, "without --strict nothing fails");
    fs::write(&manifest, text).unwrap();

    let only = tempfile::tempdir().unwrap();
    let stale = package(only.path(), "stale", &["source"], true);
    record_evidence(&stale, None);
    assert_eq!(list(only.path(), &["--strict"]).0, 0);
    fs::write(
        stale.join("tests/test_extra.py"),
        "def test_x() -> None:\n    pass\n",
    )
    .unwrap();
    let listing = list_json(only.path(), &[]);
    assert_eq!(entry(&listing, "dpone-connector-stale")["status"], "stale");
    assert_eq!(entry(&listing, "dpone-connector-stale")["drift"], 0);
    assert_eq!(list(only.path(), &["--strict"]).0, 1);
}

#[test]
fn the_walk_skips_git_ignored_hidden_environment_and_build_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    package(&root.join("kept"), "kept", &["source"], true);
    for hidden in [
        ".git",
        ".venv",
        ".tox/py312",
        "node_modules",
        "build",
        "dist",
        "x.egg-info",
    ] {
        package(&root.join(hidden), "hidden", &["source"], true);
    }
    fs::create_dir_all(root.join("env")).unwrap();
    fs::write(root.join("env/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    package(&root.join("env/lib"), "in_venv", &["source"], true);
    fs::write(root.join(".gitignore"), "scratch/\n").unwrap();
    package(&root.join("scratch"), "ignored", &["source"], true);
    let nested = package(&root.join("kept"), "outer", &["source"], true);
    package(&nested.join("vendor"), "inner", &["source"], true);
    std::os::unix::fs::symlink(root, root.join("kept/loop")).unwrap();

    let listing = list_json(root, &[]);
    assert_eq!(
        paths(&listing),
        ["kept/dpone-connector-kept", "kept/dpone-connector-outer"]
    );
}

#[test]
fn a_package_given_as_the_root_is_listed_as_dot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = package(tmp.path(), "solo", &["source"], true);
    let listing = list_json(&dir, &[]);
    assert_eq!(paths(&listing), ["."]);
    assert_eq!(entry(&listing, ".")["connector"], "solo");
}

#[test]
fn the_text_table_is_aligned_and_ends_with_the_counts() {
    let tree = mixed_tree(3);
    let (code, stdout, _) = list(&tree.root, &[]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines[0];
    assert!(header.starts_with("PATH"), "{stdout}");
    let status_at = header.find("STATUS").unwrap();
    let rows: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("connectors/"))
        .collect();
    assert_eq!(rows.len(), 12);
    for row in &rows {
        let status = row[status_at..].split_whitespace().next().unwrap();
        assert!(
            ["certified", "unverified", "failed", "stale", "invalid"].contains(&status),
            "{row}"
        );
    }
    let certified = rows
        .iter()
        .find(|r| r.contains("dpone-connector-certified "))
        .unwrap();
    assert!(
        certified[status_at..].starts_with("certified "),
        "{certified}"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"12 package(s): 1 certified, 4 unverified, 2 failed, 1 stale, 4 invalid; 0 with drift, 2 with edits; 0 outdated"
    );
    // Reasons sit under their package, indented.
    let corrupt = lines
        .iter()
        .position(|l| l.contains("dpone-connector-corrupt "))
        .unwrap();
    assert!(
        lines[corrupt + 1].starts_with("    ") && lines[corrupt + 1].contains("not valid JSON")
    );
}

#[test]
fn markdown_is_one_table_and_the_counts() {
    let tree = mixed_tree(2);
    let (code, stdout, _) = list(&tree.root, &["--format", "md"]);
    assert_eq!(code, 0);
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), 11);
    assert!(stdout.starts_with("| path | connector | type | capabilities | native capabilities | status | drift | edited | outdated | reason |\n| --- |"));
    assert!(stdout.ends_with("\n**11 package(s): 1 certified, 3 unverified, 2 failed, 1 stale, 4 invalid; 0 with drift, 2 with edits; 0 outdated**\n"), "{stdout}");
}

#[test]
fn the_matrix_lists_every_required_test_with_its_status() {
    let tmp = tempfile::tempdir().unwrap();
    let certified = package(tmp.path(), "good", &["source", "sink"], true);
    record_evidence(&certified, Some("replace_load"));
    let broken = package(tmp.path(), "zbroken", &["source"], true);
    fs::write(broken.join("dpone_connector_manifest.json"), "[]").unwrap();

    let listing = list_json(tmp.path(), &["--matrix"]);
    let rows = listing["matrix"].as_array().unwrap();
    let expected = certify_package(&certified).unwrap();
    let tests: usize = expected
        .capabilities
        .iter()
        .map(|c| c.required_tests.len())
        .sum();
    assert_eq!(rows.len(), tests + 1);
    let failing: Vec<&Value> = rows.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(
        *failing[0],
        json!({"path": "dpone-connector-good", "connector": "good", "capability": "sink",
               "test": "replace_load", "status": "failed", "reason": "assert 1 == 2"})
    );
    let last = rows.last().unwrap();
    assert_eq!(
        (&last["status"], &last["capability"]),
        (&json!("invalid"), &Value::Null)
    );
    assert_eq!(listing["summary"]["failed"], 1);
    assert_eq!(listing["summary"]["invalid"], 1);

    let (_, text, _) = list(tmp.path(), &["--matrix"]);
    assert!(text.starts_with("PATH"), "{text}");
    assert!(text
        .lines()
        .any(|l| l.contains("replace_load") && l.contains("failed")));
    let (_, md, _) = list(tmp.path(), &["--matrix", "--format", "md"]);
    assert!(md.starts_with("| path | connector | capability | test | status | reason |"));
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| `")).count(),
        tests + 1
    );
}

#[test]
fn an_empty_tree_lists_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let listing = list_json(tmp.path(), &[]);
    assert_eq!(listing["packages"], json!([]));
    assert_eq!(
        listing["summary"],
        json!({"certified": 0, "unverified": 0, "failed": 0, "stale": 0, "invalid": 0})
    );
    assert_eq!(list(tmp.path(), &["--strict"]).0, 0);
}

#[test]
fn a_root_that_is_not_a_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    for root in [tmp.path().join("absent"), file] {
        let (code, stdout, stderr) = list(&root, &["--format", "json"]);
        assert_eq!(code, 2);
        assert!(stdout.is_empty());
        // Asked for JSON, the error is JSON too.
        let error = serde_json::json!({"error": {
            "kind": "not_a_directory",
            "message": format!("{} is not a directory", root.display()),
            "path": root.display().to_string(),
        }});
        assert_eq!(stderr, format!("{error}\n"));
    }
}

#[test]
fn a_closed_stdout_ends_the_listing_quietly() {
    let tree = mixed_tree(30);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpone-connectors"))
        .args(["list", tree.root.to_str().unwrap(), "-j", "2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let (code, _, stderr) = outcome(child.wait_with_output().unwrap());
    assert_eq!(code, 0);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn packages_an_older_generator_made_are_outdated_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let current = package(tmp.path(), "current", &["source"], true);
    let older = package(tmp.path(), "older", &["source"], true);
    let pyproject = older.join("pyproject.toml");
    let text = fs::read_to_string(&pyproject).unwrap().replace(
        &format!("generator-version = \"{}\"", env!("CARGO_PKG_VERSION")),
        "generator-version = \"0.0.1\"",
    );
    fs::write(&pyproject, text).unwrap();
    let _ = current;

    let listing = list_json(tmp.path(), &[]);
    let outdated = |path: &str| entry(&listing, path)["outdated"].clone();
    assert_eq!(outdated("dpone-connector-current"), json!(false));
    assert_eq!(outdated("dpone-connector-older"), json!(true));

    let (_, text, _) = list(tmp.path(), &[]);
    let row = text
        .lines()
        .find(|l| l.starts_with("dpone-connector-older"))
        .unwrap();
    assert!(row.contains("  yes  "), "{text}");
    assert!(text.trim_end().ends_with("; 1 outdated"), "{text}");
    let (_, md, _) = list(tmp.path(), &["--format", "md"]);
    assert!(md.contains("| 1 | yes |"), "{md}");

    let (code, check, _) = run(&["check", older.to_str().unwrap()]);
    assert_eq!(code, 0, "{check}");
    assert!(
        check.contains("made by dpone-connectors 0.0.1: `dpone-connectors update "),
        "{check}"
    );
}
