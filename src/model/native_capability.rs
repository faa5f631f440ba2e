//! [`NativeTransfer`]: a native-transfer capability declared as data, so each native module in
//! `capabilities/` is one value rather than one more trait implementation.

use super::capability::{Capability, CapabilityKind, Fragments};
use super::native_transfer::{NativeTransferSpec, NATIVE_FORMATS};
use crate::yaml::Node;

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
