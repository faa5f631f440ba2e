//! The [`Capability`] trait: everything one capability contributes to a package.

pub use super::capability_kind::CapabilityKind;
use super::native_transfer::NativeTransferSpec;
use super::pack_origin::PackOrigin;
use super::package_view::PackageView;
use super::verdict::Check;
use crate::yaml::Node;

/// A file a capability adds to the package. `path` and `body` are templates rendered with
/// the package variables (see [`Vars`](crate::text::template::Vars)).
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
    /// Import lines the `tests` fragment needs, one `from module import names` a line, from
    /// the standard library or the package's own modules. They are merged into the test
    /// file's import block in the order isort and ruff keep, so it needs no `noqa`.
    pub test_imports: &'static str,
}

/// One test a capability requires for certification, and what it must prove.
///
/// A package proves it with a passing test tagged `certification("<capability>.<test>")`.
/// `proves` is one sentence (a statement that holds once the test passes); the docs table,
/// the generated placeholders' skip reasons, `certify`'s missing rows and `capabilities
/// --format json` all show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredTest {
    /// The test's name within its capability, e.g. `schema_inference`. (Not `name`:
    /// `build.rs` reads a module's first `name:` literal as its capability's name.)
    pub test: &'static str,
    /// What a passing test proves, as one sentence.
    pub proves: &'static str,
}

/// The names of `tests`, in order (a certification section's `required_tests` list).
pub fn test_names(tests: &[RequiredTest]) -> Vec<&'static str> {
    tests.iter().map(|t| t.test).collect()
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

    /// The certification tests a package with this capability must prove, each with what it
    /// proves.
    fn required_tests(&self) -> &'static [RequiredTest] {
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

    /// Structure checks of its own that a package declaring this capability must pass for
    /// `certify`, beyond the ones every capability gets from its data (its certification
    /// section declares every [`required_tests`](Capability::required_tests), the connector
    /// docs keep the section its [`fragments`](Capability::fragments) contributed, and every
    /// file its [`files`](Capability::files) templates generate exists, YAML parses and
    /// examples are pipeline manifests that use the connector). Those always run; this adds
    /// to them and is empty by default.
    fn conformance_checks(&self, package: &PackageView<'_>) -> Vec<Check> {
        let _ = package;
        Vec::new()
    }

    /// For a native-transfer capability, its transport and role, which drive `certify`.
    fn native_transfer(&self) -> Option<NativeTransferSpec> {
        None
    }

    /// For a capability loaded from a capability pack, the pack it came from; `None` for a
    /// built-in.
    fn origin(&self) -> Option<&PackOrigin> {
        None
    }
}

/// Capabilities are equal when their names are: the registry keeps names unique.
impl PartialEq for dyn Capability {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn Capability {}

/// The registry's order: by kind, then rank, then name. Everything that lists capabilities in
/// registry order (the registry itself, package files, certification sections, docs) sorts
/// with this key, so the rule is written once.
pub fn registry_order(capability: &dyn Capability) -> (CapabilityKind, u32, &'static str) {
    (capability.kind(), capability.rank(), capability.name())
}

/// Sorts capabilities into [`registry_order`].
pub fn sort_in_registry_order(capabilities: &mut [&'static dyn Capability]) {
    capabilities.sort_by_key(|c| registry_order(*c));
}

impl std::fmt::Debug for dyn Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capability")
            .field("name", &self.name())
            .field("kind", &self.kind())
            .finish()
    }
}
