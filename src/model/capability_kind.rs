//! [`CapabilityKind`]: the two families of capabilities, which differ in the flag that
//! requests them and in where the certification manifest declares them.

/// Which flag requests a capability, and where its certification section goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CapabilityKind {
    /// Requested with `--capability`; certified under `capabilities.<name>`.
    Runtime,
    /// Requested with `--native-capability`; certified under
    /// `native_transfer.capabilities.<name>`.
    NativeTransfer,
}

impl CapabilityKind {
    /// The word used for this kind in messages and listings.
    pub fn label(self) -> &'static str {
        match self {
            CapabilityKind::Runtime => "capability",
            CapabilityKind::NativeTransfer => "native capability",
        }
    }

    /// The machine name of this kind (`runtime` or `native_transfer`).
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityKind::Runtime => "runtime",
            CapabilityKind::NativeTransfer => "native_transfer",
        }
    }
}
