//! Generate and certify community connector packages for dpone.
//!
//! `dpone-connector-sdk` is the library behind the `dpone-connectors` command. It is a drop-in
//! for `dpone connectors scaffold` of dpone 0.88.0: the same inputs give the same package
//! layout, the same `dpone_connector_manifest.json` and the same
//! `certification/certification.yaml`, byte for byte.
//!
//! The product is a registry of [`Capability`] trait objects. Each capability (source, sink,
//! state and the native-transfer ones) lives in one file under `capabilities/` and registers
//! itself; the scaffold core never names a capability.
//!
//! ```
//! use dpone_connector_sdk::{plan_package, ScaffoldRequest};
//!
//! let request = ScaffoldRequest::new("Demo API").capability("source").capability("sink");
//! let plan = plan_package(&request).unwrap();
//! assert_eq!(plan.identity.connector, "demo_api");
//! assert!(plan.files.iter().any(|f| f.path == "src/dpone_connector_demo_api/sink.py"));
//! ```
#![warn(missing_docs)]
//!
//! # Layout
//!
//! The modules are layers; each uses only the ones listed before it. The public API is what
//! the binary, the Python package (`python/`) and the integration tests need; the rest is
//! crate-private: exact spellings (`text`: template variables, Python's JSON strings and
//! paths), bounded reads of a package's files (`bounded`), the worker pool behind
//! `scaffold --from` and `list` (`parallel`), and the services' internals (certification's
//! conformance rules, gates and evidence reading, the tree walk of `list`, the native score,
//! the person's details and defaults).
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`yaml`] | PyYAML's YAML: the [`yaml::Node`] tree and its exact emitter, Python values ([`yaml::pyvalue`]) and their JSON reading ([`yaml::to_json`]) |
//! | [`model`] | the stable types: the capability model and registry, requests, plans, results, verdicts, every error |
//! | [`contract`] | the two contract files every package carries, and the contract's fixed names |
//! | [`writer`] | writing packages and publishing report pairs without ever losing a person's work |
//! | [`scaffold`](mod@scaffold) | planning and writing packages: one, a batch, or more capabilities for one that exists |
//! | [`verify`] | drift, package certification from evidence, native-transfer certification, listing every package of a tree |
//!
//! Capabilities (`capabilities/*.rs`) use only the model. On top sits [`cli`], the
//! `dpone-connectors` command line ([`cli::run`], [`cli::run_from`] and the exit statuses),
//! which the binary and the Python package's console script both run.

pub(crate) mod bounded;
pub mod cli;
pub mod contract;
pub mod merge;
pub mod model;
pub mod pack;
mod parallel;
pub use parallel::MAX_JOBS;
pub mod scaffold;
pub(crate) mod text;
pub mod verify;
pub mod writer;
pub mod yaml;

/// The capability modules under `capabilities/`, gathered by `build.rs`.
#[allow(missing_docs)]
pub mod capabilities {
    include!(concat!(env!("OUT_DIR"), "/capability_modules.rs"));
}

pub use model::capability::{Capability, CapabilityKind, FileTemplate, Fragments, RequiredTest};
pub use model::error::{
    BatchError, CertifyError, EntryError, EvidenceError, EvolveError, ListError, PackageError,
    RegistryError, RequestError, ScaffoldError, UpdateError, WriteError,
};
pub use model::package::{PackageDetails, PackagePlan, PlannedFile, ScaffoldRequest};
pub use model::registry::{registry, Registry};
pub use model::results::ScaffoldResult;
pub use scaffold::{plan_package, scaffold};

/// Registers a capability with the global registry.
///
/// The registration is collected at link time, so the capability is offered everywhere the
/// registry is read (the scaffold, `check`, `certify`, the CLI's choices). A module in
/// `capabilities/` must register exactly one capability, named after its file, with a rank
/// no other capability has: `build.rs` checks that at compile time.
///
/// ```
/// use dpone_connector_sdk::yaml::Node;
/// use dpone_connector_sdk::{registry, Capability, CapabilityKind, FileTemplate, RequiredTest};
///
/// /// Records the lineage of every record in the connector's system.
/// pub struct Lineage;
///
/// dpone_connector_sdk::register_capability!(Lineage);
///
/// impl Capability for Lineage {
///     fn name(&self) -> &'static str {
///         "lineage"
///     }
///     fn kind(&self) -> CapabilityKind {
///         CapabilityKind::Runtime
///     }
///     fn rank(&self) -> u32 {
///         30
///     }
///     fn summary(&self) -> &'static str {
///         "records where every record came from"
///     }
///     fn certification_section(&self) -> Node {
///         Node::map().with("required_tests", Node::str_seq(&["import_safety"]))
///     }
///     fn required_tests(&self) -> &'static [RequiredTest] {
///         &[RequiredTest {
///             test: "import_safety",
///             proves: "Importing the audit module succeeds and prints nothing.",
///         }]
///     }
///     fn files(&self) -> &'static [FileTemplate] {
///         &[FileTemplate {
///             path: "src/{{import_package}}/lineage.py",
///             body: "\"\"\"Record lineage for `{{connector}}`.\"\"\"\n",
///         }]
///     }
/// }
///
/// let lineage = registry().unwrap().find(CapabilityKind::Runtime, "lineage");
/// assert_eq!(lineage.map(|c| c.summary()), Some("records where every record came from"));
/// let request = dpone_connector_sdk::ScaffoldRequest::new("demo").capability("lineage");
/// let plan = dpone_connector_sdk::plan_package(&request).unwrap();
/// assert!(plan.files.iter().any(|f| f.path == "src/dpone_connector_demo/lineage.py"));
/// ```
#[macro_export]
macro_rules! register_capability {
    ($capability:expr) => {
        $crate::__private::inventory::submit! {
            $crate::model::registry::Registration::new(&$capability)
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use inventory;
}
