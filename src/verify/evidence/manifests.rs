//! Loading a package from disk: its two manifests and the facts certification needs.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::yaml::to_json::load_json;

use crate::contract::certification_manifest::certification_template;
use crate::contract::{
    artifacts_dir, CERTIFICATION_MANIFEST, CONNECTOR_MANIFEST, JSON_REPORT, MARKDOWN_REPORT,
};
use crate::model::error::EvidenceError;
use crate::model::package_view::PackageView;
use crate::scaffold::vars::connector_vars;
use crate::text::digest::sha256_hex;
use crate::text::template::Vars;
use crate::yaml::{Node, YamlError};

/// `dpone_connector_manifest.json`, as far as certification reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConnectorManifest {
    /// `"1"`.
    pub contract_version: String,
    /// Normalized connector identifier.
    pub connector: String,
    /// `api`, `database`, `event` or `file`.
    pub connector_type: String,
    /// Runtime capabilities, in request order.
    pub capabilities: Vec<String>,
    /// Native-transfer capabilities, in request order.
    pub native_capabilities: Vec<String>,
    /// `dpone_connector_<connector>`.
    pub import_package: String,
}

/// Where the evidence reports live, relative to the package directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidencePaths {
    /// `evidence.artifacts_dir`.
    pub dir: String,
    /// `evidence.json_report`, joined onto `dir`.
    pub json: String,
    /// `evidence.markdown_report`, joined onto `dir`.
    pub markdown: String,
}

/// A package on disk, with both manifests loaded.
#[derive(Debug, Clone)]
pub struct Package {
    /// The package directory, as given.
    pub root: PathBuf,
    /// The connector manifest.
    pub connector_manifest: ConnectorManifest,
    /// `certification/certification.yaml`, parsed.
    pub certification: Value,
    /// The sha256 (hex) of the certification manifest's bytes.
    pub certification_sha256: String,
    /// Where the evidence reports are, or why the manifest's `evidence:` section is unusable.
    pub evidence_paths: Result<EvidencePaths, String>,
}

fn read(path: &Path) -> Result<Vec<u8>, EvidenceError> {
    crate::bounded::read(path).map_err(|source| EvidenceError::Read {
        path: path.to_owned(),
        source,
    })
}

impl Package {
    /// Loads the package in `root`. Fails only when there is nothing to certify: no
    /// connector manifest, no certification manifest, or one of them unreadable.
    pub fn load(root: &Path) -> Result<Package, EvidenceError> {
        // Only a path with nothing at it is missing; anything else there (a FIFO, a device,
        // a link to one) is read, and the bounded read says what is wrong with it.
        let absent = |path: &Path| std::fs::symlink_metadata(path).is_err();
        let json_path = root.join(CONNECTOR_MANIFEST);
        if absent(&json_path) {
            return Err(EvidenceError::NotAPackage(root.to_owned()));
        }
        let yaml_path = root.join(CERTIFICATION_MANIFEST);
        if absent(&yaml_path) {
            return Err(EvidenceError::NoCertificationManifest(root.to_owned()));
        }
        let connector_manifest: ConnectorManifest = serde_json::from_slice(&read(&json_path)?)
            .map_err(|err| EvidenceError::Invalid {
                path: json_path.clone(),
                what: "connector manifest",
                reason: err.to_string(),
            })?;
        let yaml_bytes = read(&yaml_path)?;
        let invalid = |reason: String| EvidenceError::Invalid {
            path: yaml_path.clone(),
            what: "certification manifest",
            reason,
        };
        let certification = parse_certification(&connector_manifest, &yaml_bytes)
            .map_err(|e| invalid(e.to_string()))?;
        if !certification.is_object() {
            return Err(invalid("the document is not a mapping".to_owned()));
        }
        let evidence_paths = evidence_paths(&certification, &connector_manifest.connector)
            .map_err(|err| err.to_string());
        Ok(Package {
            root: root.to_owned(),
            connector_manifest,
            certification_sha256: sha256_hex(&yaml_bytes),
            certification,
            evidence_paths,
        })
    }

    /// The connector named by the certification manifest (`None` when absent or not text).
    pub fn certified_connector(&self) -> Option<&str> {
        self.certification.get("connector").and_then(Value::as_str)
    }

    /// The variables capability templates are rendered with, so a capability can find the
    /// files it generated.
    pub fn template_vars(&self) -> Vars {
        let manifest = &self.connector_manifest;
        connector_vars(
            &manifest.connector,
            &manifest.connector_type,
            &manifest.import_package,
        )
    }

