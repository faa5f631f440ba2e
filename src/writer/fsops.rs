//! The file-system operations the writer uses, behind a trait so tests can fail any step.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::platform;
use crate::model::error::WriteError;

/// What is at a path, without following a final symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Nothing.
    Missing,
    /// A directory.
    Dir,
    /// A regular file.
    File,
    /// A symbolic link (never followed).
    Symlink,
    /// A socket, fifo or device.
    Other,
}

/// An advisory lock on a directory, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct DirLock {
    _file: Option<fs::File>,
}

impl DirLock {
    /// A lock that holds nothing, for file systems in tests that do not lock.
    pub fn none() -> Self {
        DirLock { _file: None }
    }

    /// Whether a lock is really held (not [`DirLock::none`]).
    pub fn is_held(&self) -> bool {
        self._file.is_some()
    }

    /// Whether the locked directory is still linked into the tree (another process may have
    /// removed it between its creation and this lock). `true` when nothing is locked.
    pub fn still_linked(&self) -> bool {
        self._file.as_ref().is_none_or(platform::still_linked)
    }
}

/// Every file-system call the writer makes. The mutating ones (create, write, rename, link,
/// remove, flush) are the steps a fault-injecting implementation fails one at a time.
pub trait Fs {
    /// What is at `path` (`lstat`).
    fn kind_of(&self, path: &Path) -> io::Result<Kind>;
    /// Whether `path`, following links, is a directory.
    fn resolved_is_dir(&self, path: &Path) -> io::Result<bool>;
    /// `mkdir`, failing if anything exists at `path`.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file (never an existing one, never through a link) holding `contents`.
    fn write_new(&self, path: &Path, contents: &[u8]) -> io::Result<()>;
    /// Reads a whole file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Whether the file at `path` holds exactly `expected` (a file of another size is not
    /// read at all, so a huge file in a generated file's place costs nothing).
    fn same_content(&self, path: &Path, expected: &[u8]) -> io::Result<bool>;
    /// Renames `from` to `to`, failing if `to` exists.
    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Renames `from` over `to`.
    fn rename_replace(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Hard-links `from` as `to` (never following a link at `from`).
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Removes an empty directory.
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    /// Removes a directory tree (never following links inside it).
    fn remove_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Lists a directory's entries as full paths.
    fn list(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// Makes everything written under `path` durable: on Linux one `syncfs` of the whole
    /// file system, however many files that is; elsewhere a flush of each file under `path`.
    fn sync_filesystem(&self, path: &Path) -> io::Result<()>;
    /// Flushes one file or directory (`fsync`), never following a link.
    fn sync_entry(&self, path: &Path) -> io::Result<()>;
    /// Takes an advisory lock on the directory `path` (shared or exclusive), waiting for it.
    fn lock(&self, path: &Path, exclusive: bool) -> io::Result<DirLock>;
    /// Takes the exclusive lock on the directory `path` if nobody holds it; `None` when
    /// someone does (in this process or any other, whatever its pid namespace).
    fn try_lock(&self, path: &Path) -> io::Result<Option<DirLock>>;

    /// Hints that the directory `path` (one this run created) is the top of separate
    /// hierarchies, so the file system may spread its subdirectories. Best effort.
    fn mark_top_directory(&self, _path: &Path) -> io::Result<()> {
        Ok(())
    }
}

impl dyn Fs + '_ {
    /// [`Fs::kind_of`] with the error naming the path.
    pub fn kind(&self, path: &Path) -> Result<Kind, WriteError> {
        self.kind_of(path)
            .map_err(|e| WriteError::io("inspect", path, e))
    }
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl Fs for RealFs {
    fn kind_of(&self, path: &Path) -> io::Result<Kind> {
        match fs::symlink_metadata(path) {
            Ok(meta) => {
                let ft = meta.file_type();
                Ok(if ft.is_symlink() {
                    Kind::Symlink
                } else if ft.is_dir() {
                    Kind::Dir
                } else if ft.is_file() {
                    Kind::File
                } else {
                    Kind::Other
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
            Err(e) => Err(e),
        }
    }

    fn resolved_is_dir(&self, path: &Path) -> io::Result<bool> {
        fs::metadata(path).map(|m| m.is_dir())
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn write_new(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        let mut file = platform::with_mode(platform::no_follow(&mut options), 0o644).open(path)?;
        file.write_all(contents)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn same_content(&self, path: &Path, expected: &[u8]) -> io::Result<bool> {
        let mut file = platform::no_follow(fs::OpenOptions::new().read(true)).open(path)?;
        if file.metadata()?.len() != expected.len() as u64 {
            return Ok(false);
        }
        let mut current = Vec::with_capacity(expected.len());
        // One byte more than expected, to notice a file that grew meanwhile.
        (&mut file)
            .take(expected.len() as u64 + 1)
            .read_to_end(&mut current)?;
        Ok(current == expected)
    }

    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()> {
        platform::rename_noreplace(from, to)
    }

    fn rename_replace(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::hard_link(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir_all(path)
    }

    fn list(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }

    fn sync_filesystem(&self, path: &Path) -> io::Result<()> {
        platform::sync_filesystem(path)
    }

    fn sync_entry(&self, path: &Path) -> io::Result<()> {
        platform::sync_entry(path)
    }

    /// Sets `FS_TOPDIR_FL` where the platform has it (see [`platform::mark_top_directory`]).
    fn mark_top_directory(&self, path: &Path) -> io::Result<()> {
        platform::mark_top_directory(path)
    }

    fn lock(&self, path: &Path, exclusive: bool) -> io::Result<DirLock> {
        lock_dir(path, exclusive, true).map(|lock| lock.unwrap_or_else(DirLock::none))
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<DirLock>> {
        lock_dir(path, true, false)
    }
}

/// Locks the directory `path` (`flock` on Unix): the lock, or `None` when a non-blocking
/// request finds it held.
fn lock_dir(path: &Path, exclusive: bool, wait: bool) -> io::Result<Option<DirLock>> {
    let file = platform::directory(&mut fs::OpenOptions::new()).open(path)?;
    Ok(platform::lock(&file, exclusive, wait)?.then_some(DirLock { _file: Some(file) }))
}
