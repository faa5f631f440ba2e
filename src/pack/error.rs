//! [`PackError`]: why a capability pack was refused, or could not be exported or found.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::diagnostic::Diagnostic;

/// A capability pack could not be used. Every variant names the file it is about (and the
/// line, where there is one), so a team can fix its pack from the message alone.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// A file of the pack (or a directory on the capability path) could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// `capability.toml` is not valid TOML, or not the schema's shape.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The pack's `capability.toml`.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What the parser said, one line.
        message: String,
    },
    /// A file of the pack is refused: a value `capability.toml` declares, or a template.
    #[error("{path}: {reason}")]
    Refused {
        /// The pack file at fault.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A template uses a placeholder capability templates do not have.
    #[error(
        "{path}:{line}: unknown placeholder {{{{{placeholder}}}}} (templates may use: {known})"
    )]
    Placeholder {
        /// The template file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The placeholder's name as written.
        placeholder: String,
        /// The placeholders allowed, comma-separated.
        known: String,
    },
    /// Two capabilities would have the same name.
    #[error("{path}: capability name `{name}` is already taken by {other}")]
    Duplicate {
        /// The second pack's `capability.toml`.
        path: PathBuf,
        /// The name.
        name: String,
        /// Who has it: `the built-in capability` or the first pack's `capability.toml`.
        other: String,
    },
    /// Two packs generate the same file.
    #[error("{path}: generates {file}, which {other} generates too")]
    SameFile {
        /// The second pack's `capability.toml`.
        path: PathBuf,
        /// The file's path template.
        file: String,
        /// The first pack's `capability.toml`.
        other: String,
    },
    /// A directory named on the capability path is not one.
    #[error("capability path entry {0} is not a directory")]
    NotADirectory(PathBuf),
    /// `--export` was given a name that is not a built-in runtime capability.
    #[error("cannot export `{name}`: {reason}")]
    Export {
        /// The name given.
        name: String,
        /// Why (no such capability, not a runtime one).
        reason: String,
    },
    /// `--export` refuses a target that already has files.
    #[error("{0} already exists and is not empty; export into a new directory")]
    ExportTarget(PathBuf),
    /// The config file (which names part of the capability path) cannot be used.
    #[error(transparent)]
    Config(#[from] crate::model::error::ConfigError),
    /// The built-in registry is broken.
    #[error(transparent)]
    Registry(#[from] crate::model::error::RegistryError),
    /// Writing the exported pack (or the pack cache) failed.
    #[error("write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
}

impl PackError {
    pub(crate) fn refused(path: &Path, reason: impl Into<String>) -> Self {
        PackError::Refused {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl Diagnostic for PackError {
    fn kind(&self) -> &'static str {
        match self {
            PackError::Read { .. } | PackError::Write { .. } => "io",
            PackError::Config(err) => err.kind(),
            PackError::Registry(_) => "registry",
            PackError::Export { .. } | PackError::ExportTarget(_) => "invalid_request",
            _ => "invalid_pack",
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            PackError::Read { path, .. }
            | PackError::Syntax { path, .. }
            | PackError::Refused { path, .. }
            | PackError::Placeholder { path, .. }
            | PackError::Duplicate { path, .. }
            | PackError::SameFile { path, .. }
            | PackError::Write { path, .. } => Some(path),
            PackError::NotADirectory(path) | PackError::ExportTarget(path) => Some(path),
            PackError::Config(err) => err.path(),
            PackError::Export { .. } | PackError::Registry(_) => None,
        }
    }
}
