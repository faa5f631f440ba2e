//! `list` for people, one package at a time: an aligned text table or markdown rows, and
//! the certification matrix in both. Every piece is rendered as its package arrives, so
//! the output streams. JSON is the library's types through serde, written item by item.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::contract::CONNECTOR_TYPES;
use crate::model::capability::CapabilityKind;
use crate::model::listing::{ListSummary, PackageListing, PackageStatus};
use crate::model::registry::Registry;
use crate::text::markdown::cell;
use crate::text::terminal::escaped_name;
use std::borrow::Cow;

use super::join_or_none;

/// The package directory prefix `scaffold` writes (`dpone-connector-<connector>`).
const PACKAGE_PREFIX: &str = "dpone-connector-";

fn width_of<'a>(header: &str, values: impl IntoIterator<Item = &'a str>) -> usize {
    values
        .into_iter()
        .map(|v| v.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0)
}

/// Column widths known before any package is examined: the paths come from the walk, the
/// types and capabilities from the contract and the registry, the connector from the
/// directory names (`scaffold` names a package `dpone-connector-<connector>`, so the name
/// is as long as the connector; a connector longer than its directory widens its own row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    path: usize,
    connector: usize,
    connector_type: usize,
    capability: usize,
    test: usize,
}

impl Columns {
    /// Widths for these package paths.
    pub fn new(paths: &[String], registry: &Registry) -> Self {
        let paths: Vec<String> = paths.iter().map(|p| shown(p).into_owned()).collect();
        let names = paths
            .iter()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .map(|name| name.strip_prefix(PACKAGE_PREFIX).unwrap_or(name));
        let runtime = registry
            .all()
            .iter()
            .filter(|c| c.kind() == CapabilityKind::Runtime);
        Columns {
            path: width_of("PATH", paths.iter().map(String::as_str)),
            connector: width_of("CONNECTOR", names),
            connector_type: width_of("TYPE", CONNECTOR_TYPES.iter().copied()),
            capability: width_of("CAPABILITY", runtime.clone().map(|c| c.name())),
            test: width_of(
                "TEST",
                runtime.flat_map(|c| c.required_tests().iter().map(|t| t.test)),
            ),
        }
    }
}

/// A file count, or `-` for a package that cannot be read.
fn count(value: Option<usize>) -> String {
    value.map_or("-".to_owned(), |n| n.to_string())
}

fn dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

/// A path, name or reason from the tree, safe for a terminal line (controls escaped).
fn shown(text: &str) -> Cow<'_, str> {
    escaped_name(text)
}

fn capabilities_text(package: &PackageListing) -> String {
    if package.status == PackageStatus::Invalid && package.connector.is_none() {
        return "-".to_owned();
    }
    let mut text = join_or_none(&package.capabilities);
    if !package.native_capabilities.is_empty() {
        let _ = write!(text, "; native: {}", package.native_capabilities.join(", "));
    }
    shown(&text).into_owned()
}

/// The table's header line.
pub fn table_header(columns: &Columns) -> String {
    let c = columns;
    format!(
        "{:<pw$}  {:<10}  {:>5}  {:>6}  {:<8}  {:<tw$}  {:<cw$}  CAPABILITIES\n",
        "PATH",
        "STATUS",
        "DRIFT",
        "EDITED",
        "OUTDATED",
        "TYPE",
        "CONNECTOR",
        pw = c.path,
        tw = c.connector_type,
        cw = c.connector
    )
}

/// One package's line, and under it, indented, why it is not certified.
pub fn table_row(columns: &Columns, package: &PackageListing) -> String {
    let c = columns;
    let mut out = format!(
        "{:<pw$}  {:<10}  {:>5}  {:>6}  {:<8}  {:<tw$}  {:<cw$}  {}\n",
        shown(&package.path),
        package.status.as_str(),
        count(package.drift),
        count(package.edited),
        outdated_text(package),
        shown(dash(package.connector_type.as_deref())),
        shown(dash(package.connector.as_deref())),
        capabilities_text(package),
        pw = c.path,
        tw = c.connector_type,
        cw = c.connector
    );
    if let Some(reason) = &package.reason {
        let _ = writeln!(out, "    {}", shown(reason));
    }
    out
}

/// `yes`, `no`, or `-` for a package that cannot be read.
fn outdated_text(package: &PackageListing) -> &'static str {
    match (package.connector.is_some(), package.outdated) {
        (false, _) => "-",
        (true, true) => "yes",
        (true, false) => "no",
    }
}

