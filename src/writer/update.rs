//! Writing into an existing package: classify every generated file, refuse on conflicts,
//! then journal, stage, flush once and rename, undoing everything on failure.

use std::path::{Path, PathBuf};

use super::fsops::{DirLock, Fs, Kind};
use super::journal::{self, parents_are_dirs, sibling, Entry};
use super::leftovers::{self, Token, BACKUP_MARK, JOURNAL_MARK, TEMP_MARK};
use super::platform;
use super::WriteOptions;
use crate::model::error::WriteError;
use crate::model::package::PlannedFile;
use crate::model::results::WriteReport;
use crate::text::digest::sha256_hex;

/// What must happen to one file of an existing package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Keep,
    Conflict,
}

fn classify(fs: &dyn Fs, package_dir: &Path, file: &PlannedFile) -> Result<Action, WriteError> {
    // Every directory between the package and the file must be a real directory.
    if !parents_are_dirs(fs, package_dir, &file.path)? {
        return Ok(Action::Create);
    }
    let path = package_dir.join(&file.path);
    match fs.kind(&path)? {
        Kind::Missing => Ok(Action::Create),
        Kind::Symlink => Err(WriteError::Symlink(path)),
        Kind::File => {
            let same = fs
                .same_content(&path, file.contents.as_bytes())
                .map_err(|e| WriteError::io("read", &path, e))?;
            Ok(if same { Action::Keep } else { Action::Conflict })
        }
        _ => Err(WriteError::NotAFile(path)),
    }
}

/// The directories holding generated files, parents first, that exist as real directories.
fn generated_dirs(fs: &dyn Fs, package_dir: &Path, files: &[PlannedFile]) -> Vec<PathBuf> {
    let mut dirs = vec![package_dir.to_path_buf()];
    for file in files {
        let mut current = package_dir.to_path_buf();
        let components: Vec<&str> = file.path.split('/').collect();
        for dir in &components[..components.len() - 1] {
            current.push(dir);
            if fs.kind_of(&current).ok() != Some(Kind::Dir) {
                break;
            }
            if !dirs.contains(&current) {
                dirs.push(current.clone());
            }
        }
    }
    dirs
}

/// Locks `package_dir` (exclusively unless `dry_run`) and, for a real write, undoes what a
/// killed run left half done. Everything that reads the package to decide what to write
/// does so after this, under the returned lock.
pub fn lock_and_recover(
    fs: &dyn Fs,
    package_dir: &Path,
    dry_run: bool,
) -> Result<DirLock, WriteError> {
    // One writer per package at a time; a dry run only needs nobody writing meanwhile.
    let lock = match fs.lock(package_dir, !dry_run) {
        Ok(lock) => lock,
        // A file system without locks (some network mounts) still gets every other
        // guarantee; only concurrent writers are no longer serialized.
        Err(e) if platform::is_lock_unsupported(&e) => DirLock::none(),
        Err(e) => return Err(WriteError::io("lock", package_dir, e)),
    };
    if !dry_run {
        journal::recover(fs, package_dir, lock.is_held())?;
    }
    Ok(lock)
}

/// Writes `files` into the existing directory `package_dir`.
pub fn update_existing(
    fs: &dyn Fs,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    let lock = lock_and_recover(fs, package_dir, options.dry_run)?;
    update_locked(fs, package_dir, &lock, files, options)
}

/// Removes the temporary files and backups dead writers left beside the package's `files`
/// (after the journals were undone, so none of them is still needed).
pub fn remove_leftovers(
    fs: &dyn Fs,
    package_dir: &Path,
    lock: &DirLock,
    files: &[PlannedFile],
) -> Result<(), WriteError> {
    for dir in generated_dirs(fs, package_dir, files) {
        leftovers::remove_stale_files(fs, &dir, lock.is_held())
            .map_err(|e| WriteError::io("clean leftovers in", &dir, e))?;
    }
    Ok(())
}

