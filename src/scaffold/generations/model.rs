//! What a generation is: one generator version's template text, as data. The template
//! engine renders it; the versions themselves are in the parent module.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::capability::{Capability, CapabilityKind};

/// Template text: borrowed from the binary for the current generation, owned when read from
/// a frozen one.
pub type Text = Cow<'static, str>;

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
    /// What each pending test must prove, in `pending_tests`' order (generations before
    /// 0.2.0 have none, and their frozen data no such key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_proves: Vec<Text>,
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
    /// What `capability` contributes, read from the registry.
    pub(crate) fn of(capability: &dyn Capability) -> CapabilityTemplates {
        let fragments = capability.fragments();
        let pending: Vec<_> = capability
            .required_tests()
            .iter()
            .filter(|t| !capability.proven_by_scaffold().contains(&t.test))
            .collect();
        CapabilityTemplates {
            name: capability.name().into(),
            runtime: capability.kind() == CapabilityKind::Runtime,
            label: capability.kind().label().into(),
            summary: capability.summary().into(),
            pending_tests: pending.iter().map(|t| Text::Borrowed(t.test)).collect(),
            pending_proves: pending.iter().map(|t| Text::Borrowed(t.proves)).collect(),
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
    /// The capability named `name`, if this generation has it.
    pub fn capability(&self, name: &str) -> Option<&CapabilityTemplates> {
        self.capabilities.iter().find(|c| c.name == name)
    }

    /// [`Generation::digest`], computed once per version.
    pub fn cached_digest(&self) -> String {
        static DIGESTS: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
        let mut digests = DIGESTS.lock().unwrap_or_else(|e| e.into_inner());
        digests
            .entry(self.version.to_string())
            .or_insert_with(|| self.digest())
            .clone()
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
