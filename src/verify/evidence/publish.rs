//! Publishing the certification report into an artifact directory.

use std::path::Path;

use super::assess::PackageCertification;
use super::report;
use crate::model::error::{EvidenceError, WriteError};
use crate::writer::publish::{publish_pair, Published};

/// The package report's artifact names' stem: `package-certification.json` and `package-certification.md`.
pub const PACKAGE_ARTIFACT_STEM: &str = "package-certification";

/// Publishes the JSON and markdown reports into `dir` (created if needed) as one consistent
/// pair: each is flushed and renamed into place under a lock, so readers never see half a
/// report and concurrent publishers never leave a JSON beside another run's markdown.
pub fn publish(result: &PackageCertification, dir: &Path) -> Result<Published, EvidenceError> {
    let json = report::json(result).map_err(|err| {
        EvidenceError::Publish(WriteError::io("serialize", dir, std::io::Error::other(err)))
    })?;
    publish_pair(dir, PACKAGE_ARTIFACT_STEM, &json, &report::markdown(result))
        .map_err(EvidenceError::Publish)
}
