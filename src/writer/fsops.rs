//! The file-system operations the writer uses, behind a trait so tests can fail any step.

use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

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
        use std::os::unix::fs::MetadataExt;
        self._file
            .as_ref()
            .is_none_or(|file| file.metadata().is_ok_and(|m| m.nlink() > 0))
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
    /// Flushes the whole file system holding `path` (`syncfs`): one call makes everything
    /// written so far durable, however many files that is.
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

fn c_path(path: &Path) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
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

    fn same_content(&self, path: &Path, expected: &[u8]) -> io::Result<bool> {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)?;
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
        match check(rc) {
            Err(err) if matches!(err.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {
                // The file system cannot refuse replacement atomically: check, then rename.
                // A directory is never renamed over a non-empty one, so the package itself
                // stays safe; the window only concerns a file created in between.
                if fs::symlink_metadata(to).is_ok() {
                    return Err(io::Error::from_raw_os_error(libc::EEXIST));
                }
                fs::rename(from, to)
            }
            other => other,
        }
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
        // SAFETY: the descriptor is open for the duration of the call.
        check(unsafe { libc::syncfs(file.as_raw_fd()) })
    }

    fn sync_entry(&self, path: &Path) -> io::Result<()> {
        let entry = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)?;
        entry.sync_all()
    }

    /// Sets `FS_TOPDIR_FL` (`chattr +T`). On ext2/3/4 the inode allocator then places each
    /// new subdirectory (each package) in a lightly used block group. Without a journal,
    /// ext4 skips recently deleted inodes when allocating, and a group where thousands of
    /// files were just deleted makes every allocation there scan past them: regenerating
    /// packages right after `rm -rf` was up to 8 times slower. File systems without the
    /// flag refuse the ioctl, which is fine.
    fn mark_top_directory(&self, path: &Path) -> io::Result<()> {
        const FS_IOC_GETFLAGS: libc::c_ulong = 0x8008_6601;
        const FS_IOC_SETFLAGS: libc::c_ulong = 0x4008_6602;
        const FS_TOPDIR_FL: libc::c_int = 0x0002_0000;
        let dir = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)?;
        let mut flags: libc::c_int = 0;
        // SAFETY: the descriptor is open and `flags` outlives both calls; the kernel reads and
        // writes one int through the pointer.
        check(unsafe { libc::ioctl(dir.as_raw_fd(), FS_IOC_GETFLAGS as _, &mut flags) })?;
        flags |= FS_TOPDIR_FL;
        check(unsafe { libc::ioctl(dir.as_raw_fd(), FS_IOC_SETFLAGS as _, &flags) })
    }

    fn lock(&self, path: &Path, exclusive: bool) -> io::Result<DirLock> {
        let op = if exclusive {
            libc::LOCK_EX
        } else {
            libc::LOCK_SH
        };
        flock_dir(path, op).map(|lock| lock.unwrap_or_else(DirLock::none))
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<DirLock>> {
        flock_dir(path, libc::LOCK_EX | libc::LOCK_NB)
    }
}

/// `flock(op)` on the directory `path`: the lock, or `None` when a non-blocking request
/// finds it held.
fn flock_dir(path: &Path, op: libc::c_int) -> io::Result<Option<DirLock>> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    loop {
        // SAFETY: the descriptor is open for the duration of the call.
        match check(unsafe { libc::flock(file.as_raw_fd(), op) }) {
            Ok(()) => return Ok(Some(DirLock { _file: Some(file) })),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(err) => return Err(err),
        }
    }
}
