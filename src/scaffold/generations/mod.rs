//! Generator versions ("generations"): every released version's renderer stays in the
//! binary, so `update` can render the *base* of a package (what the version that made it
//! wrote) without the network or an old install.
//!
//! A generation is data: the template text of that version (shared templates and each
//! capability's files and fragments), rendered by the one engine in `templates`. The current
//! generation is read from the code (`templates/*.tmpl` and the registry); released ones are
//! frozen as JSON beside this file (`<version>.json`, embedded at build time). The contract
//! files are not part of a generation: they are dpone's contract, and every version writes
//! them from the declared capabilities alike.
//!
//! Releasing a version: the generation of the version in `Cargo.toml` must be frozen and
//! equal to what the code renders (`current_generation_is_frozen`), and its digest must be
//! the one recorded in [`RELEASED`] (`digests_match_the_released_versions`). Changing any
//! generated output therefore fails a test until the version is bumped, its generation
//! frozen (`DPONE_FREEZE_GENERATION=1 cargo test --lib generations`) and its digest recorded.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::templates::shared_templates;
use super::vars::GENERATOR_VERSION;
use crate::model::capability::{Capability, CapabilityKind};
use crate::model::registry::registry;

/// Template text: borrowed from the binary for the current generation, owned when read from
/// a frozen one.
pub type Text = Cow<'static, str>;

/// Every released generator version, oldest first, with the digest of its templates
/// ([`Generation::digest`]).
pub const RELEASED: &[(&str, &str)] = &[(
    "0.1.0",
    "e6532511bd5ef03390fe8dd441084b61b9de0c788a0f81028cb8c242f2e0d75b",
)];

/// The frozen generations, embedded: (version, JSON).
const FROZEN: &[(&str, &str)] = &[("0.1.0", include_str!("0.1.0.json"))];

/// One generator version's templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generation {
    /// The generator version, as recorded in `pyproject.toml`.
    pub version: Text,
    /// The templates every package gets.
    pub shared: SharedTemplates,
    /// Every capability of that version, in its registry order.
    pub capabilities: Vec<CapabilityTemplates>,
}

/// The templates of the files every package gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SharedTemplates {
    pub pyproject: Text,
    pub readme: Text,
    pub readme_certification: Text,
    pub readme_no_certification: Text,
    pub docs: Text,
    pub contract_tests: Text,
    pub shared_test_imports: Text,
    pub init: Text,
    pub connector: Text,
    pub run_certification: Text,
    pub workflow: Text,
    pub license_apache_2: Text,
    pub license_mit: Text,
    pub license_bsd_3_clause: Text,
}

/// What one capability contributes to a package in a generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityTemplates {
    /// Its name.
    pub name: Text,
    /// Whether it is a runtime capability (otherwise native transfer).
    pub runtime: bool,
    /// Its kind as the README's table labels it.
    pub label: Text,
    /// Its one-line summary.
    pub summary: Text,
    /// The required tests a fresh package does not prove yet.
    pub pending_tests: Vec<Text>,
    /// Its files: (path template, body template).
    pub files: Vec<(Text, Text)>,
    /// Its README section.
    pub readme: Text,
    /// Its docs section.
    pub docs: Text,
    /// Its contract tests.
    pub tests: Text,
    /// The imports its tests need.
    pub test_imports: Text,
}

impl CapabilityTemplates {
    fn of(capability: &dyn Capability) -> CapabilityTemplates {
        let fragments = capability.fragments();
        CapabilityTemplates {
            name: capability.name().into(),
            runtime: capability.kind() == CapabilityKind::Runtime,
            label: capability.kind().label().into(),
            summary: capability.summary().into(),
            pending_tests: capability
                .required_tests()
                .iter()
                .filter(|t| !capability.proven_by_scaffold().contains(t))
                .map(|t| Text::Borrowed(t))
                .collect(),
            files: capability
                .files()
                .iter()
                .map(|f| (f.path.into(), f.body.into()))
                .collect(),
            readme: fragments.readme.into(),
            docs: fragments.docs.into(),
            tests: fragments.tests.into(),
            test_imports: fragments.test_imports.into(),
        }
    }
}

impl Generation {
    /// The generation this build renders: its templates and registry.
    pub fn current() -> &'static Generation {
        static CURRENT: OnceLock<Generation> = OnceLock::new();
        CURRENT.get_or_init(|| Generation {
            version: GENERATOR_VERSION.into(),
            shared: shared_templates(),
            // A registry that does not build fails every request before rendering.
            capabilities: registry()
                .map(|r| {
                    r.all()
                        .iter()
                        .map(|c| CapabilityTemplates::of(*c))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// The generation of `version`, or `None` when this build does not know it: a frozen
    /// one, or the current one for this build's own version.
    pub fn released(version: &str) -> Option<&'static Generation> {
        Generation::frozen(version)
            .or_else(|| (version == GENERATOR_VERSION).then(Generation::current))
    }

    /// The frozen generation of a released `version`.
    pub fn frozen(version: &str) -> Option<&'static Generation> {
        static PARSED: OnceLock<Vec<Option<Generation>>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            FROZEN
                .iter()
                .map(|(_, json)| serde_json::from_str(json).ok())
                .collect()
        });
        FROZEN
            .iter()
            .position(|(v, _)| *v == version)
            .and_then(|i| parsed[i].as_ref())
    }

    /// The versions this build can render a base for, oldest first.
    pub fn known_versions() -> Vec<&'static str> {
        let mut versions: Vec<&str> = RELEASED.iter().map(|(v, _)| *v).collect();
        if !versions.contains(&GENERATOR_VERSION) {
            versions.push(GENERATOR_VERSION);
        }
        versions
    }

    /// The capability named `name`, if this generation has it.
    pub fn capability(&self, name: &str) -> Option<&CapabilityTemplates> {
        self.capabilities.iter().find(|c| c.name == name)
    }

    /// The SHA-256 of the generation's templates (its JSON form without the version), hex.
    pub fn digest(&self) -> String {
        #[derive(Serialize)]
        struct Templates<'a> {
            shared: &'a SharedTemplates,
            capabilities: &'a [CapabilityTemplates],
        }
        let json = serde_json::to_string(&Templates {
            shared: &self.shared,
            capabilities: &self.capabilities,
        })
        .unwrap_or_default();
        Sha256::digest(json.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What made a package, from its recorded generator version (`None`: no record, so
/// dpone 0.88.0's scaffold): (generator, version, outdated). Outdated means `update` would
/// bring it forward: an older version of this generator, or the reference.
pub fn provenance(recorded: Option<&str>) -> (&'static str, String, bool) {
    match recorded {
        Some(version) => ("dpone-connectors", version.to_owned(), is_outdated(version)),
        None => ("dpone", "0.88.0".to_owned(), true),
    }
}

/// Whether a package made by `version` was made by an older generator than this one.
pub fn is_outdated(version: &str) -> bool {
    match (numeric(version), numeric(GENERATOR_VERSION)) {
        (Some(made), Some(now)) => made < now,
        _ => false,
    }
}

/// `X.Y.Z` as numbers, for ordering versions.
fn numeric(version: &str) -> Option<Vec<u64>> {
    version.split('.').map(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests;
