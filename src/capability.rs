//! The [`Capability`] trait: everything one capability contributes to a package.

use crate::evidence::{Check, PackageView};
use crate::native::NativeTransferSpec;
use crate::yaml::Node;

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

/// A file a capability adds to the package. `path` and `body` are templates rendered with
/// the package variables (see [`crate::render`]).
#[derive(Debug, Clone, Copy)]
pub struct FileTemplate {
    /// Path relative to the package directory, e.g. `src/{{import_package}}/source.py`.
    pub path: &'static str,
    /// File content.
    pub body: &'static str,
}

/// Text a capability contributes to the package's shared files. Every field is a template;
/// an empty string contributes nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fragments {
    /// A section of the package README (markdown, starts with a `###` heading).
    pub readme: &'static str,
    /// A section of `docs/<connector>.md` (markdown, starts with a `##` heading).
    pub docs: &'static str,
    /// Python test functions appended to `tests/test_<connector>_contract.py`.
    pub tests: &'static str,
}

/// One capability of a connector package.
///
/// Implementations are unit structs in `capabilities/`, registered with
/// [`register_capability!`](crate::register_capability). The scaffold core iterates the
/// registry and never names a capability.
pub trait Capability: Sync + 'static {
    /// The name a person requests, e.g. `source` or `stream_export`. Lowercase ASCII, digits
    /// and `_`; unique across the registry.
    fn name(&self) -> &'static str;

    /// Which flag requests it.
    fn kind(&self) -> CapabilityKind;

    /// Position among capabilities of the same kind; the registry sorts by (kind, rank, name).
    fn rank(&self) -> u32;

    /// One line saying what the capability is for.
    fn summary(&self) -> &'static str;

    /// Whether a package gets this capability when none of its kind is requested.
    fn requested_by_default(&self) -> bool {
        false
    }

    /// Whether a normalized request names this capability.
    fn accepts(&self, requested: &str) -> bool {
        requested == self.name()
    }

    /// The capability's section of `certification/certification.yaml`.
    fn certification_section(&self) -> Node;

    /// The certification tests a package with this capability must prove.
    fn required_tests(&self) -> &'static [&'static str] {
        &[]
    }

    /// The required tests a freshly generated package already proves (its import and
    /// manifest checks); the rest start as `missing` until the contributor writes them.
    fn proven_by_scaffold(&self) -> &'static [&'static str] {
        &[]
    }

    /// Files only a package with this capability receives.
    fn files(&self) -> &'static [FileTemplate] {
        &[]
    }

    /// Text added to the shared README, docs and contract tests.
    fn fragments(&self) -> Fragments {
        Fragments::default()
    }

    /// The structure checks a package declaring this capability must pass for `certify`.
    /// The default is driven by the capability's own data: its certification section is
    /// declared with every [`required_tests`](Capability::required_tests), the connector
    /// docs keep the section its [`fragments`](Capability::fragments) contributed, and every
    /// file its [`files`](Capability::files) templates generate exists (YAML parses; examples
    /// are pipeline manifests that use the connector). Override to add rules; call
    /// [`crate::evidence::conformance::capability_checks`] to keep the defaults.
    fn conformance_checks(&self, package: &PackageView<'_>) -> Vec<Check> {
        crate::evidence::conformance::capability_checks(self, package)
    }

    /// For a native-transfer capability, its transport and role, which drive `certify`.
    fn native_transfer(&self) -> Option<NativeTransferSpec> {
        None
    }
}

impl std::fmt::Debug for dyn Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capability")
            .field("name", &self.name())
            .field("kind", &self.kind())
            .finish()
    }
}