    /// What a capability sees of this package when it checks its structure.
    pub fn view(&self) -> PackageView<'_> {
        PackageView {
            root: &self.root,
            connector: &self.connector_manifest.connector,
            certification: &self.certification,
            vars: self.template_vars(),
        }
    }
}

/// `certification.yaml` parsed. When its bytes are exactly what this version generates from
/// the connector manifest (a package nobody edited: the common case, and what `list` sees
/// thousands of times), the value is built from the generator's own tree instead: the same
/// value, without the YAML parse that was a fifth of examining a package.
fn parse_certification(manifest: &ConnectorManifest, bytes: &[u8]) -> Result<Value, YamlError> {
    if let Some(value) = generated_value(manifest, bytes) {
        return Ok(value);
    }
    // One reading everywhere: YAML 1.1, as PyYAML, dpone and `certify --capability` read it.
    let text = std::str::from_utf8(bytes).map_err(|err| YamlError::Encoding(err.to_string()))?;
    load_json(text)
}

fn generated_value(manifest: &ConnectorManifest, bytes: &[u8]) -> Option<Value> {
    fn names(list: &[String]) -> Vec<&str> {
        list.iter().map(String::as_str).collect()
    }
    let node = certification_template(
        &manifest.connector,
        &manifest.connector_type,
        &names(&manifest.capabilities),
        &names(&manifest.native_capabilities),
    )
    .ok()?;
    if node.to_yaml().as_bytes() != bytes {
        return None;
    }
    node_value(&node)
}

/// The value a YAML reader builds from `node`'s text, when that is certain: every string is
/// [`plainly_text`] (read back as the same string, quoted or not); otherwise `None`.
fn node_value(node: &Node) -> Option<Value> {
    Some(match node {
        Node::Str(text) if plainly_text(text) => Value::String(text.to_string()),
        Node::Str(_) => return None,
        Node::Bool(flag) => Value::Bool(*flag),
        Node::Int(number) => Value::Number((*number).into()),
        Node::Seq(items) => Value::Array(items.iter().map(node_value).collect::<Option<_>>()?),
        Node::Map(entries) => {
            let mut mapping = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                if !plainly_text(key) {
                    return None;
                }
                mapping.insert(key.to_string(), node_value(value)?);
            }
            Value::Object(mapping)
        }
    })
}

/// Text no YAML reader takes for anything but that text: it starts with a letter, holds only
/// letters, digits, `_`, `-`, `.`, `/` and spaces, and is none of the words YAML reads as
/// null, a boolean, infinity or not-a-number; or it is all decimal digits (`'1'`), which
/// the emitter always quotes, since YAML would read a number.
fn plainly_text(text: &str) -> bool {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    const WORDS: &[&str] = &[
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
    ];
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./ ".contains(c))
        && !text.ends_with(' ')
        && !WORDS.contains(&text.to_ascii_lowercase().as_str())
}

/// The folders whose Python files the evidence proves.
pub const SOURCE_FOLDERS: &[&str] = &["src", "tests"];

/// sha256 of every `.py` file under `src/` and `tests/`, keyed by `/`-separated relative
/// path: the same walk the generated runner records (hidden and `__pycache__` directories
/// skipped, symbolic links to directories not followed). An unreadable file's digest (not a
/// regular file, or over [`MAX_HASHED_BYTES`](crate::bounded::MAX_HASHED_BYTES)) is
/// `unreadable`, so it never matches.
pub fn source_digests(root: &Path) -> BTreeMap<String, String> {
    let mut digests = BTreeMap::new();
    for folder in SOURCE_FOLDERS {
        walk(&root.join(folder), folder, &mut digests);
    }
    digests
}

fn walk(dir: &Path, relative: &str, digests: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let path = entry.path();
        let child = format!("{relative}/{name}");
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if !name.starts_with('.') && name != "__pycache__" {
                walk(&path, &child, digests);
            }
        } else if name.ends_with(".py") && path.is_file() {
            let digest =
                crate::bounded::sha256_file(&path).unwrap_or_else(|_| "unreadable".to_owned());
            digests.insert(child, digest);
        }
    }
}

/// A manifest path must stay inside the package: relative, no `..`, not empty.
pub fn inside_package(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

fn evidence_paths(certification: &Value, connector: &str) -> Result<EvidencePaths, EvidenceError> {
    let section = certification.get("evidence");
    let field = |key: &'static str, default: String| -> Result<String, EvidenceError> {
        match section.and_then(|s| s.get(key)) {
            None => Ok(default),
            Some(value) => match value.as_str() {
                Some(text) if inside_package(text) => Ok(text.to_owned()),
                _ => Err(EvidenceError::OutsidePackage(key)),
            },
        }
    };
    let dir = field("artifacts_dir", artifacts_dir(connector))?;
    let json = field("json_report", JSON_REPORT.to_owned())?;
    let markdown = field("markdown_report", MARKDOWN_REPORT.to_owned())?;
    Ok(EvidencePaths {
        json: format!("{dir}/{json}"),
        markdown: format!("{dir}/{markdown}"),
        dir,
    })
}

