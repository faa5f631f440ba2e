//! The certification manifest as native-transfer certification reads it: the connector's
//! name and type, and its `native_transfer.capabilities` declarations.
//!
//! Every rule here mirrors the reference's Python: `str(value or "unknown")` for the names,
//! `bool(value)` for flags, non-mapping declarations skipped, and a non-mapping
//! `native_transfer` (or `capabilities`) refused, where the reference raises.

use std::fs;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::contract::CERTIFICATION_MANIFEST;
use crate::model::capability::CapabilityKind;
use crate::model::error::CertifyError;
use crate::model::native_transfer::{transport_of_declaration, Role};
use crate::model::registry::registry;
use crate::yaml::pyvalue::{PyDict, PyValue};
use crate::yaml::safe_load::safe_load;
use crate::yaml::YamlError;

/// A loaded certification manifest.
#[derive(Debug, Clone)]
pub struct CertificationManifest {
    root: PyDict,
}

/// One entry of `native_transfer.capabilities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The key, as `str(key)`.
    pub name: String,
    /// The transport its module declares, or for a name outside the registry the text
    /// before the first `_` of the name.
    pub transport: String,
    /// The role its module declares, or by the `_staging_load` suffix, else `export`.
    pub role: Role,
    /// `formats`, each as `str(item)`.
    pub formats: Vec<String>,
    /// The truthiness of every contract flag any role declares.
    pub flags: Vec<(&'static str, bool)>,
}

impl Declaration {
    /// Whether `flag` is set (a missing flag is false).
    pub fn flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|(name, set)| *name == flag && *set)
    }

    /// Whether every flag its role needs for certification is set.
    pub fn is_complete(&self) -> bool {
        self.role.certified_flags().iter().all(|f| self.flag(f))
    }
}

impl CertificationManifest {
    /// The manifest the reference assumes when none exists: connector `unknown`, no
    /// declarations.
    pub fn missing() -> CertificationManifest {
        let mut root = PyDict::new();
        let entries = [
            ("connector", PyValue::Str("unknown".to_owned())),
            ("connector_type", PyValue::Str("unknown".to_owned())),
            ("native_transfer", PyValue::Dict(PyDict::new())),
        ];
        for (key, value) in entries {
            // String keys are always hashable.
            let _ = root.insert(PyValue::Str(key.to_owned()), value);
        }
        CertificationManifest { root }
    }

    /// Parses manifest text; anything but a mapping counts as an empty manifest (the
    /// reference's `payload if isinstance(payload, dict) else {}`).
    pub fn from_yaml(text: &str) -> Result<CertificationManifest, YamlError> {
        // Python's read_text uses universal newlines.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        Ok(CertificationManifest::from_value(safe_load(&text)?))
    }

    /// A manifest already loaded into Python values (a dict handed over by a caller); a
    /// document that is not a mapping declares nothing.
    pub fn from_value(value: PyValue) -> CertificationManifest {
        let root = match value {
            PyValue::Dict(dict) => dict,
            _ => PyDict::new(),
        };
        CertificationManifest { root }
    }

    /// Reads `certification/certification.yaml` under `package_dir`; a missing file is
    /// [`CertificationManifest::missing`].
    pub fn load(package_dir: &Path) -> Result<CertificationManifest, CertifyError> {
        let path = package_dir.join(CERTIFICATION_MANIFEST);
        let display = CertificationManifest::display_path(package_dir);
        // `Path.exists()` is false for these (a dangling link included): no manifest.
        if let Err(e) = fs::metadata(&path) {
            if is_absent(&e) {
                return Ok(CertificationManifest::missing());
            }
        }
        let bytes = crate::bounded::read(&path).map_err(|source| CertifyError::Read {
            path: display.clone(),
            source,
        })?;
        let manifest_error = |reason: String| CertifyError::CertificationManifest {
            path: display.clone(),
            reason,
        };
        let text = String::from_utf8(bytes)
            .map_err(|e| manifest_error(format!("not valid UTF-8 ({e})")))?;
        CertificationManifest::from_yaml(&text)
            .map_err(|reason| manifest_error(format!("invalid YAML: {reason}")))
    }

    /// The manifest path as messages name it: relative when certifying the current directory.
    pub fn display_path(package_dir: &Path) -> PathBuf {
        if package_dir == Path::new(".") {
            PathBuf::from(CERTIFICATION_MANIFEST)
        } else {
            package_dir.join(CERTIFICATION_MANIFEST)
        }
    }

    /// `str(manifest.get(key) or "unknown")`.
    pub fn text_field(&self, key: &str) -> Result<String, CertifyError> {
        match self.root.get_str(key) {
            Some(value) if value.truthy() => value
                .py_str()
                .map_err(|e| unscorable(format!("`{key}`: {e}"))),
            _ => Ok("unknown".to_owned()),
        }
    }

    /// The mapping-valued entries of `native_transfer.capabilities`, in manifest order, keyed
    /// by `str(key)` (a later key that prints the same replaces the earlier one in place).
    pub fn declarations(&self) -> Result<Vec<Declaration>, CertifyError> {
        let native = mapping_or_empty(self.root.get_str("native_transfer"), "native_transfer")?;
        let declared = mapping_or_empty(
            native.get_str("capabilities"),
            "native_transfer.capabilities",
        )?;
        let mut out: IndexMap<String, Declaration> = IndexMap::new();
        for (key, value) in declared.entries() {
            let PyValue::Dict(raw) = value else {
                continue;
            };
            let name = key
                .py_str()
                .map_err(|e| unscorable(format!("a native capability name: {e}")))?;
            let declaration = Declaration::from_mapping(&name, raw)?;
            out.insert(name, declaration);
        }
        Ok(out.into_values().collect())
    }
}

