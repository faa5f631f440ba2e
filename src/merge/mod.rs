//! Three-way merges of a package's files: `ours + (theirs - base)`, where base is what the
//! generator that made the package wrote, theirs what this version writes for the same
//! answers, and ours the file on disk. [`lines`] merges any text line by line;
//! [`pyproject`] merges the generator's record and the dependencies of `pyproject.toml` by
//! key before the line merge, so they never conflict for nothing.

pub mod lines;
pub mod pyproject;

pub use lines::{mark_differences, merge, Merged};
pub use pyproject::merge_pyproject;
