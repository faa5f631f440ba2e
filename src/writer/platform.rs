//! The writer's calls that differ between platforms, each with a portable fallback.
//!
//! Linux has an atomic no-replace rename (`renameat2`), a whole-file-system flush
//! (`syncfs`) and the `FS_TOPDIR_FL` allocation hint; macOS has the rename
//! (`renamex_np(RENAME_EXCL)`); other platforms, and Linux with
//! [`PORTABLE_ENV`] set, take the fallbacks: a no-replace rename through a hard link (atomic:
//! linking never replaces) or, for a directory, a check before the rename; a flush of every
//! file and directory under the path; no hint. Locks are `flock` on Unix and `LockFileEx` on
//! Windows, through `fs4`, everywhere.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::sync::OnceLock;

/// Set to anything but `""` or `0`, this environment variable makes the writer take its
/// portable fallbacks on Linux too, so they run (and are tested) where CI runs.
pub const PORTABLE_ENV: &str = "DPONE_CONNECTORS_PORTABLE_FS";

/// Whether [`PORTABLE_ENV`] forces the portable fallbacks (read once per process).
#[cfg_attr(
    not(any(target_os = "linux", target_os = "android", target_vendor = "apple")),
    allow(dead_code)
)]
pub fn portable_forced() -> bool {
    static FORCED: OnceLock<bool> = OnceLock::new();
    *FORCED.get_or_init(|| forces(std::env::var_os(PORTABLE_ENV).as_deref()))
}

/// Whether a value of [`PORTABLE_ENV`] forces the fallbacks.
fn forces(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|value| !value.is_empty() && value != "0")
}

/// Options that open `path` itself, never through a symbolic link at its last component.
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_OPEN_REPARSE_POINT: open a link itself rather than its target.
        options.custom_flags(0x0020_0000)
    }
    #[cfg(not(any(unix, windows)))]
    {
        options
    }
}

/// Options that open the directory `path` itself (for a lock or a flush).
pub fn directory(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::NOFOLLOW;
        options.read(true).custom_flags(flags.bits() as i32)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_BACKUP_SEMANTICS (needed to open a directory) and
        // FILE_FLAG_OPEN_REPARSE_POINT (never through a link).
        options.read(true).custom_flags(0x0200_0000 | 0x0020_0000)
    }
    #[cfg(not(any(unix, windows)))]
    {
        options.read(true)
    }
}

/// Sets the permission bits a new file gets (before the umask) where the platform has them.
pub fn with_mode(options: &mut OpenOptions, mode: u32) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        options
    }
}

/// Whether an error says the destination of a no-replace rename exists.
pub fn is_exists(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::AlreadyExists | io::ErrorKind::DirectoryNotEmpty
    )
}

/// Whether a lock error means the file system has no locks (a network file system without
/// a lock daemon, say): the writer then works unlocked and judges leftovers by process id.
pub fn is_lock_unsupported(err: &io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = err.raw_os_error() {
        use rustix::io::Errno;
        if code == Errno::NOLCK.raw_os_error() || code == Errno::OPNOTSUPP.raw_os_error() {
            return true;
        }
    }
    // ERROR_INVALID_FUNCTION and ERROR_NOT_SUPPORTED: a handle or volume without locks.
    #[cfg(windows)]
    if matches!(err.raw_os_error(), Some(1 | 50)) {
        return true;
    }
    err.kind() == io::ErrorKind::Unsupported
}

/// Renames `from` to `to`, failing with an "already exists" error if `to` exists.
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    if !portable_forced() {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // The file system cannot refuse replacement atomically: fall back.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(err) => return Err(err.into()),
        }
    }
    rename_noreplace_portable(from, to)
}

/// A file is hard-linked to `to` (which fails if anything is there, atomically) and then
/// unlinked from `from`. A directory cannot be linked: what exists at `to` is refused, then
/// the directory renamed. A directory is never renamed over a non-empty one, so a package
/// stays safe; the window only concerns an empty directory or a file created in between.
fn rename_noreplace_portable(from: &Path, to: &Path) -> io::Result<()> {
    if !fs::symlink_metadata(from)?.is_dir() {
        match fs::hard_link(from, to) {
            Ok(()) => return fs::remove_file(from),
            Err(err) if is_exists(&err) => return Err(err),
            // A file system without hard links (FAT, some network shares): check, rename.
            Err(_) => {}
        }
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// Makes everything written under `path` durable.
pub fn sync_filesystem(path: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if !portable_forced() {
        // One call flushes the whole file system, however many files were written.
        return Ok(rustix::fs::syncfs(File::open(path)?)?);
    }
    sync_tree(path)
}

/// Flushes every file and directory under `path` (never following a link), directories
/// after their content.
fn sync_tree(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() || kind.is_file() {
                sync_tree(&entry.path())?;
            }
        }
    } else if !meta.is_file() {
        return Ok(());
    }
    sync_entry(path)
}

/// Flushes one file or directory (`fsync`), never following a link. Windows cannot flush a
/// directory handle; NTFS journals directory changes itself.
pub fn sync_entry(path: &Path) -> io::Result<()> {
    let entry = no_follow(OpenOptions::new().read(true)).open(path);
    #[cfg(windows)]
    let entry = match entry {
        Ok(file) if file.metadata()?.is_dir() => return Ok(()),
        Err(_) if fs::symlink_metadata(path)?.is_dir() => return Ok(()),
        other => other,
    };
    entry?.sync_all()
}

