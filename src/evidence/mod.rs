//! Package certification from evidence: is this connector package proven?
//!
//! A package declares what it must prove in `certification/certification.yaml`. Its
//! generated `certification/run_certification.py` runs the test suite and records, for every
//! required test of every capability, `passed`, `failed` or `missing` in an evidence report
//! keyed to the sha256 of that manifest and of the code it ran. [`certify_package`] reads the
//! package and the report and decides:
//!
//! - **structure conformance**: both manifests agree; each declared capability passes the
//!   checks it contributes ([`crate::Capability::conformance_checks`]);
//! - **quality gates** ([`gates`]);
//! - **evidence**: current, or missing, corrupt, unsupported, foreign or stale;
//!
//! and the verdict: `certified` when everything passed on current evidence, `failed` when
//! anything checked was wrong, `unverified` otherwise.

pub mod certify;
pub mod conformance;
pub mod gates;
pub mod package;
pub mod publish;
pub mod render;
pub mod report;
pub mod status;

pub use certify::{certify_package, PackageCertification, CERTIFICATION_SCHEMA};
pub use conformance::PackageView;
pub use report::{Evidence, EvidenceStatus, EVIDENCE_SCHEMA};
pub use status::{Check, Overall, Status};
