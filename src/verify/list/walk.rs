//! Finding the packages of a tree: every directory holding `dpone_connector_manifest.json`.
//!
//! The walk (the `ignore` crate, one thread, names sorted) skips what is not a project's
//! own source: hidden directories (`.git`, `.venv`, `.tox`, caches), whatever `.gitignore`,
//! `.ignore` and `.git/info/exclude` exclude (with or without a git repository; the user's
//! global excludes are not read, so a tree lists the same on every machine), virtual
//! environments whatever their name (a `pyvenv.cfg` or `conda-meta` inside), and build and
//! cache directories ([`SKIPPED_DIRS`], `*.egg-info`). Symbolic links are not followed, so
//! a link loop cannot trap it. A package's own directory is not searched for more packages.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{DirEntry, WalkBuilder};

use crate::contract::CONNECTOR_MANIFEST;

/// Directory names never searched: build output, caches and installed dependencies.
pub const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "target",
];

/// What the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A package directory, relative to the root, `/`-separated (`.` for the root).
    Package(String),
    /// A directory that could not be searched (relative, or `.`), and why.
    Unreadable(String, String),
}

/// Whether `dir` holds a connector manifest (of any file type: a manifest that cannot be
/// read still makes a package, reported as invalid).
fn is_package(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(CONNECTOR_MANIFEST)).is_ok()
}

fn is_environment(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join("pyvenv.cfg")).is_ok()
        || fs::symlink_metadata(dir.join("conda-meta")).is_ok()
}

/// Decides whether the walk enters a directory. A package is recorded here and not
/// entered: the walk would otherwise open every directory of every package.
fn searched(entry: &DirEntry, root: &Path, found: &Mutex<Vec<Found>>) -> bool {
    if !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    if SKIPPED_DIRS.contains(&name.as_ref()) || name.ends_with(".egg-info") {
        return false;
    }
    if is_package(entry.path()) {
        let path = relative(root, entry.path());
        found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Found::Package(path));
        return false;
    }
    !is_environment(entry.path())
}

/// `path` relative to `root`, `/`-separated; `.` for the root itself.
fn relative(root: &Path, path: &Path) -> String {
    let parts: Vec<String> = path
        .strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// Every package under `root` and every directory that could not be searched, in path
/// order (component by component, names compared byte-wise). A root that is a package is
/// the one package. `interrupted` is asked between directories: `true` ends the walk early
/// (a caller stopped by a signal).
pub fn find_packages(root: &Path, interrupted: &mut dyn FnMut() -> bool) -> Vec<Found> {
    if is_package(root) {
        return vec![Found::Package(".".to_owned())];
    }
    let found = Arc::new(Mutex::new(Vec::new()));
    let (in_filter, filter_root) = (Arc::clone(&found), root.to_owned());
    // Files are never yielded (the filter refuses them); what comes out are the
    // directories searched, and errors.
    let walk = WalkBuilder::new(root)
        .standard_filters(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| searched(entry, &filter_root, &in_filter))
        .build();
    for result in walk {
        if interrupted() {
            break;
        }
        if let Err(err) = result {
            // Only a directory that could not be read can hide packages; a malformed
            // ignore file is not worth a line.
            if let Some(io) = err.io_error() {
                let path = unreadable_path(&err).unwrap_or_else(|| root.to_owned());
                found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Found::Unreadable(
                        relative(root, &path),
                        format!("cannot search this directory: {io}"),
                    ));
            }
        }
    }
    let found = std::mem::take(&mut *found.lock().unwrap_or_else(|e| e.into_inner()));
    found
}

fn unreadable_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            unreadable_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_slash_separated() {
        let root = Path::new("/r");
        assert_eq!(relative(root, Path::new("/r")), ".");
        assert_eq!(relative(root, Path::new("/r/a/b")), "a/b");
        assert_eq!(relative(Path::new("."), Path::new("./a")), "a");
    }

    #[test]
    fn packages_come_in_path_order_and_are_not_entered() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["b", "b/nested", "a-b", "a/z", "a/y/inner"] {
            fs::create_dir_all(root.join(dir)).unwrap();
            fs::write(root.join(dir).join(CONNECTOR_MANIFEST), "{}").unwrap();
        }
        let found = find_packages(root, &mut || false);
        let packages: Vec<&str> = found
            .iter()
            .map(|f| match f {
                Found::Package(p) | Found::Unreadable(p, _) => p.as_str(),
            })
            .collect();
        // Component-wise: `a/...` before `a-b` (the order of a sorted tree walk).
        assert_eq!(packages, ["a/y/inner", "a/z", "a-b", "b"]);
    }
}
