//! `add-capability`: evolves a package in place to declare more capabilities.
//!
//! The package is regenerated in memory twice: as its manifest declares it now (the *old*
//! plan) and with the new capabilities appended (the *new* plan, exactly what a fresh
//! scaffold with the combined capabilities writes). Each file of the new plan is then
//! classified by comparing the file on disk with both:
//!
//! | on disk | old plan vs new plan | action |
//! | --- | --- | --- |
//! | missing | any | `created` |
//! | equal to new | any | `unchanged` |
//! | equal to old | differ | `updated`: the person never edited it, so it follows the template |
//! | differs from both | equal | `kept`: edited, and the new capabilities do not change it |
//! | differs from both | differ (or not in the old plan) | `conflict`; `overwritten` with force; `skipped` with keep-edited (not for contract files) |
//!
//! Conflicts refuse the whole change (nothing is written) unless `force`, or, for files
//! other than the two contract files, `keep_edited`. The changed files
//! are written by the [`writer`], with its all-or-nothing guarantee. See
//! `docs/evolution.md`.

use std::path::Path;

use super::existing::ExistingPackage;
use super::plan_package;
use crate::contract::{contract_files, CONNECTOR_MANIFEST};
use crate::model::error::{EvolveError, PackageError};
use crate::model::package::{PackagePlan, PlannedFile, ScaffoldRequest};
use crate::model::results::EvolveResult;
use crate::writer::{self, WriteOptions};

/// The capabilities to add, as typed (normalized like `scaffold` normalizes them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddRequest {
    /// Runtime capabilities to add, appended after the declared ones.
    pub capabilities: Vec<String>,
    /// Native-transfer capabilities to add, appended after the declared ones.
    pub native_capabilities: Vec<String>,
}

/// How `add-capability` treats edited files and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvolveOptions {
    /// Write options; `force` replaces edited files the change needs.
    pub write: WriteOptions,
    /// Leave edited files other than the contract files as they are instead of refusing.
    pub keep_edited: bool,
}

/// What must happen to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Unchanged,
    Keep,
    Conflict,
}

/// Classifies one file of the new plan against the disk and the old plan.
fn classify(on_disk: Option<&[u8]>, old: Option<&str>, new: &str) -> Action {
    match on_disk {
        None => Action::Create,
        Some(disk) if disk == new.as_bytes() => Action::Unchanged,
        Some(disk) if old.is_some_and(|old| disk == old.as_bytes()) => Action::Update,
        Some(_) if old == Some(new) => Action::Keep,
        Some(_) => Action::Conflict,
    }
}

/// The request a fresh scaffold with the combined capabilities would get: the declared
/// ones in manifest order, then the new ones (duplicates dropped by normalization).
fn combined_request(package: &ExistingPackage, add: &AddRequest) -> ScaffoldRequest {
    let identity = &package.identity;
    let mut request = ScaffoldRequest::new(identity.connector.clone())
        .connector_type(identity.connector_type.clone())
        .include_certification(package.request.include_certification)
        .package_prefix(package.request.package_prefix.clone())
        .details(package.request.details.clone());
    request.capabilities = identity
        .capability_names()
        .into_iter()
        .map(str::to_owned)
        .chain(add.capabilities.iter().cloned())
        .collect();
    request.native_capabilities = identity
        .native_capability_names()
        .into_iter()
        .map(str::to_owned)
        .chain(add.native_capabilities.iter().cloned())
        .collect();
    request
}