/// Sets `FS_TOPDIR_FL` (`chattr +T`) on Linux; nothing elsewhere. On ext2/3/4 the inode
/// allocator then places each new subdirectory (each package) in a lightly used block
/// group. Without a journal, ext4 skips recently deleted inodes when allocating, and a group
/// where thousands of files were just deleted makes every allocation there scan past them:
/// regenerating packages right after `rm -rf` was up to 8 times slower. File systems
/// without the flag refuse the ioctl, which is fine.
pub fn mark_top_directory(path: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if !portable_forced() {
        use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
        let dir = directory(&mut OpenOptions::new()).open(path)?;
        let flags = ioctl_getflags(&dir)?;
        return Ok(ioctl_setflags(&dir, flags | IFlags::TOPDIR)?);
    }
    let _ = path;
    Ok(())
}

/// Locks the open file or directory `dir` (shared or exclusive, waiting for it; or
/// exclusive only if free, `Ok(false)` when it is held).
pub fn lock(dir: &File, exclusive: bool, wait: bool) -> io::Result<bool> {
    use fs4::{FileExt, TryLockError};
    // `LockFileEx` locks byte ranges of files: a directory is written unlocked there, like on
    // a file system without locks.
    #[cfg(windows)]
    if dir.metadata()?.is_dir() {
        return Err(io::Error::from(io::ErrorKind::Unsupported));
    }
    loop {
        let locked = match (exclusive, wait) {
            (true, true) => FileExt::lock(dir),
            (false, true) => FileExt::lock_shared(dir),
            (_, false) => match FileExt::try_lock(dir) {
                Ok(()) => Ok(()),
                Err(TryLockError::WouldBlock) => return Ok(false),
                Err(TryLockError::Error(err)) => Err(err),
            },
        };
        match locked {
            Ok(()) => return Ok(true),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(err) => return Err(err),
        }
    }
}

/// Whether the open file or directory is still linked into the tree (`true` where the
/// platform cannot tell: Windows refuses to remove what is open there).
pub fn still_linked(file: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        file.metadata().is_ok_and(|m| m.nlink() > 0)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        true
    }
}

/// Whether the process `pid` exists (`kill(pid, 0)`). Where the platform cannot tell, a
/// process is taken as alive, so its leftovers are never removed while it may run.
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = i32::try_from(pid) else {
            return false;
        };
        let Some(pid) = rustix::process::Pid::from_raw(pid) else {
            return false;
        };
        match rustix::process::test_kill_process(pid) {
            Ok(()) => true,
            Err(err) => err == rustix::io::Errno::PERM,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_is_on_for_any_value_but_empty_or_zero() {
        use std::ffi::OsStr;
        assert!(!forces(None));
        assert!(!forces(Some(OsStr::new(""))));
        assert!(!forces(Some(OsStr::new("0"))));
        assert!(forces(Some(OsStr::new("1"))));
        assert!(forces(Some(OsStr::new("yes"))));
        // This process follows its environment (CI runs the writer's suite both ways).
        assert_eq!(
            portable_forced(),
            forces(std::env::var_os(PORTABLE_ENV).as_deref())
        );
    }

    #[test]
    fn the_portable_rename_refuses_an_existing_file_and_keeps_both() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::write(&from, "new").unwrap();
        fs::write(&to, "old").unwrap();
        let err = rename_noreplace_portable(&from, &to).unwrap_err();
        assert!(is_exists(&err), "{err}");
        assert_eq!(fs::read_to_string(&from).unwrap(), "new");
        assert_eq!(fs::read_to_string(&to).unwrap(), "old");
    }

    #[test]
    fn the_portable_rename_moves_a_file_and_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (file, moved) = (dir.path().join("file"), dir.path().join("moved"));
        fs::write(&file, "content").unwrap();
        rename_noreplace_portable(&file, &moved).unwrap();
        assert!(!file.exists());
        assert_eq!(fs::read_to_string(&moved).unwrap(), "content");

        let (tree, placed) = (dir.path().join("tree"), dir.path().join("placed"));
        fs::create_dir(&tree).unwrap();
        fs::write(tree.join("inside"), "x").unwrap();
        rename_noreplace_portable(&tree, &placed).unwrap();
        assert_eq!(fs::read_to_string(placed.join("inside")).unwrap(), "x");
    }

    #[test]
    fn the_portable_rename_refuses_an_existing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (tree, taken) = (dir.path().join("tree"), dir.path().join("taken"));
        fs::create_dir(&tree).unwrap();
        fs::create_dir(&taken).unwrap();
        let err = rename_noreplace_portable(&tree, &taken).unwrap_err();
        assert!(is_exists(&err), "{err}");
        assert!(tree.is_dir());
    }

    #[test]
    fn the_tree_flush_walks_files_and_directories_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("a/b/file"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/nonexistent", dir.path().join("a/link")).unwrap();
        sync_tree(dir.path()).unwrap();
    }

    #[test]
    fn a_second_exclusive_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let open = || directory(&mut OpenOptions::new()).open(dir.path()).unwrap();
        let first = open();
        assert!(lock(&first, true, false).unwrap());
        assert!(!lock(&open(), true, false).unwrap());
        drop(first);
        assert!(lock(&open(), true, false).unwrap());
    }

    #[test]
    fn this_process_is_alive() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(0));
    }
}
