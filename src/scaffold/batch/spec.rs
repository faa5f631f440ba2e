//! The batch spec: a YAML or JSON document with a `connectors:` list of entries.
//!
//! A broken document fails as a whole; a broken entry (unknown field, wrong type, no name)
//! fails alone, so the other entries can still be scaffolded.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

use crate::bounded::MAX_FILE_BYTES;
use crate::model::error::{BatchError, EntryError};
use crate::model::package::{PackageDetails, ScaffoldRequest, DEFAULT_PACKAGE_PREFIX};
use crate::yaml::pyvalue::PyValue;
use crate::yaml::safe_load::safe_load;
use crate::yaml::to_json::to_json;

/// One connector to scaffold. Fields default like the single `scaffold` command.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a connector object with a `name`")]
pub struct BatchEntry {
    /// Connector name as typed.
    pub name: String,
    /// `api` (default), `database`, `event` or `file`.
    #[serde(default = "default_connector_type")]
    pub connector_type: String,
    /// Runtime capabilities; empty means `[source]`.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Native-transfer capabilities, in request order.
    #[serde(default)]
    pub native_capabilities: Vec<String>,
    /// Whether to write the certification files (default true).
    #[serde(default = "default_include_certification")]
    pub include_certification: bool,
    /// What the import package starts with (default `dpone_connector`).
    #[serde(default = "default_package_prefix")]
    pub package_prefix: String,
    /// The author's name; default from the command line, environment or user config.
    #[serde(default)]
    pub author: Option<String>,
    /// The author's e-mail address; defaults likewise.
    #[serde(default)]
    pub email: Option<String>,
    /// SPDX license id; defaults likewise, then `Apache-2.0`.
    #[serde(default)]
    pub license: Option<String>,
    /// One-sentence description; defaults likewise, then one naming the connector.
    #[serde(default)]
    pub description: Option<String>,
    /// Lowest supported Python (`3.11`, ...); defaults likewise, then `3.11`.
    #[serde(default)]
    pub python: Option<String>,
}

fn default_package_prefix() -> String {
    DEFAULT_PACKAGE_PREFIX.to_owned()
}

fn default_connector_type() -> String {
    "api".to_owned()
}

fn default_include_certification() -> bool {
    true
}

impl BatchEntry {
    /// The single-scaffold request this entry stands for, rooted at `root`; the details it
    /// does not set come from `defaults`.
    pub fn request(&self, root: &Path, defaults: &PackageDetails) -> ScaffoldRequest {
        let own = PackageDetails {
            author: self.author.clone(),
            email: self.email.clone(),
            license: self.license.clone(),
            description: self.description.clone(),
            python: self.python.clone(),
        };
        ScaffoldRequest {
            name: self.name.clone(),
            root: root.to_path_buf(),
            connector_type: self.connector_type.clone(),
            capabilities: self.capabilities.clone(),
            native_capabilities: self.native_capabilities.clone(),
            include_certification: self.include_certification,
            package_prefix: self.package_prefix.clone(),
            details: own.or(defaults.clone()),
        }
    }
}

/// How a spec is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// JSON.
    Json,
    /// YAML (a superset of JSON).
    Yaml,
}

impl SpecFormat {
    /// `.json` is JSON, `.yaml`/`.yml` is YAML; otherwise a document starting with `{` is
    /// JSON and anything else YAML.
    pub fn detect(path: &Path, text: &str) -> SpecFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => SpecFormat::Json,
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                SpecFormat::Yaml
            }
            _ if text.trim_start().starts_with('{') => SpecFormat::Json,
            _ => SpecFormat::Yaml,
        }
    }
}

/// An entry as read: usable, or why not.
pub type SpecEntry = Result<BatchEntry, EntryError>;

/// An entry parsed on its own, so one bad entry does not spoil the document.
struct Slot(SpecEntry);

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(EntryVisitor)?;
        Ok(Slot(value.and_then(|value| {
            BatchEntry::deserialize(value).map_err(|e| EntryError::Spec(e.to_string()))
        })))
    }
}

/// Reads one entry as a JSON value, refusing (for this entry alone) a key given twice, which
/// would otherwise silently keep the last value.
struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Result<serde_json::Value, EntryError>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a connector object with a `name`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        let mut duplicate = None;
        while let Some(key) = map.next_key::<String>()? {
            let value: serde_json::Value = map.next_value()?;
            if fields.contains_key(&key) {
                duplicate.get_or_insert(key);
            } else {
                fields.insert(key, value);
            }
        }
        Ok(match duplicate {
            Some(key) => Err(EntryError::Spec(duplicate_field(&key))),
            None => Ok(serde_json::Value::Object(fields)),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(not_an_object(Unexpected::Seq)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Str(value))))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Bool(value))))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Signed(value))))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Unsigned(value))))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Float(value))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(not_an_object(Unexpected::Unit)))
    }
}

