//! Publishes a JSON report and its markdown rendering into an artifact directory so that no
//! reader ever sees a torn file and concurrent publishers end with a matching pair.
//!
//! Each file is written to a fresh temporary file in the same directory, flushed to disk, then
//! renamed over the target (an atomic replace). An exclusive `flock` on a lock file in the
//! directory serializes publishers, so the last one to finish owns both files. Markdown goes
//! first and JSON last: the JSON is the authoritative artifact, and if installing it fails the
//! previous markdown is put back.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::platform;
use crate::model::error::WriteError;

/// Prefix of temporary files, so a crashed publisher's leftovers are recognizable.
pub const TEMP_PREFIX: &str = ".dpone-certification-";

/// Where a pair was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The JSON report.
    pub json: PathBuf,
    /// The markdown report.
    pub markdown: PathBuf,
}

/// Publishes `<stem>.json` and `<stem>.md` into `dir` (created if missing).
pub fn publish_pair(
    dir: &Path,
    stem: &str,
    json: &str,
    markdown: &str,
) -> Result<Published, WriteError> {
    fs::create_dir_all(dir).map_err(|e| WriteError::io("create directory", dir, e))?;
    if !dir.is_dir() {
        return Err(WriteError::NotADirectory(dir.to_path_buf()));
    }
    let published = Published {
        json: dir.join(format!("{stem}.json")),
        markdown: dir.join(format!("{stem}.md")),
    };
    // Errors name the directory and the reports, never the lock or temporary files.
    let _lock = Lock::acquire(&dir.join(format!(".{stem}.lock")), dir)?;
    let json_temp = TempFile::write(dir, ".json.tmp", json, &published.json)?;
    let markdown_temp = TempFile::write(dir, ".md.tmp", markdown, &published.markdown)?;
    let backup = match fs::symlink_metadata(&published.markdown) {
        Ok(_) => {
            let backup = TempFile::reserve(dir, ".md.backup", &published.markdown)?;
            fs::rename(&published.markdown, &backup.path)
                .map_err(|e| WriteError::io("back up", &published.markdown, e))?;
            Some(backup)
        }
        Err(_) => None,
    };
    let installed = markdown_temp
        .install(&published.markdown)
        .and_then(|()| json_temp.install(&published.json));
    if let Err(error) = installed {
        // Put the previous markdown back so the pair stays the previous one.
        if let Some(backup) = &backup {
            let _ = fs::rename(&backup.path, &published.markdown);
        } else {
            let _ = fs::remove_file(&published.markdown);
        }
        return Err(error);
    }
    sync_dir(dir)?;
    Ok(published)
}

fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| WriteError::io("sync", dir, e))
}

/// An exclusive advisory lock, released when dropped (closing the descriptor).
struct Lock {
    _file: File,
}

impl Lock {
    /// Locks `path`; errors name `shown` (the directory the person gave).
    fn acquire(path: &Path, shown: &Path) -> Result<Lock, WriteError> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        let file = platform::with_mode(platform::no_follow(&mut options), 0o600)
            .open(path)
            .map_err(|e| WriteError::io("lock", shown, e))?;
        let meta = file
            .metadata()
            .map_err(|e| WriteError::io("lock", shown, e))?;
        if !meta.is_file() {
            // Something else sits where the lock goes: that file is the one to look at.
            return Err(WriteError::NotAFile(path.to_path_buf()));
        }
        platform::lock(&file, true, true).map_err(|e| WriteError::io("lock", shown, e))?;
        Ok(Lock { _file: file })
    }
}