/// Adds capabilities to the package in `dir`.
///
/// The package is locked before it is read, and recovered from any killed run first, so two
/// runs at once apply one after the other and neither loses the other's declaration.
///
/// Returns [`EvolveError::Conflicts`] (nothing changed) when files a person edited would
/// have to change and `options.force` is off.
pub fn add_capabilities(
    dir: &Path,
    add: &AddRequest,
    options: &EvolveOptions,
) -> Result<EvolveResult, EvolveError> {
    let dir = crate::text::pathlib::dir_or_current(dir);
    let EvolveOptions {
        write: options,
        keep_edited,
    } = *options;
    // Read once to refuse a directory that is not a package before locking it; read again
    // under the lock, after recovery, to decide what to write.
    ExistingPackage::open(dir)?;
    let guard = writer::lock_package(dir, options.dry_run)?;
    let package = ExistingPackage::open(dir)?;
    let old_plan = plan_package(&package.request).map_err(|source| PackageError::Declared {
        path: dir.join(CONNECTOR_MANIFEST),
        source,
    })?;
    let new_plan = plan_package(&combined_request(&package, add))?;
    // A run killed after its commit point leaves backups even when nothing is left to change.
    guard.remove_leftovers(&new_plan.files)?;

    let contracts: Vec<String> =
        contract_files(&new_plan.identity, package.request.include_certification)
            .into_iter()
            .map(|f| f.path)
            .collect();
    let mut result = describe(dir, &old_plan, &new_plan, options.dry_run);
    let mut changes: Vec<PlannedFile> = Vec::new();
    for file in &new_plan.files {
        let on_disk = package.read(&file.path)?;
        let old = old_plan
            .files
            .iter()
            .find(|f| f.path == file.path)
            .map(|f| f.contents.as_str());
        let path = file.path.clone();
        let (list, writes) = match classify(on_disk.as_deref(), old, &file.contents) {
            Action::Create => (&mut result.created, true),
            Action::Update => (&mut result.updated, true),
            Action::Unchanged => (&mut result.unchanged, false),
            Action::Keep => (&mut result.kept, false),
            Action::Conflict if options.force => (&mut result.overwritten, true),
            Action::Conflict if keep_edited && !contracts.contains(&path) => {
                (&mut result.skipped, false)
            }
            Action::Conflict => (&mut result.conflicts, false),
        };
        list.push(path);
        if writes {
            changes.push(file.clone());
        }
    }
    if !result.conflicts.is_empty() {
        return Err(EvolveError::Conflicts(Box::new(result)));
    }
    if !options.dry_run && !changes.is_empty() {
        // Every file handed over must change; the classification above is the guard, so the
        // writer may replace what differs.
        let write = WriteOptions {
            force: true,
            ..options
        };
        guard.write(&changes, &write)?;
    }
    Ok(result)
}

fn describe(dir: &Path, old: &PackagePlan, new: &PackagePlan, dry_run: bool) -> EvolveResult {
    let owned = |names: Vec<&str>| names.into_iter().map(str::to_owned).collect::<Vec<_>>();
    let added = |before: Vec<&str>, after: Vec<&str>| {
        owned(
            after
                .into_iter()
                .filter(|name| !before.contains(name))
                .collect(),
        )
    };
    EvolveResult {
        package_dir: dir.display().to_string(),
        connector: new.identity.connector.clone(),
        connector_type: new.identity.connector_type.clone(),
        capabilities: owned(new.identity.capability_names()),
        native_capabilities: owned(new.identity.native_capability_names()),
        certification: new.certification_manifest.is_some(),
        added_capabilities: added(
            old.identity.capability_names(),
            new.identity.capability_names(),
        ),
        added_native_capabilities: added(
            old.identity.native_capability_names(),
            new.identity.native_capability_names(),
        ),
        dry_run,
        files: new.files.iter().map(|f| f.path.clone()).collect(),
        ..EvolveResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(None, Some("old"), "new", Action::Create)]
    #[case(None, None, "new", Action::Create)]
    #[case(Some("new"), Some("old"), "new", Action::Unchanged)]
    #[case(Some("new"), None, "new", Action::Unchanged)]
    #[case(Some("old"), Some("old"), "new", Action::Update)]
    #[case(Some("mine"), Some("same"), "same", Action::Keep)]
    #[case(Some("mine"), Some("old"), "new", Action::Conflict)]
    #[case(Some("mine"), None, "new", Action::Conflict)]
    fn files_are_classified_against_disk_old_and_new(
        #[case] disk: Option<&str>,
        #[case] old: Option<&str>,
        #[case] new: &str,
        #[case] expected: Action,
    ) {
        assert_eq!(classify(disk.map(str::as_bytes), old, new), expected);
    }
}
