//! `dpone-connectors add-capability`: a package evolved in place equals a fresh scaffold
//! with the combined capabilities, and a person's edits are never lost.

mod common;

use common::run;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{scaffold, ScaffoldRequest};
use rstest::rstest;
use serde_json::Value;
use tempfile::TempDir;

const MANIFEST: &str = "dpone_connector_manifest.json";
const CERTIFICATION: &str = "certification/certification.yaml";

fn add(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["add-capability", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    // A refusal prints nothing on stdout; anything printed must be JSON.
    let result = if stdout.is_empty() && code != 0 {
        Value::Null
    } else {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
    };
    (code, result, stderr)
}

/// Scaffolds with this crate into `root` and returns the package directory.
fn generate(root: &Path, request: ScaffoldRequest) -> PathBuf {
    let options = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    let result = scaffold(&request.root(root), &options).unwrap();
    PathBuf::from(result.sdk_root)
}

/// Every file under `dir`, relative path to content.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn request(capabilities: &[&str], natives: &[&str]) -> ScaffoldRequest {
    let mut request = ScaffoldRequest::new("demo");
    request.capabilities = capabilities.iter().map(|s| s.to_string()).collect();
    request.native_capabilities = natives.iter().map(|s| s.to_string()).collect();
    request
}

#[rstest]
#[case::source_plus_sink(&["source"], &[], &["--capability", "sink"], &["source", "sink"], &[])]
#[case::sink_plus_source_keeps_manifest_order(&["sink"], &[], &["--capability", "source"], &["sink", "source"], &[])]
#[case::natives_append_in_request_order(
    &["source"],
    &["stream_export"],
    &["--capability", "state", "--native-capability", "object_staging_load", "--native-capability", "file_export"],
    &["source", "state"],
    &["stream_export", "object_staging_load", "file_export"]
)]
#[case::duplicates_dropped(&["source", "sink"], &[], &["--capability", "sink", "--capability", "state", "--capability", "state"], &["source", "sink", "state"], &[])]
fn an_evolved_package_equals_a_fresh_scaffold_of_the_combined_capabilities(
    #[case] before: &[&str],
    #[case] natives_before: &[&str],
    #[case] flags: &[&str],
    #[case] after: &[&str],
    #[case] natives_after: &[&str],
) {
    let evolved_root = TempDir::new().unwrap();
    let dir = generate(evolved_root.path(), request(before, natives_before));
    let (code, result, stderr) = add(&dir, flags);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(strings(&result["capabilities"]), after);
    assert_eq!(strings(&result["native_capabilities"]), natives_after);

    let fresh_root = TempDir::new().unwrap();
    let fresh = generate(fresh_root.path(), request(after, natives_after));
    let evolved = tree(&dir);
    let expected = tree(&fresh);
    // The contract files first, for a clear failure message.
    for contract in [MANIFEST, CERTIFICATION] {
        assert_eq!(
            String::from_utf8_lossy(&evolved[contract]),
            String::from_utf8_lossy(&expected[contract]),
            "{contract}"
        );
    }
    assert_eq!(evolved, expected);
    // And the result is clean.
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["findings"], Value::Array(vec![]));
}

#[test]
fn source_plus_sink_reports_what_changed() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let (code, result, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 0);
    assert_eq!(strings(&result["added_capabilities"]), ["sink"]);
    assert_eq!(
        strings(&result["created"]),
        // In package order: example pipelines before modules, as the reference writes them.
        [
            "examples/postgres_to_demo.yaml",
            "src/dpone_connector_demo/sink.py"
        ]
    );
    let updated = strings(&result["updated"]);
    for file in [
        MANIFEST,
        CERTIFICATION,
        "README.md",
        "docs/demo.md",
        "tests/test_demo_contract.py",
    ] {
        assert!(updated.contains(&file), "{file} not in {updated:?}");
    }
    assert!(strings(&result["unchanged"]).contains(&"src/dpone_connector_demo/source.py"));
    assert_eq!(result["conflicts"], Value::Array(vec![]));
}