/// A temporary file in the artifact directory, removed on drop unless installed.
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// A fresh, exclusively created file name in `dir`, for `target` (which errors name).
    fn create(dir: &Path, suffix: &str, target: &Path) -> Result<(TempFile, File), WriteError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        loop {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("{TEMP_PREFIX}{}-{nanos:09}-{n}{suffix}", std::process::id());
            let path = dir.join(name);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            match platform::with_mode(&mut options, 0o644).open(&path) {
                Ok(file) => return Ok((TempFile { path }, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(WriteError::io("write", target, e)),
            }
        }
    }

    fn write(
        dir: &Path,
        suffix: &str,
        content: &str,
        target: &Path,
    ) -> Result<TempFile, WriteError> {
        let (temp, mut file) = TempFile::create(dir, suffix, target)?;
        file.write_all(content.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| WriteError::io("write", target, e))?;
        Ok(temp)
    }

    /// A free name (the file is created, then removed, so the name is ours to rename to).
    fn reserve(dir: &Path, suffix: &str, target: &Path) -> Result<TempFile, WriteError> {
        let (temp, file) = TempFile::create(dir, suffix, target)?;
        drop(file);
        fs::remove_file(&temp.path).map_err(|e| WriteError::io("back up", target, e))?;
        Ok(temp)
    }

    fn install(&self, target: &Path) -> Result<(), WriteError> {
        fs::rename(&self.path, target).map_err(|e| WriteError::io("rename", target, e))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Installed files were renamed away; the rest are leftovers to clean.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn publishes_both_files_and_leaves_no_temporaries() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("nested/artifacts");
        let published =
            publish_pair(&dir, "report", "{}\n", "# r\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            fs::read_to_string(&published.json).ok().as_deref(),
            Some("{}\n")
        );
        assert_eq!(
            fs::read_to_string(&published.markdown).ok().as_deref(),
            Some("# r\n")
        );
        publish_pair(&dir, "report", "{\"v\": 2}\n", "# r2\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listing(&dir), [".report.lock", "report.json", "report.md"]);
        assert_eq!(
            fs::read_to_string(dir.join("report.md")).ok().as_deref(),
            Some("# r2\n")
        );
    }

    #[test]
    fn a_file_in_the_way_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let blocker = tmp.path().join("artifacts");
        fs::write(&blocker, "x").unwrap_or_else(|e| panic!("{e}"));
        let err = publish_pair(&blocker, "report", "{}", "#").err();
        assert!(err.is_some());
        assert_eq!(fs::read_to_string(&blocker).ok().as_deref(), Some("x"));
    }

    #[test]
    fn a_failed_json_install_restores_the_previous_markdown() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        publish_pair(dir, "report", "{}\n", "# old\n").unwrap_or_else(|e| panic!("{e}"));
        // A directory where the JSON goes makes its rename fail.
        fs::remove_file(dir.join("report.json")).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir(dir.join("report.json")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.join("report.json/keep"), "").unwrap_or_else(|e| panic!("{e}"));
        assert!(publish_pair(dir, "report", "{}\n", "# new\n").is_err());
        assert_eq!(
            fs::read_to_string(dir.join("report.md")).ok().as_deref(),
            Some("# old\n")
        );
        assert_eq!(listing(dir), [".report.lock", "report.json", "report.md"]);
    }

    #[test]
    fn concurrent_publishers_end_with_a_matching_pair() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().to_path_buf();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let dir = dir.clone();
                std::thread::spawn(move || {
                    for round in 0..10 {
                        let tag = format!("{i}-{round}");
                        let json = format!(
                            "{{\"writer\": \"{tag}\", \"pad\": \"{}\"}}\n",
                            "x".repeat(4096)
                        );
                        let md = format!("# {tag}\n{}\n", "y".repeat(4096));
                        publish_pair(&dir, "report", &json, &md).map_err(|e| e.to_string())?;
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        for handle in handles {
            let joined = handle.join().map_err(|_| "thread panicked".to_owned());
            assert_eq!(joined.and_then(|r| r), Ok(()));
        }
        let json = fs::read_to_string(dir.join("report.json")).unwrap_or_default();
        let md = fs::read_to_string(dir.join("report.md")).unwrap_or_default();
        let writer = json.split('"').nth(3).unwrap_or_default().to_owned();
        assert!(
            md.starts_with(&format!("# {writer}\n")),
            "pair mismatch: {writer} vs {md:.20}"
        );
        assert_eq!(listing(&dir), [".report.lock", "report.json", "report.md"]);
    }
}
