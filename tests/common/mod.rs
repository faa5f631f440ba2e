//! Helpers shared by the integration tests: running the binary, tree snapshots and scratch
//! directories.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use dpone_connector_sdk::writer::is_writer_temporary;
use dpone_connector_sdk::{plan_package, PackagePlan, ScaffoldRequest};

// Shared with the writer's own unit tests (fault injection lives inside the crate).
#[path = "../../src/writer/tests/fixtures.rs"]
mod fixtures;
#[allow(unused_imports)] // each test file uses its own subset
pub use fixtures::{demo_plan, leftovers, scratch, snapshot, snapshot_with_mtimes, Node};

/// Copies a tree (files, directories, links) from `from` into the new directory `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let meta = fs::symlink_metadata(&src).unwrap();
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if meta.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Every directory's mtime under `root`: an entry added or removed anywhere changes one.
pub fn dir_mtimes(root: &Path) -> BTreeMap<PathBuf, i128> {
    let mut out = BTreeMap::new();
    for (path, node) in snapshot(root) {
        if node == Node::Dir {
            let meta = fs::metadata(root.join(&path)).unwrap();
            let mtime = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
            out.insert(path, mtime);
        }
    }
    out
}

/// Runs the real binary with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    outcome(
        assert_cmd::Command::cargo_bin("dpone-connectors")
            .unwrap()
            .args(args)
            .output()
            .unwrap(),
    )
}

/// The subcommands the top-level help lists (clap's own `help` aside).
pub fn subcommands() -> Vec<String> {
    let (_, help, _) = run(&["--help"]);
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// A finished command as (exit code, stdout, stderr); both streams must be UTF-8.
pub fn outcome(output: std::process::Output) -> (i32, String, String) {
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Flags that make the demo package the larger one `demo_plan` renders (state and a native
/// capability too).
pub const LARGER_DEMO: &[&str] = &[
    "--capability",
    "state",
    "--native-capability",
    "stream_export",
];

/// `dpone-connectors scaffold demo --capability source --capability sink MORE --root ROOT`:
/// the package the writer tests scaffold through the real binary.
pub fn demo_scaffold(root: &Path, more: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("dpone-connectors"));
    command
        .args([
            "scaffold",
            "demo",
            "--capability",
            "source",
            "--capability",
            "sink",
        ])
        .args(more)
        .arg("--root")
        .arg(root);
    command
}

/// The strings of a JSON array (empty for anything else).
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What a test may lack on a developer's machine: `tools` (python3's ruff and mypy, bash)
/// or `mounts` (permission to mount a tmpfs: root).
#[derive(Debug, Clone, Copy)]
pub enum Missing {
    Tools,
    Mounts,
}

impl Missing {
    fn name(self) -> &'static str {
        match self {
            Missing::Tools => "tools",
            Missing::Mounts => "mounts",
        }
    }
}

/// Names what a developer allows the tests to skip: `DPONE_TEST_ALLOW_SKIP=mounts` (or
/// `tools`, or both comma-separated). Documented in the README.
pub const ALLOW_SKIP: &str = "DPONE_TEST_ALLOW_SKIP";

/// A test that cannot run its scenario here. It fails, as anywhere (CI, `scripts/test.sh`),
/// unless [`ALLOW_SKIP`] allows this kind of skip; then it says so loudly on stderr and the
/// caller returns without asserting anything.
pub fn cannot_run(missing: Missing, why: &str) {
    let allowed = std::env::var(ALLOW_SKIP)
        .is_ok_and(|list| list.split(',').any(|item| item.trim() == missing.name()));
    assert!(
        allowed,
        "{why}; this test cannot run its scenario here. Install what it needs, or set \
         {ALLOW_SKIP}={} to skip it on purpose",
        missing.name()
    );
    eprintln!("SKIPPED ({ALLOW_SKIP} allows it; scenario not run): {why}");
}

/// The registry's runtime capability names as a refusal lists them: sorted, `, `-joined.
pub fn runtime_choices() -> String {
    let mut names = dpone_connector_sdk::registry()
        .unwrap()
        .names(dpone_connector_sdk::CapabilityKind::Runtime);
    names.sort_unstable();
    names.join(", ")
}

/// Runs a generated package's own tests (`python3 -m pytest` in `dir`) and fails with
/// pytest's output when they fail; without python3 the scenario cannot run here.
pub fn assert_package_tests_pass(dir: &Path) {
    match std::process::Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(dir)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(err) => cannot_run(Missing::Tools, &format!("python3 cannot run pytest: {err}")),
    }
}
