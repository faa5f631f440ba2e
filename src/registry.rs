//! The capability registry: every registered [`Capability`], built once into a sorted list.
//!
//! `inventory` yields registrations in link order, which is unspecified, so the registry sorts
//! them by (kind, rank, name) and rejects duplicate names.

use std::sync::OnceLock;

use crate::capability::{Capability, CapabilityKind};
use crate::error::RegistryError;

/// One registered capability. Built by [`register_capability!`](crate::register_capability).
pub struct Registration {
    capability: &'static dyn Capability,
}

impl Registration {
    /// Wraps a capability for registration.
    pub const fn new(capability: &'static dyn Capability) -> Self {
        Registration { capability }
    }
}

inventory::collect!(Registration);

/// The sorted, duplicate-free set of registered capabilities.
#[derive(Debug)]
pub struct Registry {
    capabilities: Vec<&'static dyn Capability>,
}

impl Registry {
    /// Builds a registry from capabilities in any order.
    pub fn from_capabilities(
        mut capabilities: Vec<&'static dyn Capability>,
    ) -> Result<Registry, RegistryError> {
        capabilities.sort_by_key(|c| (c.kind(), c.rank(), c.name()));
        let mut names: Vec<&'static str> = capabilities.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(RegistryError::Duplicate(pair[0]));
        }
        if let Some(bad) = capabilities.iter().find(|c| !is_valid_name(c.name())) {
            return Err(RegistryError::InvalidName(bad.name()));
        }
        Ok(Registry { capabilities })
    }

    /// Every capability, sorted by (kind, rank, name).
    pub fn all(&self) -> &[&'static dyn Capability] {
        &self.capabilities
    }

    /// The capabilities of one kind, in registry order.
    pub fn of_kind(
        &self,
        kind: CapabilityKind,
    ) -> impl Iterator<Item = &'static dyn Capability> + '_ {
        self.capabilities
            .iter()
            .copied()
            .filter(move |c| c.kind() == kind)
    }

    /// The capability of `kind` that accepts the normalized name `requested`.
    pub fn find(&self, kind: CapabilityKind, requested: &str) -> Option<&'static dyn Capability> {
        self.of_kind(kind).find(|c| c.accepts(requested))
    }

    /// The capability named `name`, of any kind.
    pub fn get(&self, name: &str) -> Option<&'static dyn Capability> {
        self.capabilities.iter().copied().find(|c| c.name() == name)
    }

    /// The names of one kind, in registry order.
    pub fn names(&self, kind: CapabilityKind) -> Vec<&'static str> {
        self.of_kind(kind).map(|c| c.name()).collect()
    }
}

/// A capability name is lowercase ASCII letters, digits and `_`, starting with a letter.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The global registry of every linked capability, built on first use.
pub fn registry() -> Result<&'static Registry, RegistryError> {
    static REGISTRY: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            Registry::from_capabilities(
                inventory::iter::<Registration>
                    .into_iter()
                    .map(|r| r.capability)
                    .collect(),
            )
        })
        .as_ref()
        .map_err(Clone::clone)
}
