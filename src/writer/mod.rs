//! Writes a rendered package to disk without ever losing a person's work.
//!
//! Guarantees (see `docs/safety.md`):
//! - a new package is written whole into a staging directory beside its destination,
//!   flushed once, and renamed into place: there is no package or the complete package;
//! - in an existing package, identical files are left alone (mtimes untouched), missing files
//!   are added, and files whose content differs are conflicts that refuse the whole write
//!   unless `force`, which replaces exactly those;
//! - changes to an existing package are staged beside their targets, journaled, flushed once
//!   and renamed; a failure undoes the renames done so far, and a run killed in the middle
//!   is undone by the next run;
//! - nothing is written through a symbolic link or outside the package directory.
//!
//! [`publish`] is the writer for reports: a JSON and markdown pair replaced atomically
//! together.

mod fresh;
mod fsops;
mod journal;
mod leftovers;
pub(crate) mod platform;
pub mod publish;
#[cfg(test)]
mod tests;
mod update;

use std::path::{Path, PathBuf};

use fsops::{Fs, Kind, RealFs};
use leftovers::{BACKUP_MARK, JOURNAL_MARK, STAGING_MARK, TEMP_MARK};

use crate::model::error::WriteError;
use crate::model::package::PlannedFile;
use crate::model::results::WriteReport;

/// How to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace generated files a person edited.
    pub force: bool,
    /// Report what would happen and change nothing.
    pub dry_run: bool,
    /// Flush the file system once before the new files become visible (one `syncfs` per
    /// write, never one per file). A batch turns this off and calls [`flush`] once at the end.
    pub durable: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            force: false,
            dry_run: false,
            durable: true,
        }
    }
}

/// Whether a file name is one of the writer's temporary entries (staging directory,
/// temporary file, backup or journal), live or left over.
pub fn is_writer_temporary(name: &std::ffi::OsStr) -> bool {
    [STAGING_MARK, TEMP_MARK, BACKUP_MARK, JOURNAL_MARK]
        .iter()
        .any(|mark| name.as_encoded_bytes().starts_with(mark.as_bytes()))
}

/// Flushes the file system holding `path` (`syncfs`): what a batch of writes with
/// `durable: false` calls once at the end.
pub fn flush(path: &Path) -> Result<(), WriteError> {
    RealFs
        .sync_filesystem(path)
        .map_err(|e| WriteError::io("flush", path, e))
}

/// Writes `files` (paths relative to `package_dir`) with the real file system.
pub fn write_package(
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    write_package_with(&RealFs, package_dir, files, options)
}

/// An existing package held for reading and then writing: nobody else writes it while the
/// guard lives, and what a killed run left half done has been undone. Services that decide
/// what to write from what is on disk (`add-capability`) read the package only after taking
/// this guard, so their decision is never based on a state another writer then changes.
#[derive(Debug)]
pub struct PackageGuard {
    dir: PathBuf,
    lock: fsops::DirLock,
    dry_run: bool,
}

/// Locks the package directory `package_dir` (shared for a dry run, otherwise exclusive)
/// and, for a real write, recovers it first.
pub fn lock_package(package_dir: &Path, dry_run: bool) -> Result<PackageGuard, WriteError> {
    // `.` or `..` name no directory by themselves: the one they stand for does.
    let dir = match package_dir.file_name() {
        Some(_) => package_dir.to_path_buf(),
        None => package_dir
            .canonicalize()
            .map_err(|e| WriteError::io("inspect", package_dir, e))?,
    };
    let lock = update::lock_and_recover(&RealFs, &dir, dry_run)?;
    Ok(PackageGuard { dir, lock, dry_run })
}

impl PackageGuard {
    /// Removes what dead writers left beside the package's `files` (every generated file of
    /// the package, not only those about to change). Nothing in a dry run.
    pub fn remove_leftovers(&self, files: &[PlannedFile]) -> Result<(), WriteError> {
        if self.dry_run {
            return Ok(());
        }
        update::remove_leftovers(&RealFs, &self.dir, &self.lock, files)
    }

    /// Writes `files` into the locked package, like [`write_package`] without locking again.
    /// `options.dry_run` must match the guard's.
    pub fn write(
        &self,
        files: &[PlannedFile],
        options: &WriteOptions,
    ) -> Result<WriteReport, WriteError> {
        validate(&self.dir, files)?;
        let options = WriteOptions {
            dry_run: self.dry_run || options.dry_run,
            ..*options
        };
        update::update_locked(&RealFs, &self.dir, &self.lock, files, &options)
    }
}

/// Writes `files` through `fs`, so tests can inject a failure at any step.
pub(crate) fn write_package_with(
    fs: &dyn Fs,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    validate(package_dir, files)?;
    let root = parent_of(package_dir);
    check_root(fs, &root)?;
    match fs.kind(package_dir)? {
        Kind::Missing if options.dry_run => Ok(WriteReport::all_created(files)),
        Kind::Missing => match fresh::write_fresh(fs, &root, package_dir, files, options)? {
            fresh::Fresh::Written => Ok(WriteReport::all_created(files)),
            // Another process created the package meanwhile: treat it as existing.
            fresh::Fresh::LostRace => update::update_existing(fs, package_dir, files, options),
        },
        Kind::Dir => update::update_existing(fs, package_dir, files, options),
        Kind::Symlink => Err(WriteError::Symlink(package_dir.to_path_buf())),
        Kind::File | Kind::Other => Err(WriteError::NotADirectory(package_dir.to_path_buf())),
    }
}

/// Refuses paths that could leave the package directory or collide with each other.
fn validate(package_dir: &Path, files: &[PlannedFile]) -> Result<(), WriteError> {
    let has_name = package_dir
        .file_name()
        .is_some_and(|name| !is_writer_temporary(name));
    if !has_name {
        return Err(WriteError::UnsafePath(package_dir.display().to_string()));
    }
    let mut seen = std::collections::HashSet::new();
    for file in files {
        let unsafe_name = file
            .path
            .split('/')
            .any(|c| is_writer_temporary(std::ffi::OsStr::new(c)));
        if !journal::safe_relative(&file.path) || unsafe_name || !seen.insert(file.path.as_str()) {
            return Err(WriteError::UnsafePath(file.path.clone()));
        }
    }
    // A file may not also be a directory of another file.
    for file in files {
        let mut end = 0;
        while let Some(slash) = file.path[end..].find('/') {
            end += slash;
            if seen.contains(&file.path[..end]) {
                return Err(WriteError::UnsafePath(file.path.clone()));
            }
            end += 1;
        }
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The root may be a symbolic link to a directory (like `/tmp` on some systems), but must
/// resolve to a directory; a missing root is created by the write.
fn check_root(fs: &dyn Fs, root: &Path) -> Result<(), WriteError> {
    match fs.kind(root)? {
        Kind::Dir | Kind::Missing => Ok(()),
        Kind::Symlink => match fs.resolved_is_dir(root) {
            Ok(true) => Ok(()),
            Ok(false) => Err(WriteError::NotADirectory(root.to_path_buf())),
            Err(source) => Err(WriteError::io("follow symbolic link", root, source)),
        },
        Kind::File | Kind::Other => Err(WriteError::NotADirectory(root.to_path_buf())),
    }
}
