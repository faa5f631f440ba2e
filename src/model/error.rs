//! Errors, one enum per layer. Messages are lowercase, one line, and name what was wrong.

use std::io;
use std::path::PathBuf;

use super::results::ScaffoldResult;
use crate::text::quoted::quoted;
pub use crate::yaml::YamlError;

/// The capability registry is inconsistent (a programming error in a capability module).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    /// Two capabilities registered the same name.
    #[error("capability name `{0}` is registered twice")]
    Duplicate(&'static str),
    /// A capability name is not lowercase ASCII, digits and `_`.
    #[error("capability name `{0}` is not a lowercase identifier")]
    InvalidName(&'static str),
}

/// A scaffold request that cannot be honoured.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RequestError {
    /// The connector name normalizes to nothing.
    #[error("connector name {} must contain at least one alphanumeric character", quoted(.0))]
    EmptyName(String),
    /// The package prefix normalizes to nothing.
    #[error("package prefix {} must contain at least one alphanumeric character", quoted(.0))]
    EmptyPackagePrefix(String),
    /// Unknown `--connector-type`.
    #[error(
        "unsupported connector type {}; expected one of: {expected}",
        quoted(given)
    )]
    ConnectorType {
        /// What was asked for.
        given: String,
        /// The accepted values, comma-separated.
        expected: String,
    },
    /// Unknown `--capability` or `--native-capability`.
    #[error("unsupported {kind} {}; expected one of: {expected}", quoted(given))]
    Capability {
        /// `capability` or `native capability`.
        kind: &'static str,
        /// What was asked for.
        given: String,
        /// The accepted values, comma-separated.
        expected: String,
    },
    /// Unknown `--license`.
    #[error(
        "unsupported license {}; expected an SPDX id, one of: {expected}",
        quoted(given)
    )]
    License {
        /// What was asked for.
        given: String,
        /// The supported SPDX ids, comma-separated.
        expected: String,
    },
    /// A person's detail that cannot go into the package as given.
    #[error("{field} {} {reason}", quoted(given))]
    Detail {
        /// The flag's name without dashes (`email`, `python`, ...).
        field: &'static str,
        /// What was given.
        given: String,
        /// Why it was refused, e.g. `must not contain control characters`.
        reason: &'static str,
    },
    /// Two requested capabilities generate the same file (a capability pack and a built-in,
    /// or two packs).
    #[error("capabilities `{first}` and `{second}` both generate {path}; request one of them")]
    SameFile {
        /// The capability first in the request.
        first: &'static str,
        /// The other one.
        second: &'static str,
        /// The file's path template.
        path: &'static str,
    },
    /// The registry itself is broken.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// A package could not be written; nothing partial was left behind.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An operating-system call failed.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done (`create`, `write`, `rename`, ...).
        op: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// A path that would be written is a symbolic link.
    #[error("refusing to follow symbolic link {0}")]
    Symlink(PathBuf),
    /// A path that must be a directory is something else.
    #[error("{0} exists and is not a directory")]
    NotADirectory(PathBuf),
    /// A path that must be a regular file is something else.
    #[error("{0} exists and is not a regular file")]
    NotAFile(PathBuf),
    /// A planned path is absolute, climbs out with `..`, repeats, or uses a reserved name.
    #[error("refusing to write unsafe path {}", quoted(.0))]
    UnsafePath(String),
}

impl WriteError {
    /// Wraps an I/O error with the operation and path it came from.
    pub fn io(op: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        WriteError::Io {
            op,
            path: path.into(),
            source,
        }
    }
}

/// A package cannot be certified at all: it is not a package, or its manifests are
/// unreadable. (Problems certification can report on are results, not errors.)
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The directory has no `dpone_connector_manifest.json`.
    #[error("{0} is not a connector package: it has no dpone_connector_manifest.json (give the package directory: certify DIR)")]
    NotAPackage(PathBuf),
    /// The package was generated without certification.
    #[error("{0} has no certification/certification.yaml: it was generated with --no-certification, so there is nothing to certify against")]
    NoCertificationManifest(PathBuf),
    /// A manifest could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// A manifest is not what the SDK generates.
    #[error("{path} is not a valid {what}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// `connector manifest` or `certification manifest`.
        what: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// An `evidence.*` path of the certification manifest leaves the package.
    #[error("certification.yaml evidence.{0} must be a relative path inside the package")]
    OutsidePackage(&'static str),
    /// The reports could not be published into the artifact directory.
    #[error("publish the certification report: {0}")]
    Publish(#[source] WriteError),
    /// The capability registry is broken.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// Scaffolding failed: either the request or the write.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The request was invalid; nothing was written.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// Writing failed; nothing partial was left behind.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Generated files a person edited would be replaced; nothing was changed. The result
    /// lists them under `conflicts`.
    #[error("{} generated file(s) differ from what would be generated; nothing was changed (use --force to replace them): {}", .0.conflicts.len(), .0.conflicts.join(", "))]
    Conflicts(Box<ScaffoldResult>),
}

/// An existing package directory cannot be read as a connector package.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The path does not exist or is not a directory.
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
    /// The directory has no `dpone_connector_manifest.json`.
    #[error("{dir} is not a connector package: dpone_connector_manifest.json not found{hint}")]
    NotAPackage {
        /// The directory.
        dir: PathBuf,
        /// Packages found directly inside it, as ` (packages inside: a, b)`, or empty.
        hint: String,
    },
    /// A file of the package could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// The connector manifest is not a JSON object with the contract's fields.
    #[error("{path}: {reason}")]
    InvalidConnectorManifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The manifest declares something this version cannot generate.
    #[error("{path}: {source}")]
    Declared {
        /// The manifest file.
        path: PathBuf,
        /// The rejected value.
        source: RequestError,
    },
    /// The package was made with a capability pack that is not on the capability path.
    #[error("{path}: the package was made with capability pack `{name}` {version} ({digest}), which is not on the capability path; add the directory holding it with --capability-path, DPONE_CONNECTORS_CAPABILITY_PATH or the config file's capability-path")]
    MissingPack {
        /// The `pyproject.toml` that records the pack.
        path: PathBuf,
        /// The pack's capability name.
        name: String,
        /// The version recorded.
        version: String,
        /// The digest recorded.
        digest: String,
    },
    /// The registry itself is broken.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// A package could not be evolved; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum EvolveError {
    /// The existing package could not be read.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// A requested capability is unknown.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// Writing failed; nothing partial was left behind.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// A package could not be updated; nothing of it was changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The existing package could not be read.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// What the package declares cannot be generated by this version.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// Writing failed; nothing partial was left behind.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The package records a generator version this build has no templates for.
    #[error("{dir}: made by dpone-connectors {version:?}, which this version ({current}) cannot render; update with dpone-connectors {version} or later")]
    UnknownVersion {
        /// The package directory.
        dir: PathBuf,
        /// The recorded version.
        version: String,
        /// This build's version.
        current: &'static str,
    },
    /// The worker pool could not finish the run.
    #[error(transparent)]
    Workers(PoolError),
    /// The cached copy of a capability pack the package was made with could not be read.
    #[error(
        "{dir}: the capability pack it was made with, kept in the cache, cannot be read: {reason}"
    )]
    PackBase {
        /// The package directory.
        dir: PathBuf,
        /// Why.
        reason: String,
    },
    /// A dpone 0.88.0 package needs the reference to render its base, and it is not usable.
    #[error("{dir}: no [tool.dpone-connectors] record, so it is adopted as a dpone 0.88.0 package, which needs dpone 0.88.0's Python to render its base: {reason}")]
    Reference {
        /// The package directory.
        dir: PathBuf,
        /// What is wrong with the Python environment.
        reason: String,
    },
}

