//! Names of the writer's own temporary entries, and how a later run recognises stale ones.
//!
//! Every staging directory, temporary file, backup and journal is hidden (leading `.`), starts
//! with a `.dpone-` mark and carries the token of the write that made it:
//! `<pid>-<nanoseconds>-<counter>`.
//!
//! Ownership is a lock, not a process id: a pid names no one across pid namespaces (two
//! containers sharing a volume) or hosts. A staging directory is locked by its writer for its
//! whole life, so one nobody holds is stale. (A writer that finds its new directory removed
//! before it could lock it starts again with a new one.) Leftovers inside a package
//! (temporary files, backups, journals) are only touched with the package locked, when every
//! one of them belongs to a dead writer. The process-id test remains only for file systems
//! without locks.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use super::fsops::{Fs, Kind};
use super::platform::{self, process_alive};

/// Staging directories for new packages, in the root: `.dpone-staging-<token>`.
pub const STAGING_MARK: &str = ".dpone-staging-";
/// New contents beside their target: `.dpone-tmp-<token>-<n>`.
pub const TEMP_MARK: &str = ".dpone-tmp-";
/// Hard links to replaced files, until the replacement is final: `.dpone-bak-<token>-<n>`.
pub const BACKUP_MARK: &str = ".dpone-bak-";
/// The list of an update's steps, in the package directory: `.dpone-journal-<token>`.
pub const JOURNAL_MARK: &str = ".dpone-journal-";

fn active() -> &'static Mutex<HashSet<String>> {
    static ACTIVE: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    ACTIVE.get_or_init(|| Mutex::new(HashSet::new()))
}

/// The unique token of one write, registered as in flight until dropped.
#[derive(Debug)]
pub struct Token(String);

impl Token {
    /// A token no other write (in any process) is using.
    pub fn new() -> Token {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let text = format!(
            "{}-{nanos:x}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        if let Ok(mut set) = active().lock() {
            set.insert(text.clone());
        }
        Token(text)
    }

    /// `<mark><token>`, a file name.
    pub fn name(&self, mark: &str) -> OsString {
        OsString::from(format!("{mark}{}", self.0))
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        if let Ok(mut set) = active().lock() {
            set.remove(&self.0);
        }
    }
}

/// The token in a leftover's name after its mark (`<pid>-<nanos>-<counter>[-<n>]`), if the
/// name has that shape.
pub fn token_of(rest: &[u8]) -> Option<(u32, String)> {
    let text = std::str::from_utf8(rest).ok()?;
    let mut parts = text.split('-');
    let (pid, nanos, counter) = (parts.next()?, parts.next()?, parts.next()?);
    let index_ok = match (parts.next(), parts.next()) {
        (None, None) => true,
        (Some(n), None) => n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty(),
        _ => false,
    };
    let pid_value = pid.parse::<u32>().ok()?;
    let shaped = index_ok
        && !nanos.is_empty()
        && nanos.bytes().all(|b| b.is_ascii_hexdigit())
        && !counter.is_empty()
        && counter.bytes().all(|b| b.is_ascii_digit());
    shaped.then(|| (pid_value, format!("{pid}-{nanos}-{counter}")))
}

/// Whether the entry `name` is a writer leftover with `mark` (whoever made it).
pub fn is_leftover(name: &[u8], mark: &str) -> bool {
    name.strip_prefix(mark.as_bytes())
        .and_then(token_of)
        .is_some()
}

/// Whether the entry `name` is a leftover with `mark` whose process is gone (or is this one,
/// no longer using it). Only for file systems without locks: a pid is not an owner across
/// pid namespaces.
pub fn is_stale(name: &[u8], mark: &str) -> bool {
    let Some(rest) = name.strip_prefix(mark.as_bytes()) else {
        return false;
    };
    let Some((pid, token)) = token_of(rest) else {
        return false;
    };
    if pid == std::process::id() {
        active()
            .lock()
            .map(|set| !set.contains(&token))
            .unwrap_or(false)
    } else {
        !process_alive(pid)
    }
}