/// [`update_existing`] for a package already locked (and recovered) with `lock`.
pub fn update_locked(
    fs: &dyn Fs,
    package_dir: &Path,
    lock: &DirLock,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    if !options.dry_run {
        remove_leftovers(fs, package_dir, lock, files)?;
    }
    let mut report = WriteReport::default();
    let mut changes: Vec<(&PlannedFile, bool)> = Vec::new();
    for file in files {
        match classify(fs, package_dir, file)? {
            Action::Create => {
                report.created.push(file.path.clone());
                changes.push((file, false));
            }
            Action::Keep => report.unchanged.push(file.path.clone()),
            Action::Conflict if options.force => {
                report.overwritten.push(file.path.clone());
                changes.push((file, true));
            }
            Action::Conflict => report.conflicts.push(file.path.clone()),
        }
    }
    if !report.conflicts.is_empty() || options.dry_run || changes.is_empty() {
        return Ok(report);
    }
    Update::new(fs, package_dir).apply(&changes, options.durable)?;
    Ok(report)
}

/// One update in progress: what it created, so a failure can take it back.
struct Update<'a> {
    fs: &'a dyn Fs,
    package_dir: &'a Path,
    token: Token,
    journal: PathBuf,
    created_dirs: Vec<PathBuf>,
    temps: Vec<PathBuf>,
}

impl<'a> Update<'a> {
    fn new(fs: &'a dyn Fs, package_dir: &'a Path) -> Self {
        let token = Token::new();
        Update {
            fs,
            package_dir,
            journal: package_dir.join(token.name(JOURNAL_MARK)),
            token,
            created_dirs: Vec::new(),
            temps: Vec::new(),
        }
    }

    /// Journal, stage, flush once, rename. The journal comes first, so whatever a killed
    /// run leaves behind is listed in it and undone by the next run.
    fn apply(mut self, changes: &[(&PlannedFile, bool)], durable: bool) -> Result<(), WriteError> {
        let entries: Vec<Entry> = changes
            .iter()
            .enumerate()
            .map(|(index, (file, replace))| Entry {
                index,
                replace: *replace,
                sha256: sha256_hex(file.contents.as_bytes()),
                path: file.path.clone(),
            })
            .collect();
        let dirs = self.missing_dirs(changes)?;
        self.write_journal(&dirs, &entries)?;
        let staged = self.stage(&dirs, changes).and_then(|()| {
            if durable {
                // The one flush of this write: the journal and every new content are on
                // disk before the first rename.
                self.fs
                    .sync_filesystem(self.package_dir)
                    .map_err(|e| WriteError::io("flush", self.package_dir, e))?;
            }
            Ok(())
        });
        if let Err(err) = staged {
            self.discard();
            return Err(err);
        }
        self.commit(&entries)
    }

    /// The directories the changes need that do not exist yet, parents first.
    fn missing_dirs(&self, changes: &[(&PlannedFile, bool)]) -> Result<Vec<String>, WriteError> {
        let mut missing: Vec<String> = Vec::new();
        for (file, _) in changes {
            let mut end = 0;
            while let Some(slash) = file.path[end..].find('/') {
                end += slash;
                let dir = &file.path[..end];
                if !missing.iter().any(|d| d == dir) {
                    let path = self.package_dir.join(dir);
                    match self.fs.kind(&path)? {
                        Kind::Dir => {}
                        Kind::Missing => missing.push(dir.to_owned()),
                        Kind::Symlink => return Err(WriteError::Symlink(path)),
                        _ => return Err(WriteError::NotADirectory(path)),
                    }
                }
                end += 1;
            }
        }
        Ok(missing)
    }

