//! The scaffold core: turns a [`ScaffoldRequest`] into a [`PackagePlan`] (every file, in
//! memory) and writes it with the [`writer`](crate::writer). It never names a capability:
//! everything capability-specific comes from the registry.

use std::path::PathBuf;

use serde::Serialize;

use crate::capability::{Capability, CapabilityKind};
use crate::certification::{certification_manifest, connector_manifest_json};
use crate::error::{RequestError, ScaffoldError};
use crate::names;
use crate::registry::registry;
use crate::render::Vars;
use crate::templates;
use crate::writer::{self, WriteOptions, WriteReport};

/// The connector types the reference accepts, sorted.
pub const CONNECTOR_TYPES: &[&str] = &["api", "database", "event", "file"];

/// Where the certification manifest lives inside a package.
pub const CERTIFICATION_MANIFEST: &str = "certification/certification.yaml";

/// The connector manifest file name.
pub const CONNECTOR_MANIFEST: &str = "dpone_connector_manifest.json";

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
}

impl ScaffoldRequest {
    /// A request with the reference's defaults: root `.`, type `api`, capabilities
    /// `[source]`, no natives, certification on.
    pub fn new(name: impl Into<String>) -> Self {
        ScaffoldRequest {
            name: name.into(),
            root: PathBuf::from("."),
            connector_type: "api".to_owned(),
            capabilities: Vec::new(),
            native_capabilities: Vec::new(),
            include_certification: true,
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

    /// Turns certification files on or off.
    pub fn include_certification(mut self, include: bool) -> Self {
        self.include_certification = include;
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
    /// `dpone_connector_<connector>`.
    pub import_package: String,
    /// `dpone-connector-<connector>` with `-`.
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
        sorted.sort_by_key(|c| (c.rank(), c.name()));
        sorted
    }
}

impl PartialEq for dyn Capability {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn Capability {}

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

/// The result of a scaffold, serialized as the contract's JSON object (plus the write
/// report, which the contract allows as extra keys).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScaffoldResult {
    /// Normalized connector identifier.
    pub connector: String,
    /// Normalized connector type.
    pub connector_type: String,
    /// Runtime capabilities in request order.
    pub capabilities: Vec<String>,
    /// Native capabilities in request order.
    pub native_capabilities: Vec<String>,
    /// Distribution name.
    pub package_name: String,
    /// Import package name.
    pub import_package: String,
    /// Package directory, as the reference prints it.
    pub sdk_root: String,
    /// Every generated file, sdk_root-joined.
    pub files: Vec<String>,
    /// The certification manifest path, or null.
    pub certification_manifest: Option<String>,
    /// Whether this was a dry run (nothing was changed on disk).
    pub dry_run: bool,
    /// Files that did not exist and were (or would be) created.
    pub created: Vec<String>,
    /// Files that already had exactly the generated content.
    pub unchanged: Vec<String>,
    /// Edited files replaced because of `--force`.
    pub overwritten: Vec<String>,
    /// Edited files that block the scaffold (empty on success).
    pub conflicts: Vec<String>,
}

impl ScaffoldResult {
    /// Combines a plan with what writing it did.
    pub fn new(plan: &PackagePlan, report: &WriteReport, dry_run: bool) -> Self {
        let show = |paths: &[String]| {
            paths
                .iter()
                .map(|p| plan.display_path(p))
                .collect::<Vec<_>>()
        };
        ScaffoldResult {
            connector: plan.identity.connector.clone(),
            connector_type: plan.identity.connector_type.clone(),
            capabilities: plan
                .identity
                .capability_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            native_capabilities: plan
                .identity
                .native_capability_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            package_name: plan.identity.package_name.clone(),
            import_package: plan.identity.import_package.clone(),
            sdk_root: plan.sdk_root.clone(),
            files: plan
                .files
                .iter()
                .map(|f| plan.display_path(&f.path))
                .collect(),
            certification_manifest: plan.certification_manifest.map(|p| plan.display_path(p)),
            dry_run,
            created: show(&report.created),
            unchanged: show(&report.unchanged),
            overwritten: show(&report.overwritten),
            conflicts: show(&report.conflicts),
        }
    }
}

/// Formats a path the way Python's `pathlib.PurePosixPath` prints it: repeated `/` and `.`
/// components collapse, a trailing `/` goes, and an empty path is `.`.
pub fn python_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    // POSIX keeps exactly two leading slashes; pathlib does too.
    let prefix = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if absolute {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return if prefix.is_empty() {
            ".".to_owned()
        } else {
            prefix.to_owned()
        };
    }
    format!("{prefix}{}", parts.join("/"))
}

fn python_join(root: &str, child: &str) -> String {
    let base = python_path(root);
    match base.as_str() {
        "." => child.to_owned(),
        b if b.ends_with('/') => format!("{b}{child}"),
        b => format!("{b}/{child}"),
    }
}

fn dedup_normalized<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = value.as_ref();
        if value.trim().is_empty() {
            continue;
        }
        let normalized = names::normalize_choice(value);
        if !out.contains(&normalized) {
            out.push(normalized);
        }
    }
    out
}