#[test]
fn an_edited_file_both_changed_gets_conflict_markers_and_exit_1() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    fs::write(dir.join("README.md"), "# my own words\n").unwrap();
    let before = tree(&dir);

    // A dry run reports the conflict and writes nothing.
    let (code, result, _) = add(&dir, &["--capability", "sink", "--dry-run"]);
    assert_eq!(code, 1);
    assert_eq!(strings(&result["conflicts"]), ["README.md"]);
    assert_eq!(tree(&dir), before);

    let (code, stdout, stderr) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("    conflict    README.md"), "{stdout}");
    assert!(stdout.contains("    updated     docs/demo.md"), "{stdout}");
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.starts_with("<<<<<<< yours\n# my own words\n=======\n"),
        "{readme}"
    );
    assert!(readme.contains("\n>>>>>>> dpone-connectors "), "{readme}");
    assert!(dir.join("src/dpone_connector_demo/sink.py").is_file());
}

#[test]
fn force_replaces_an_edited_file_instead_of_merging() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    fs::write(dir.join("README.md"), "# my own words\n").unwrap();
    let (code, result, _) = add(&dir, &["--capability", "sink", "--force"]);
    assert_eq!(code, 0);
    assert_eq!(strings(&result["overwritten"]), ["README.md"]);
    let fresh_root = TempDir::new().unwrap();
    let fresh = generate(fresh_root.path(), request(&["source", "sink"], &[]));
    assert_eq!(tree(&dir), tree(&fresh));
}

#[test]
fn edited_tests_are_merged_with_the_new_capabilitys_tests_and_pass() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let tests = dir.join("tests/test_demo_contract.py");
    let mine =
        "\n\ndef test_our_regression() -> None:\n    assert sorted([3, 1, 2]) == [1, 2, 3]\n";
    let edited = fs::read_to_string(&tests).unwrap() + mine;
    fs::write(&tests, &edited).unwrap();
    let (code, result, stderr) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(strings(&result["merged"]), ["tests/test_demo_contract.py"]);
    let merged = fs::read_to_string(&tests).unwrap();
    assert!(merged.contains(mine.trim_start()), "{merged}");
    assert!(merged.contains("def test_sink_"), "{merged}");
    common::assert_package_tests_pass(&dir);
}

#[test]
fn a_hand_edited_certification_manifest_is_never_silently_replaced() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let path = dir.join(CERTIFICATION);
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("minimum_rows: 10000", "minimum_rows: 5");
    fs::write(&path, &edited).unwrap();
    let (code, result, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 1);
    assert_eq!(strings(&result["conflicts"]), [CERTIFICATION]);
    let marked = fs::read_to_string(&path).unwrap();
    assert!(marked.contains("<<<<<<< yours\n"), "{marked}");
    assert!(marked.contains("minimum_rows: 5\n"), "{marked}");
}

#[test]
fn keep_edited_evolves_around_a_persons_edits() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    fs::write(dir.join("README.md"), "# my own words\n").unwrap();
    let (code, stdout, stderr) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
        "--keep-edited",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("    skipped     README.md"), "{stdout}");
    assert_eq!(
        fs::read_to_string(dir.join("README.md")).unwrap(),
        "# my own words\n"
    );
    assert!(dir.join("src/dpone_connector_demo/sink.py").is_file());

    // The printed command generates the package to compare with, and its contract files
    // are the ones now in place.
    let command = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("dpone-connectors scaffold "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        command.trim(),
        "dpone-connectors scaffold demo --connector-type api --capability source --capability sink --root /tmp/dpone-compare"
    );
    let compare = TempDir::new().unwrap();
    let mut args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let root_at = args.iter().position(|a| *a == "--root").unwrap();
    args[root_at + 1] = compare.path().to_str().unwrap();
    assert_eq!(run(&args).0, 0);
    let fresh = tree(&compare.path().join("dpone-connector-demo"));
    let evolved = tree(&dir);
    for contract in [MANIFEST, CERTIFICATION] {
        assert_eq!(evolved[contract], fresh[contract], "{contract}");
    }
    assert_ne!(evolved["README.md"], fresh["README.md"]);

    // The package has no contract drift; the README is reported as edited.
    let (code, stdout, _) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("info  README.md: "), "{stdout}");
}

