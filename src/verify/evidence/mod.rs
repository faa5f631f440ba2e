//! Package certification from evidence: is this connector package proven?
//!
//! A package declares what it must prove in `certification/certification.yaml`. Its
//! generated `certification/run_certification.py` runs the test suite and records, for every
//! required test of every capability, `passed`, `failed` or `missing` in an evidence report
//! keyed to the sha256 of that manifest and of the code it ran. [`certify_package`] reads the
//! package and the report and decides:
//!
//! - **structure conformance** ([`conformance`]): both manifests agree; each declared
//!   capability passes the checks its data implies and any it adds
//!   ([`Capability::conformance_checks`](crate::model::capability::Capability::conformance_checks));
//! - **quality gates** ([`gates`]);
//! - **evidence**: current, or missing, corrupt, unsupported, foreign or stale;
//!
//! and the verdict: `certified` when everything passed on current evidence, `failed` when
//! anything checked was wrong, `unverified` otherwise.

pub mod assess;
pub(crate) mod conformance;
pub(crate) mod gates;
pub(crate) mod manifests;
pub mod performance;
pub mod publish;
pub(crate) mod recorded;
pub(crate) mod report;

#[cfg(test)]
mod fresh_names;

pub use assess::{certify_package, PackageCertification, CERTIFICATION_SCHEMA};
pub use manifests::source_digests;
pub use recorded::{Evidence, EvidenceStatus, EVIDENCE_SCHEMA};