    fn write_journal(&self, dirs: &[String], entries: &[Entry]) -> Result<(), WriteError> {
        let text = journal::render(self.token.as_str(), dirs, entries);
        self.fs
            .write_new(&self.journal, text.as_bytes())
            .map_err(|e| {
                // A partial journal is harmless (the next run ignores it) but still ours.
                if self.fs.kind_of(&self.journal).ok() == Some(Kind::File) {
                    let _ = self.fs.remove_file(&self.journal);
                }
                // Named by the package: the journal is ours, not a file the person knows.
                WriteError::io("record the planned changes in", self.package_dir, e)
            })
    }

    /// Creates the missing directories and writes every new content beside its target.
    fn stage(
        &mut self,
        dirs: &[String],
        changes: &[(&PlannedFile, bool)],
    ) -> Result<(), WriteError> {
        for dir in dirs {
            let path = self.package_dir.join(dir);
            self.fs
                .create_dir(&path)
                .map_err(|e| WriteError::io("create directory", &path, e))?;
            self.created_dirs.push(path);
        }
        for (index, (file, _)) in changes.iter().enumerate() {
            let target = self.package_dir.join(&file.path);
            let temp = sibling(&target, TEMP_MARK, self.token.as_str(), index);
            // Pushed first: a partly written temporary file is still ours to remove.
            self.temps.push(temp.clone());
            self.fs
                .write_new(&temp, file.contents.as_bytes())
                .map_err(|e| WriteError::io("write", &target, e))?;
        }
        Ok(())
    }

    /// Renames every staged file into place; then removing the journal makes it final. On
    /// failure, puts back what was already moved.
    fn commit(&self, entries: &[Entry]) -> Result<(), WriteError> {
        let token = self.token.as_str();
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut outcome = Ok(());
        for entry in entries {
            let target = self.package_dir.join(&entry.path);
            let temp = sibling(&target, TEMP_MARK, token, entry.index);
            let step = if entry.replace {
                let backup = sibling(&target, BACKUP_MARK, token, entry.index);
                self.fs
                    .hard_link(&target, &backup)
                    .map_err(|e| WriteError::io("back up", &target, e))
                    .and_then(|()| {
                        self.fs.rename_replace(&temp, &target).map_err(|e| {
                            let _ = self.fs.remove_file(&backup);
                            WriteError::io("replace", &target, e)
                        })
                    })
                    .map(|()| Some(backup))
            } else {
                self.fs
                    .rename_noreplace(&temp, &target)
                    .map_err(|e| WriteError::io("create", &target, e))
                    .map(|()| None)
            };
            match step {
                Ok(backup) => done.push((target, backup)),
                Err(err) => {
                    outcome = Err(err);
                    break;
                }
            }
        }
        // The commit point: once the journal is gone, the new files are the package.
        let outcome = outcome.and_then(|()| {
            self.fs
                .remove_file(&self.journal)
                .map_err(|e| WriteError::io("finish the write in", self.package_dir, e))
        });
        match outcome {
            Ok(()) => {
                for backup in done.iter().filter_map(|(_, backup)| backup.as_ref()) {
                    let _ = self.fs.remove_file(backup);
                }
                Ok(())
            }
            Err(err) => {
                for (target, backup) in done.iter().rev() {
                    let step = match backup {
                        Some(backup) => self.fs.rename_replace(backup, target),
                        None => self.fs.remove_file(target),
                    };
                    if step.is_err() {
                        // The journal stays: the next run finishes this undo.
                        return Err(err);
                    }
                }
                self.discard();
                Err(err)
            }
        }
    }

    /// Best effort: removes the temporary files and the directories this update created,
    /// then the journal, last and only if the rest went, so whatever stays is still listed
    /// in it for the next run.
    fn discard(&self) {
        let mut clean = true;
        for temp in &self.temps {
            if self.fs.kind_of(temp).ok() == Some(Kind::File) {
                clean &= self.fs.remove_file(temp).is_ok();
            }
        }
        for dir in self.created_dirs.iter().rev() {
            clean &= self.fs.remove_dir(dir).is_ok();
        }
        if clean {
            let _ = self.fs.remove_file(&self.journal);
        }
    }
}
