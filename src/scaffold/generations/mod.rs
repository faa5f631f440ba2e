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
//! The generation of the version in `Cargo.toml` must be frozen and equal to what the code
//! renders (`current_generation_is_frozen`), and its digest must be the one recorded in
//! [`RELEASED`] (`digests_match_the_released_versions`); from 0.2.0 on, every package
//! records that digest in `[tool.dpone-connectors]`. Changing generated output after a
//! release therefore fails a test until the version is bumped, its generation frozen
//! (`DPONE_FREEZE_GENERATION=1 cargo test --lib generations`) and its digest recorded. Once
//! a version is released, its golden packages are captured from the release binary
//! (`tests/golden/generations/capture.py`) and its frozen generation is tested against them.

pub(crate) mod model;

use std::sync::OnceLock;

pub use model::{CapabilityTemplates, Generation, SharedTemplates, Text};

use super::templates::shared_templates;
use super::vars::GENERATOR_VERSION;
use crate::model::registry::builtin_registry;

/// Every released generator version, oldest first, with the digest of its templates
/// ([`Generation::digest`]).
pub const RELEASED: &[(&str, &str)] = &[
    (
        "0.1.0",
        "e6532511bd5ef03390fe8dd441084b61b9de0c788a0f81028cb8c242f2e0d75b",
    ),
    (
        "0.2.0",
        "ff4403d79cbeceec3233898934819fb3031dd0f11ee84fc8155d9bbc6fdddf82",
    ),
];

/// The frozen generations, embedded: (version, JSON).
const FROZEN: &[(&str, &str)] = &[
    ("0.1.0", include_str!("0.1.0.json")),
    ("0.2.0", include_str!("0.2.0.json")),
];

impl Generation {
    /// The generation this build renders: its templates and registry.
    pub fn current() -> &'static Generation {
        static CURRENT: OnceLock<Generation> = OnceLock::new();
        CURRENT.get_or_init(|| Generation {
            version: GENERATOR_VERSION.into(),
            shared: shared_templates(),
            // A registry that does not build fails every request before rendering.
            // The built-ins, whatever registry is in scope on first use: a pack (or a pack
            // standing in for a built-in) is no template of this version.
            capabilities: builtin_registry()
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
