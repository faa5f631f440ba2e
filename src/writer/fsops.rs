//! The file-system operations the writer uses, behind a trait so tests can fail any step.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{temp_path, unique_suffix, BACKUP_MARK, TEMP_MARK};
use crate::error::WriteError;
use crate::scaffold::PlannedFile;

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

/// Every file-system call the writer makes.
pub trait Fs {
    /// What is at `path` (`lstat`).
    fn kind_of(&self, path: &Path) -> io::Result<Kind>;
    /// Whether `path`, following links, is a directory.
    fn resolved_is_dir(&self, path: &Path) -> io::Result<bool>;
    /// `mkdir -p`.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// `mkdir`, failing if it exists.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file (never an existing one, never through a link) with `contents`.
    fn write_new(&self, path: &Path, contents: &[u8]) -> io::Result<()>;
    /// Reads a whole file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Renames `from` to `to`, failing if `to` exists.
    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Renames `from` over `to`.
    fn rename_replace(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Hard-links `from` as `to`.
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Removes an empty directory.
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    /// Removes a directory tree.
    fn remove_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Lists a directory's entry names.
    fn list(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// Flushes the whole file system holding `path` (`syncfs`).
    fn sync_filesystem(&self, path: &Path) -> io::Result<()>;
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

fn c_path(path: &Path) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

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

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn write_new(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .mode(0o644)
            .open(path)?;
        file.write_all(contents)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()> {
        let (from_c, to_c) = (c_path(from)?, c_path(to)?);
        // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from_c.as_ptr(),
                libc::AT_FDCWD,
                to_c.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EINVAL) || err.raw_os_error() == Some(libc::ENOSYS) {
            // The file system cannot refuse replacement atomically: check, then rename.
            if fs::symlink_metadata(to).is_ok() {
                return Err(io::Error::from_raw_os_error(libc::EEXIST));
            }
            return fs::rename(from, to);
        }
        Err(err)
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
        let file = fs::File::open(path)?;
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for the duration of the call.
        if unsafe { libc::syncfs(file.as_raw_fd()) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

/// Removes staging directories named `<prefix><pid>-...` whose process is gone. Best effort:
/// a failure only means the leftover stays (it is hidden and ignored).
pub(super) fn remove_stale_staging(fs: &dyn Fs, root: &Path, prefix: &OsStr) {
    let Ok(entries) = fs.list(root) else { return };
    for entry in entries {
        let Some(name) = entry.file_name() else {
            continue;
        };
        let Some(rest) = name.as_bytes().strip_prefix(prefix.as_bytes()) else {
            continue;
        };
        let pid = rest
            .split(|b| *b == b'-')
            .next()
            .and_then(|p| std::str::from_utf8(p).ok());
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs.remove_dir_all(&entry);
        }
    }
}

/// Applies creations and replacements to an existing package, all or nothing: every new
/// content is staged beside its target first; only then are they renamed into place, and a
/// failed rename rolls back the ones before it.
pub(super) fn apply_changes<'a>(
    fs: &dyn Fs,
    package_dir: &Path,
    changes: impl Iterator<Item = (&'a PlannedFile, bool)>,
    durable: bool,
) -> Result<(), WriteError> {
    let suffix = unique_suffix();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    let result = (|| {
        for (file, replace) in changes {
            let target = package_dir.join(&file.path);
            if let Some(parent) = target.parent() {
                create_missing_dirs(fs, package_dir, parent, &mut created_dirs)?;
            }
            let temp = temp_path(&target, TEMP_MARK, &suffix);
            fs.write_new(&temp, file.contents.as_bytes())
                .map_err(|e| WriteError::io("write", &temp, e))?;
            staged.push((temp, target, replace));
        }
        if durable {
            fs.sync_filesystem(package_dir)
                .map_err(|e| WriteError::io("flush", package_dir, e))?;
        }
        commit(fs, &staged, &suffix)
    })();
    if result.is_err() {
        for (temp, _, _) in &staged {
            let _ = fs.remove_file(temp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs.remove_dir(dir);
        }
    } else if durable {
        let _ = fs.sync_filesystem(package_dir);
    }
    result
}

fn create_missing_dirs(
    fs: &dyn Fs,
    package_dir: &Path,
    dir: &Path,
    created: &mut Vec<PathBuf>,
) -> Result<(), WriteError> {
    let Ok(relative) = dir.strip_prefix(package_dir) else {
        return Ok(());
    };
    let mut current = package_dir.to_path_buf();
    for component in relative.components() {
        current.push(component);
        match fs.kind(&current)? {
            Kind::Dir => {}
            Kind::Missing => {
                fs.create_dir(&current)
                    .map_err(|e| WriteError::io("create directory", &current, e))?;
                created.push(current.clone());
            }
            Kind::Symlink => return Err(WriteError::Symlink(current)),
            _ => return Err(WriteError::NotADirectory(current)),
        }
    }
    Ok(())
}

/// Renames every staged file into place; on failure, puts back what was already moved.
fn commit(
    fs: &dyn Fs,
    staged: &[(PathBuf, PathBuf, bool)],
    suffix: &str,
) -> Result<(), WriteError> {
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let mut outcome = Ok(());
    for (temp, target, replace) in staged {
        let step = if *replace {
            let backup = temp_path(target, BACKUP_MARK, suffix);
            fs.hard_link(target, &backup)
                .map_err(|e| WriteError::io("back up", target, e))
                .and_then(|()| {
                    fs.rename_replace(temp, target).map_err(|e| {
                        let _ = fs.remove_file(&backup);
                        WriteError::io("rename", target, e)
                    })
                })
                .map(|()| Some(backup))
        } else {
            fs.rename_noreplace(temp, target)
                .map_err(|e| WriteError::io("rename", target, e))
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
    if outcome.is_err() {
        for (target, backup) in done.iter().rev() {
            let _ = match backup {
                Some(backup) => fs.rename_replace(backup, target),
                None => fs.remove_file(target),
            };
        }
    } else {
        for (_, backup) in &done {
            if let Some(backup) = backup {
                let _ = fs.remove_file(backup);
            }
        }
    }
    outcome
}
