//! `update`: carries packages forward to this generator version without losing a line.
//!
//! For each package: *base* is what the generator that made it would write for its recorded
//! answers (its frozen [`Generation`], or, for a package made by dpone 0.88.0, the reference
//! itself: see [`reference`]); *theirs* is what this version writes for the same answers;
//! *ours* is the files on disk. Each file gets `ours + (theirs - base)` (see [`files`] and
//! [`crate::merge`]). The package's files are written all or nothing, under the package lock,
//! with the writer's journal; the file system is flushed once for the whole run.

pub(crate) mod files;
pub mod reference;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::existing::ExistingPackage;
use super::generations::Generation;
use super::templates::render_generation;
use super::vars::GENERATOR_VERSION;
use super::{details::resolve_details, identify, plan_with_generation};
use crate::contract::contract_files;
use crate::model::error::{UpdateError, WriteError};
use crate::model::package::{PackageIdentity, PlannedFile};
use crate::model::registry::{registry, with_registry};
use crate::model::update::UpdateResult;
use crate::parallel::{Next, Pool};
use crate::writer::{self, WriteOptions};
use files::{decide, Versions};

/// How to update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOptions {
    /// Report what would change (with diffs) and write nothing.
    pub dry_run: bool,
    /// Flush the file system once at the end of the run.
    pub durable: bool,
    /// The Python whose `dpone` renders the base of dpone 0.88.0 packages (`python3`).
    pub python: PathBuf,
    /// Packages updated at the same time.
    pub jobs: usize,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            dry_run: false,
            durable: true,
            python: PathBuf::from("python3"),
            jobs: super::batch::default_jobs(),
        }
    }
}

/// Updates the package in `dir`.
pub fn update_package(dir: &Path, options: &UpdateOptions) -> Result<UpdateResult, UpdateError> {
    let dirs = [dir.to_path_buf()];
    let adopted = adopted_bases(&dirs, options);
    let result = update_locked(dir, adopted.get(&0), options, Generation::current())?;
    if options.durable && !options.dry_run && result.changes_anything() {
        writer::flush(dir)?;
    }
    Ok(result)
}

/// Updates every package of `dirs`, calling `emit` with each outcome in `dirs` order as soon
/// as it is known. Fails only when the workers cannot run (or one panics) or the final
/// flush fails.
pub fn update_packages(
    dirs: &[PathBuf],
    options: &UpdateOptions,
    mut emit: impl FnMut(usize, Result<UpdateResult, UpdateError>),
) -> Result<(), UpdateError> {
    let adopted = adopted_bases(dirs, options);
    let mut written: Vec<PathBuf> = Vec::new();
    let indices: Vec<usize> = (0..dirs.len()).collect();
    Pool::new("update", options.jobs)
        .run(
            &indices,
            |&i| update_locked(&dirs[i], adopted.get(&i), options, Generation::current()),
            |index, result| {
                if let Ok(done) = &result {
                    if done.changes_anything() && !done.dry_run {
                        written.push(dirs[index].clone());
                    }
                }
                emit(index, result);
                Next::Continue
            },
        )
        .map_err(UpdateError::Workers)?;
    if options.durable {
        flush_once_per_file_system(&written)?;
    }
    Ok(())
}

/// The reference's rendering of every package without a record, by index: one Python
/// process for all of them.
fn adopted_bases(
    dirs: &[PathBuf],
    options: &UpdateOptions,
) -> IndexMap<usize, Result<Adopted, String>> {
    let mut packages: Vec<(usize, ExistingPackage)> = Vec::new();
    for (index, dir) in dirs.iter().enumerate() {
        if let Ok(package) = ExistingPackage::open(dir) {
            if package.generator_version.is_none() {
                packages.push((index, package));
            }
        }
    }
    if packages.is_empty() {
        return IndexMap::new();
    }
    let requests: Vec<_> = packages.iter().map(|(_, p)| &p.request).collect();
    let rendered = reference::render(&options.python, &requests);
    packages
        .into_iter()
        .enumerate()
        .map(|(n, (index, package))| {
            let base = match &rendered {
                Ok(all) => Ok(Adopted {
                    request: package.request,
                    files: all[n].clone(),
                }),
                Err(reason) => Err(reason.clone()),
            };
            (index, base)
        })
        .collect()
}

/// The base of an adopted package and the request it was rendered for.
struct Adopted {
    request: crate::model::package::ScaffoldRequest,
    files: IndexMap<String, String>,
}