/// The refusal of a key given twice, worded like serde's own for JSON's top level.
fn duplicate_field(key: &str) -> String {
    format!("duplicate field `{key}`")
}

fn not_an_object(found: Unexpected<'_>) -> EntryError {
    EntryError::Spec(
        <serde_json::Error as de::Error>::invalid_type(found, &EntryVisitor).to_string(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mapping with a `connectors` list")]
struct Spec {
    connectors: Vec<Slot>,
}

/// Parses a spec document. `path` only names the document in errors.
pub fn parse_spec(
    text: &str,
    format: SpecFormat,
    path: &Path,
) -> Result<Vec<SpecEntry>, BatchError> {
    match format {
        SpecFormat::Json => serde_json::from_str::<Spec>(text)
            .map(|spec| spec.connectors.into_iter().map(|slot| slot.0).collect())
            .map_err(|e| parse_error(path, e)),
        SpecFormat::Yaml => parse_yaml(text, path),
    }
}

fn parse_error(path: &Path, message: impl ToString) -> BatchError {
    BatchError::Parse {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// A YAML spec, read as PyYAML reads YAML (the one YAML reader of this crate: linear, nesting
/// capped). PyYAML keeps the last value of a key given twice; the spec refuses it instead, the
/// document for a top-level key, the entry alone for a key of one entry.
fn parse_yaml(text: &str, path: &Path) -> Result<Vec<SpecEntry>, BatchError> {
    let document = safe_load(text).map_err(|e| parse_error(path, e))?;
    if let PyValue::Dict(top) = &document {
        if let Some(key) = top.repeated_key() {
            let key = key.py_str().unwrap_or_default();
            return Err(parse_error(path, duplicate_field(&key)));
        }
    }
    let spec: Spec =
        serde_json::from_value(to_json(&document)).map_err(|e| parse_error(path, e))?;
    let mut entries: Vec<SpecEntry> = spec.connectors.into_iter().map(|slot| slot.0).collect();
    let items = match &document {
        PyValue::Dict(top) => match top.get_str("connectors") {
            Some(PyValue::List(items)) => items.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    for (entry, item) in entries.iter_mut().zip(items) {
        if let PyValue::Dict(fields) = item {
            if let Some(key) = fields.repeated_key() {
                let key = key.py_str().unwrap_or_default();
                *entry = Err(EntryError::Spec(duplicate_field(&key)));
            }
        }
    }
    Ok(entries)
}

/// Reads and parses a spec file; `-` reads standard input. A pipe is fine (`--from <(...)`),
/// but never more than [`MAX_FILE_BYTES`]: a spec of thousands of entries is a few hundred
/// KiB, and `/dev/zero` must not take the machine's memory.
pub fn read_spec(path: &Path) -> Result<Vec<SpecEntry>, BatchError> {
    let read = if path == Path::new("-") {
        read_capped(std::io::stdin())
    } else {
        std::fs::File::open(path).and_then(read_capped)
    };
    let text = read.map_err(|source| BatchError::Read {
        path: PathBuf::from(path),
        source,
    })?;
    parse_spec(&text, SpecFormat::detect(path, &text), path)
}

/// At most [`MAX_FILE_BYTES`] of UTF-8 text from `reader`; more is an error.
fn read_capped(reader: impl Read) -> std::io::Result<String> {
    let mut text = String::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_is_read_up_to_the_cap() {
        let at_cap = vec![b'#'; MAX_FILE_BYTES as usize];
        assert_eq!(read_capped(at_cap.as_slice()).unwrap().len(), at_cap.len());
        let error = read_capped(std::io::repeat(b'#')).unwrap_err();
        assert_eq!(error.to_string(), "larger than 8 MiB");
    }

    fn parse(text: &str, format: SpecFormat) -> Vec<SpecEntry> {
        parse_spec(text, format, Path::new("spec")).unwrap()
    }

    #[test]
    fn yaml_is_read_as_yaml_1_1() {
        // `no` is false to PyYAML (a YAML 1.2 reader would see the string "no").
        let entries = parse(
            "connectors:\n  - name: demo\n    include_certification: no\n",
            SpecFormat::Yaml,
        );
        assert!(!entries[0].as_ref().unwrap().include_certification);
    }

    #[test]
    fn a_top_level_key_given_twice_fails_the_document() {
        let error = parse_spec(
            "connectors: []\nconnectors:\n  - name: a\n",
            SpecFormat::Yaml,
            Path::new("spec"),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "spec spec: duplicate field `connectors`");
    }

    #[test]
    fn fields_default_like_the_single_scaffold() {
        let entries = parse("connectors:\n  - name: demo\n", SpecFormat::Yaml);
        let entry = entries[0].as_ref().unwrap();
        assert_eq!(entry.connector_type, "api");
        assert!(entry.capabilities.is_empty() && entry.native_capabilities.is_empty());
        assert!(entry.include_certification);
        assert_eq!(entry.package_prefix, "dpone_connector");
    }

    #[rstest::rstest]
    #[case(
        "connectors:\n  - name: a\n    name: b\n  - name: c\n",
        SpecFormat::Yaml
    )]
    #[case(
        r#"{"connectors": [{"name": "a", "name": "b"}, {"name": "c"}]}"#,
        SpecFormat::Json
    )]
    fn a_key_given_twice_fails_its_entry_alone(#[case] text: &str, #[case] format: SpecFormat) {
        let entries = parse(text, format);
        match &entries[0] {
            Err(EntryError::Spec(message)) => assert_eq!(message, "duplicate field `name`"),
            other => panic!("{other:?}"),
        }
        assert_eq!(entries[1].as_ref().unwrap().name, "c");
    }

    #[test]
    fn an_entry_can_name_its_package_prefix() {
        let entries = parse(
            "connectors:\n  - name: demo\n    package_prefix: Acme Corp\n",
            SpecFormat::Yaml,
        );
        let request = entries[0]
            .as_ref()
            .unwrap()
            .request(Path::new("out"), &PackageDetails::default());
        assert_eq!(request.package_prefix, "Acme Corp");
        let plan = crate::scaffold::plan_package(&request).unwrap();
        assert_eq!(plan.identity.package_name, "acme-corp-demo");
    }

    #[test]
    fn json_and_yaml_read_the_same_entries() {
        let json = r#"{"connectors": [{"name": "a", "connector_type": "database",
            "capabilities": ["source", "sink"], "native_capabilities": ["stream_export"],
            "include_certification": false}]}"#;
        let yaml = "connectors:\n- name: a\n  connector_type: database\n  capabilities: [source, sink]\n  native_capabilities: [stream_export]\n  include_certification: false\n";
        let (j, y) = (parse(json, SpecFormat::Json), parse(yaml, SpecFormat::Yaml));
        assert_eq!(j[0].as_ref().unwrap(), y[0].as_ref().unwrap());
        assert!(!j[0].as_ref().unwrap().include_certification);
    }

    #[test]
    fn entries_carry_details_over_the_defaults() {
        let entries = parse(
            "connectors:\n- name: a\n  author: Ada\n  license: MIT\n",
            SpecFormat::Yaml,
        );
        let defaults = PackageDetails {
            license: Some("BSD-3-Clause".into()),
            python: Some("3.12".into()),
            ..PackageDetails::default()
        };
        let request = entries[0]
            .as_ref()
            .unwrap()
            .request(Path::new("."), &defaults);
        assert_eq!(request.details.author.as_deref(), Some("Ada"));
        assert_eq!(request.details.license.as_deref(), Some("MIT"));
        assert_eq!(request.details.python.as_deref(), Some("3.12"));
    }

    #[test]
    fn a_bad_entry_fails_alone() {
        let entries = parse(
            r#"{"connectors": [{"name": "a"}, {"name": "b", "colour": 1}, {"capabilities": []}, 7]}"#,
            SpecFormat::Json,
        );
        assert!(entries[0].is_ok());
        let messages: Vec<String> = entries[1..]
            .iter()
            .map(|e| e.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            messages[0].contains("unknown field `colour`"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].contains("missing field `name`"),
            "{}",
            messages[1]
        );
        assert!(
            messages[2].contains("a connector object"),
            "{}",
            messages[2]
        );
    }

    #[test]
    fn a_broken_document_fails_as_a_whole() {
        for (text, format) in [
            ("connectors: [", SpecFormat::Yaml),
            ("{\"connectors\": 3}", SpecFormat::Json),
            ("{\"packages\": []}", SpecFormat::Json),
        ] {
            let err = parse_spec(text, format, Path::new("s.yaml")).unwrap_err();
            assert!(err.to_string().starts_with("spec s.yaml: "), "{err}");
        }
    }

    #[test]
    fn format_follows_the_extension_then_the_content() {
        assert_eq!(
            SpecFormat::detect(Path::new("a.JSON"), ""),
            SpecFormat::Json
        );
        assert_eq!(
            SpecFormat::detect(Path::new("a.yml"), "{"),
            SpecFormat::Yaml
        );
        assert_eq!(
            SpecFormat::detect(Path::new("-"), " {\"connectors\": []}"),
            SpecFormat::Json
        );
        assert_eq!(
            SpecFormat::detect(Path::new("spec"), "connectors: []"),
            SpecFormat::Yaml
        );
    }
}
