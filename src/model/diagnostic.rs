//! What kind of failure an error is, and which path it is about: the machine-readable side
//! of an error, for front ends that report errors as data (`--format json`).

use std::path::Path;

use super::error::{
    BatchError, CertifyError, ConfigError, EntryError, EvidenceError, EvolveError, ListError,
    PackageError, PoolError, RegistryError, RequestError, ScaffoldError, UpdateError, WriteError,
};

/// The kind and subject of an error. Kinds are stable snake_case words; the message is the
/// error's `Display`.
pub trait Diagnostic {
    /// The kind of failure: `invalid_request`, `io`, `not_a_package`, `conflicts`, ...
    fn kind(&self) -> &'static str;
    /// The file or directory the error is about, when it is about one.
    fn path(&self) -> Option<&Path> {
        None
    }
}

impl<T: Diagnostic + ?Sized> Diagnostic for &T {
    fn kind(&self) -> &'static str {
        (**self).kind()
    }
    fn path(&self) -> Option<&Path> {
        (**self).path()
    }
}

impl Diagnostic for RegistryError {
    fn kind(&self) -> &'static str {
        "registry"
    }
}

impl Diagnostic for RequestError {
    fn kind(&self) -> &'static str {
        match self {
            RequestError::Registry(err) => err.kind(),
            _ => "invalid_request",
        }
    }
}

impl Diagnostic for WriteError {
    fn kind(&self) -> &'static str {
        match self {
            WriteError::Io { .. } => "io",
            WriteError::Symlink(_) => "symlink",
            WriteError::NotADirectory(_) => "not_a_directory",
            WriteError::NotAFile(_) => "not_a_file",
            WriteError::UnsafePath(_) => "unsafe_path",
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            WriteError::Io { path, .. }
            | WriteError::Symlink(path)
            | WriteError::NotADirectory(path)
            | WriteError::NotAFile(path) => Some(path),
            WriteError::UnsafePath(path) => Some(Path::new(path)),
        }
    }
}

impl Diagnostic for EvidenceError {
    fn kind(&self) -> &'static str {
        match self {
            EvidenceError::NotAPackage(_) => "not_a_package",
            EvidenceError::NoCertificationManifest(_) => "no_certification",
            EvidenceError::Read { .. } => "io",
            EvidenceError::Invalid { .. } | EvidenceError::OutsidePackage(_) => "invalid_manifest",
            EvidenceError::Publish(err) => err.kind(),
            EvidenceError::Registry(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            EvidenceError::NotAPackage(path)
            | EvidenceError::NoCertificationManifest(path)
            | EvidenceError::Read { path, .. }
            | EvidenceError::Invalid { path, .. } => Some(path),
            EvidenceError::Publish(err) => err.path(),
            EvidenceError::OutsidePackage(_) | EvidenceError::Registry(_) => None,
        }
    }
}

impl Diagnostic for ScaffoldError {
    fn kind(&self) -> &'static str {
        match self {
            ScaffoldError::Request(err) => err.kind(),
            ScaffoldError::Write(err) => err.kind(),
            ScaffoldError::Conflicts(_) => "conflicts",
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            ScaffoldError::Request(_) => None,
            ScaffoldError::Write(err) => err.path(),
            ScaffoldError::Conflicts(result) => Some(Path::new(&result.sdk_root)),
        }
    }
}

impl Diagnostic for PackageError {
    fn kind(&self) -> &'static str {
        match self {
            PackageError::NotADirectory(_) => "not_a_directory",
            PackageError::NotAPackage { .. } => "not_a_package",
            PackageError::Read { .. } => "io",
            PackageError::InvalidConnectorManifest { .. } => "invalid_manifest",
            PackageError::Declared { .. } => "invalid_request",
            PackageError::MissingPack { .. } => "missing_pack",
            PackageError::Registry(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            PackageError::NotADirectory(path)
            | PackageError::NotAPackage { dir: path, .. }
            | PackageError::Read { path, .. }
            | PackageError::InvalidConnectorManifest { path, .. }
            | PackageError::Declared { path, .. }
            | PackageError::MissingPack { path, .. } => Some(path),
            PackageError::Registry(_) => None,
        }
    }
}

impl Diagnostic for EvolveError {
    fn kind(&self) -> &'static str {
        match self {
            EvolveError::Package(err) => err.kind(),
            EvolveError::Request(err) => err.kind(),
            EvolveError::Write(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            EvolveError::Package(err) => err.path(),
            EvolveError::Request(_) => None,
            EvolveError::Write(err) => err.path(),
        }
    }
}