/// Native-transfer certification could not produce or publish its report.
#[derive(Debug, thiserror::Error)]
pub enum CertifyError {
    /// The certification manifest could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The manifest path.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// The manifest is not YAML the reference can load, or has a shape its certification
    /// cannot score (where the reference stops with an exception).
    #[error("{path}: {reason}")]
    CertificationManifest {
        /// The manifest path.
        path: PathBuf,
        /// What is wrong, in one line.
        reason: String,
    },
    /// A manifest given in memory (not read from a file) has a shape its certification
    /// cannot score.
    #[error("certification manifest: {0}")]
    CertificationManifestValue(String),
    /// The report artifacts could not be published; the previous pair, if any, is intact.
    #[error("cannot publish certification artifacts: {0}")]
    Publish(#[from] WriteError),
    /// The capability registry is broken.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// A batch spec that cannot be used at all (as opposed to one bad entry in it).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The spec file could not be read.
    #[error("read spec {path}: {source}")]
    Read {
        /// The spec file.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// The spec file is not a `connectors:` document.
    #[error("spec {path}: {message}")]
    Parse {
        /// The spec file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The final flush of the written packages failed.
    #[error(transparent)]
    Flush(WriteError),
    /// The workers could not start, or one of them failed.
    #[error("scaffold --from: {0}")]
    Workers(#[source] PoolError),
}

/// One entry of a batch that could not be scaffolded; the other entries are unaffected.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// The entry is not a valid connector object (unknown field, wrong type, no name).
    #[error("{0}")]
    Spec(String),
    /// Another entry generates the same package directory.
    #[error("package {package} is already generated by entry {first}")]
    Duplicate {
        /// The package directory name.
        package: String,
        /// The index of the entry that claimed it first.
        first: usize,
    },
    /// The request was invalid, the write failed, or edited files refused it.
    #[error(transparent)]
    Scaffold(#[from] ScaffoldError),
}

/// The user config file (`dpone-connectors/config.toml` in the XDG config directory) cannot
/// be used. A missing file is not an error; a broken one is, so a typo never goes unnoticed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("config {path}: {source}")]
    Read {
        /// The config file.
        path: PathBuf,
        /// The OS reason.
        source: io::Error,
    },
    /// The path is not a regular file, or is larger than the cap.
    #[error("config {path}: {reason}")]
    Unusable {
        /// The config file.
        path: PathBuf,
        /// `not a regular file`, `larger than 64 KiB`.
        reason: &'static str,
    },
    /// Not valid TOML, or keys this version does not know.
    #[error("config {path}: {message}")]
    Parse {
        /// The config file.
        path: PathBuf,
        /// The parser's message, on one line.
        message: String,
    },
    /// A `DPONE_CONNECTORS_*` detail variable holds bytes that are not UTF-8.
    #[error("environment variable {0} is not valid UTF-8")]
    NotUnicode(&'static str),
}

/// A tree cannot be listed at all. (A package that cannot be read is a listing entry with
/// status `invalid`, not an error.)
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The root does not exist or is not a directory.
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
    /// The workers could not start, or one of them failed.
    #[error("list: {0}")]
    Workers(#[source] PoolError),
    /// The capability registry is broken.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// The worker pool behind the batch and `list` could not finish its run.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// No worker thread could be started.
    #[error("start worker threads: {0}")]
    Spawn(#[source] io::Error),
    /// Working on one item panicked: a bug. No item started after it; the ones running
    /// finished.
    #[error("a worker panicked on item {item}: {message} (a bug: please report it)")]
    Panicked {
        /// The item's position, from 0.
        item: usize,
        /// The panic's message, on one line.
        message: String,
    },
}