/// `N package(s): a certified, b unverified, ...; d with drift, e with edits; f outdated`.
pub fn summary_text(summary: &ListSummary) -> String {
    let counts: Vec<String> = PackageStatus::ALL
        .iter()
        .map(|s| format!("{} {}", summary.count(*s), s.as_str()))
        .collect();
    format!(
        "{} package(s): {}; {} with drift, {} with edits; {} outdated\n",
        summary.total(),
        counts.join(", "),
        summary.drifted,
        summary.edited,
        summary.outdated
    )
}

/// The header of the markdown table [`markdown_row`] fills.
pub const MARKDOWN_HEADER: &str = "| path | connector | type | capabilities | native capabilities | status | drift | edited | outdated | reason |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";

/// One package's markdown row.
pub fn markdown_row(package: &PackageListing) -> String {
    format!(
        "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        cell(&package.path),
        cell(dash(package.connector.as_deref())),
        cell(dash(package.connector_type.as_deref())),
        cell(&join_or_none(&package.capabilities)),
        cell(&join_or_none(&package.native_capabilities)),
        package.status.as_str(),
        count(package.drift),
        count(package.edited),
        outdated_text(package),
        cell(package.reason.as_deref().unwrap_or("")),
    )
}

/// The counts under a markdown table.
pub fn summary_markdown(summary: &ListSummary) -> String {
    format!("\n**{}**", summary_text(summary).trim_end()) + "\n"
}

/// The matrix's header line.
pub fn matrix_header(columns: &Columns) -> String {
    let c = columns;
    format!(
        "{:<pw$}  {:<cw$}  {:<kw$}  {:<ew$}  {:<10}  REASON\n",
        "PATH",
        "CONNECTOR",
        "CAPABILITY",
        "TEST",
        "STATUS",
        pw = c.path,
        cw = c.connector,
        kw = c.capability,
        ew = c.test
    )
}

