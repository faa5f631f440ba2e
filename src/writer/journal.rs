//! The journal of an update: what it is about to rename, so a run killed in the middle of
//! its renames can be undone by the next run.
//!
//! Written first, before any directory, temporary file or rename; removed once the last
//! rename is done (that removal is the commit point). A journal found by a later run
//! therefore always means "undo": temporary files go, backups go back over their targets,
//! created files go, and directories the update created are removed if empty. Undo is
//! guarded by a content hash, so a file a person edited after the crash is never replaced
//! or removed.
//!
//! ```text
//! dpone-journal 1 <token>
//! d <path>                 a directory the update created
//! c <n> <sha256> <path>    a file the update creates
//! r <n> <sha256> <path>    a file the update replaces
//! end
//! ```

use std::path::{Component, Path, PathBuf};

use super::fsops::{Fs, Kind};
use super::leftovers::{is_dead_in_package, token_of, BACKUP_MARK, JOURNAL_MARK, TEMP_MARK};
use crate::model::error::WriteError;
use crate::text::digest::sha256_hex;

const HEADER: &str = "dpone-journal 1";

/// One file an update renames into place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its index, which names its temporary file and backup.
    pub index: usize,
    /// Whether it replaces an existing file.
    pub replace: bool,
    /// The new content's SHA-256, hex.
    pub sha256: String,
    /// Path relative to the package directory.
    pub path: String,
}

/// The journal's text.
pub fn render(token: &str, dirs: &[String], entries: &[Entry]) -> String {
    let mut text = format!("{HEADER} {token}\n");
    for dir in dirs {
        text.push_str(&format!("d {dir}\n"));
    }
    for e in entries {
        let kind = if e.replace { 'r' } else { 'c' };
        text.push_str(&format!("{kind} {} {} {}\n", e.index, e.sha256, e.path));
    }
    text.push_str("end\n");
    text
}

/// A parsed journal; `None` for text that is not a complete journal of the given token.
fn parse(text: &str, token: &str) -> Option<(Vec<String>, Vec<Entry>)> {
    let mut lines = text.lines();
    if lines.next()? != format!("{HEADER} {token}") {
        return None;
    }
    let (mut dirs, mut entries, mut ended) = (Vec::new(), Vec::new(), false);
    for line in lines {
        if ended {
            return None;
        }
        match line.split_once(' ') {
            Some(("d", path)) if safe_relative(path) => dirs.push(path.to_owned()),
            Some((kind @ ("c" | "r"), rest)) => {
                let mut parts = rest.splitn(3, ' ');
                let index = parts.next()?.parse().ok()?;
                let sha256 = parts.next()?.to_owned();
                let path = parts.next()?;
                if !safe_relative(path) {
                    return None;
                }
                entries.push(Entry {
                    index,
                    replace: kind == "r",
                    sha256,
                    path: path.to_owned(),
                });
            }
            None if line == "end" => ended = true,
            _ => return None,
        }
    }
    ended.then_some((dirs, entries))
}

/// A relative path of plain components only: never absolute, never `..`.
pub fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && path.split('/').all(|c| !c.is_empty() && c != ".")
}

/// Whether every directory from `package_dir` down to `relative`'s parent is a real directory
/// (not a link); `false` if one is missing.
pub fn parents_are_dirs(
    fs: &dyn Fs,
    package_dir: &Path,
    relative: &str,
) -> Result<bool, WriteError> {
    let mut current = package_dir.to_path_buf();
    let components: Vec<&str> = relative.split('/').collect();
    for dir in &components[..components.len().saturating_sub(1)] {
        current.push(dir);
        match fs.kind(&current)? {
            Kind::Dir => {}
            Kind::Missing => return Ok(false),
            Kind::Symlink => return Err(WriteError::Symlink(current)),
            _ => return Err(WriteError::NotADirectory(current)),
        }
    }
    Ok(true)
}

/// The temporary file (or backup, by `mark`) of entry `index` of the write `token`.
pub fn sibling(target: &Path, mark: &str, token: &str, index: usize) -> PathBuf {
    target.with_file_name(format!("{mark}{token}-{index}"))
}

/// Undoes every journal a dead writer left in `package_dir`. Must run with the package locked;
/// `locked` says the lock is real (then every journal found is a dead writer's), as opposed
/// to a file system without locks (then those whose process is gone).
pub fn recover(fs: &dyn Fs, package_dir: &Path, locked: bool) -> Result<(), WriteError> {
    let entries = fs
        .list(package_dir)
        .map_err(|e| WriteError::io("list", package_dir, e))?;
    for journal in entries {
        let Some(name) = journal.file_name() else {
            continue;
        };
        if !is_dead_in_package(name.as_encoded_bytes(), JOURNAL_MARK, locked) {
            continue;
        }
        let Some((_, token)) = token_of(&name.as_encoded_bytes()[JOURNAL_MARK.len()..]) else {
            continue;
        };
        if fs.kind(&journal)? != Kind::File {
            continue;
        }
        let text = fs
            .read(&journal)
            .map_err(|e| WriteError::io("recover the interrupted write in", package_dir, e))?;
        // An incomplete journal means the run was killed while writing it, before doing
        // anything else.
        if let Some((dirs, files)) = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| parse(t, &token))
        {
            undo(fs, package_dir, &token, &dirs, &files)?;
        }
        fs.remove_file(&journal)
            .map_err(|e| WriteError::io("recover the interrupted write in", package_dir, e))?;
    }
    Ok(())
}

