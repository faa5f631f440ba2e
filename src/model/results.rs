//! What the write commands did, or in a dry run would do: the results `scaffold`, the writer
//! and `add-capability` return. They live below those services so that errors can carry them
//! (a refusal reports the conflicts it found).

use serde::Serialize;

use super::package::{PackagePlan, PlannedFile};

/// The result of a scaffold, serialized as the contract's JSON object (plus the write
/// report, which the contract allows as extra keys).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScaffoldResult {
    /// Normalized connector identifier.
    pub connector: String,
    /// Normalized connector type.
    pub connector_type: String,
    /// Runtime capabilities in request order.
    pub capabilities: Vec<String>,
    /// Native capabilities in request order.
    pub native_capabilities: Vec<String>,
    /// Distribution name.
    pub package_name: String,
    /// Import package name.
    pub import_package: String,
    /// Package directory, as the reference prints it.
    pub sdk_root: String,
    /// Every generated file, sdk_root-joined.
    pub files: Vec<String>,
    /// The certification manifest path, or null.
    pub certification_manifest: Option<String>,
    /// Whether this was a dry run (nothing was changed on disk).
    pub dry_run: bool,
    /// Files that did not exist and were (or would be) created.
    pub created: Vec<String>,
    /// Files that already had exactly the generated content.
    pub unchanged: Vec<String>,
    /// Edited files replaced because of `--force`.
    pub overwritten: Vec<String>,
    /// Edited files that block the scaffold (empty on success).
    pub conflicts: Vec<String>,
}

impl ScaffoldResult {
    /// Combines a plan with what writing it did.
    pub fn new(plan: &PackagePlan, report: &WriteReport, dry_run: bool) -> Self {
        let show = |paths: &[String]| {
            paths
                .iter()
                .map(|p| plan.display_path(p))
                .collect::<Vec<_>>()
        };
        ScaffoldResult {
            connector: plan.identity.connector.clone(),
            connector_type: plan.identity.connector_type.clone(),
            capabilities: plan
                .identity
                .capability_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            native_capabilities: plan
                .identity
                .native_capability_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            package_name: plan.identity.package_name.clone(),
            import_package: plan.identity.import_package.clone(),
            sdk_root: plan.sdk_root.clone(),
            files: plan
                .files
                .iter()
                .map(|f| plan.display_path(&f.path))
                .collect(),
            certification_manifest: plan.certification_manifest.map(|p| plan.display_path(p)),
            dry_run,
            created: show(&report.created),
            unchanged: show(&report.unchanged),
            overwritten: show(&report.overwritten),
            conflicts: show(&report.conflicts),
        }
    }
}

/// Relative paths of the package's files, by what happened to them, in plan order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files that did not exist.
    pub created: Vec<String>,
    /// Files that already had the generated content; not touched.
    pub unchanged: Vec<String>,
    /// Edited files replaced because of `force`.
    pub overwritten: Vec<String>,
    /// Edited files that refused the write.
    pub conflicts: Vec<String>,
}

impl WriteReport {
    /// Every file created.
    pub fn all_created(files: &[PlannedFile]) -> Self {
        WriteReport {
            created: files.iter().map(|f| f.path.clone()).collect(),
            ..WriteReport::default()
        }
    }

    /// Whether the write changed (or would change) anything.
    pub fn changes_anything(&self) -> bool {
        !self.created.is_empty() || !self.overwritten.is_empty()
    }
}

/// What `add-capability` did (or, in a dry run, would do). File lists hold paths relative to
/// the package directory, in package file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvolveResult {
    /// The package directory, as given.
    pub package_dir: String,
    /// Normalized connector identifier.
    pub connector: String,
    /// Normalized connector type.
    pub connector_type: String,
    /// Runtime capabilities after the change, in manifest order.
    pub capabilities: Vec<String>,
    /// Native-transfer capabilities after the change, in manifest order.
    pub native_capabilities: Vec<String>,
    /// Whether the package has certification files.
    pub certification: bool,
    /// Runtime capabilities the change declares that were not declared before.
    pub added_capabilities: Vec<String>,
    /// Native-transfer capabilities the change declares that were not declared before.
    pub added_native_capabilities: Vec<String>,
    /// Whether this was a dry run (nothing was changed on disk).
    pub dry_run: bool,
    /// Every file of the evolved package.
    pub files: Vec<String>,
    /// Files that did not exist.
    pub created: Vec<String>,
    /// Unedited generated files regenerated for the new capabilities.
    pub updated: Vec<String>,
    /// Files that already had the new content.
    pub unchanged: Vec<String>,
    /// Edited files the new capabilities do not change; left alone.
    pub kept: Vec<String>,
    /// Edited files replaced because of `force`.
    pub overwritten: Vec<String>,
    /// Edited files the change would update, left as they are because of `keep_edited`.
    pub skipped: Vec<String>,
    /// Edited files the new capabilities change, merged with them line by line.
    pub merged: Vec<String>,
    /// Edited files written with conflict markers: the person's lines and the new
    /// capabilities' changed the same lines (or a contract file was edited).
    pub conflicts: Vec<String>,
}

impl EvolveResult {
    /// Whether the change touched (or would touch) any file.
    pub fn changes_anything(&self) -> bool {
        !(self.created.is_empty()
            && self.updated.is_empty()
            && self.overwritten.is_empty()
            && self.merged.is_empty()
            && self.conflicts.is_empty())
    }
}