#[test]
fn keep_edited_never_skips_a_contract_file() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    fs::write(dir.join(CERTIFICATION), "edited: true\n").unwrap();
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    let before = tree(&dir);
    let (code, result, _) = add(&dir, &["--capability", "sink", "--keep-edited"]);
    assert_eq!(code, 1);
    assert_eq!(strings(&result["conflicts"]), [CERTIFICATION]);
    assert_eq!(strings(&result["skipped"]), ["README.md"]);
    assert_eq!(
        fs::read_to_string(dir.join("README.md")).unwrap(),
        "# mine\n"
    );
    let marked = fs::read_to_string(dir.join(CERTIFICATION)).unwrap();
    assert!(
        marked.starts_with("<<<<<<< yours\nedited: true\n"),
        "{marked}"
    );
    assert_ne!(tree(&dir), before);
}

#[test]
fn keep_edited_and_force_exclude_each_other() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let (code, _, stderr) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
        "--keep-edited",
        "--force",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn edited_files_the_change_does_not_need_are_kept() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let source = dir.join("src/dpone_connector_demo/source.py");
    fs::write(&source, "# the real implementation\n").unwrap();
    let (code, result, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 0);
    assert_eq!(
        strings(&result["kept"]),
        ["src/dpone_connector_demo/source.py"]
    );
    assert_eq!(
        fs::read_to_string(&source).unwrap(),
        "# the real implementation\n"
    );
    assert!(dir.join("src/dpone_connector_demo/sink.py").is_file());
}

#[test]
fn a_hand_written_module_for_the_new_capability_is_a_conflict() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let sink = dir.join("src/dpone_connector_demo/sink.py");
    fs::write(&sink, "# written before declaring it\n").unwrap();
    let (code, result, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 1);
    assert_eq!(
        strings(&result["conflicts"]),
        ["src/dpone_connector_demo/sink.py"]
    );
    let marked = fs::read_to_string(&sink).unwrap();
    assert!(
        marked.starts_with("<<<<<<< yours\n# written before declaring it\n=======\n"),
        "{marked}"
    );
}

#[test]
fn dry_run_reports_and_changes_nothing() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let before = tree(&dir);
    let (code, stdout, _) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "state",
        "--dry-run",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("would evolve "), "{stdout}");
    assert!(
        stdout.contains("    would create    src/dpone_connector_demo/state.py"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    would update    certification/certification.yaml"),
        "{stdout}"
    );
    assert_eq!(tree(&dir), before);
}

#[test]
fn adding_a_declared_capability_changes_nothing() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source", "sink"], &[]));
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    let before = tree(&dir);
    let (code, stdout, _) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("up to date "), "{stdout}");
    assert!(stdout.contains("  added:               none"), "{stdout}");
    assert!(stdout.contains("    kept        README.md"), "{stdout}");
    assert_eq!(tree(&dir), before);
}

#[test]
fn a_second_run_is_a_no_op() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    assert_eq!(add(&dir, &["--capability", "sink"]).0, 0);
    let (code, result, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 0);
    let files = strings(&result["files"]);
    assert!(files.contains(&MANIFEST), "{result}");
    assert_eq!(strings(&result["unchanged"]), files);
    assert_eq!(strings(&result["added_capabilities"]), Vec::<&str>::new());
}

#[test]
fn a_package_without_certification_stays_without() {
    let root = TempDir::new().unwrap();
    let dir = generate(
        root.path(),
        request(&["source"], &[]).include_certification(false),
    );
    let (code, _, _) = add(&dir, &["--capability", "sink"]);
    assert_eq!(code, 0);
    assert!(!dir.join("certification").exists());
    let fresh_root = TempDir::new().unwrap();
    let fresh = generate(
        fresh_root.path(),
        request(&["source", "sink"], &[]).include_certification(false),
    );
    assert_eq!(tree(&dir), tree(&fresh));
}

