//! A file system that fails on purpose, to prove the writer leaves nothing partial behind.
//!
//! [`FaultFs`] passes every call to [`RealFs`] and counts the mutating steps: each directory
//! creation, file creation, file write, rename, link, removal and flush. The step chosen
//! with [`FaultFs::fail_at`] fails with the chosen errno (and, when sticky, so does every
//! later step, like a disk that filled up or went read-only). A failing write first writes
//! half of its bytes, like a real disk that fills up in the middle of a file.

use std::cell::{Cell, RefCell};
use std::io;
use std::path::{Path, PathBuf};

use crate::writer::fsops::{DirLock, Fs, Kind, RealFs};

/// A [`RealFs`] that fails the Nth mutating step.
#[derive(Debug, Default)]
pub struct FaultFs {
    fail_at: Option<usize>,
    errno: i32,
    sticky: bool,
    steps: Cell<usize>,
    fired: Cell<bool>,
    log: RefCell<Vec<String>>,
}

impl FaultFs {
    /// Counts steps and fails none.
    pub fn new() -> Self {
        FaultFs::default()
    }

    /// Fails step `step` (1-based) with `errno`.
    pub fn fail_at(step: usize, errno: i32) -> Self {
        FaultFs {
            fail_at: Some(step),
            errno,
            ..FaultFs::default()
        }
    }

    /// Also fails every step after the first failure.
    pub fn sticky(mut self) -> Self {
        self.sticky = true;
        self
    }

    /// How many mutating steps were attempted.
    pub fn steps(&self) -> usize {
        self.steps.get()
    }

    /// Whether a failure was injected.
    pub fn fired(&self) -> bool {
        self.fired.get()
    }

    /// Every step attempted, as `<n> <operation> <path>`, for test diagnostics.
    pub fn log(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    fn step(&self, op: &str, path: &Path) -> io::Result<()> {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        let fail = match self.fail_at {
            Some(at) => n == at || (self.sticky && n > at),
            None => false,
        };
        self.log.borrow_mut().push(format!(
            "{n} {op} {}{}",
            path.display(),
            if fail { " (failed)" } else { "" }
        ));
        if fail {
            self.fired.set(true);
            Err(io::Error::from_raw_os_error(self.errno))
        } else {
            Ok(())
        }
    }
}

impl Fs for FaultFs {
    fn kind_of(&self, path: &Path) -> io::Result<Kind> {
        RealFs.kind_of(path)
    }

    fn resolved_is_dir(&self, path: &Path) -> io::Result<bool> {
        RealFs.resolved_is_dir(path)
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        self.step("create_dir", path)?;
        RealFs.create_dir(path)
    }

    fn write_new(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        self.step("create", path)?;
        if let Err(err) = self.step("write", path) {
            // Half the bytes made it before the disk gave up.
            RealFs.write_new(path, &contents[..contents.len() / 2])?;
            return Err(err);
        }
        RealFs.write_new(path, contents)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        RealFs.read(path)
    }

    fn same_content(&self, path: &Path, expected: &[u8]) -> io::Result<bool> {
        RealFs.same_content(path, expected)
    }

    fn rename_noreplace(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step("rename_noreplace", to)?;
        RealFs.rename_noreplace(from, to)
    }

    fn rename_replace(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step("rename_replace", to)?;
        RealFs.rename_replace(from, to)
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step("hard_link", to)?;
        RealFs.hard_link(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.step("remove_file", path)?;
        RealFs.remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.step("remove_dir", path)?;
        RealFs.remove_dir(path)
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        self.step("remove_dir_all", path)?;
        RealFs.remove_dir_all(path)
    }

    fn list(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        RealFs.list(path)
    }

    fn sync_filesystem(&self, path: &Path) -> io::Result<()> {
        self.step("flush", path)?;
        RealFs.sync_filesystem(path)
    }

    fn sync_entry(&self, path: &Path) -> io::Result<()> {
        self.step("fsync", path)?;
        RealFs.sync_entry(path)
    }

    fn mark_top_directory(&self, path: &Path) -> io::Result<()> {
        RealFs.mark_top_directory(path)
    }

    fn lock(&self, path: &Path, exclusive: bool) -> io::Result<DirLock> {
        RealFs.lock(path, exclusive)
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<DirLock>> {
        RealFs.try_lock(path)
    }
}
