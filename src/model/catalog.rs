//! The registry described for people and programs (`capabilities`), in registry order.
//!
//! Everything here is read from the [`Capability`] trait objects, so a new capability module
//! appears in the listing (and in `docs/capabilities.md`, which is generated from it)
//! without editing this file.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::capability::{test_names, Capability, CapabilityKind};
use super::registry::Registry;
use crate::yaml::Node;

/// Where a native-transfer capability sits in a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferInfo {
    /// `stream`, `file` or `object`.
    pub transport: &'static str,
    /// `export` or `staging_load`.
    pub role: &'static str,
}

/// What one capability contributes to a package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityInfo {
    /// Registry name.
    pub name: &'static str,
    /// `runtime` or `native_transfer`.
    pub kind: &'static str,
    /// The flag that requests it, e.g. `--capability sink`.
    pub flag: String,
    /// Position among capabilities of its kind.
    pub rank: u32,
    /// One line saying what it is for.
    pub summary: &'static str,
    /// Files only packages with it receive; `{import_package}` and `{connector}` stand for
    /// the package's names.
    pub files: Vec<String>,
    /// Shared files it adds a section to (`README.md`, docs page, contract tests).
    pub sections: Vec<&'static str>,
    /// Its key in `certification/certification.yaml`, dotted.
    pub certification_section: String,
    /// That section's content.
    pub certification: Value,
    /// Certification tests a package with it must prove.
    pub required_tests: Vec<&'static str>,
    /// Each required test, in that order, with the sentence saying what it must prove.
    pub proves: IndexMap<&'static str, &'static str>,
    /// The required tests a freshly generated package already proves.
    pub proven_by_scaffold: Vec<&'static str>,
    /// Transport and role, for native-transfer capabilities.
    pub native_transfer: Option<TransferInfo>,
    /// Where it came from: built into this version, or a capability pack.
    pub origin: OriginInfo,
}

/// Where a capability came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginInfo {
    /// `built-in` or `pack`.
    pub source: &'static str,
    /// The pack directory, for a pack.
    pub path: Option<String>,
    /// The pack's version, for a pack.
    pub version: Option<String>,
    /// The sha256 of the pack's files (`sha256:...`), for a pack.
    pub digest: Option<String>,
}

impl OriginInfo {
    fn of(capability: &dyn Capability) -> Self {
        match capability.origin() {
            None => OriginInfo {
                source: "built-in",
                path: None,
                version: None,
                digest: None,
            },
            Some(origin) => OriginInfo {
                source: "pack",
                path: Some(origin.dir.display().to_string()),
                version: Some(origin.version.clone()),
                digest: Some(origin.digest.clone()),
            },
        }
    }
}

/// The whole registry, as `capabilities --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityListing {
    /// Every capability, in registry order.
    pub capabilities: Vec<CapabilityInfo>,
}

/// Describes every capability of `registry`, in its order.
pub fn describe(registry: &Registry) -> CapabilityListing {
    CapabilityListing {
        capabilities: registry.all().iter().map(|c| describe_one(*c)).collect(),
    }
}

fn describe_one(capability: &dyn Capability) -> CapabilityInfo {
    let (flag, section) = match capability.kind() {
        CapabilityKind::Runtime => ("--capability", "capabilities"),
        CapabilityKind::NativeTransfer => ("--native-capability", "native_transfer.capabilities"),
    };
    let fragments = capability.fragments();
    let sections = [
        (fragments.readme, "README.md"),
        (fragments.docs, "docs/{connector}.md"),
        (fragments.tests, "tests/test_{connector}_contract.py"),
    ]
    .into_iter()
    .filter(|(text, _)| !text.is_empty())
    .map(|(_, file)| file)
    .collect();
    CapabilityInfo {
        name: capability.name(),
        kind: capability.kind().as_str(),
        flag: format!("{flag} {}", capability.name()),
        rank: capability.rank(),
        summary: capability.summary(),
        files: capability
            .files()
            .iter()
            .map(|f| placeholder_path(f.path))
            .collect(),
        sections,
        certification_section: format!("{section}.{}", capability.name()),
        certification: to_json(&capability.certification_section()),
        required_tests: test_names(capability.required_tests()),
        proves: capability
            .required_tests()
            .iter()
            .map(|t| (t.test, t.proves))
            .collect(),
        proven_by_scaffold: capability.proven_by_scaffold().to_vec(),
        native_transfer: capability.native_transfer().map(|spec| TransferInfo {
            transport: spec.transport,
            role: spec.role.as_str(),
        }),
        origin: OriginInfo::of(capability),
    }
}

/// `src/{{import_package}}/sink.py` → `src/{import_package}/sink.py`: the placeholder
/// spelling the docs use.
fn placeholder_path(template: &str) -> String {
    template.replace("{{", "{").replace("}}", "}")
}

fn to_json(node: &Node) -> Value {
    match node {
        Node::Str(s) => Value::String(s.to_string()),
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_follows_registry_order() {
        let registry = crate::model::registry::registry().unwrap();
        let listing = describe(registry);
        let names: Vec<&str> = listing.capabilities.iter().map(|c| c.name).collect();
        let expected: Vec<&str> = registry.all().iter().map(|c| c.name()).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn sections_and_paths_are_spelled_for_people() {
        let registry = crate::model::registry::registry().unwrap();
        let listing = describe(registry);
        let sink = listing
            .capabilities
            .iter()
            .find(|c| c.name == "sink")
            .unwrap();
        assert_eq!(sink.certification_section, "capabilities.sink");
        assert_eq!(sink.flag, "--capability sink");
        assert!(sink
            .files
            .contains(&"src/{import_package}/sink.py".to_owned()));
        assert_eq!(sink.certification["staging_first"], Value::Bool(true));
        let native = listing
            .capabilities
            .iter()
            .find(|c| c.name == "object_staging_load")
            .unwrap();
        assert_eq!(
            native.certification_section,
            "native_transfer.capabilities.object_staging_load"
        );
        assert_eq!(
            native.native_transfer.as_ref().unwrap().role,
            "staging_load"
        );
    }
}