impl Diagnostic for UpdateError {
    fn kind(&self) -> &'static str {
        match self {
            UpdateError::Package(err) => err.kind(),
            UpdateError::Request(err) => err.kind(),
            UpdateError::Write(err) => err.kind(),
            UpdateError::Workers(err) => err.kind(),
            UpdateError::UnknownVersion { .. } => "unknown_generator_version",
            UpdateError::Reference { .. } => "reference_unavailable",
            UpdateError::PackBase { .. } => "invalid_pack",
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            UpdateError::Package(err) => err.path(),
            UpdateError::Request(_) | UpdateError::Workers(_) => None,
            UpdateError::Write(err) => err.path(),
            UpdateError::UnknownVersion { dir, .. }
            | UpdateError::Reference { dir, .. }
            | UpdateError::PackBase { dir, .. } => Some(dir),
        }
    }
}

impl Diagnostic for CertifyError {
    fn kind(&self) -> &'static str {
        match self {
            CertifyError::Read { .. } => "io",
            CertifyError::CertificationManifest { .. }
            | CertifyError::CertificationManifestValue(_) => "invalid_manifest",
            CertifyError::Publish(err) => err.kind(),
            CertifyError::Registry(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            CertifyError::Read { path, .. } | CertifyError::CertificationManifest { path, .. } => {
                Some(path)
            }
            CertifyError::Publish(err) => err.path(),
            CertifyError::CertificationManifestValue(_) | CertifyError::Registry(_) => None,
        }
    }
}

impl Diagnostic for BatchError {
    fn kind(&self) -> &'static str {
        match self {
            BatchError::Read { .. } => "io",
            BatchError::Parse { .. } => "invalid_spec",
            BatchError::Flush(err) => err.kind(),
            BatchError::Workers(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            BatchError::Read { path, .. } | BatchError::Parse { path, .. } => Some(path),
            BatchError::Flush(err) => err.path(),
            BatchError::Workers(_) => None,
        }
    }
}

impl Diagnostic for EntryError {
    fn kind(&self) -> &'static str {
        match self {
            EntryError::Spec(_) => "invalid_spec",
            EntryError::Duplicate { .. } => "duplicate_entry",
            EntryError::Scaffold(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            EntryError::Scaffold(err) => err.path(),
            EntryError::Spec(_) | EntryError::Duplicate { .. } => None,
        }
    }
}

impl Diagnostic for ConfigError {
    fn kind(&self) -> &'static str {
        match self {
            ConfigError::Read { .. } => "io",
            ConfigError::Unusable { .. } | ConfigError::Parse { .. } => "invalid_config",
            ConfigError::NotUnicode(_) => "invalid_environment",
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            ConfigError::Read { path, .. }
            | ConfigError::Unusable { path, .. }
            | ConfigError::Parse { path, .. } => Some(path),
            ConfigError::NotUnicode(_) => None,
        }
    }
}

impl Diagnostic for PoolError {
    fn kind(&self) -> &'static str {
        match self {
            PoolError::Spawn(_) => "io",
            PoolError::Panicked { .. } => "internal",
        }
    }
}

impl Diagnostic for ListError {
    fn kind(&self) -> &'static str {
        match self {
            ListError::NotADirectory(_) => "not_a_directory",
            ListError::Workers(err) => err.kind(),
            ListError::Registry(err) => err.kind(),
        }
    }
    fn path(&self) -> Option<&Path> {
        match self {
            ListError::NotADirectory(path) => Some(path),
            ListError::Workers(_) | ListError::Registry(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn wrapped_errors_keep_the_kind_and_path_of_what_failed() {
        let write = || WriteError::io("write", "pkg/README.md", std::io::Error::other("full"));
        let scaffold = ScaffoldError::Write(write());
        assert_eq!(scaffold.kind(), "io");
        assert_eq!(scaffold.path(), Some(Path::new("pkg/README.md")));
        let entry = EntryError::Scaffold(scaffold);
        assert_eq!(
            (entry.kind(), entry.path()),
            ("io", Some(Path::new("pkg/README.md")))
        );
        let evolve = EvolveError::Package(PackageError::NotADirectory(PathBuf::from("nope")));
        assert_eq!(evolve.kind(), "not_a_directory");
        assert_eq!(evolve.path(), Some(Path::new("nope")));
        let request = RequestError::EmptyName("!!!".to_owned());
        assert_eq!((request.kind(), request.path()), ("invalid_request", None));
    }
}
