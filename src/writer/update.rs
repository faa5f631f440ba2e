//! Writing into an existing package: classify every generated file, refuse on conflicts,
//! then stage, journal, flush once and rename, undoing everything on failure.

use std::path::{Path, PathBuf};

use super::fsops::{Fs, Kind};
use super::journal::{self, parents_are_dirs, sibling, Entry};
use super::leftovers::{self, Token, BACKUP_MARK, JOURNAL_MARK, TEMP_MARK};
use super::{WriteOptions, WriteReport};
use crate::error::WriteError;
use crate::scaffold::PlannedFile;

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

/// Writes `files` into the existing directory `package_dir`.
pub fn update_existing(
    fs: &dyn Fs,
    package_dir: &Path,
    files: &[PlannedFile],
    options: &WriteOptions,
) -> Result<WriteReport, WriteError> {
    // One writer per package at a time; a dry run only needs nobody writing meanwhile.
    let _lock = fs
        .lock(package_dir, !options.dry_run)
        .map_err(|e| WriteError::io("lock", package_dir, e))?;
    if !options.dry_run {
        // Undo whatever a killed run left half done before looking at the files.
        journal::recover(fs, package_dir)?;
        for dir in generated_dirs(fs, package_dir, files) {
            leftovers::remove_stale_files(fs, &dir)
                .map_err(|e| WriteError::io("clean leftovers in", &dir, e))?;
        }
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
    created_dirs: Vec<PathBuf>,
    temps: Vec<PathBuf>,
}

impl<'a> Update<'a> {
    fn new(fs: &'a dyn Fs, package_dir: &'a Path) -> Self {
        Update {
            fs,
            package_dir,
            token: Token::new(),
            created_dirs: Vec::new(),
            temps: Vec::new(),
        }
    }

    fn apply(mut self, changes: &[(&PlannedFile, bool)], durable: bool) -> Result<(), WriteError> {
        let journal_path = self.package_dir.join(self.token.name(JOURNAL_MARK));
        let staged = self
            .stage(changes)
            .and_then(|entries| {
                self.write_journal(&journal_path, &entries)
                    .map(|()| entries)
            })
            .and_then(|entries| {
                if durable {
                    // The one flush of this write: every new content and the journal are on
                    // disk before the first rename.
                    self.fs
                        .sync_filesystem(self.package_dir)
                        .map_err(|e| WriteError::io("flush", self.package_dir, e))?;
                }
                Ok(entries)
            });
        let entries = match staged {
            Ok(entries) => entries,
            Err(err) => {
                self.discard(Some(&journal_path));
                return Err(err);
            }
        };
        match self.commit(&entries, &journal_path) {
            Ok(()) => Ok(()),
            Err((err, undone)) => {
                if undone {
                    self.discard(Some(&journal_path));
                }
                // Otherwise the journal stays, and the next run finishes the undo.
                Err(err)
            }
        }
    }

    /// Writes every new content beside its target, creating missing directories.
    fn stage(&mut self, changes: &[(&PlannedFile, bool)]) -> Result<Vec<Entry>, WriteError> {
        let mut entries = Vec::with_capacity(changes.len());
        for (index, (file, replace)) in changes.iter().enumerate() {
            let target = self.package_dir.join(&file.path);
            self.create_parents(&file.path)?;
            let temp = sibling(&target, TEMP_MARK, self.token.as_str(), index);
            self.fs
                .write_new(&temp, file.contents.as_bytes())
                .map_err(|e| {
                    // A partly written temporary file is still ours to remove.
                    self.temps.push(temp.clone());
                    WriteError::io("write", &target, e)
                })?;
            self.temps.push(temp);
            entries.push(Entry {
                index,
                replace: *replace,
                sha256: journal::sha256_hex(file.contents.as_bytes()),
                path: file.path.clone(),
            });
        }
        Ok(entries)
    }

    fn create_parents(&mut self, relative: &str) -> Result<(), WriteError> {
        let mut current = self.package_dir.to_path_buf();
        let components: Vec<&str> = relative.split('/').collect();
        for dir in &components[..components.len() - 1] {
            current.push(dir);
            match self.fs.kind(&current)? {
                Kind::Dir => {}
                Kind::Missing => {
                    self.fs
                        .create_dir(&current)
                        .map_err(|e| WriteError::io("create directory", &current, e))?;
                    self.created_dirs.push(current.clone());
                }
                Kind::Symlink => return Err(WriteError::Symlink(current)),
                _ => return Err(WriteError::NotADirectory(current)),
            }
        }
        Ok(())
    }

    fn write_journal(&self, path: &Path, entries: &[Entry]) -> Result<(), WriteError> {
        let dirs: Vec<String> = self
            .created_dirs
            .iter()
            .filter_map(|d| d.strip_prefix(self.package_dir).ok())
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        let text = journal::render(self.token.as_str(), &dirs, entries);
        self.fs.write_new(path, text.as_bytes()).map_err(|e| {
            let _ = self.fs.remove_file(path);
            WriteError::io("write", path, e)
        })
    }

    /// Renames every staged file into place; then removing the journal makes it final. On
    /// failure, puts back what was already moved and says whether that fully worked.
    fn commit(&self, entries: &[Entry], journal_path: &Path) -> Result<(), (WriteError, bool)> {
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
                .remove_file(journal_path)
                .map_err(|e| WriteError::io("remove", journal_path, e))
        });
        match outcome {
            Ok(()) => {
                for (_, backup) in &done {
                    if let Some(backup) = backup {
                        let _ = self.fs.remove_file(backup);
                    }
                }
                Ok(())
            }
            Err(err) => {
                let mut undone = true;
                for (target, backup) in done.iter().rev() {
                    let step = match backup {
                        Some(backup) => self.fs.rename_replace(backup, target),
                        None => self.fs.remove_file(target),
                    };
                    if step.is_err() {
                        undone = false;
                        break;
                    }
                }
                Err((err, undone))
            }
        }
    }

    /// Best effort: removes the temporary files, the journal and the directories this update
    /// created. Whatever stays is a recognisable leftover the next run removes.
    fn discard(&self, journal_path: Option<&Path>) {
        for temp in &self.temps {
            if self.fs.kind_of(temp).ok() == Some(Kind::File) {
                let _ = self.fs.remove_file(temp);
            }
        }
        if let Some(journal_path) = journal_path {
            if self.fs.kind_of(journal_path).ok() == Some(Kind::File) {
                let _ = self.fs.remove_file(journal_path);
            }
        }
        for dir in self.created_dirs.iter().rev() {
            let _ = self.fs.remove_dir(dir);
        }
    }
}
