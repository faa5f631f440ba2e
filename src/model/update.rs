//! What `update` did (or, in a dry run, would do) to a package.

use serde::Serialize;

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileAction {
    /// Already what it should be.
    Unchanged,
    /// The person never edited it: it became today's file.
    Updated,
    /// Both changed it: merged line by line without a conflict.
    Merged,
    /// Both changed the same lines (or the person edited a contract file): written with
    /// conflict markers.
    Conflict,
    /// Only the person changed it (or the template no longer writes it): left as it is.
    Kept,
    /// The person deleted it: it stays deleted.
    DeletedByYou,
    /// New in today's templates: written.
    Created,
}

impl FileAction {
    /// The action as JSON and text spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileAction::Unchanged => "unchanged",
            FileAction::Updated => "updated",
            FileAction::Merged => "merged",
            FileAction::Conflict => "conflict",
            FileAction::Kept => "kept",
            FileAction::DeletedByYou => "deleted-by-you",
            FileAction::Created => "created",
        }
    }

    /// Whether the action writes the file.
    pub fn writes(self) -> bool {
        matches!(
            self,
            FileAction::Updated | FileAction::Merged | FileAction::Conflict | FileAction::Created
        )
    }
}

/// One file of an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileUpdate {
    /// Path relative to the package directory, `/`-separated.
    pub path: String,
    /// What happened to it.
    pub action: FileAction,
    /// Conflicting regions written (0 unless `conflict`).
    #[serde(skip_serializing_if = "is_zero")]
    pub conflicts: usize,
    /// In a dry run, the unified diff from the file on disk to what would be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The outcome of updating one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateResult {
    /// The package directory, as given.
    pub package_dir: String,
    /// The connector.
    pub connector: String,
    /// What made the package: `dpone-connectors`, or `dpone` for a package made by dpone
    /// 0.88.0's `dpone connectors scaffold` (adopted by this update).
    pub base_generator: String,
    /// The version of `base_generator` that made it.
    pub base_version: String,
    /// The generator version the package was brought to.
    pub target_version: String,
    /// Whether the package was made by dpone 0.88.0 and adopted by this update.
    pub adopted: bool,
    /// Whether nothing was written (`--dry-run`).
    pub dry_run: bool,
    /// Every file looked at, in package file order.
    pub files: Vec<FileUpdate>,
}

impl UpdateResult {
    /// The files written with conflict markers.
    pub fn conflicts(&self) -> Vec<&str> {
        self.with(FileAction::Conflict)
    }

    /// The files with this action.
    pub fn with(&self, action: FileAction) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.action == action)
            .map(|f| f.path.as_str())
            .collect()
    }

    /// Whether the update writes (or, in a dry run, would write) anything.
    pub fn changes_anything(&self) -> bool {
        self.files.iter().any(|f| f.action.writes())
    }
}
