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

pub mod batch;
pub mod capability;
pub mod certification;
pub mod certify;
pub mod check;
pub mod error;
pub mod evidence;
pub mod evolve;
pub mod existing;
pub mod introspect;
pub mod lifecycle_output;
pub mod names;
pub mod native;
pub mod output;
pub mod registry;
pub mod render;
pub mod scaffold;
mod templates;
pub mod writer;
pub mod yaml;

/// The capability modules under `capabilities/`, gathered by `build.rs`.
#[allow(missing_docs)]
pub mod capabilities {
    include!(concat!(env!("OUT_DIR"), "/capability_modules.rs"));
}

pub use capability::{Capability, CapabilityKind, FileTemplate, Fragments};
pub use error::{BatchError, EntryError};
pub use error::{
    EvidenceError, EvolveError, PackageError, RegistryError, RequestError, ScaffoldError,
    WriteError,
};
pub use registry::{registry, Registry};
pub use scaffold::{
    plan_package, scaffold, PackagePlan, PlannedFile, ScaffoldRequest, ScaffoldResult,
};

/// Registers a capability with the global registry.
///
/// ```ignore
/// pub struct Audit;
/// impl dpone_connector_sdk::Capability for Audit { /* ... */ }
/// dpone_connector_sdk::register_capability!(Audit);
/// ```
#[macro_export]
macro_rules! register_capability {
    ($capability:expr) => {
        $crate::__private::inventory::submit! {
            $crate::registry::Registration::new(&$capability)
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use inventory;
}
