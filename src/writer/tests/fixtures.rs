//! Test fixtures for trees of files: snapshots that never follow links, the writer's
//! leftovers, scratch directories and the demo plan. Shared by the writer's unit tests and the
//! integration tests (`tests/common`), each of which provides `is_writer_temporary`,
//! `plan_package`, `PackagePlan` and `ScaffoldRequest` in the including module.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{is_writer_temporary, plan_package, PackagePlan, ScaffoldRequest};

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
