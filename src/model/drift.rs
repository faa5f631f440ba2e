//! What `check` reports: each way a package on disk departs from what this version would
//! generate from its own connector manifest, and how serious that is.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The package's contract does not match what it declares: `check` fails.
    Error,
    /// Worth knowing, not wrong.
    Info,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A contract file differs from what the declared capabilities produce, or is missing.
    ContractDrift,
    /// A declared capability's module does not exist.
    MissingModule,
    /// A module of a capability the manifest does not declare exists.
    UndeclaredModule,
    /// A generated file differs from what this version generates.
    Edited,
    /// A generated file does not exist.
    Missing,
    /// A capability pack the package was made with has changed since.
    PackChanged,
}

impl FindingKind {
    /// The severity of this kind of finding.
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::ContractDrift
            | FindingKind::MissingModule
            | FindingKind::UndeclaredModule => Severity::Error,
            FindingKind::Edited | FindingKind::Missing | FindingKind::PackChanged => Severity::Info,
        }
    }

    /// A short label for listings.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::ContractDrift => "drift",
            FindingKind::MissingModule => "missing module",
            FindingKind::UndeclaredModule => "undeclared module",
            FindingKind::Edited => "edited",
            FindingKind::Missing => "missing",
            FindingKind::PackChanged => "pack changed",
        }
    }
}

/// One thing `check` noticed about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `error` or `info`.
    pub severity: Severity,
    /// What kind of finding.
    pub kind: FindingKind,
    /// The file, relative to the package directory, `/`-separated.
    pub path: String,
    /// One line explaining it.
    pub message: String,
    /// The file whose change caused it: `path` itself, or the connector manifest when an
    /// edit to the manifest left this file following the earlier declaration.
    pub cause: String,
}

impl Finding {
    /// A finding of `kind`, with the severity that kind has.
    pub fn new(kind: FindingKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        Finding {
            severity: kind.severity(),
            kind,
            cause: path.clone(),
            path,
            message: message.into(),
        }
    }
}

/// The outcome of checking one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The package directory, as given.
    pub package_dir: String,
    /// Normalized connector identifier.
    pub connector: String,
    /// Normalized connector type.
    pub connector_type: String,
    /// Declared runtime capabilities, in manifest order.
    pub capabilities: Vec<String>,
    /// Declared native-transfer capabilities, in manifest order.
    pub native_capabilities: Vec<String>,
    /// Whether the package has certification files.
    pub certification: bool,
    /// What made the package: `dpone-connectors`, or `dpone` (0.88.0's scaffold, no
    /// `[tool.dpone-connectors]` record).
    pub generator: &'static str,
    /// The version of `generator` that made it.
    pub generator_version: String,
    /// Whether an older generator made it: `update` would bring it forward.
    pub outdated: bool,
    /// `ok` or `drift`.
    pub status: &'static str,
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are information.
    pub notes: usize,
    /// Every finding: errors first, then information, each in package file order.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// Whether the contract matches the declarations.
    pub fn passed(&self) -> bool {
        self.errors == 0
    }
}
