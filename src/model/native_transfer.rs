//! Native-transfer capabilities share one shape: a transport (`stream`, `file`, `object`) and
//! a role (`export` or `staging_load`). Each `capabilities/*_export.rs` or
//! `capabilities/*_staging_load.rs` module is one
//! [`NativeTransfer`](super::native_capability::NativeTransfer) value; this file holds the
//! vocabulary they share.

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

    /// Every role, in the order their flags are read from a manifest.
    pub const ALL: [Role; 2] = [Role::Export, Role::StagingLoad];

    /// The role a declaration has when its name carries no role suffix.
    pub const DEFAULT: Role = Role::Export;

    /// The name suffix that marks a manifest declaration as this role, if any.
    pub fn name_suffix(self) -> Option<&'static str> {
        match self {
            Role::Export => None,
            Role::StagingLoad => Some("_staging_load"),
        }
    }

    /// The role of a declaration named `name` in `native_transfer.capabilities`, by its
    /// suffix (the reference's rule, which also applies to names outside the registry).
    pub fn of_declaration(name: &str) -> Role {
        Role::ALL
            .into_iter()
            .find(|role| {
                role.name_suffix()
                    .is_some_and(|suffix| name.ends_with(suffix))
            })
            .unwrap_or(Role::DEFAULT)
    }
}

/// The transport of a declaration named `name`: the text before its first `_` (the
/// reference's rule: `stream_foo` is a stream declaration even though no module declares it).
pub fn transport_of_declaration(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

/// The cases one certification profile plans for a target, and the blocker that keeps them
/// unverified until evidence for that profile exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfilePlan {
    /// `static`, `local_live` or `vendor_live`.
    pub profile: &'static str,
    /// The conformance cases, in report order.
    pub cases: &'static [&'static str],
    /// Why the cases stay unverified (no evidence is read for this profile).
    pub pending_blocker: &'static str,
}

/// A capability that `certify --capability NAME` scores: every declaration of one transport
/// in the manifest must be a complete contract for its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificationTarget {
    /// The name requested with `--capability`, e.g. `native_transfer.stream`.
    pub name: &'static str,
    /// The transport whose declarations it scores.
    pub transport: &'static str,
    /// The blocker when the manifest declares nothing of that transport.
    pub missing_blocker: &'static str,
    /// The profiles it can be certified under, with their cases.
    pub profiles: &'static [ProfilePlan],
}

impl CertificationTarget {
    /// The plan for `profile`, if the target supports it.
    pub fn plan(&self, profile: &str) -> Option<&'static ProfilePlan> {
        self.profiles.iter().find(|plan| plan.profile == profile)
    }
}

/// The part a capability's transport plays when the transport matrix
/// ([`select_transport`](crate::verify::native::matrix::select_transport)) chooses how a
/// transfer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferPath {
    /// The preferred path: chosen when the source exports through this capability, the sink
    /// loads through this transport's staging-load capability and both speak the codec.
    Direct,
    /// The shared fallback: a transfer that cannot take the direct path goes through this
    /// transport (the first such transport in registry order), unless its source's
    /// transport keeps its own.
    SharedFallback,
    /// A fallback of its own: a source of this transport that cannot take the direct path
    /// stays on it.
    OwnFallback,
}

/// What the Python API's `NativeTransferCapability.preset(name)` (and the reference's
/// named classmethods) builds for a capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The declaration the capability writes into a package: the default formats and
    /// every flag its role declares.
    AsDeclared,
    /// A thinner declaration (the reference's `file_export()` has no formats and only
    /// `supports_cleanup`).
    Only {
        /// Whether the preset carries formats (the default ones unless the caller gives some).
        takes_formats: bool,
        /// The flags it sets.
        flags: &'static [&'static str],
    },
}

/// Transport and role of a native-transfer capability, and what the native-transfer API
/// (certify, the transport matrix, presets) needs to know about it, declared as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeTransferSpec {
    /// `stream`, `file`, `object`, or any transport a module declares. It must equal the
    /// text before the first `_` of the capability's name (the reference's rule for names
    /// outside the registry; `tests/registry.rs` holds every module to it).
    pub transport: &'static str,
    /// Export or staging load; must match the name's suffix (`_staging_load` or none).
    pub role: Role,
    /// The `certify --capability` target that scores declarations of this transport, if
    /// any (file and object transports have none: requesting them is blocked).
    pub certification: Option<&'static CertificationTarget>,
    /// The transport's part in the transport matrix.
    pub path: TransferPath,
    /// The ready-made declaration of the Python API.
    pub preset: Preset,
}
