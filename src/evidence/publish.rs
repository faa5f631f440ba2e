//! Publishing the certification report into an artifact directory.

use std::path::Path;

use super::certify::PackageCertification;
use super::render;
use crate::error::{EvidenceError, WriteError};

/// The JSON report's file name in the artifact directory.
pub const JSON_NAME: &str = "package-certification.json";
/// The markdown report's file name in the artifact directory.
pub const MARKDOWN_NAME: &str = "package-certification.md";

/// Writes the JSON and markdown reports into `dir` (created if needed). Each is written to
/// a temporary file beside its destination and renamed, so readers never see half a report.
pub fn publish(result: &PackageCertification, dir: &Path) -> Result<(), EvidenceError> {
    let json = render::json(result).map_err(|err| {
        EvidenceError::Publish(WriteError::io("serialize", dir, std::io::Error::other(err)))
    })?;
    std::fs::create_dir_all(dir)
        .map_err(|err| EvidenceError::Publish(WriteError::io("create", dir, err)))?;
    for (name, contents) in [(JSON_NAME, json), (MARKDOWN_NAME, render::markdown(result))] {
        let target = dir.join(name);
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, contents)
            .map_err(|err| EvidenceError::Publish(WriteError::io("write", &temporary, err)))?;
        if let Err(err) = std::fs::rename(&temporary, &target) {
            let _ = std::fs::remove_file(&temporary);
            return Err(EvidenceError::Publish(WriteError::io(
                "rename", &target, err,
            )));
        }
    }
    Ok(())
}