fn content_is(fs: &dyn Fs, path: &Path, sha256: &str) -> Result<bool, WriteError> {
    if fs.kind(path)? != Kind::File {
        return Ok(false);
    }
    let bytes = fs.read(path).map_err(|e| WriteError::io("read", path, e))?;
    Ok(sha256_hex(&bytes) == sha256)
}

/// Puts the package back as it was before the journal's write, as far as is safe.
fn undo(
    fs: &dyn Fs,
    package_dir: &Path,
    token: &str,
    dirs: &[String],
    files: &[Entry],
) -> Result<(), WriteError> {
    let recover = |path: &Path, e| WriteError::io("undo interrupted write", path, e);
    for entry in files.iter().rev() {
        if !parents_are_dirs(fs, package_dir, &entry.path)? {
            continue;
        }
        let target = package_dir.join(&entry.path);
        let temp = sibling(&target, TEMP_MARK, token, entry.index);
        let backup = sibling(&target, BACKUP_MARK, token, entry.index);
        if fs.kind(&temp)? == Kind::File {
            // Never renamed: the target is untouched. Except where a no-replace rename is a
            // hard link then an unlink (the portable path): killed between the two, a created
            // file stands at its target too, with the new content.
            if !entry.replace && content_is(fs, &target, &entry.sha256)? {
                fs.remove_file(&target).map_err(|e| recover(&target, e))?;
            }
            fs.remove_file(&temp).map_err(|e| recover(&target, e))?;
        } else if entry.replace && fs.kind(&backup)? == Kind::File {
            // Renamed: put the old file back unless someone changed the new one since.
            if fs.kind(&target)? == Kind::Missing || content_is(fs, &target, &entry.sha256)? {
                fs.rename_replace(&backup, &target)
                    .map_err(|e| recover(&target, e))?;
            }
        } else if !entry.replace && content_is(fs, &target, &entry.sha256)? {
            fs.remove_file(&target).map_err(|e| recover(&target, e))?;
        }
        // The backup may still exist: never renamed, or renamed onto its own hard link.
        if fs.kind(&backup)? == Kind::File {
            fs.remove_file(&backup).map_err(|e| recover(&target, e))?;
        }
    }
    for dir in dirs.iter().rev() {
        // Only if empty: anything put there since is someone's.
        let _ = fs.remove_dir(&package_dir.join(dir));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Killed between the portable no-replace rename's hard link and its unlink: the created
    /// file stands at its target and at its temporary name. Undo removes both.
    #[test]
    fn a_create_killed_between_link_and_unlink_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let token = "1-a-0";
        let entry = Entry {
            index: 0,
            replace: false,
            sha256: sha256_hex(b"new\n"),
            path: "examples/a.yaml".into(),
        };
        let target = dir.path().join(&entry.path);
        std::fs::create_dir(dir.path().join("examples")).unwrap();
        let temp = sibling(&target, TEMP_MARK, token, 0);
        std::fs::write(&temp, "new\n").unwrap();
        std::fs::hard_link(&temp, &target).unwrap();
        let journal = dir.path().join(format!("{JOURNAL_MARK}{token}"));
        let dirs = vec!["examples".to_owned()];
        std::fs::write(&journal, render(token, &dirs, &[entry])).unwrap();

        recover(&super::super::fsops::RealFs, dir.path(), true).unwrap();

        assert!(!target.exists(), "the created file is left behind");
        assert!(!temp.exists());
        assert!(!journal.exists());
    }

    #[test]
    fn journals_round_trip() {
        let entries = vec![
            Entry {
                index: 0,
                replace: false,
                sha256: sha256_hex(b"a"),
                path: "docs/a b.md".into(),
            },
            Entry {
                index: 3,
                replace: true,
                sha256: sha256_hex(b"b"),
                path: "README.md".into(),
            },
        ];
        let dirs = vec!["docs".to_owned()];
        let text = render("1-a-0", &dirs, &entries);
        assert_eq!(parse(&text, "1-a-0"), Some((dirs, entries)));
        assert_eq!(parse(&text, "1-a-1"), None, "another token");
        let cut = &text[..text.len() - 4];
        assert_eq!(parse(cut, "1-a-0"), None, "incomplete");
    }

    #[test]
    fn unsafe_paths_are_rejected() {
        for path in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "./a",
            "a/",
            "a\0b",
        ] {
            assert!(!safe_relative(path), "{path:?}");
        }
        assert!(safe_relative("src/pkg/a.py"));
        assert!(safe_relative(".github/workflows/x.yml"));
    }
}
