//! Reads a package that is already on disk back into the request that would generate it.
//!
//! The connector manifest (`dpone_connector_manifest.json`) is the package's own record of
//! what it is: connector, type, capabilities and native capabilities, in the order they were
//! requested. Certification is on exactly when `certification/certification.yaml` exists.
//! The person's details (license, author, ...) come from the `[tool.dpone-connectors]` table
//! of `pyproject.toml`, where the generator recorded them; a package without it (or with a
//! `pyproject.toml` that no longer parses) is read with the default details.
//! `check` and `add-capability` both start here, so they agree on what a package declares.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::details::resolve_details;
use super::identify;
use super::vars::{capability_vars, package_vars};
use crate::contract::{CERTIFICATION_MANIFEST, CONNECTOR_MANIFEST};
use crate::model::capability::Capability;
use crate::model::error::PackageError;
use crate::model::names;
use crate::model::pack_origin::PackChange;
use crate::model::package::{PackageDetails, PackageIdentity, ScaffoldRequest};

/// A package directory and what its manifest declares.
#[derive(Debug, Clone)]
pub struct ExistingPackage {
    /// The package directory, as given.
    pub dir: PathBuf,
    /// The request that reproduces the package with this version.
    pub request: ScaffoldRequest,
    /// The normalized identity of that request.
    pub identity: PackageIdentity,
    /// The capability packs the package was made with whose files changed since.
    pub pack_changes: Vec<PackChange>,
    /// The `generator-version` of the `[tool.dpone-connectors]` record; `None` without a
    /// record (a package made by dpone 0.88.0's `dpone connectors scaffold`).
    pub generator_version: Option<String>,
}

impl ExistingPackage {
    /// Reads `dir`'s connector manifest. Fails when `dir` is not a package or the manifest
    /// does not have the contract's fields with the right types.
    pub fn open(dir: &Path) -> Result<ExistingPackage, PackageError> {
        if !dir.is_dir() {
            return Err(PackageError::NotADirectory(dir.to_path_buf()));
        }
        let manifest_path = dir.join(CONNECTOR_MANIFEST);
        let text = match read_optional(&manifest_path)? {
            Some(bytes) => {
                String::from_utf8(bytes).map_err(|_| PackageError::InvalidConnectorManifest {
                    path: manifest_path.clone(),
                    reason: "not valid UTF-8".to_owned(),
                })?
            }
            None => {
                return Err(PackageError::NotAPackage {
                    dir: dir.to_path_buf(),
                    hint: packages_inside(dir),
                })
            }
        };
        let recorded = read_recorded(&dir.join(PYPROJECT));
        let generator_version = recorded
            .as_ref()
            .map(|r| r.generator_version.clone().unwrap_or_default());
        let recorded = recorded.unwrap_or_default();
        let request = request_from_connector_manifest(&manifest_path, &text)?
            .include_certification(read_optional(&dir.join(CERTIFICATION_MANIFEST))?.is_some())
            .details(recorded_details(&recorded));
        let identity = match identify(&request) {
            Ok(identity) => identity,
            Err(source) => {
                return Err(missing_pack(dir, &request, &recorded.pack)?.unwrap_or(
                    PackageError::Declared {
                        path: manifest_path,
                        source,
                    },
                ))
            }
        };
        let pack_changes = pack_changes(&identity, &recorded.pack);
        Ok(ExistingPackage {
            dir: dir.to_path_buf(),
            request,
            identity,
            pack_changes,
            generator_version,
        })
    }

    /// The content of a file of the package (`relative` is `/`-separated), or `None` when
    /// it does not exist.
    pub fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, PackageError> {
        read_optional(&self.dir.join(relative))
    }
}

/// Names the packages directly inside `dir` (the usual mistake is pointing at the root the
/// packages were scaffolded into): ` (packages inside: a, b)`, or empty.
fn packages_inside(dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join(CONNECTOR_MANIFEST).is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return String::new();
    }
    names.sort();
    const SHOWN: usize = 5;
    let more = names.len().saturating_sub(SHOWN);
    names.truncate(SHOWN);
    let suffix = if more > 0 {
        format!(", and {more} more")
    } else {
        String::new()
    };
    format!(" (packages inside: {}{suffix})", names.join(", "))
}

const PYPROJECT: &str = "pyproject.toml";
/// A `pyproject.toml` is a page or two; a larger one is not read for details.
const MAX_PYPROJECT_BYTES: u64 = 1024 * 1024;

#[derive(Deserialize, Default)]
struct Pyproject {
    #[serde(default)]
    tool: Tool,
}

#[derive(Deserialize, Default)]
struct Tool {
    #[serde(default, rename = "dpone-connectors")]
    dpone_connectors: Option<Recorded>,
}

