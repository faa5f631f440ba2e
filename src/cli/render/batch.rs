//! Batch reports as text lines, markdown rows, or one JSON list written item by item.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::results::ScaffoldResult;
use crate::scaffold::batch::{BatchSummary, EntryReport};
use crate::text::markdown::cell;
use crate::text::terminal::escaped_name;

use super::scaffold::file_counts;

fn error_text(report: &EntryReport) -> Option<String> {
    report
        .outcome
        .as_ref()
        .err()
        .map(|e| escaped_name(&e.to_string()).into_owned())
}

/// One text line for an entry.
pub fn entry_line(report: &EntryReport) -> String {
    let status = report.status();
    match (report.result(), error_text(report)) {
        (Some(result), _) => format!(
            "entry {}: {status} {} ({})\n",
            report.index,
            escaped_name(&result.sdk_root),
            file_counts(result)
        ),
        (None, error) => format!(
            "entry {}: {status}: {}\n",
            report.index,
            error.unwrap_or_default()
        ),
    }
}

/// The header of the markdown table [`entry_markdown_row`] fills.
pub const MARKDOWN_HEADER: &str = "| entry | status | package directory | created | unchanged | overwritten | conflicts | error |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n";

/// One markdown table row for an entry.
pub fn entry_markdown_row(report: &EntryReport) -> String {
    let status = report.status();
    let error = error_text(report)
        .filter(|_| report.result().is_none())
        .map(|e| cell(&e))
        .unwrap_or_default();
    match report.result() {
        Some(r) => format!(
            "| {} | {status} | `{}` | {} | {} | {} | {} | {error} |\n",
            report.index,
            cell(&r.sdk_root),
            r.created.len(),
            r.unchanged.len(),
            r.overwritten.len(),
            r.conflicts.len()
        ),
        None => format!("| {} | {status} |  |  |  |  |  | {error} |\n", report.index),
    }
}

/// The closing line of a text or markdown report.
pub fn summary_line(summary: &BatchSummary) -> String {
    format!(
        "{} entries: {} succeeded, {} failed, {} skipped\n",
        summary.entries, summary.succeeded, summary.failed, summary.skipped
    )
}

/// One entry in the JSON list: the package's identity and what happened, with file counts
/// rather than file lists (a batch of thousands stays small; `error` names conflicting files).
#[derive(Serialize)]
struct JsonItem<'a> {
    index: usize,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(flatten)]
    package: Option<JsonPackage<'a>>,
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    connector: &'a str,
    connector_type: &'a str,
    package_name: &'a str,
    sdk_root: &'a str,
    files: usize,
    created: usize,
    unchanged: usize,
    overwritten: usize,
    conflicts: usize,
}

impl<'a> From<&'a ScaffoldResult> for JsonPackage<'a> {
    fn from(r: &'a ScaffoldResult) -> Self {
        JsonPackage {
            connector: &r.connector,
            connector_type: &r.connector_type,
            package_name: &r.package_name,
            sdk_root: &r.sdk_root,
            files: r.files.len(),
            created: r.created.len(),
            unchanged: r.unchanged.len(),
            overwritten: r.overwritten.len(),
            conflicts: r.conflicts.len(),
        }
    }
}

/// A JSON list written one entry at a time, one compact object per line, so it can be
/// streamed (and read line by line) without holding the list.
#[derive(Debug, Default)]
pub struct JsonList {
    items: usize,
}

impl JsonList {
    /// An empty list; nothing is written until the first item.
    pub fn new() -> Self {
        JsonList::default()
    }

    /// Writes one entry's object: `index`, `status`, `error` (when it failed) and the
    /// package's identity and file counts (when it got that far).
    pub fn push(&mut self, out: &mut dyn Write, report: &EntryReport) -> io::Result<()> {
        let item = JsonItem {
            index: report.index,
            status: report.status(),
            error: report.outcome.as_ref().err().map(ToString::to_string),
            package: report.result().map(JsonPackage::from),
        };
        out.write_all(if self.items == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::other)?;
        self.items += 1;
        Ok(())
    }

    /// Closes the list (an empty list is `[]`) and ends the line.
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error::{EntryError, RequestError, ScaffoldError};

    fn failed(index: usize) -> EntryReport {
        EntryReport {
            index,
            outcome: Err(EntryError::Scaffold(ScaffoldError::Request(
                RequestError::EmptyName("!!!".into()),
            ))),
        }
    }

    #[test]
    fn streamed_json_is_one_list_with_one_entry_per_line() {
        for n in [0, 1, 3] {
            let mut list = JsonList::new();
            let mut out = Vec::new();
            let mut whole = Vec::new();
            for index in 0..n {
                list.push(&mut out, &failed(index)).unwrap();
                whole.push(format!(
                    "{{\"index\":{index},\"status\":\"invalid\",\"error\":\"connector name \\\"!!!\\\" must contain at least one alphanumeric character\"}}"
                ));
            }
            list.finish(&mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            // `[`, one line per entry, `]` (or `[]` alone).
            let expected = if n == 0 {
                "[]\n".to_owned()
            } else {
                format!("[\n{}\n]\n", whole.join(",\n"))
            };
            assert_eq!(text, expected);
        }
    }

    #[test]
    fn a_bad_entry_is_named_by_index() {
        let line = entry_line(&failed(3));
        assert_eq!(
            line,
            "entry 3: invalid: connector name \"!!!\" must contain at least one alphanumeric character\n"
        );
        assert_eq!(
            entry_markdown_row(&failed(3)),
            "| 3 | invalid |  |  |  |  |  | connector name \"!!!\" must contain at least one alphanumeric character |\n"
        );
    }
}
