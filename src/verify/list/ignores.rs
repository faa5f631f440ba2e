//! The ignore files `list` honours, read through [`crate::bounded`]: `.ignore`,
//! `.gitignore` and `.git/info/exclude`, in the directory walked and in each of its
//! parents, with the precedence the `ignore` crate gives them (an `.ignore` rule before a
//! `.gitignore` rule before an exclude rule, the nearest directory's rule first; git's
//! files are not looked for above a directory holding `.git`).
//!
//! The walk does not let the `ignore` crate open these files itself: it opens whatever
//! has the name, so a FIFO called `.gitignore` hung it and a `.gitignore` linked to
//! `/dev/zero` made it allocate until the process aborted. Here each one must be a regular
//! file of at most [`MAX_IGNORE_BYTES`]; a directory whose ignore file is anything else
//! is reported as unreadable, with the reason, and not searched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// The largest ignore file read: real ones are a few KiB.
pub const MAX_IGNORE_BYTES: u64 = 1024 * 1024;

/// The rules of one directory, one matcher per kind, in precedence order.
struct Rules {
    /// `.ignore`, `.gitignore`, `.git/info/exclude`.
    kinds: [Gitignore; 3],
    /// Whether the directory holds `.git`: git's files above it do not apply.
    has_git: bool,
}

/// Why a directory's ignore files cannot be used: one line naming the file.
pub type Refusal = String;

/// The rules of every directory seen so far, by path.
#[derive(Default)]
pub struct IgnoreRules {
    dirs: Mutex<HashMap<PathBuf, Result<Arc<Rules>, Refusal>>>,
}

impl IgnoreRules {
    /// Reads the ignore files of `dir` (once; later calls reuse them). `Err` names the
    /// file that is not a small regular file.
    pub fn load(&self, dir: &Path) -> Result<(), Refusal> {
        self.rules(dir).map(drop)
    }

    fn rules(&self, dir: &Path) -> Result<Arc<Rules>, Refusal> {
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = dirs.get(dir) {
            return known.clone();
        }
        let rules = read_rules(dir).map(Arc::new);
        dirs.insert(dir.to_owned(), rules.clone());
        rules
    }

    /// Whether the directory `path` is excluded by the rules of `ancestors` (nearest
    /// first, each already loaded or loadable). A directory whose rules cannot be read
    /// excludes nothing here: it was reported when it was walked.
    pub fn ignores(&self, path: &Path, ancestors: &[&Path]) -> bool {
        let rules: Vec<Arc<Rules>> = ancestors
            .iter()
            .filter_map(|dir| self.rules(dir).ok())
            .collect();
        for kind in 0..3 {
            for rules in &rules {
                match rules.kinds[kind].matched(path, true) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
                // Git's own files stop at the repository's top.
                if kind > 0 && rules.has_git {
                    break;
                }
            }
        }
        false
    }
}

fn read_rules(dir: &Path) -> Result<Rules, Refusal> {
    let git = dir.join(".git");
    let has_git = std::fs::symlink_metadata(&git).is_ok();
    Ok(Rules {
        kinds: [
            matcher(dir, &dir.join(".ignore"))?,
            matcher(dir, &dir.join(".gitignore"))?,
            if std::fs::symlink_metadata(&git).is_ok_and(|m| m.is_dir()) {
                matcher(dir, &git.join("info").join("exclude"))?
            } else {
                Gitignore::empty()
            },
        ],
        has_git,
    })
}

/// The rules of one ignore file, if there is one; read bounded. Lines that are not valid
/// patterns are skipped, as git skips them.
fn matcher(dir: &Path, file: &Path) -> Result<Gitignore, Refusal> {
    let bytes = match crate::bounded::read_capped(file, MAX_IGNORE_BYTES) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Gitignore::empty()),
        // A dangling link, a directory of that name: nothing to read, as for git.
        Err(_) if !std::fs::metadata(file).is_ok_and(|m| !m.is_dir()) => {
            return Ok(Gitignore::empty())
        }
        Err(err) => {
            let name = file.strip_prefix(dir).unwrap_or(file);
            return Err(format!(
                "cannot read the ignore file {}: {err}",
                crate::text::terminal::escaped_path(name)
            ));
        }
    };
    let mut builder = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&bytes).lines() {
        let _ = builder.add_line(Some(file.to_owned()), line);
    }
    Ok(builder.build().unwrap_or_else(|_| Gitignore::empty()))
}
