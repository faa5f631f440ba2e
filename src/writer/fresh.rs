//! Writing a package that does not exist yet: build it whole in a staging directory beside
//! its destination, flush once, and rename it into place.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::fsops::{DirLock, Fs, Kind};
use super::leftovers::{self, Token, STAGING_MARK};
use super::platform;
use super::WriteOptions;
use crate::model::error::WriteError;
use crate::model::package::PlannedFile;

/// How a fresh write ended.
pub enum Fresh {
    /// The package is in place.
    Written,
    /// Another writer put a package there first; ours was discarded.
    LostRace,
}

/// Creates the missing directories of `root` one by one, returning those it created (so a
/// failed write can remove them again).
pub fn create_root(fs: &dyn Fs, root: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut missing = Vec::new();
    let mut current = root;
    while fs.kind(current)? == Kind::Missing {
        missing.push(current.to_path_buf());
        match current.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => current = parent,
            _ => break,
        }
    }
    let mut created = Vec::new();
    for dir in missing.iter().rev() {
        match fs.create_dir(dir) {
            Ok(()) => created.push(dir.clone()),
            // Someone else made it meanwhile: fine, it is not ours to remove.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                remove_dirs(fs, &created);
                return Err(WriteError::io("create directory", dir, e));
            }
        }
    }
    if created.last().is_some_and(|dir| dir == root) {
        // A root this run made holds only packages: let the allocator spread them.
        let _ = fs.mark_top_directory(root);
    }
    Ok(created)
}

/// Removes directories (deepest last in `dirs`) if they are empty.
pub fn remove_dirs(fs: &dyn Fs, dirs: &[PathBuf]) {
    for dir in dirs.iter().rev() {
        let _ = fs.remove_dir(dir);
    }
}

/// Writes `files` as the new directory `package_dir` in `root`.
pub fn write_fresh(
    fs: &dyn Fs,
    root: &Path,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<Fresh, WriteError> {
    let created_root = create_root(fs, root)?;
    leftovers::remove_stale_staging(fs, root);
    // Held until the staging directory is renamed into place: the lock, not a process id,
    // tells other writers (in any pid namespace) that it is in use.
    let (_token, staging, _owner) = match claim_staging(fs, root, package_dir) {
        Ok(claimed) => claimed,
        Err(err) => {
            remove_dirs(fs, &created_root);
            return Err(err);
        }
    };
    let result = stage_tree(fs, &staging, package_dir, files).and_then(|()| {
        if options.durable {
            // The content is on disk before it is visible.
            flush_staged(fs, &staging, package_dir, files)?;
        }
        fs.rename_noreplace(&staging, package_dir)
            .map_err(|e| WriteError::io("rename into place", package_dir, e))
    });
    match result {
        Ok(()) => Ok(Fresh::Written),
        Err(err) => {
            let staged = fs.kind_of(&staging).ok() == Some(Kind::Dir);
            if staged && fs.remove_dir_all(&staging).is_err() {
                leftovers::rescan_later(root);
            }
            let lost_race = matches!(&err, WriteError::Io { op: "rename into place", source, .. }
                if platform::is_exists(source))
                && fs.kind_of(package_dir).ok() == Some(Kind::Dir);
            if lost_race {
                Ok(Fresh::LostRace)
            } else {
                remove_dirs(fs, &created_root);
                Err(err)
            }
        }
    }
}

/// Flushes exactly what was staged: every file, then every directory, deepest first, then
/// the staging directory. A package is a few dozen entries, so this costs a few
/// milliseconds whatever else the machine is doing; a file-system-wide `syncfs` would also
/// wait for every other process's dirty data (80 ms right after an `rm -rf` of 60,000 files
/// here, and unbounded on a busy machine). Batches flush once with `syncfs` instead.
/// How many times a writer starts again with a new staging directory when another process
/// removed its directory before it could lock it.
const CLAIM_ATTEMPTS: usize = 8;

/// Creates and locks a new staging directory in `root`. Another writer's scan may remove a
/// directory in the instant between its creation and its lock; the directory is then no
/// longer linked once locked, and a new one is made. On a file system without locks the
/// directory is used unlocked (its leftovers are then judged by process id).
fn claim_staging(
    fs: &dyn Fs,
    root: &Path,
    package_dir: &Path,
) -> Result<(Token, PathBuf, DirLock), WriteError> {
    for _ in 0..CLAIM_ATTEMPTS {
        let token = Token::new();
        let staging = root.join(token.name(STAGING_MARK));
        fs.create_dir(&staging)
            .map_err(|e| WriteError::io("create directory", package_dir, e))?;
        let lock = match fs.lock(&staging, true) {
            Ok(lock) => lock,
            Err(e) if platform::is_lock_unsupported(&e) => DirLock::none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                let _ = fs.remove_dir(&staging);
                return Err(WriteError::io("lock", package_dir, e));
            }
        };
        if lock.still_linked() {
            return Ok((token, staging, lock));
        }
    }
    Err(WriteError::io(
        "create directory",
        package_dir,
        std::io::Error::other("other writers kept removing the staging directory"),
    ))
}

fn flush_staged(
    fs: &dyn Fs,
    staging: &Path,
    package_dir: &Path,
    files: &[PlannedFile],
) -> Result<(), WriteError> {
    let mut dirs: Vec<&str> = Vec::new();
    for file in files {
        fs.sync_entry(&staging.join(&file.path))
            .map_err(|e| WriteError::io("flush", package_dir.join(&file.path), e))?;
        let mut path = file.path.as_str();
        while let Some(slash) = path.rfind('/') {
            path = &path[..slash];
            if !dirs.contains(&path) {
                dirs.push(path);
            }
        }
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for dir in dirs {
        fs.sync_entry(&staging.join(dir))
            .map_err(|e| WriteError::io("flush", package_dir.join(dir), e))?;
    }
    fs.sync_entry(staging)
        .map_err(|e| WriteError::io("flush", package_dir, e))
}

/// Writes every file under `staging`; errors name the file's final path.
fn stage_tree(
    fs: &dyn Fs,
    staging: &Path,
    package_dir: &Path,
    files: &[PlannedFile],
) -> Result<(), WriteError> {
    // Directories made so far, so each is created once however many files it holds.
    let mut made: HashSet<&str> = HashSet::new();
    for file in files {
        let mut end = 0;
        while let Some(slash) = file.path[end..].find('/') {
            end += slash;
            let dir = &file.path[..end];
            if made.insert(dir) {
                fs.create_dir(&staging.join(dir))
                    .map_err(|e| WriteError::io("create directory", package_dir.join(dir), e))?;
            }
            end += 1;
        }
        fs.write_new(&staging.join(&file.path), file.contents.as_bytes())
            .map_err(|e| WriteError::io("write", package_dir.join(&file.path), e))?;
    }
    Ok(())
}