/// Resolves requested capability names of one kind: trimmed, lowercased, duplicates dropped
/// in request order; unknown names are an error listing all of them.
pub(crate) fn resolve_capabilities<S: AsRef<str>>(
    kind: CapabilityKind,
    requested: &[S],
) -> Result<Vec<&'static dyn Capability>, RequestError> {
    let registry = registry()?;
    let mut resolved: Vec<&'static dyn Capability> = Vec::with_capacity(requested.len());
    let mut unknown = Vec::new();
    for name in dedup_normalized(requested) {
        match registry.find(kind, &name) {
            Some(cap) if !resolved.iter().any(|r| r.name() == cap.name()) => resolved.push(cap),
            Some(_) => {}
            None => unknown.push(name),
        }
    }
    if !unknown.is_empty() {
        unknown.sort();
        return Err(RequestError::Capability {
            kind: kind.label(),
            given: unknown.join(", "),
            expected: sorted_names(registry.names(kind)),
        });
    }
    Ok(resolved)
}

/// [`resolve_capabilities`], then the registry's defaults when nothing was requested.
fn resolve_with_defaults(
    kind: CapabilityKind,
    requested: &[String],
) -> Result<Vec<&'static dyn Capability>, RequestError> {
    let mut resolved = resolve_capabilities(kind, requested)?;
    if resolved.is_empty() {
        resolved.extend(
            registry()?
                .of_kind(kind)
                .filter(|c| c.requested_by_default()),
        );
    }
    Ok(resolved)
}

fn sorted_names(mut names: Vec<&'static str>) -> String {
    names.sort_unstable();
    names.join(", ")
}

/// Normalizes and validates a request, in the reference's order: name, connector type,
/// capabilities, native capabilities.
pub fn identify(request: &ScaffoldRequest) -> Result<PackageIdentity, RequestError> {
    let connector = names::connector_identifier(&request.name)?;
    let connector_type = names::normalize_choice(&request.connector_type);
    if !CONNECTOR_TYPES.contains(&connector_type.as_str()) {
        return Err(RequestError::ConnectorType {
            given: request.connector_type.clone(),
            expected: CONNECTOR_TYPES.join(", "),
        });
    }
    let capabilities = resolve_with_defaults(CapabilityKind::Runtime, &request.capabilities)?;
    let native_capabilities =
        resolve_with_defaults(CapabilityKind::NativeTransfer, &request.native_capabilities)?;
    let import_package = names::import_package(&connector);
    let package_name = names::package_name(&import_package);
    Ok(PackageIdentity {
        connector,
        connector_type,
        capabilities,
        native_capabilities,
        import_package,
        package_name,
    })
}