/// What the generator recorded: the person's details, and the version that made the
/// package (the base `update` merges from).
#[derive(Deserialize, Default)]
struct Recorded {
    #[serde(rename = "generator-version")]
    generator_version: Option<String>,
    author: Option<String>,
    email: Option<String>,
    license: Option<String>,
    description: Option<String>,
    python: Option<String>,
    /// The capability packs the package was made with.
    #[serde(default)]
    pack: Vec<RecordedPack>,
}

/// A `[[tool.dpone-connectors.pack]]` entry.
#[derive(Deserialize, Debug, Clone)]
struct RecordedPack {
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    digest: String,
}

/// What `pyproject.toml` records (bounded: a regular file of at most 1 MiB); `None` when
/// there is no record to read or it does not parse.
fn read_recorded(path: &Path) -> Option<Recorded> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return None;
    };
    let mut text = String::new();
    let read = meta.is_file()
        && meta.len() <= MAX_PYPROJECT_BYTES
        && std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PYPROJECT_BYTES).read_to_string(&mut text))
            .is_ok();
    if read {
        parse_recorded(&text)
    } else {
        None
    }
}

/// When the package declares a capability the registry does not have and `pyproject.toml`
/// records it as a pack: the error saying which pack to put on the capability path.
fn missing_pack(
    dir: &Path,
    request: &ScaffoldRequest,
    recorded: &[RecordedPack],
) -> Result<Option<PackageError>, PackageError> {
    let registry = crate::model::registry::registry()?;
    let missing = recorded.iter().find(|pack| {
        request
            .capabilities
            .iter()
            .any(|c| names::normalize_choice(c) == pack.name)
            && registry.get(&pack.name).is_none()
    });
    Ok(missing.map(|pack| PackageError::MissingPack {
        path: dir.join(PYPROJECT),
        name: pack.name.clone(),
        version: pack.version.clone(),
        digest: pack.digest.clone(),
    }))
}

/// The recorded packs whose capability is now loaded from a pack with other files.
fn pack_changes(identity: &PackageIdentity, recorded: &[RecordedPack]) -> Vec<PackChange> {
    recorded
        .iter()
        .filter_map(|pack| {
            let capability = identity
                .capabilities
                .iter()
                .find(|c| c.name() == pack.name)?;
            let origin = capability.origin()?;
            (origin.digest != pack.digest).then(|| PackChange {
                name: pack.name.clone(),
                recorded_version: pack.version.clone(),
                recorded_digest: pack.digest.clone(),
                version: origin.version.clone(),
                digest: origin.digest.clone(),
                dir: origin.dir.clone(),
            })
        })
        .collect()
}

/// The details recorded in `pyproject.toml`; the defaults when there are none or they are
/// not valid.
fn recorded_details(recorded: &Recorded) -> PackageDetails {
    let details = PackageDetails {
        author: recorded.author.clone(),
        email: recorded.email.clone(),
        license: recorded.license.clone(),
        description: recorded.description.clone(),
        python: recorded.python.clone(),
    };
    // Details a person edited into something this version cannot generate (a license it
    // does not know) leave `pyproject.toml` an edited file, not an unreadable package.
    match resolve_details(&details) {
        Ok(_) => details,
        Err(_) => PackageDetails::default(),
    }
}

fn parse_recorded(text: &str) -> Option<Recorded> {
    toml::from_str::<Pyproject>(text)
        .ok()
        .and_then(|p| p.tool.dpone_connectors)
}

/// Reads a file; a missing file is `None`, any other failure an error.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, PackageError> {
    match crate::bounded::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(PackageError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Builds the scaffold request a manifest records. Values are taken as written; the
/// normalization `identify` applies shows up later as drift when it changes them.
fn request_from_connector_manifest(
    path: &Path,
    text: &str,
) -> Result<ScaffoldRequest, PackageError> {
    let invalid = |reason: String| PackageError::InvalidConnectorManifest {
        path: path.to_path_buf(),
        reason,
    };
    let value: Value =
        serde_json::from_str(text).map_err(|err| invalid(format!("not valid JSON: {err}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| invalid("expected a JSON object".to_owned()))?;
    let string = |key: &str| match object.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(invalid(format!("`{key}` must be a string"))),
        None => Err(invalid(format!("`{key}` is missing"))),
    };
    let strings = |key: &str| match object.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(format!("`{key}` must be a list of strings")))
            })
            .collect::<Result<Vec<String>, PackageError>>(),
        Some(_) => Err(invalid(format!("`{key}` must be a list of strings"))),
        None => Err(invalid(format!("`{key}` is missing"))),
    };
    let connector = string("connector")?;
    // The prefix is whatever the recorded import package was generated with; an import
    // package no prefix produces keeps the default and shows up as drift.
    let prefix = match object.get("import_package") {
        Some(Value::String(import)) => names::prefix_of(import, &connector),
        _ => None,
    }
    .unwrap_or(crate::model::package::DEFAULT_PACKAGE_PREFIX)
    .to_owned();
    let mut request = ScaffoldRequest::new(connector).package_prefix(prefix);
    request.connector_type = string("connector_type")?;
    request.capabilities = strings("capabilities")?;
    request.native_capabilities = strings("native_capabilities")?;
    Ok(request)
}

