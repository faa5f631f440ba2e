//! What a write did (or, in a dry run, would do) to each file.

use crate::scaffold::PlannedFile;

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