/// Renders every file of the package in memory. Writes nothing.
pub fn plan_package(request: &ScaffoldRequest) -> Result<PackagePlan, RequestError> {
    let identity = identify(request)?;
    let root_text = request.root.to_string_lossy();
    let sdk_root = python_join(&root_text, &identity.package_name);
    let files = templates::render_package(&identity, request.include_certification);
    Ok(PackagePlan {
        certification_manifest: request
            .include_certification
            .then_some(CERTIFICATION_MANIFEST),
        identity,
        root: request.root.clone(),
        sdk_root,
        files,
    })
}

/// The two contract files a package with this identity must contain, as (path, content).
pub fn contract_files(identity: &PackageIdentity, include_certification: bool) -> Vec<PlannedFile> {
    let mut files = vec![PlannedFile {
        path: CONNECTOR_MANIFEST.to_owned(),
        contents: connector_manifest_json(
            &identity.connector,
            &identity.connector_type,
            &identity.capability_names(),
            &identity.native_capability_names(),
            &identity.import_package,
        ),
    }];
    if include_certification {
        files.push(PlannedFile {
            path: CERTIFICATION_MANIFEST.to_owned(),
            contents: certification_manifest(
                &identity.connector,
                &identity.connector_type,
                &identity.capabilities_in_registry_order(),
                &identity.native_capabilities,
            )
            .to_yaml(),
        });
    }
    files
}

/// Plans and writes a package.
pub fn scaffold(
    request: &ScaffoldRequest,
    options: &WriteOptions,
) -> Result<ScaffoldResult, ScaffoldError> {
    let plan = plan_package(request)?;
    let report = writer::write_package(&plan.package_dir(), &plan.files, options)?;
    let result = ScaffoldResult::new(&plan, &report, options.dry_run);
    if result.conflicts.is_empty() {
        Ok(result)
    } else {
        Err(ScaffoldError::Conflicts(Box::new(result)))
    }
}

/// Variables every template can use.
pub fn package_vars(identity: &PackageIdentity) -> Vars {
    let mut vars = Vars::new();
    let py_tuple = |names: Vec<&str>| match names.len() {
        0 => "()".to_owned(),
        1 => format!("(\"{}\",)", names[0]),
        _ => format!(
            "({})",
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    vars.set("connector", identity.connector.clone())
        .set("Class", names::class_name(&identity.connector))
        .set("connector_type", identity.connector_type.clone())
        .set("import_package", identity.import_package.clone())
        .set("package_name", identity.package_name.clone())
        .set("capabilities_py", py_tuple(identity.capability_names()))
        .set(
            "native_capabilities_py",
            py_tuple(identity.native_capability_names()),
        );
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(".", "x")]
    #[case("", "x")]
    #[case("out", "out/x")]
    #[case("./out/", "out/x")]
    #[case("a//b/./c", "a/b/c/x")]
    #[case("/", "/x")]
    #[case("/tmp/", "/tmp/x")]
    #[case("../up", "../up/x")]
    fn joins_like_pathlib(#[case] root: &str, #[case] expected: &str) {
        assert_eq!(python_join(root, "x"), expected);
    }

    #[test]
    fn validation_follows_the_reference_order() {
        let bad_everything = ScaffoldRequest::new("!!!")
            .connector_type("nope")
            .capability("nope");
        assert!(matches!(
            identify(&bad_everything),
            Err(RequestError::EmptyName(_))
        ));
        let bad_type = ScaffoldRequest::new("ok")
            .connector_type("nope")
            .capability("nope");
        assert!(matches!(
            identify(&bad_type),
            Err(RequestError::ConnectorType { .. })
        ));
    }

    #[test]
    fn capabilities_are_deduplicated_in_request_order() {
        let request = ScaffoldRequest::new("x")
            .capability("SINK ")
            .capability("source")
            .capability("sink");
        let identity = identify(&request).unwrap();
        assert_eq!(identity.capability_names(), ["sink", "source"]);
    }

    #[test]
    fn no_capability_means_the_defaults() {
        let identity = identify(&ScaffoldRequest::new("x")).unwrap();
        assert_eq!(identity.capability_names(), ["source"]);
    }
}
