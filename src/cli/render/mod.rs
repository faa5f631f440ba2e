//! Renderings for people (`text` and `md`) of what the library returns. JSON is never
//! rendered here: it is the library's types, through serde. Every markdown table cell goes
//! through [`cell`], so no value can break a row.

pub mod batch;
pub mod capabilities;
pub mod drift;
pub mod evidence;
pub mod evolve;
pub mod list;
pub mod scaffold;
pub mod update;

use std::fmt::Write as _;

use crate::text::markdown::cell;

/// `a, b, c`, or `none` for an empty list.
pub fn join_or_none(items: &[impl AsRef<str>]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    items.join(", ")
}

/// The two aligned capability lines every package summary shows.
pub fn write_capability_lines(out: &mut String, capabilities: &[String], natives: &[String]) {
    let _ = writeln!(out, "  capabilities:        {}", join_or_none(capabilities));
    let _ = writeln!(out, "  native capabilities: {}", join_or_none(natives));
}

/// A two-column `field | value` table, each value in a code span.
pub fn field_table(out: &mut String, rows: &[(&str, String)]) {
    let _ = writeln!(out, "| field | value |\n| --- | --- |");
    for (field, value) in rows {
        let _ = writeln!(out, "| {field} | `{}` |", cell(value));
    }
}

/// A `## Files` section: one row per file with its status.
pub fn file_table<'a>(out: &mut String, files: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let _ = writeln!(out, "\n## Files\n\n| file | status |\n| --- | --- |");
    for (file, status) in files {
        let _ = writeln!(out, "| `{}` | {status} |", cell(file));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_read_none() {
        let empty: [&str; 0] = [];
        assert_eq!(join_or_none(&empty), "none");
        assert_eq!(join_or_none(&["a".to_owned(), "b".to_owned()]), "a, b");
    }

    #[test]
    fn a_pipe_in_a_value_cannot_break_the_table() {
        let mut out = String::new();
        field_table(&mut out, &[("package directory", "out|dir".to_owned())]);
        assert!(
            out.ends_with("| package directory | `out\\|dir` |\n"),
            "{out}"
        );
    }
}