fn scanned() -> &'static Mutex<HashSet<PathBuf>> {
    static SCANNED: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    SCANNED.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Makes the next write into `root` look for stale staging directories again: this process
/// just left one there.
pub fn rescan_later(root: &Path) {
    if let Ok(mut set) = scanned().lock() {
        set.remove(root);
    }
}

/// Removes stale staging directories from `root`, once per root per process (a batch writes
/// many packages into one root and must not list it each time). Best effort: a leftover that
/// cannot be removed stays hidden and is ignored.
pub fn remove_stale_staging(fs: &dyn Fs, root: &Path) {
    let first_time = scanned()
        .lock()
        .map(|mut set| set.insert(root.to_path_buf()))
        .unwrap_or(false);
    if !first_time {
        return;
    }
    let Ok(entries) = fs.list(root) else { return };
    for entry in entries {
        let Some(name) = entry.file_name() else {
            continue;
        };
        if !is_leftover(name.as_encoded_bytes(), STAGING_MARK)
            || fs.kind_of(&entry).ok() != Some(Kind::Dir)
        {
            continue;
        }
        match fs.try_lock(&entry) {
            // Held while removing, so no writer can start using it meanwhile.
            Ok(Some(_lock)) => {
                let _ = fs.remove_dir_all(&entry);
            }
            Ok(None) => {}
            Err(e) if platform::is_lock_unsupported(&e) => {
                if is_stale(name.as_encoded_bytes(), STAGING_MARK) {
                    let _ = fs.remove_dir_all(&entry);
                }
            }
            Err(_) => {}
        }
    }
}

/// Whether `name`, found inside a package, is a dead writer's leftover with `mark`. With the
/// package's lock really held (`locked`) every leftover is: a live writer would hold that
/// lock. Without locks, only those whose process is gone.
pub fn is_dead_in_package(name: &[u8], mark: &str, locked: bool) -> bool {
    if locked {
        is_leftover(name, mark)
    } else {
        is_stale(name, mark)
    }
}

/// Removes the temporary files and backups of dead writers from `dir`. Only called after any
/// journal was rolled back, with the package locked: then (`locked`) every one of them belongs
/// to a dead writer; on a file system without locks, those whose process is gone.
pub fn remove_stale_files(fs: &dyn Fs, dir: &Path, locked: bool) -> Result<(), std::io::Error> {
    for entry in fs.list(dir)? {
        let Some(name) = entry.file_name() else {
            continue;
        };
        let name = name.as_encoded_bytes();
        let ours = is_dead_in_package(name, TEMP_MARK, locked)
            || is_dead_in_package(name, BACKUP_MARK, locked);
        if ours && fs.kind_of(&entry)? == Kind::File {
            fs.remove_file(&entry)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_parse_back() {
        let token = Token::new();
        let name = format!("{TEMP_MARK}{}-7", token.as_str());
        let rest = &name.as_bytes()[TEMP_MARK.len()..];
        assert_eq!(
            token_of(rest),
            Some((std::process::id(), token.as_str().to_owned()))
        );
        assert!(!is_stale(name.as_bytes(), TEMP_MARK), "in flight");
        let text = token.as_str().to_owned();
        drop(token);
        let name = format!("{TEMP_MARK}{text}-7");
        assert!(is_stale(name.as_bytes(), TEMP_MARK), "dropped");
    }

    #[test]
    fn foreign_names_are_not_leftovers() {
        for name in [
            ".dpone-tmp-",
            ".dpone-tmp-12",
            ".dpone-tmp-x-1-2",
            ".dpone-tmp-1-zz-2",
            ".dpone-tmp-1-a-2-3-4",
            "dpone-tmp-1-a-2",
            ".dpone-bak-1-a-2",
        ] {
            assert!(!is_stale(name.as_bytes(), TEMP_MARK), "{name}");
        }
    }

    #[test]
    fn a_live_process_owns_its_leftovers() {
        // pid 1 is always alive.
        assert!(!is_stale(b".dpone-staging-1-ab-0", STAGING_MARK));
    }
}
