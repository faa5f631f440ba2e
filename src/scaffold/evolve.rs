//! `add-capability`: evolves a package in place to declare more capabilities.
//!
//! The package is regenerated in memory twice: as its manifest declares it now (the *old*
//! plan) and with the new capabilities appended (the *new* plan, exactly what a fresh
//! scaffold with the combined capabilities writes). Each file of the new plan is then
//! merged three-way, exactly as `update` merges (see `update::files`): the old plan is the
//! base, the new plan theirs, the disk ours. A file the person never edited becomes the new
//! one (`updated`), a missing one is `created`, an edited file the new capabilities do not
//! change is `kept`, and an edited file they do change is `merged` line by line, with
//! conflict markers where both changed the same lines (`conflicts`; a contract file the
//! person edited is always one). `force` replaces edited files instead (`overwritten`), and
//! `keep_edited` leaves those other than the contract files as they are (`skipped`).
//!
//! Everything is written by the [`writer`], with its all-or-nothing guarantee. See
//! `docs/evolution.md`.

use std::path::Path;

use super::existing::ExistingPackage;
use super::generations::Generation;
use super::update::files::{decide, Versions};
use super::vars::GENERATOR_VERSION;
use super::{plan_package, plan_with_generation};
use crate::contract::{contract_files, CONNECTOR_MANIFEST};
use crate::model::error::{EvolveError, PackageError};
use crate::model::package::{PackagePlan, PlannedFile, ScaffoldRequest};
use crate::model::results::EvolveResult;
use crate::model::update::FileAction;
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
/// Edited files the change touches are merged (see the module comment); the result lists
/// those written with conflict markers under `conflicts`.
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
    // The base is what the version that made the package wrote (this version's templates
    // when it does not know that one), so files an older version wrote that nobody edited
    // follow today's templates too.
    let made_by = package
        .generator_version
        .as_deref()
        .and_then(Generation::released)
        .unwrap_or_else(Generation::current);
    let old_plan = plan_with_generation(&package.request, made_by).map_err(|source| {
        PackageError::Declared {
            path: dir.join(CONNECTOR_MANIFEST),
            source,
        }
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
    let label = format!("dpone-connectors {GENERATOR_VERSION}");
    let mut changes: Vec<PlannedFile> = Vec::new();
    for file in &new_plan.files {
        let on_disk = package.read(&file.path)?;
        let old = old_plan
            .files
            .iter()
            .find(|f| f.path == file.path)
            .map(|f| f.contents.as_str());
        let path = file.path.clone();
        let contract = contracts.contains(&path);
        let versions = Versions {
            path: &path,
            base: old,
            ours: on_disk.as_deref(),
            theirs: Some(&file.contents),
            contract,
        };
        let decision = decide(versions, &label);
        // Edited files the change touches: merged, unless the person asked otherwise.
        let edited = matches!(decision.action, FileAction::Merged | FileAction::Conflict);
        let (list, write) = match decision.action {
            _ if edited && options.force => (&mut result.overwritten, Some(file.contents.clone())),
            _ if edited && keep_edited && !contract => (&mut result.skipped, None),
            FileAction::Created | FileAction::DeletedByYou => {
                (&mut result.created, Some(file.contents.clone()))
            }
            FileAction::Updated => (&mut result.updated, decision.write),
            FileAction::Unchanged => (&mut result.unchanged, None),
            FileAction::Kept => (&mut result.kept, None),
            FileAction::Merged => (&mut result.merged, decision.write),
            FileAction::Conflict => (&mut result.conflicts, decision.write),
        };
        list.push(path.clone());
        if let Some(contents) = write {
            changes.push(PlannedFile { path, contents });
        }
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
