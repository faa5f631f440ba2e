//! Writes a rendered package to disk without ever losing a person's work.
//!
//! Guarantees (see `docs/safety.md`):
//! - a new package is written into a staging directory beside its destination and renamed
//!   into place: readers see no package or the complete package;
//! - in an existing package, identical files are left alone (mtimes untouched), missing files
//!   are added, and files whose content differs are conflicts that refuse the whole write
//!   unless `force`;
//! - replacements are staged as temporary files, flushed once, then renamed; a failure rolls
//!   back what was renamed so far;
//! - nothing is written through a symbolic link or outside the package directory.

mod fsops;
mod report;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub use fsops::{Fs, RealFs};
pub use report::WriteReport;

use crate::error::WriteError;
use crate::scaffold::PlannedFile;

/// How to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace generated files a person edited.
    pub force: bool,
    /// Report what would happen and change nothing.
    pub dry_run: bool,
    /// Flush the file system before files become visible (one `syncfs` per write).
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

/// The prefix of staging directories and temporary files; anything starting with it and
/// left behind by a killed run is cleaned by the next run.
pub const STAGING_MARK: &str = ".dpone-staging-";
const TEMP_MARK: &str = ".dpone-tmp-";
const BACKUP_MARK: &str = ".dpone-bak-";

/// Writes `files` (paths relative to `package_dir`) with the real file system.
pub fn write_package(
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    write_package_with(&RealFs, package_dir, files, options)
}

