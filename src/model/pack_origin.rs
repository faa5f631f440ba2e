//! [`PackOrigin`]: where a capability loaded from a capability pack came from. Built-in
//! capabilities have none.

use std::path::PathBuf;

/// One file of a pack as it was read: its `/`-separated path inside the pack and its bytes.
/// The pack's digest covers exactly these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    /// Path relative to the pack directory, `/`-separated (`capability.toml`,
    /// `templates/lookup.py`).
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// A capability pack's identity: its directory, its version and the sha256 of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOrigin {
    /// The pack directory (the one holding `capability.toml`), as found on the path.
    pub dir: PathBuf,
    /// The version the pack declares.
    pub version: String,
    /// `sha256:` and the lowercase hex digest of the pack's files (see [`PackFile`]).
    pub digest: String,
    /// The pack's files as they were read, in path order.
    pub files: Vec<PackFile>,
}

/// A capability pack whose files changed since a package was made with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackChange {
    /// The capability's name.
    pub name: String,
    /// The version the package records.
    pub recorded_version: String,
    /// The digest the package records.
    pub recorded_digest: String,
    /// The version of the pack on the capability path now.
    pub version: String,
    /// Its digest now.
    pub digest: String,
    /// Where it was found.
    pub dir: PathBuf,
}
