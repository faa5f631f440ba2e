//! Batch reports as text lines, markdown rows, or one JSON list written item by item.

use std::io::{self, Write};

use serde::Serialize;

use super::run::{BatchSummary, EntryReport};
use crate::error::{EntryError, ScaffoldError};
use crate::scaffold::ScaffoldResult;

/// A one-word status: `scaffolded`, `unchanged`, `dry_run`, `conflicts`, `invalid` (the
/// entry itself is wrong) or `failed` (the write failed).
pub fn entry_status(report: &EntryReport) -> &'static str {
    match &report.outcome {
        Ok(r) if r.dry_run => "dry_run",
        Ok(r) if r.created.is_empty() && r.overwritten.is_empty() => "unchanged",
        Ok(_) => "scaffolded",
        Err(EntryError::Scaffold(ScaffoldError::Conflicts(_))) => "conflicts",
        Err(EntryError::Scaffold(ScaffoldError::Write(_))) => "failed",
        Err(_) => "invalid",
    }
}

fn error_text(report: &EntryReport) -> Option<String> {
    report.outcome.as_ref().err().map(ToString::to_string)
}

fn counts(result: &ScaffoldResult) -> String {
    format!(
        "{} created, {} unchanged, {} overwritten, {} conflicts",
        result.created.len(),
        result.unchanged.len(),
        result.overwritten.len(),
        result.conflicts.len()
    )
}

/// One text line for an entry.
pub fn entry_line(report: &EntryReport) -> String {
    let status = entry_status(report);
    match (report.result(), error_text(report)) {
        (Some(result), _) => format!(
            "entry {}: {status} {} ({})\n",
            report.index,
            result.sdk_root,
            counts(result)
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
    let status = entry_status(report);
    let error = error_text(report)
        .filter(|_| report.result().is_none())
        .map(|e| e.replace('|', "\\|"))
        .unwrap_or_default();
    match report.result() {
        Some(r) => format!(
            "| {} | {status} | `{}` | {} | {} | {} | {} | {error} |\n",
            report.index,
            r.sdk_root,
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

#[derive(Serialize)]
struct JsonItem<'a> {
    index: usize,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(flatten)]
    result: Option<&'a ScaffoldResult>,
}

/// A pretty JSON list written one item at a time: the bytes equal those of
/// `serde_json::to_string_pretty` over the whole list, without holding the list.
#[derive(Debug, Default)]
pub struct JsonList {
    items: usize,
    buffer: Vec<u8>,
}

impl JsonList {
    /// An empty list; nothing is written until the first item.
    pub fn new() -> Self {
        JsonList::default()
    }

    /// Writes one entry's object: `index`, `status`, `error` (when it failed) and the
    /// scaffold result's keys (when there is one).
    pub fn push(&mut self, out: &mut dyn Write, report: &EntryReport) -> io::Result<()> {
        let item = JsonItem {
            index: report.index,
            status: entry_status(report),
            error: error_text(report),
            result: report.result(),
        };
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, &item).map_err(io::Error::other)?;
        out.write_all(if self.items == 0 { b"[\n" } else { b",\n" })?;
        for (n, line) in self.buffer.split(|b| *b == b'\n').enumerate() {
            if n > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"  ")?;
            out.write_all(line)?;
        }
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
    use crate::error::RequestError;

    fn failed(index: usize) -> EntryReport {
        EntryReport {
            index,
            outcome: Err(EntryError::Scaffold(ScaffoldError::Request(
                RequestError::EmptyName("!!!".into()),
            ))),
        }
    }

    #[test]
    fn streamed_json_equals_the_whole_list_pretty_printed() {
        for n in [0, 1, 3] {
            let mut list = JsonList::new();
            let mut out = Vec::new();
            let mut whole = Vec::new();
            for index in 0..n {
                let report = failed(index);
                list.push(&mut out, &report).unwrap();
                whole.push(serde_json::json!({
                    "index": index,
                    "status": "invalid",
                    "error": report.outcome.as_ref().unwrap_err().to_string(),
                }));
            }
            list.finish(&mut out).unwrap();
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn a_bad_entry_is_named_by_index() {
        let line = entry_line(&failed(3));
        assert_eq!(
            line,
            "entry 3: invalid: connector name \"!!!\" must contain at least one alphanumeric character\n"
        );
        assert!(entry_markdown_row(&failed(3)).starts_with("| 3 | invalid |"));
    }
}
