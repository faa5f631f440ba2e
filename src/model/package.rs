//! A package as the scaffold sees it: what was asked for, what it normalizes to, and every
//! file rendered in memory before anything touches the disk.

use std::path::PathBuf;

use serde::Deserialize;

use super::capability::{sort_in_registry_order, Capability};
use super::details::PackageMetadata;

/// The prefix every package gets unless asked otherwise: `dpone_connector_<connector>`.
pub const DEFAULT_PACKAGE_PREFIX: &str = "dpone_connector";

/// What a person asked to scaffold, before normalization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldRequest {
    /// The connector name as typed (`Demo API`).
    pub name: String,
    /// The directory the package directory is created in.
    pub root: PathBuf,
    /// `api`, `database`, `event` or `file` (trimmed and lowercased).
    pub connector_type: String,
    /// Requested runtime capabilities; empty means the registry's defaults.
    pub capabilities: Vec<String>,
    /// Requested native-transfer capabilities, in request order.
    pub native_capabilities: Vec<String>,
    /// Whether to write the certification files.
    pub include_certification: bool,
    /// What the import package starts with (`dpone_connector`), normalized like a name.
    pub package_prefix: String,
    /// The person's details (author, license, ...); unset fields take their defaults.
    pub details: PackageDetails,
}

/// The person's details a package records: who wrote it, under which license, for which
/// Python. Every field is optional and unvalidated here: flags, environment variables, the
/// user config file and batch entries each give a `PackageDetails`, layered with
/// [`or`](PackageDetails::or); `scaffold::details::resolve_details` validates the result into a
/// [`PackageMetadata`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageDetails {
    /// The author's name (`[project] authors`, copyright line).
    pub author: Option<String>,
    /// The author's e-mail address.
    pub email: Option<String>,
    /// An SPDX license id; default `Apache-2.0`.
    pub license: Option<String>,
    /// One sentence for `[project] description`; default names the connector and its type.
    pub description: Option<String>,
    /// The lowest Python version the package supports (`3.11`, the default, or later).
    pub python: Option<String>,
}

impl PackageDetails {
    /// Field by field, `self` where set, else `fallback`.
    pub fn or(self, fallback: PackageDetails) -> PackageDetails {
        PackageDetails {
            author: self.author.or(fallback.author),
            email: self.email.or(fallback.email),
            license: self.license.or(fallback.license),
            description: self.description.or(fallback.description),
            python: self.python.or(fallback.python),
        }
    }
}

impl ScaffoldRequest {
    /// A request with the reference's defaults: root `.`, type `api`, capabilities
    /// `[source]`, no natives, certification on, prefix `dpone_connector`.
    pub fn new(name: impl Into<String>) -> Self {
        ScaffoldRequest {
            name: name.into(),
            root: PathBuf::from("."),
            connector_type: "api".to_owned(),
            capabilities: Vec::new(),
            native_capabilities: Vec::new(),
            include_certification: true,
            package_prefix: DEFAULT_PACKAGE_PREFIX.to_owned(),
            details: PackageDetails::default(),
        }
    }

    /// Sets the root directory.
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = root.into();
        self
    }

    /// Sets the connector type.
    pub fn connector_type(mut self, connector_type: impl Into<String>) -> Self {
        self.connector_type = connector_type.into();
        self
    }

    /// Adds a runtime capability.
    pub fn capability(mut self, capability: impl Into<String>) -> Self {
        self.capabilities.push(capability.into());
        self
    }

    /// Adds a native-transfer capability.
    pub fn native_capability(mut self, capability: impl Into<String>) -> Self {
        self.native_capabilities.push(capability.into());
        self
    }

    /// Sets the package prefix (`acme` gives `acme_<connector>` and `acme-<connector>`).
    pub fn package_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.package_prefix = prefix.into();
        self
    }

    /// Turns certification files on or off.
    pub fn include_certification(mut self, include: bool) -> Self {
        self.include_certification = include;
        self
    }

    /// Sets the person's details.
    pub fn details(mut self, details: PackageDetails) -> Self {
        self.details = details;
        self
    }
}

/// The normalized identity of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageIdentity {
    /// Normalized connector identifier (`demo_api`).
    pub connector: String,
    /// Normalized connector type.
    pub connector_type: String,
    /// Runtime capabilities in request order (the order the contract JSON uses).
    pub capabilities: Vec<&'static dyn Capability>,
    /// Native-transfer capabilities in request order.
    pub native_capabilities: Vec<&'static dyn Capability>,
    /// `<prefix>_<connector>`, `dpone_connector_<connector>` by default.
    pub import_package: String,
    /// The import package with `-` for `_` (`dpone-connector-<connector>`).
    pub package_name: String,
}

impl PackageIdentity {
    /// Runtime capability names in request order.
    pub fn capability_names(&self) -> Vec<&'static str> {
        self.capabilities.iter().map(|c| c.name()).collect()
    }

    /// Native capability names in request order.
    pub fn native_capability_names(&self) -> Vec<&'static str> {
        self.native_capabilities.iter().map(|c| c.name()).collect()
    }

    /// Runtime capabilities in registry order (the order files and sections use).
    pub fn capabilities_in_registry_order(&self) -> Vec<&'static dyn Capability> {
        let mut sorted = self.capabilities.clone();
        sort_in_registry_order(&mut sorted);
        sorted
    }
}

/// One file of a package, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path relative to the package directory, `/`-separated.
    pub path: String,
    /// Full content.
    pub contents: String,
}

/// A package rendered in memory, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagePlan {
    /// Normalized identity.
    pub identity: PackageIdentity,
    /// The root the package directory goes in, as given.
    pub root: PathBuf,
    /// `root` joined with the package name, formatted like Python's `pathlib`.
    pub sdk_root: String,
    /// The person's details, validated.
    pub metadata: PackageMetadata,
    /// Every file, in the order they are reported.
    pub files: Vec<PlannedFile>,
    /// The certification manifest's relative path, when certification is on.
    pub certification_manifest: Option<&'static str>,
}

impl PackagePlan {
    /// The package directory on disk.
    pub fn package_dir(&self) -> PathBuf {
        self.root.join(&self.identity.package_name)
    }

    /// A relative path as the contract reports it: joined onto `sdk_root`.
    pub fn display_path(&self, relative: &str) -> String {
        format!("{}/{}", self.sdk_root, relative)
    }
}
