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

use super::ignores::IgnoreRules;
use crate::contract::CONNECTOR_MANIFEST;
use crate::text::terminal::path_text;

/// Directory names never searched: build output, caches and installed dependencies.
pub const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "target",
];

/// What the walk found. Paths are relative to the root (empty for the root itself), kept
/// as the file system's bytes: a directory whose name is not UTF-8 is a package like any
/// other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A package directory.
    Package(PathBuf),
    /// A directory that could not be searched, and why.
    Unreadable(PathBuf, String),
}

impl Found {
    /// The directory, relative to the root.
    pub fn dir(&self) -> &Path {
        match self {
            Found::Package(dir) | Found::Unreadable(dir, _) => dir,
        }
    }

    /// The directory as reports name it: `/`-separated, `.` for the root; a byte that is
    /// not UTF-8 as `\xNN` ([`path_text`]; the Python binding gets the exact bytes).
    pub fn shown(&self) -> String {
        shown(self.dir())
    }
}

/// `dir` (relative) as reports name it; see [`Found::shown`].
fn shown(dir: &Path) -> String {
    let parts: Vec<String> = dir
        .components()
        .map(|c| path_text(Path::new(c.as_os_str())))
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
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
fn searched(entry: &DirEntry, walk: &Walk) -> bool {
    if !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name().as_encoded_bytes();
    if name.starts_with(b".")
        || SKIPPED_DIRS.iter().any(|s| s.as_bytes() == name)
        || name.ends_with(b".egg-info")
    {
        return false;
    }
    let path = entry.path();
    if walk.ignored(path) {
        return false;
    }
    let record = |found: Found| {
        walk.found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(found);
    };
    if is_package(path) {
        record(Found::Package(relative(&walk.root, path)));
        return false;
    }
    if is_environment(path) {
        return false;
    }
    // Its ignore files are read before the walk opens them: a hostile one is reported
    // here and the directory is not searched.
    match walk.rules.load(path) {
        Ok(()) => true,
        Err(reason) => {
            record(Found::Unreadable(relative(&walk.root, path), reason));
            false
        }
    }
}

/// What the walk's filter shares.
struct Walk {
    root: PathBuf,
    /// The root's parents, nearest first (their ignore files apply too).
    parents: Vec<PathBuf>,
    rules: IgnoreRules,
    found: Mutex<Vec<Found>>,
}

impl Walk {
    /// Whether the ignore files of the directories above `dir` exclude it.
    fn ignored(&self, dir: &Path) -> bool {
        let mut ancestors: Vec<&Path> = dir
            .ancestors()
            .skip(1)
            .take_while(|a| a.starts_with(&self.root))
            .collect();
        ancestors.extend(self.parents.iter().map(PathBuf::as_path));
        self.rules.ignores(dir, &ancestors)
    }
}

/// `path` relative to `root` (empty for the root itself).
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}

/// Every package under `root` and every directory that could not be searched, in path
/// order (component by component, names compared byte-wise). A root that is a package is
/// the one package. `interrupted` is asked between directories: `true` ends the walk early
/// (a caller stopped by a signal).
pub fn find_packages(root: &Path, interrupted: &mut dyn FnMut() -> bool) -> Vec<Found> {
    if is_package(root) {
        return vec![Found::Package(PathBuf::new())];
    }
    // The parents' ignore files apply, as git applies a repository's top-level rules in
    // every subdirectory; they are found by absolute path.
    let parents: Vec<PathBuf> = fs::canonicalize(root)
        .map(|absolute| absolute.ancestors().skip(1).map(Path::to_owned).collect())
        .unwrap_or_default();
    let walk = Arc::new(Walk {
        root: root.to_owned(),
        parents,
        rules: IgnoreRules::default(),
        found: Mutex::new(Vec::new()),
    });
    if let Err(reason) = walk.rules.load(root) {
        return vec![Found::Unreadable(PathBuf::new(), reason)];
    }
    // A parent's hostile ignore file (anyone can write `/tmp/.gitignore`) is reported on the
    // root's line and its rules left out; the tree is still listed.
    for parent in &walk.parents {
        if let Err(reason) = walk.rules.load(parent) {
            let reason = format!("{reason} (in {})", crate::text::terminal::path_text(parent));
            walk.found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Found::Unreadable(PathBuf::new(), reason));
        }
    }
    let in_filter = Arc::clone(&walk);
    // Files are never yielded (the filter refuses them); what comes out are the
    // directories searched, and errors. The crate's own ignore-file reading is off (it
    // reads without bounds); hidden entries, ignore files and the rest are the filter's.
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| searched(entry, &in_filter))
        .build();
    for result in walker {
        if interrupted() {
            break;
        }
        if let Err(err) = result {
            // Only a directory that could not be read can hide packages; a malformed
            // ignore file is not worth a line.
            // A directory removed while the tree was walked holds no package: not worth
            // a line either.
            if let Some(io) = err
                .io_error()
                .filter(|io| io.kind() != std::io::ErrorKind::NotFound)
            {
                let path = unreadable_path(&err).unwrap_or_else(|| root.to_owned());
                walk.found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Found::Unreadable(
                        relative(root, &path),
                        format!("cannot search this directory: {io}"),
                    ));
            }
        }
    }
    let found = std::mem::take(&mut *walk.found.lock().unwrap_or_else(|e| e.into_inner()));
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
        assert_eq!(shown(&relative(root, Path::new("/r"))), ".");
        assert_eq!(shown(&relative(root, Path::new("/r/a/b"))), "a/b");
        assert_eq!(shown(&relative(Path::new("."), Path::new("./a"))), "a");
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
        let packages: Vec<String> = found.iter().map(Found::shown).collect();
        // Component-wise: `a/...` before `a-b` (the order of a sorted tree walk).
        assert_eq!(packages, ["a/y/inner", "a/z", "a-b", "b"]);
    }
}