/// The `src/` Python modules a capability contributes to a package with this identity, as
/// `/`-separated relative paths. These are what a declaration promises: a declared
/// capability without them, or an undeclared one with them, is contract drift. Examples and
/// other files are not modules.
pub fn capability_modules(identity: &PackageIdentity, capability: &dyn Capability) -> Vec<String> {
    let vars = capability_vars(&package_vars(identity), capability);
    capability
        .files()
        .iter()
        .map(|file| vars.render(file.path))
        .filter(|path| path.starts_with("src/") && path.ends_with(".py"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const GOOD: &str = r#"{"contract_version": "1", "connector": "demo", "connector_type": "api",
        "capabilities": ["sink", "source"], "native_capabilities": ["stream_export"],
        "import_package": "dpone_connector_demo"}"#;

    #[test]
    fn a_manifest_becomes_the_request_in_declared_order() {
        let request = request_from_connector_manifest(Path::new("m.json"), GOOD).unwrap();
        assert_eq!(request.name, "demo");
        assert_eq!(request.capabilities, ["sink", "source"]);
        assert_eq!(request.native_capabilities, ["stream_export"]);
        assert_eq!(request.package_prefix, "dpone_connector");
    }

    #[rstest]
    #[case("acme_corp_demo", "acme_corp")]
    #[case("Acme_demo", "dpone_connector")]
    #[case("somethingelse", "dpone_connector")]
    fn the_prefix_comes_from_the_recorded_import_package(
        #[case] import: &str,
        #[case] prefix: &str,
    ) {
        let text = GOOD.replace("dpone_connector_demo", import);
        let request = request_from_connector_manifest(Path::new("m.json"), &text).unwrap();
        assert_eq!(request.package_prefix, prefix);
    }

    #[rstest]
    #[case("{", "not valid JSON")]
    #[case("[]", "expected a JSON object")]
    #[case(r#"{"connector_type": "api"}"#, "`connector` is missing")]
    #[case(r#"{"connector": 3}"#, "`connector` must be a string")]
    #[case(
        r#"{"connector": "a", "connector_type": "api", "capabilities": "source"}"#,
        "`capabilities` must be a list of strings"
    )]
    #[case(
        r#"{"connector": "a", "connector_type": "api", "capabilities": [1]}"#,
        "`capabilities` must be a list of strings"
    )]
    #[case(
        r#"{"connector": "a", "connector_type": "api", "capabilities": []}"#,
        "`native_capabilities` is missing"
    )]
    fn malformed_manifests_name_the_problem(#[case] text: &str, #[case] reason: &str) {
        let err = request_from_connector_manifest(Path::new("m.json"), text).unwrap_err();
        assert!(err.to_string().contains(reason), "{err}");
        assert!(err.to_string().starts_with("m.json: "), "{err}");
    }

    #[test]
    fn details_are_read_back_from_the_generator_table() {
        let recorded = parse_recorded(
            "[project]\nname = \"x\"\n[tool.dpone-connectors]\ngenerator = \"dpone-connectors\"\n\
             generator-version = \"9.9.9\"\nlicense = \"MIT\"\npython = \"3.12\"\nauthor = \"Ada\"\n",
        )
        .unwrap();
        assert_eq!(recorded.generator_version.as_deref(), Some("9.9.9"));
        assert_eq!(recorded.license.as_deref(), Some("MIT"));
        assert_eq!(recorded.python.as_deref(), Some("3.12"));
        assert_eq!(recorded.author.as_deref(), Some("Ada"));
        assert!(parse_recorded("[project]\nname = \"x\"\n").is_none());
        assert!(parse_recorded("not toml [").is_none());
    }

    #[test]
    fn unusable_recorded_details_fall_back_to_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PYPROJECT);
        std::fs::write(&path, "[tool.dpone-connectors]\nlicense = \"GPL-3.0\"\n").unwrap();
        let details = |path: &Path| recorded_details(&read_recorded(path).unwrap_or_default());
        assert_eq!(details(&path), PackageDetails::default());
        std::fs::write(&path, "[tool.dpone-connectors]\nlicense = \"MIT\"\n").unwrap();
        assert_eq!(details(&path).license.as_deref(), Some("MIT"));
        assert_eq!(
            read_recorded(&path).unwrap().generator_version.as_deref(),
            None
        );
        assert_eq!(details(dir.path()), PackageDetails::default());
    }

    #[test]
    fn modules_are_the_src_python_files_only() {
        let registry = crate::model::registry::registry().unwrap();
        let request = ScaffoldRequest::new("demo").capability("sink");
        let identity = identify(&request).unwrap();
        let sink = registry.get("sink").unwrap();
        assert_eq!(
            capability_modules(&identity, sink),
            ["src/dpone_connector_demo/sink.py"]
        );
        let native = registry.get("stream_export").unwrap();
        assert!(capability_modules(&identity, native).is_empty());
    }
}