/// A package's matrix lines: one per required test.
pub fn matrix_lines(columns: &Columns, package: &PackageListing) -> String {
    let c = columns;
    let mut out = String::new();
    for row in package.matrix_rows() {
        let line = format!(
            "{:<pw$}  {:<cw$}  {:<kw$}  {:<ew$}  {:<10}  {}",
            shown(row.path),
            shown(dash(row.connector)),
            shown(dash(row.capability)),
            shown(dash(row.test)),
            row.status,
            shown(row.reason.unwrap_or("")),
            pw = c.path,
            cw = c.connector,
            kw = c.capability,
            ew = c.test
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// The header of the markdown matrix [`matrix_markdown_rows`] fills.
pub const MATRIX_MARKDOWN_HEADER: &str = "| path | connector | capability | test | status | reason |\n| --- | --- | --- | --- | --- | --- |\n";

/// A package's markdown matrix rows.
pub fn matrix_markdown_rows(package: &PackageListing) -> String {
    let mut out = String::new();
    for row in package.matrix_rows() {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            cell(row.path),
            cell(dash(row.connector)),
            cell(dash(row.capability)),
            cell(dash(row.test)),
            row.status,
            cell(row.reason.unwrap_or(""))
        );
    }
    out
}

/// One JSON object written piece by piece: `{"root": ..., "<list>": [` one item per line
/// `], "summary": {...}}`, so a listing of any size streams.
#[derive(Debug)]
pub struct JsonDocument {
    items: usize,
}

impl JsonDocument {
    /// Writes the opening: the root and the start of the list named `list`.
    pub fn start(out: &mut dyn Write, root: &str, list: &str) -> io::Result<JsonDocument> {
        let root = serde_json::to_string(root).map_err(io::Error::other)?;
        write!(out, "{{\n  \"root\": {root},\n  \"{list}\": [")?;
        Ok(JsonDocument { items: 0 })
    }

    /// Writes one item on its own line.
    pub fn push(&mut self, out: &mut dyn Write, item: &impl Serialize) -> io::Result<()> {
        out.write_all(if self.items == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        serde_json::to_writer(&mut *out, item).map_err(io::Error::other)?;
        self.items += 1;
        Ok(())
    }

    /// Closes the list and writes the summary.
    pub fn finish(&self, out: &mut dyn Write, summary: &ListSummary) -> io::Result<()> {
        let summary = serde_json::to_string(summary).map_err(io::Error::other)?;
        let close = if self.items == 0 { "]" } else { "\n  ]" };
        writeln!(out, "{close},\n  \"summary\": {summary}\n}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::listing::TestCell;
    use crate::model::registry::registry;
    use crate::model::verdict::Status;

    fn package(path: &str, status: PackageStatus) -> PackageListing {
        PackageListing {
            path: path.into(),
            connector: Some("demo".into()),
            connector_type: Some("api".into()),
            capabilities: vec!["source".into(), "sink".into()],
            native_capabilities: vec!["stream_export".into()],
            status,
            outdated: false,
            drift: Some(2),
            edited: Some(3),
            reason: None,
            tests: Vec::new(),
        }
    }

    fn columns(paths: &[&str]) -> Columns {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        Columns::new(&paths, registry().unwrap())
    }

    #[test]
    fn rows_line_up_under_the_header() {
        let c = columns(&["a/dpone-connector-demo", "b"]);
        let header = table_header(&c);
        let row = table_row(&c, &package("b", PackageStatus::Certified));
        assert_eq!(header.find("STATUS"), row.find("certified"));
        assert_eq!(header.find("CAPABILITIES"), row.find("source, sink"));
        assert!(
            row.ends_with("source, sink; native: stream_export\n"),
            "{row}"
        );
        let mut invalid = package("b", PackageStatus::Invalid);
        (invalid.connector, invalid.drift, invalid.edited) = (None, None, None);
        invalid.reason = Some("b/dpone_connector_manifest.json: not valid JSON".into());
        let row = table_row(&c, &invalid);
        assert_eq!(
            row.lines().nth(1),
            Some("    b/dpone_connector_manifest.json: not valid JSON")
        );
        assert_eq!(header.find("DRIFT").map(|i| i + 4), row.find('-'));
        // Counts are right-aligned under their headers.
        let edited_end = header.find("EDITED").unwrap() + "EDITED".len() - 1;
        assert_eq!(row.as_bytes()[edited_end], b'-');
        let certified = table_row(&c, &package("b", PackageStatus::Certified));
        assert_eq!(certified.as_bytes()[edited_end], b'3');
    }

    #[test]
    fn the_connector_column_fits_scaffolded_names() {
        let c = columns(&["dpone-connector-a-long-connector-name"]);
        let header = table_header(&c);
        let mut package = package(
            "dpone-connector-a-long-connector-name",
            PackageStatus::Unverified,
        );
        package.connector = Some("a_long_connector_name".into());
        let row = table_row(&c, &package);
        assert_eq!(header.find("CAPABILITIES"), row.find("source"));
    }

    #[test]
    fn markdown_cells_cannot_break_a_row() {
        let mut package = package("a|b", PackageStatus::Failed);
        package.reason = Some("x | y".into());
        let row = markdown_row(&package);
        assert_eq!(row.matches(" | ").count(), 9, "{row}");
        assert!(row.contains("`a\\|b`") && row.contains("x \\| y"));
    }

    #[test]
    fn the_matrix_has_a_line_per_required_test() {
        let c = columns(&["p"]);
        let mut package = package("p", PackageStatus::Unverified);
        package.tests = vec![
            TestCell {
                capability: "source".into(),
                test: "import_safety".into(),
                status: Status::Passed,
                reason: None,
            },
            TestCell {
                capability: "source".into(),
                test: "full_refresh_extract".into(),
                status: Status::Missing,
                reason: Some("not written yet".into()),
            },
        ];
        let text = matrix_lines(&c, &package);
        assert_eq!(text.lines().count(), 2);
        let header = matrix_header(&c);
        assert_eq!(
            header.find("STATUS"),
            text.lines().nth(1).unwrap().find("missing")
        );
        assert_eq!(matrix_markdown_rows(&package).lines().count(), 2);
    }

    #[test]
    fn the_json_document_streams_and_parses() {
        for n in [0, 1, 3] {
            let mut out = Vec::new();
            let mut doc = JsonDocument::start(&mut out, "./tree", "packages").unwrap();
            let mut summary = ListSummary::default();
            for i in 0..n {
                let package = package(&format!("p{i}"), PackageStatus::Stale);
                summary.add(&package);
                doc.push(&mut out, &package).unwrap();
            }
            doc.finish(&mut out, &summary).unwrap();
            let text = String::from_utf8(out).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["root"], "./tree");
            assert_eq!(value["packages"].as_array().unwrap().len(), n);
            assert_eq!(value["summary"]["stale"], n);
            let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["root", "packages", "summary"]);
        }
    }
}
