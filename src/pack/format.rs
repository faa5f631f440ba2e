//! `capability.toml`, the pack's manifest: its schema as serde types. Unknown keys are
//! refused, so a typo is an error and not a silently ignored setting.

use serde::Deserialize;

/// The file every pack directory holds.
pub const MANIFEST: &str = "capability.toml";
/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

/// Just the schema version, read first so that a pack of a newer schema is refused as such
/// rather than for the keys this version does not know.
#[derive(Deserialize)]
pub(crate) struct SchemaOnly {
    pub schema: Option<toml::Value>,
}

/// `capability.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    /// [`SCHEMA_VERSION`].
    #[allow(dead_code)]
    pub schema: i64,
    /// The capability's name, requested with `--capability NAME`.
    pub name: String,
    /// The pack's own version, recorded in every package made with it.
    pub version: String,
    /// `runtime` (the only kind a pack can be).
    pub kind: String,
    /// Position among the runtime capabilities (the registry sorts by kind, rank, name).
    pub rank: u32,
    /// One line saying what the capability is for.
    pub summary: String,
    /// The required tests a freshly generated package already proves.
    #[serde(default)]
    pub proven_by_scaffold: Vec<String>,
    /// The capability's section of `certification/certification.yaml`, as data.
    #[serde(default)]
    pub certification: toml::Table,
    /// The certification tests a package with the capability must prove.
    #[serde(default)]
    pub required_tests: Vec<RequiredTest>,
    /// The files the capability adds to a package.
    #[serde(default)]
    pub files: Vec<FileEntry>,
    /// Its sections of the shared README, docs and contract tests.
    #[serde(default)]
    pub fragments: FragmentFiles,
}

/// One required test and what it proves.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequiredTest {
    /// The test's name (an identifier).
    pub name: String,
    /// One sentence saying what the test proves.
    pub proves: String,
}

/// One generated file: where it goes in the package and the pack file it is rendered from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileEntry {
    /// Path template inside the package, e.g. `src/{{import_package}}/lookup.py`.
    pub path: String,
    /// The template file, relative to the pack directory.
    pub template: String,
}

/// Template files (relative to the pack directory) for the text the capability adds to the
/// package's shared files. Each is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FragmentFiles {
    pub readme: Option<String>,
    pub docs: Option<String>,
    pub tests: Option<String>,
    pub test_imports: Option<String>,
}