#[test]
fn a_reference_package_gets_the_reference_contract_bytes() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference");
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("dpone-connector-demo-api");
    copy_tree(&fixtures.join("dpone-connector-demo-api"), &dir);
    let flags = ["--capability", "sink", "--native-capability", "file_export"];

    // The reference's templates are not ours: its README and friends count as edited.
    let before = tree(&dir);
    let mut dry = flags.to_vec();
    dry.push("--dry-run");
    let (code, result, _) = add(&dir, &dry);
    assert_eq!(code, 1);
    assert!(strings(&result["conflicts"]).contains(&"README.md"));
    assert_eq!(tree(&dir), before);

    let mut forced = flags.to_vec();
    forced.push("--force");
    let (code, _, stderr) = add(&dir, &forced);
    assert_eq!(code, 0, "{stderr}");
    // What `dpone connectors scaffold demo_api --capability source --capability sink
    // --native-capability file_export` of dpone 0.88.0 writes:
    let expected = fixtures.join("expected/demo-api-source-sink-file-export");
    for contract in [MANIFEST, CERTIFICATION] {
        assert_eq!(
            fs::read_to_string(dir.join(contract)).unwrap(),
            fs::read_to_string(expected.join(contract)).unwrap(),
            "{contract}"
        );
    }
}

#[rstest]
#[case::unknown_capability(&["--capability", "teleport"], "invalid value 'teleport'")]
#[case::unknown_native(&["--native-capability", "fax_export"], "invalid value 'fax_export'")]
#[case::nothing_to_add(&[], "required")]
fn bad_requests_are_usage_errors(#[case] flags: &[&str], #[case] message: &str) {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let before = tree(&dir);
    let mut args = vec!["add-capability", dir.to_str().unwrap()];
    args.extend_from_slice(flags);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2);
    assert!(stderr.contains(message), "{stderr}");
    assert_eq!(tree(&dir), before);
}

#[test]
fn a_directory_that_is_not_a_package_is_refused() {
    let tmp = TempDir::new().unwrap();
    let (code, stdout, stderr) = run(&[
        "add-capability",
        tmp.path().to_str().unwrap(),
        "--capability",
        "sink",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("is not a connector package"), "{stderr}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn markdown_lists_every_file_with_its_status() {
    let root = TempDir::new().unwrap();
    let dir = generate(root.path(), request(&["source"], &[]));
    let (code, stdout, _) = run(&[
        "add-capability",
        dir.to_str().unwrap(),
        "--capability",
        "sink",
        "--format",
        "md",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# evolved: `"), "{stdout}");
    assert!(
        stdout.contains("| `src/dpone_connector_demo/sink.py` | created |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| `dpone_connector_manifest.json` | updated |"),
        "{stdout}"
    );
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

/// Two runs at once on one package: each reads the package only under its lock, so the second
/// sees the first's declaration and neither is lost. Without the lock both read the old
/// manifest and the last write wins.
#[test]
fn two_runs_at_once_keep_both_declarations() {
    for round in 0..12 {
        let tmp = TempDir::new().unwrap();
        let dir = generate(tmp.path(), ScaffoldRequest::new("demo"));
        let spawn = |capability: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_dpone-connectors"))
                .args(["add-capability"])
                .arg(&dir)
                .args(["--capability", capability, "--format", "json"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (sink, state) = (spawn("sink"), spawn("state"));
        for child in [sink, state] {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let manifest: Value =
            serde_json::from_slice(&fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
        let mut declared = strings(&manifest["capabilities"]);
        declared.sort_unstable();
        assert_eq!(declared, ["sink", "source", "state"], "round {round}");
        let (code, report, _) = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
        assert_eq!(code, 0, "round {round}: {report}");
    }
}

#[test]
fn the_current_directory_can_be_the_package() {
    let tmp = TempDir::new().unwrap();
    let dir = generate(tmp.path(), ScaffoldRequest::new("demo"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dpone-connectors"))
        .current_dir(&dir)
        .args([
            "add-capability",
            ".",
            "--capability",
            "sink",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["package_dir"], ".");
    assert!(dir.join("src/dpone_connector_demo/sink.py").is_file());
}