#[cfg(test)]
impl Package {
    /// A `demo` package declaring `source`, in a directory that does not exist, with this
    /// certification manifest: for tests of what is computed from the manifests alone.
    pub(crate) fn for_tests(certification: &str) -> Package {
        Package {
            root: "/nonexistent/dpone-connector-demo".into(),
            connector_manifest: ConnectorManifest {
                contract_version: "1".into(),
                connector: "demo".into(),
                connector_type: "api".into(),
                capabilities: vec!["source".into()],
                native_capabilities: Vec::new(),
                import_package: "dpone_connector_demo".into(),
            },
            certification: crate::yaml::to_json::load_json(certification).unwrap(),
            certification_sha256: String::new(),
            evidence_paths: Ok(EvidencePaths {
                dir: "e".into(),
                json: "e/r.json".into(),
                markdown: "e/r.md".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("test_artifacts/connectors/x", true)]
    #[case("./reports", true)]
    #[case("", false)]
    #[case("/etc", false)]
    #[case("../elsewhere", false)]
    #[case("a/../../b", false)]
    fn evidence_stays_inside_the_package(#[case] path: &str, #[case] inside: bool) {
        assert_eq!(inside_package(path), inside);
    }

    #[rstest]
    #[case("demo", "api", &["source"], &[])]
    #[case("warehouse", "database", &["state", "sink", "source"], &["stream_export", "stream_staging_load"])]
    #[case("files", "file", &["sink"], &["file_export", "object_staging_load"])]
    #[case("yes", "event", &["source"], &[])]
    #[case("1e5", "api", &["source"], &[])]
    #[case("null", "api", &["sink"], &[])]
    #[case("a: b # c", "api", &["source"], &[])]
    #[case("x\ny", "api", &["source"], &["stream_export"])]
    fn the_generated_value_is_what_parsing_the_text_gives(
        #[case] connector: &str,
        #[case] connector_type: &str,
        #[case] capabilities: &[&str],
        #[case] natives: &[&str],
    ) {
        let manifest = ConnectorManifest {
            contract_version: "1".into(),
            connector: connector.into(),
            connector_type: connector_type.into(),
            capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
            native_capabilities: natives.iter().map(|c| c.to_string()).collect(),
            import_package: "x".into(),
        };
        let text = certification_template(connector, connector_type, capabilities, natives)
            .unwrap()
            .to_yaml();
        let parsed: Value = load_json(&text).unwrap();
        assert_eq!(
            parse_certification(&manifest, text.as_bytes()).unwrap(),
            parsed
        );
        let fast = generated_value(&manifest, text.as_bytes());
        // Plain identifiers take the fast path; anything a reader might resolve otherwise parses.
        assert_eq!(fast.is_some(), plainly_text(connector), "{connector}");
        if let Some(fast) = fast {
            assert_eq!(fast, parsed);
        }
        // One byte off: the text is parsed.
        let edited = text.replace("community", "Community");
        assert!(generated_value(&manifest, edited.as_bytes()).is_none());
        assert_eq!(
            parse_certification(&manifest, edited.as_bytes()).unwrap(),
            load_json(&edited).unwrap()
        );
    }

    #[rstest]
    #[case("demo_api", true)]
    #[case("test_artifacts/connectors/x", true)]
    #[case("Yes", false)]
    #[case("NaN", false)]
    #[case("1st", false)]
    #[case("1", true)]
    #[case("a:b", false)]
    #[case("", false)]
    #[case("trailing ", false)]
    fn plain_text_is_only_what_every_reader_reads_as_text(#[case] text: &str, #[case] plain: bool) {
        assert_eq!(plainly_text(text), plain);
    }

    #[test]
    fn evidence_paths_default_and_reject_escapes() {
        let manifest: Value = load_json("connector: x\n").unwrap();
        let paths = evidence_paths(&manifest, "x").unwrap();
        assert_eq!(
            paths.json,
            "test_artifacts/connectors/x/certification_report.json"
        );
        let escaping: Value = load_json("evidence:\n  artifacts_dir: ../out\n").unwrap();
        assert!(evidence_paths(&escaping, "x")
            .unwrap_err()
            .to_string()
            .contains("evidence.artifacts_dir"));
    }
}
