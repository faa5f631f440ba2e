//! Native-transfer capabilities share one shape: a transport (`stream`, `file`, `object`) and
//! a role (`export` or `staging_load`). Each `capabilities/*_export.rs` or
//! `capabilities/*_staging_load.rs` module is one [`NativeTransfer`] value.

use crate::capability::{Capability, CapabilityKind, Fragments};
use crate::yaml::Node;

/// The formats every generated native-transfer capability declares.
pub const NATIVE_FORMATS: &[&str] = &["tabseparated", "jsonl"];

/// What a native-transfer capability does in a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Produces data for another system (bounded, checksummed, cleaned up).
    Export,
    /// Receives data into staging before publishing (safe, abortable, idempotent).
    StagingLoad,
}

impl Role {
    /// The reference's name for the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Export => "export",
            Role::StagingLoad => "staging_load",
        }
    }

    /// The boolean contract flags a generated capability declares for this role, in the
    /// order the certification manifest lists them.
    pub fn declared_flags(self) -> &'static [&'static str] {
        match self {
            Role::Export => &["bounded", "supports_checksum", "supports_cleanup"],
            Role::StagingLoad => &["staging_safe", "supports_abort", "supports_idempotency_key"],
        }
    }

    /// The flags that must be true for `certify` to accept a declaration of this role.
    pub fn certified_flags(self) -> &'static [&'static str] {
        match self {
            Role::Export => &["bounded", "supports_cleanup"],
            Role::StagingLoad => &["staging_safe", "supports_abort"],
        }
    }
}

/// Transport and role of a native-transfer capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeTransferSpec {
    /// `stream`, `file` or `object`.
    pub transport: &'static str,
    /// Export or staging load.
    pub role: Role,
}

/// A native-transfer capability, declared as data by its module in `capabilities/`.
#[derive(Debug)]
pub struct NativeTransfer {
    /// Registry name, e.g. `stream_export`.
    pub name: &'static str,
    /// Order among native capabilities in listings.
    pub rank: u32,
    /// Transport and role.
    pub spec: NativeTransferSpec,
    /// One line for listings.
    pub summary: &'static str,
    /// Docs and README text for packages that declare it.
    pub fragments: Fragments,
}

impl Capability for NativeTransfer {
    fn name(&self) -> &'static str {
        self.name
    }

    fn kind(&self) -> CapabilityKind {
        CapabilityKind::NativeTransfer
    }

    fn rank(&self) -> u32 {
        self.rank
    }

    fn summary(&self) -> &'static str {
        self.summary
    }

    fn certification_section(&self) -> Node {
        let section = Node::map().with("formats", Node::str_seq(NATIVE_FORMATS));
        self.spec
            .role
            .declared_flags()
            .iter()
            .fold(section, |node, flag| node.with(*flag, Node::Bool(true)))
    }

    fn fragments(&self) -> Fragments {
        self.fragments
    }

    fn native_transfer(&self) -> Option<NativeTransferSpec> {
        Some(self.spec)
    }
}
