//! One package, examined: `check` says how far its files drifted, `certify` where its
//! certification stands; together they are its listing entry.

use std::collections::BTreeSet;
use std::path::Path;

use crate::bounded::snapshot;
use crate::model::drift::{CheckReport, FindingKind, Severity};
use crate::model::error::EvidenceError;
use crate::model::listing::{PackageListing, PackageStatus, TestCell};
use crate::model::verdict::Overall;
use crate::verify::drift::check_package;
use crate::verify::evidence::{certify_package, EvidenceStatus, PackageCertification};

/// Examines the package in `dir`, listed as `path`. Never fails: a package that cannot be
/// read is `invalid`, with the reason. With `tests`, fills in every required test.
///
/// `check` and `certify` read many of the same files; inside one [`snapshot`] each is read
/// from disk once, and both see the same bytes even if the package changes meanwhile.
pub fn examine(dir: &Path, path: String, tests: bool) -> PackageListing {
    snapshot(|| examine_now(dir, path, tests))
}

fn examine_now(dir: &Path, path: String, tests: bool) -> PackageListing {
    let check = match check_package(dir) {
        Ok(check) => check,
        Err(err) => return invalid(path, err.to_string()),
    };
    let (drift, edited) = (
        files_with(&check, Severity::Error),
        files_with(&check, Severity::Info),
    );
    let mut listing = PackageListing {
        path,
        connector: Some(check.connector),
        connector_type: Some(check.connector_type),
        capabilities: check.capabilities,
        native_capabilities: check.native_capabilities,
        status: PackageStatus::Unverified,
        outdated: check.outdated,
        drift: Some(drift),
        edited: Some(edited),
        reason: None,
        tests: Vec::new(),
    };
    // Said first: a changed pack is why the package differs from what it would get now.
    let pack_changes: Vec<String> = check
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::PackChanged)
        .map(|f| f.message.clone())
        .collect();
    match certify_package(dir) {
        Ok(certification) => {
            let (status, reason) = status_of(&certification);
            listing.status = status;
            listing.reason = reason;
            if tests {
                listing.tests = cells(&certification);
            }
        }
        Err(EvidenceError::NoCertificationManifest(_)) => {
            listing.reason = Some(
                "no certification/certification.yaml: the package was generated without certification"
                    .to_owned(),
            );
        }
        Err(err) => {
            listing.status = PackageStatus::Invalid;
            listing.reason = Some(err.to_string());
        }
    }
    if !pack_changes.is_empty() {
        let reasons = pack_changes.into_iter().chain(listing.reason.take());
        listing.reason = Some(reasons.collect::<Vec<_>>().join("; "));
    }
    listing
}

/// How many files carry a finding of `severity` (a file can carry more than one finding;
/// the counts are of files, and a file with an error is not counted again as edited).
fn files_with(check: &CheckReport, severity: Severity) -> usize {
    let with = |wanted: Severity| -> BTreeSet<&str> {
        check
            .findings
            .iter()
            .filter(|f| f.severity == wanted)
            .map(|f| f.path.as_str())
            .collect()
    };
    match severity {
        Severity::Error => with(Severity::Error).len(),
        Severity::Info => with(Severity::Info)
            .difference(&with(Severity::Error))
            .count(),
    }
}

/// An entry for a package (or a directory) that cannot be read.
pub fn invalid(path: String, reason: String) -> PackageListing {
    PackageListing {
        path,
        connector: None,
        connector_type: None,
        capabilities: Vec::new(),
        native_capabilities: Vec::new(),
        status: PackageStatus::Invalid,
        outdated: false,
        drift: None,
        edited: None,
        reason: Some(reason),
        tests: Vec::new(),
    }
}

/// The listing status `certify`'s verdict amounts to: a failure is `failed` whatever the
/// evidence; otherwise stale evidence is `stale`; otherwise the verdict itself. The reason
/// is `certify`'s most serious one (for stale evidence, the files that changed).
pub fn status_of(certification: &PackageCertification) -> (PackageStatus, Option<String>) {
    let first = || certification.reasons.first().cloned();
    match certification.status {
        Overall::Failed => (PackageStatus::Failed, first()),
        _ if certification.evidence.status == EvidenceStatus::Stale => (
            PackageStatus::Stale,
            Some(certification.evidence.message.clone()),
        ),
        Overall::Certified => (PackageStatus::Certified, None),
        Overall::Unverified => (PackageStatus::Unverified, first()),
    }
}

fn cells(certification: &PackageCertification) -> Vec<TestCell> {
    certification
        .capabilities
        .iter()
        .flat_map(|capability| {
            capability.required_tests.iter().map(|test| TestCell {
                capability: capability.capability.clone(),
                test: test.test.clone(),
                status: test.status,
                reason: Some(test.explained_reason()).filter(|r| !r.is_empty()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::package::ScaffoldRequest;
    use crate::writer::WriteOptions;

    fn scaffolded(root: &Path) -> std::path::PathBuf {
        let mut request = ScaffoldRequest::new("demo").capability("source");
        request.root = root.to_owned();
        let options = WriteOptions {
            durable: false,
            ..WriteOptions::default()
        };
        crate::scaffold::scaffold(&request, &options).unwrap();
        root.join("dpone-connector-demo")
    }

    #[test]
    fn a_fresh_package_is_unverified_without_drift_and_has_its_matrix() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = scaffolded(tmp.path());
        let listing = examine(&dir, "p".into(), true);
        assert_eq!(listing.status, PackageStatus::Unverified);
        assert_eq!(listing.drift, Some(0));
        assert_eq!(listing.connector.as_deref(), Some("demo"));
        assert!(listing.reason.unwrap().contains("no evidence report"));
        assert!(listing.tests.iter().all(|t| t.capability == "source"));
        assert!(!listing.tests.is_empty());
        assert!(examine(&dir, "p".into(), false).tests.is_empty());
    }

    #[test]
    fn edits_are_counted_apart_from_contract_drift_in_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = scaffolded(tmp.path());
        std::fs::write(dir.join("README.md"), "mine\n").unwrap();
        std::fs::remove_file(dir.join("pyproject.toml")).unwrap();
        let listing = examine(&dir, "p".into(), false);
        assert_eq!((listing.drift, listing.edited), (Some(0), Some(2)));
        assert!(!listing.is_problem());

        let yaml = dir.join("certification/certification.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(
            &yaml,
            text.replace("minimum_rows: 10000", "minimum_rows: 10"),
        )
        .unwrap();
        let listing = examine(&dir, "p".into(), false);
        assert_eq!((listing.drift, listing.edited), (Some(1), Some(2)));
        assert!(listing.is_problem());
    }

    #[test]
    fn an_unreadable_package_is_invalid_with_the_reason() {
        let tmp = tempfile::tempdir().unwrap();
        let listing = examine(&tmp.path().join("absent"), "absent".into(), false);
        assert_eq!(listing.status, PackageStatus::Invalid);
        assert_eq!((listing.drift, listing.connector), (None, None));
        assert!(listing.reason.unwrap().contains("is not a directory"));
    }
}
