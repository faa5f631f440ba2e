//! Helpers shared by the integration tests: running the binary, tree snapshots and scratch
//! directories.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use dpone_connector_sdk::writer::is_writer_temporary;
use dpone_connector_sdk::{plan_package, PackagePlan, ScaffoldRequest};

/// One entry of a tree, as `lstat` sees it (links are never followed).
#[derive(Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

impl std::fmt::Debug for Node {
    // Short, so a failed comparison stays readable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Dir => write!(f, "Dir"),
            Node::Link(target) => write!(f, "Link({})", target.display()),
            Node::File(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                let head: String = text.chars().take(24).collect();
                write!(f, "File({} bytes, {head:?}..)", bytes.len())
            }
        }
    }
}

/// Every entry under `root` (relative path -> node), links not followed.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Node> {
    snapshot_with_mtimes(root)
        .into_iter()
        .map(|(path, (node, _))| (path, node))
        .collect()
}

/// Like [`snapshot`], with each file's mtime in nanoseconds (0 for directories and links).
pub fn snapshot_with_mtimes(root: &Path) -> BTreeMap<PathBuf, (Node, i128)> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (Node, i128)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            out.insert(relative, (Node::Link(fs::read_link(&path).unwrap()), 0));
        } else if meta.is_dir() {
            out.insert(relative, (Node::Dir, 0));
            walk(root, &path, out);
        } else {
            let mtime = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
            out.insert(relative, (Node::File(fs::read(&path).unwrap()), mtime));
        }
    }
}

/// Paths in a snapshot that are the writer's temporary entries.
pub fn leftovers<T>(tree: &BTreeMap<PathBuf, T>) -> Vec<PathBuf> {
    tree.keys()
        .filter(|p| p.components().any(|c| is_writer_temporary(c.as_os_str())))
        .cloned()
        .collect()
}

/// A scratch directory, on tmpfs when there is one (flushes are free there).
pub fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// The plan the fault tests write: several capabilities, natives and certification.
pub fn demo_plan(root: &Path) -> PackagePlan {
    plan_package(
        &ScaffoldRequest::new("demo")
            .root(root)
            .capability("source")
            .capability("sink")
            .native_capability("stream_export"),
    )
    .unwrap()
}

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