/// Whether a `stat` error means Python's `Path.exists()` is false: nothing there, a parent
/// that is not a directory, or a link loop (a dangling link is plain "not found").
fn is_absent(err: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    #[cfg(unix)]
    if err.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        return true;
    }
    matches!(err.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

/// `(value or {})`, refusing a truthy non-mapping the way the reference fails on it.
fn mapping_or_empty(value: Option<&PyValue>, what: &str) -> Result<PyDict, CertifyError> {
    match value {
        Some(PyValue::Dict(dict)) => Ok(dict.clone()),
        Some(other) if other.truthy() => Err(unscorable(format!(
            "`{what}` must be a mapping, not {}",
            a(other.type_name())
        ))),
        _ => Ok(PyDict::new()),
    }
}

/// A manifest whose shape certification cannot score, where the reference raises.
fn unscorable(reason: String) -> CertifyError {
    CertifyError::CertificationManifestValue(reason)
}

/// "a list", "an integer".
fn a(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

impl Declaration {
    /// One declaration read from its mapping, as the reference's
    /// `NativeTransferCapability.from_manifest(name, raw)` reads it: formats as strings, each
    /// flag `bool(raw.get(flag, False))`.
    pub fn from_mapping(name: &str, raw: &PyDict) -> Result<Declaration, CertifyError> {
        let formats = match raw.get_str("formats") {
            None => Vec::new(),
            Some(value) => value
                .iterate()
                .ok_or_else(|| {
                    unscorable(format!(
                        "`native_transfer.capabilities.{name}.formats` must be a list, not {}",
                        a(value.type_name())
                    ))
                })?
                .iter()
                .map(|item| {
                    item.py_str()
                        .map_err(|e| unscorable(format!("a format of `{name}`: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(Declaration::with_flags(name, formats, |flag| {
            raw.get_str(flag).is_some_and(PyValue::truthy)
        }))
    }

    /// A declaration named `name`, its transport and role [its module's](transport_and_role),
    /// listing every
    /// flag of every role once, set where `is_set` says so.
    pub fn with_flags(
        name: &str,
        formats: Vec<String>,
        is_set: impl Fn(&str) -> bool,
    ) -> Declaration {
        let mut flags: Vec<(&'static str, bool)> = Vec::new();
        for flag in Role::ALL.iter().flat_map(|role| role.declared_flags()) {
            if !flags.iter().any(|(f, _)| f == flag) {
                flags.push((flag, is_set(flag)));
            }
        }
        let (transport, role) = transport_and_role(name);
        Declaration {
            name: name.to_owned(),
            transport,
            role,
            formats,
            flags,
        }
    }
}

/// The transport and role of a declaration named `name`: what its module declares when the
/// name is a registered native capability, else read from the name the way the reference
/// reads any name (`stream_foo_staging_load` is a stream staging load).
pub fn transport_and_role(name: &str) -> (String, Role) {
    let declared = registry()
        .ok()
        .and_then(|r| r.find(CapabilityKind::NativeTransfer, name))
        .and_then(|c| c.native_transfer());
    match declared {
        Some(spec) => (spec.transport.to_owned(), spec.role),
        None => (
            transport_of_declaration(name).to_owned(),
            Role::of_declaration(name),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> CertificationManifest {
        CertificationManifest::from_yaml(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn names_fall_back_to_unknown_and_print_like_python() {
        let m = manifest("connector: yes\nconnector_type: 0\n");
        assert_eq!(m.text_field("connector").ok().as_deref(), Some("True"));
        assert_eq!(
            m.text_field("connector_type").ok().as_deref(),
            Some("unknown")
        );
        let m = manifest("connector: [a, 1]\nconnector_type: 1.0e+5\n");
        assert_eq!(m.text_field("connector").ok().as_deref(), Some("['a', 1]"));
        assert_eq!(
            m.text_field("connector_type").ok().as_deref(),
            Some("100000.0")
        );
        assert_eq!(
            manifest("- a\n").text_field("connector").ok().as_deref(),
            Some("unknown")
        );
        assert_eq!(
            manifest("").text_field("connector").ok().as_deref(),
            Some("unknown")
        );
    }

    #[test]
    fn declarations_follow_the_reference() {
        let m = manifest(
            "native_transfer:\n  capabilities:\n    stream_export: {bounded: yes, supports_cleanup: 'no'}\n    stream_foo_staging_load: {staging_safe: true}\n    file_export: not-a-mapping\n    1: {}\n",
        );
        let decls = m.declarations().unwrap_or_default();
        let names: Vec<&str> = decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["stream_export", "stream_foo_staging_load", "1"]);
        assert!(decls[0].is_complete());
        assert_eq!(decls[1].role, Role::StagingLoad);
        assert_eq!(decls[1].transport, "stream");
        assert!(!decls[1].is_complete());
        assert_eq!(decls[2].transport, "1");
    }

    #[test]
    fn non_mapping_sections_are_refused_unless_falsy() {
        assert!(manifest("native_transfer: [a]\n").declarations().is_err());
        assert!(manifest("native_transfer: {capabilities: [a]}\n")
            .declarations()
            .is_err());
        assert!(
            manifest("native_transfer: {capabilities: {stream_export: {formats: 3}}}\n")
                .declarations()
                .is_err()
        );
        assert_eq!(
            manifest("native_transfer: ''\n").declarations().ok(),
            Some(vec![])
        );
        assert_eq!(
            manifest("native_transfer: {capabilities: 0}\n")
                .declarations()
                .ok(),
            Some(vec![])
        );
    }
}