/// Writes `files` through `fs`, so tests can inject a failure at any step.
pub fn write_package_with(
    fs: &dyn Fs,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    let root = parent_of(package_dir);
    check_root(fs, &root)?;
    match fs.kind(package_dir)? {
        fsops::Kind::Missing => {
            if options.dry_run {
                return Ok(WriteReport::all_created(files));
            }
            match write_fresh(fs, &root, package_dir, files, options)? {
                Fresh::Written(report) => Ok(report),
                // Another process created the package meanwhile: treat it as existing.
                Fresh::LostRace => update_existing(fs, package_dir, files, options),
            }
        }
        fsops::Kind::Dir => update_existing(fs, package_dir, files, options),
        fsops::Kind::Symlink => Err(WriteError::Symlink(package_dir.to_path_buf())),
        fsops::Kind::File | fsops::Kind::Other => {
            Err(WriteError::NotADirectory(package_dir.to_path_buf()))
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The root may be a symbolic link to a directory (like `/tmp` on some systems), but must
/// resolve to a directory; a missing root is created.
fn check_root(fs: &dyn Fs, root: &Path) -> Result<(), WriteError> {
    match fs.kind(root)? {
        fsops::Kind::Dir => Ok(()),
        fsops::Kind::Symlink => match fs.resolved_is_dir(root) {
            Ok(true) => Ok(()),
            Ok(false) => Err(WriteError::NotADirectory(root.to_path_buf())),
            Err(source) => Err(WriteError::io("resolve", root, source)),
        },
        fsops::Kind::Missing => Ok(()),
        fsops::Kind::File | fsops::Kind::Other => {
            Err(WriteError::NotADirectory(root.to_path_buf()))
        }
    }
}

enum Fresh {
    Written(WriteReport),
    LostRace,
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}-{nanos:x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn staging_name(package_dir: &Path) -> OsString {
    let mut name = OsString::from(".");
    name.push(package_dir.file_name().unwrap_or_default());
    name.push(STAGING_MARK);
    name
}

fn write_fresh(
    fs: &dyn Fs,
    root: &Path,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<Fresh, WriteError> {
    fs.create_dir_all(root)
        .map_err(|e| WriteError::io("create directory", root, e))?;
    let prefix = staging_name(package_dir);
    fsops::remove_stale_staging(fs, root, &prefix);
    let mut staging_name = prefix;
    staging_name.push(unique_suffix());
    let staging = root.join(staging_name);
    fs.create_dir(&staging)
        .map_err(|e| WriteError::io("create directory", &staging, e))?;
    let staged = stage_tree(fs, &staging, files).and_then(|()| {
        if options.durable {
            fs.sync_filesystem(&staging)
                .map_err(|e| WriteError::io("flush", &staging, e))?;
        }
        fs.rename_noreplace(&staging, package_dir)
            .map_err(|e| WriteError::io("rename", package_dir, e))
    });
    match staged {
        Ok(()) => {
            if options.durable {
                // Make the rename itself durable; the data already is.
                let _ = fs.sync_filesystem(root);
            }
            Ok(Fresh::Written(WriteReport::all_created(files)))
        }
        Err(err) => {
            let _ = fs.remove_dir_all(&staging);
            let lost_race = matches!(&err, WriteError::Io { op: "rename", source, .. }
                if matches!(source.raw_os_error(), Some(libc::EEXIST) | Some(libc::ENOTEMPTY)))
                && fs.kind(package_dir).ok() == Some(fsops::Kind::Dir);
            if lost_race {
                Ok(Fresh::LostRace)
            } else {
                Err(err)
            }
        }
    }
}

fn stage_tree(fs: &dyn Fs, staging: &Path, files: &[PlannedFile]) -> Result<(), WriteError> {
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            fs.create_dir_all(parent)
                .map_err(|e| WriteError::io("create directory", parent, e))?;
        }
        fs.write_new(&path, file.contents.as_bytes())
            .map_err(|e| WriteError::io("write", &path, e))?;
    }
    Ok(())
}

/// What must happen to one file of an existing package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Keep,
    Conflict,
}

fn classify(fs: &dyn Fs, package_dir: &Path, file: &PlannedFile) -> Result<Action, WriteError> {
    // Every directory between the package and the file must be a real directory.
    let mut current = package_dir.to_path_buf();
    let components: Vec<&str> = file.path.split('/').collect();
    for dir in &components[..components.len() - 1] {
        current.push(dir);
        match fs.kind(&current)? {
            fsops::Kind::Dir => {}
            fsops::Kind::Missing => return Ok(Action::Create),
            fsops::Kind::Symlink => return Err(WriteError::Symlink(current)),
            _ => return Err(WriteError::NotADirectory(current)),
        }
    }
    let path = package_dir.join(&file.path);
    match fs.kind(&path)? {
        fsops::Kind::Missing => Ok(Action::Create),
        fsops::Kind::Symlink => Err(WriteError::Symlink(path)),
        fsops::Kind::File => {
            let current = fs
                .read(&path)
                .map_err(|e| WriteError::io("read", &path, e))?;
            Ok(if current == file.contents.as_bytes() {
                Action::Keep
            } else {
                Action::Conflict
            })
        }
        _ => Err(WriteError::NotAFile(path)),
    }
}

fn update_existing(
    fs: &dyn Fs,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    let mut report = WriteReport::default();
    let mut changes: Vec<(&PlannedFile, Action)> = Vec::new();
    for file in files {
        let action = classify(fs, package_dir, file)?;
        match action {
            Action::Create => report.created.push(file.path.clone()),
            Action::Keep => report.unchanged.push(file.path.clone()),
            Action::Conflict if options.force => report.overwritten.push(file.path.clone()),
            Action::Conflict => report.conflicts.push(file.path.clone()),
        }
        if action != Action::Keep {
            changes.push((file, action));
        }
    }
    if !report.conflicts.is_empty() || options.dry_run || changes.is_empty() {
        return Ok(report);
    }
    fsops::apply_changes(
        fs,
        package_dir,
        changes
            .iter()
            .map(|(file, action)| (*file, *action == Action::Conflict)),
        options.durable,
    )?;
    Ok(report)
}

/// The temporary name a replacement is staged under, beside its target.
fn temp_path(target: &Path, mark: &str, suffix: &str) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(mark);
    name.push(suffix);
    target.with_file_name(name)
}
