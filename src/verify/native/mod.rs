//! Native-transfer capability certification: a drop-in for
//! `dpone connectors certify --capability ...` of dpone 0.88.0.
//!
//! The manifest is read the way PyYAML reads it (through [`crate::yaml`]), scored against the
//! targets the native-transfer capability modules contribute ([`score`]), rendered
//! ([`report`]) and optionally published atomically ([`crate::writer::publish`]).
//!
//! ```
//! use dpone_connector_sdk::verify::native::{certify_native, NativeRequest};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let request = NativeRequest {
//!     package_dir: dir.path().to_path_buf(),
//!     profile: "static".to_owned(),
//!     capabilities: vec!["native_transfer.stream".to_owned()],
//!     artifact_dir: None,
//! };
//! let outcome = certify_native(&request).unwrap();
//! assert_eq!(outcome.report.connector, "unknown");
//! assert_eq!(outcome.report.blockers, ["native_transfer_stream_capability_missing"]);
//! ```

pub mod manifest;
pub mod matrix;
pub mod presets;
pub mod report;
pub(crate) mod score;

use std::path::{Path, PathBuf};

pub use manifest::{CertificationManifest, Declaration};
pub use report::{CaseResult, NativeCapabilityResult, NativeReport, NativeStatus};

use crate::model::error::{CertifyError, WriteError};
use crate::model::registry::registry;
use crate::writer::publish::{publish_pair, Published};

/// The native report's artifact names' stem (the contract's): `<stem>.json` and `<stem>.md`.
pub const NATIVE_ARTIFACT_STEM: &str = "connector-capability-certification";

/// What to certify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeRequest {
    /// The package directory (its `certification/certification.yaml` is read).
    pub package_dir: PathBuf,
    /// `static`, `local_live` or `vendor_live`.
    pub profile: String,
    /// The capabilities to certify, e.g. `native_transfer.stream`; repeats count once.
    pub capabilities: Vec<String>,
    /// Where to publish `connector-capability-certification.{json,md}`, if anywhere.
    pub artifact_dir: Option<PathBuf>,
}

/// The report, and where it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeOutcome {
    /// The certification report.
    pub report: NativeReport,
    /// The published artifacts, when an artifact directory was given.
    pub published: Option<Published>,
}

/// Certifies the native-transfer capabilities a manifest already in memory declares: the
/// reference's `ConnectorCapabilityCertificationService().certify(manifest=..., ...)`.
pub fn certify_manifest(
    manifest: &CertificationManifest,
    profile: &str,
    capabilities: &[String],
) -> Result<NativeReport, CertifyError> {
    let targets = score::certification_targets(registry()?);
    score::certify(manifest, profile, capabilities, &targets)
}

/// Certifies the package's native-transfer capabilities and publishes the artifacts.
pub fn certify_native(request: &NativeRequest) -> Result<NativeOutcome, CertifyError> {
    let manifest = CertificationManifest::load(&request.package_dir)?;
    let report =
        certify_manifest(&manifest, &request.profile, &request.capabilities).map_err(|err| {
            match err {
                CertifyError::CertificationManifestValue(reason) => {
                    CertifyError::CertificationManifest {
                        path: CertificationManifest::display_path(&request.package_dir),
                        reason,
                    }
                }
                other => other,
            }
        })?;
    let published = match &request.artifact_dir {
        Some(dir) => Some(publish(&report, dir)?),
        None => None,
    };
    Ok(NativeOutcome { report, published })
}

/// Publishes `report` into `dir` (created if needed) as `connector-capability-certification.json`
/// and `.md`, one consistent pair: the JSON report and the reference's markdown layout
/// ([`NativeReport::to_reference_markdown`]), whichever front end publishes.
pub fn publish(report: &NativeReport, dir: &Path) -> Result<Published, WriteError> {
    publish_pair(
        dir,
        NATIVE_ARTIFACT_STEM,
        &report.to_json(),
        &report.to_reference_markdown(),
    )
}
