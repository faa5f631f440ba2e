//! What a capability sees of a package when `certify` checks its structure.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::capability_kind::CapabilityKind;
pub use crate::text::template::Vars;

/// What a capability sees of the package it checks.
#[derive(Debug)]
pub struct PackageView<'a> {
    /// The package directory.
    pub root: &'a Path,
    /// The normalized connector identifier.
    pub connector: &'a str,
    /// The parsed certification manifest.
    pub certification: &'a Value,
    /// The variables the capability's templates were rendered with.
    pub vars: Vars,
}

impl<'a> PackageView<'a> {
    /// A path relative to the package, on disk.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// A capability's section of the certification manifest: `capabilities.<name>` for a
    /// runtime capability, `native_transfer.capabilities.<name>` for a native one.
    pub fn section(&self, kind: CapabilityKind, name: &str) -> Option<&'a Value> {
        let capabilities = match kind {
            CapabilityKind::Runtime => self.certification.get("capabilities"),
            CapabilityKind::NativeTransfer => self
                .certification
                .get("native_transfer")
                .and_then(|n| n.get("capabilities")),
        };
        capabilities.and_then(|c| c.get(name))
    }
}