/// The base files of `package`: its generation's rendering, or the reference's.
fn base_files(
    package: &ExistingPackage,
    adopted: Option<&Result<Adopted, String>>,
    target: &Generation,
) -> Result<(String, String, IndexMap<String, String>), UpdateError> {
    let dir = package.dir.clone();
    let Some(version) = &package.generator_version else {
        let adopted = match adopted {
            Some(Ok(adopted)) if adopted.request == package.request => adopted,
            Some(Err(reason)) => {
                return Err(UpdateError::Reference {
                    dir,
                    reason: reason.clone(),
                })
            }
            // Its record appeared (or its answers changed) since the reference ran.
            _ => {
                return Err(UpdateError::Reference {
                    dir,
                    reason: "the package changed while it was being updated".to_owned(),
                })
            }
        };
        return Ok((
            "dpone".to_owned(),
            reference::REFERENCE_VERSION.to_owned(),
            adopted.files.clone(),
        ));
    };
    let known = (target.version == *version).then_some(target);
    let generation = known
        .or_else(|| Generation::released(version))
        .ok_or_else(|| UpdateError::UnknownVersion {
            dir: dir.clone(),
            version: version.clone(),
            current: GENERATOR_VERSION,
        })?;
    let Some(identity) = base_identity(package)? else {
        // A changed pack whose old files are not in the cache: no base, so every file that
        // differs from the new rendering is a conflict (docs/capability-packs.md).
        return Ok((
            "dpone-connectors".to_owned(),
            version.clone(),
            IndexMap::new(),
        ));
    };
    let metadata = resolve_details(&package.request.details)?;
    let files = render_generation(
        generation,
        &identity,
        &metadata,
        package.request.include_certification,
    );
    Ok((
        "dpone-connectors".to_owned(),
        version.clone(),
        files.into_iter().map(|f| (f.path, f.contents)).collect(),
    ))
}

/// The identity whose capabilities render the base: each capability pack as it was when the
/// package was made, taken from the cache by the digest the package records. `None` when a
/// changed pack's old files are not in the cache.
fn base_identity(package: &ExistingPackage) -> Result<Option<PackageIdentity>, UpdateError> {
    if package.pack_changes.is_empty() {
        return Ok(Some(identify(&package.request)?));
    }
    let pack_base = |reason: String| UpdateError::PackBase {
        dir: package.dir.clone(),
        reason,
    };
    let current = registry().map_err(|err| pack_base(err.to_string()))?;
    match crate::pack::cache::base_registry(current, &package.pack_changes) {
        Ok(Some(base)) => Ok(Some(with_registry(base, || identify(&package.request))?)),
        Ok(None) => Ok(None),
        Err(err) => Err(pack_base(err.to_string())),
    }
}

/// Updates one package under its lock to the templates of `target`.
fn update_locked(
    dir: &Path,
    adopted: Option<&Result<Adopted, String>>,
    options: &UpdateOptions,
    target: &Generation,
) -> Result<UpdateResult, UpdateError> {
    // Refuse what is not a package before locking it; read it again under the lock, after
    // recovering a killed run, to decide what to write.
    ExistingPackage::open(dir)?;
    let guard = writer::lock_package(dir, options.dry_run)?;
    let package = ExistingPackage::open(dir)?;
    let (base_generator, base_version, base) = base_files(&package, adopted, target)?;
    let theirs = plan_with_generation(&package.request, target)?;
    guard.remove_leftovers(&theirs.files)?;
    let contracts: Vec<String> =
        contract_files(&theirs.identity, package.request.include_certification)
            .into_iter()
            .map(|f| f.path)
            .collect();

    let label = format!("dpone-connectors {}", target.version);
    let mut result = UpdateResult {
        package_dir: dir.display().to_string(),
        connector: theirs.identity.connector.clone(),
        base_generator,
        base_version,
        target_version: target.version.to_string(),
        adopted: package.generator_version.is_none(),
        dry_run: options.dry_run,
        files: Vec::new(),
    };
    let mut changes: Vec<PlannedFile> = Vec::new();
    let only_in_base = base
        .keys()
        .filter(|path| !theirs.files.iter().any(|f| &f.path == *path));
    let paths: Vec<&str> = theirs
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(only_in_base.map(String::as_str))
        .collect();
    for path in paths {
        let ours = package.read(path)?;
        let versions = Versions {
            path,
            base: base.get(path).map(String::as_str),
            ours: ours.as_deref(),
            theirs: theirs
                .files
                .iter()
                .find(|f| f.path == path)
                .map(|f| f.contents.as_str()),
            contract: contracts.iter().any(|c| c == path),
        };
        let decision = decide(versions, &label);
        let mut report = decision.report(path);
        if let Some(text) = decision.write {
            if options.dry_run {
                let before = ours.as_deref().map(String::from_utf8_lossy);
                report.diff = Some(unified_diff(path, before.as_deref().unwrap_or(""), &text));
            }
            changes.push(PlannedFile {
                path: path.to_owned(),
                contents: text,
            });
        }
        result.files.push(report);
    }
    if !options.dry_run && !changes.is_empty() {
        // Every file handed over was decided above, under the lock: the writer may replace.
        let write = WriteOptions {
            force: true,
            dry_run: false,
            durable: false,
        };
        guard.write(&changes, &write)?;
    }
    Ok(result)
}

/// The unified diff a dry run shows for one file.
fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Flushes each file system that holds a written package once.
fn flush_once_per_file_system(written: &[PathBuf]) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let mut devices: Vec<u64> = Vec::new();
    for dir in written {
        let device = std::fs::metadata(dir).map(|m| m.dev()).ok();
        if device.is_some_and(|d| devices.contains(&d)) {
            continue;
        }
        devices.extend(device);
        writer::flush(dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
