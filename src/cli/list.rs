//! `dpone-connectors list`.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::model::listing::{ListSummary, PackageListing};
use crate::model::registry::Registry;
use crate::verify::list::{stream_packages, ListObserver, ListOptions};
use clap::Args;
use indicatif::ProgressBar;

use super::format::OutputFormat;
use super::interrupt::{self, Watch};
use super::progress::progress_bar;
use super::render::list::{
    markdown_row, matrix_header, matrix_lines, matrix_markdown_rows, summary_markdown,
    summary_text, table_header, table_row, Columns, JsonDocument, MARKDOWN_HEADER,
    MATRIX_MARKDOWN_HEADER,
};
use super::{print_error, Failure, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

/// List every connector package under ROOT with its certification status, drift and edits.
///
/// A package is a directory holding dpone_connector_manifest.json. Hidden directories
/// (.git, .venv), what .gitignore excludes, virtual environments, and build and cache
/// directories are skipped. Status: certified, unverified, failed, stale (evidence recorded
/// for files that changed since) or invalid (the package cannot be read). Drift: how many
/// files carry contract drift, the errors `check` reports. Edited: how many other generated
/// files (tests, modules, README, docs) differ from what this version generates; editing
/// them is expected and never fails. Packages are examined in parallel and printed in path
/// order as they are ready.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors list connectors
  dpone-connectors list connectors --format json --strict
  dpone-connectors list connectors --matrix --format md")]
pub struct ListArgs {
    /// The directory to search.
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Print the certification matrix instead: every required test of every package with
    /// its status.
    #[arg(long)]
    matrix: bool,
    /// Exit 1 when any package is failed, stale, invalid or has contract drift (edits do not
    /// count).
    #[arg(long)]
    strict: bool,
    /// Packages examined at the same time, 1 to 64 (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=crate::parallel::MAX_JOBS as i64))]
    jobs: Option<u16>,
}

/// How long rendered output may wait while a progress bar is drawn on the same terminal.
const TERMINAL_FLUSH: Duration = Duration::from_millis(100);

/// Renders each package as it arrives and writes it to stdout; a closed stdout stops the
/// listing.
struct Printer<'a> {
    registry: &'static Registry,
    out: BufWriter<StdoutLock<'a>>,
    format: OutputFormat,
    matrix: bool,
    root: String,
    columns: Option<Columns>,
    json: Option<JsonDocument>,
    bar: ProgressBar,
    /// Output held back while the bar is drawn on the terminal stdout also goes to.
    held: Option<(String, Instant)>,
    open: bool,
    /// SIGINT or SIGTERM stops the listing between packages.
    watch: Watch,
}

impl Printer<'_> {
    fn write(
        &mut self,
        f: impl FnOnce(&mut dyn Write, &mut Option<JsonDocument>) -> std::io::Result<()>,
    ) {
        // Quiet: the listing still runs (its exit status is the answer), unprinted.
        if !self.open || super::quiet() {
            return;
        }
        match &mut self.held {
            // Both on one terminal: write between redraws of the bar, a few times a second.
            Some((held, since)) => {
                let mut bytes = Vec::new();
                self.open = f(&mut bytes, &mut self.json).is_ok();
                held.push_str(&String::from_utf8_lossy(&bytes));
                if since.elapsed() >= TERMINAL_FLUSH {
                    self.release();
                }
            }
            None => self.open = f(&mut self.out, &mut self.json).is_ok(),
        }
    }

    fn release(&mut self) {
        if let Some((held, since)) = &mut self.held {
            let (out, bar) = (&mut self.out, &self.bar);
            let written = bar.suspend(|| out.write_all(held.as_bytes()).and_then(|()| out.flush()));
            self.open &= written.is_ok();
            held.clear();
            *since = Instant::now();
        }
    }

    fn finish(&mut self, summary: &ListSummary) {
        match self.format {
            OutputFormat::Json => self.write(|out, json| match json {
                Some(json) => json.finish(out, summary),
                None => Ok(()),
            }),
            OutputFormat::Text => {
                let line = summary_text(summary);
                self.write(|out, _| out.write_all(line.as_bytes()))
            }
            OutputFormat::Md => {
                let line = summary_markdown(summary);
                self.write(|out, _| out.write_all(line.as_bytes()))
            }
        }
        self.release();
        self.write(|out, _| out.flush());
    }
}

impl ListObserver for Printer<'_> {
    fn interrupted(&mut self) -> bool {
        self.watch.received().is_some()
    }

    fn found(&mut self, paths: &[String]) {
        self.bar.set_length(paths.len() as u64);
        let columns = Columns::new(paths, self.registry);
        self.columns = Some(columns);
        let root = self.root.clone();
        match (self.format, self.matrix) {
            (OutputFormat::Json, matrix) => self.write(|out, json| {
                *json = Some(JsonDocument::start(
                    out,
                    &root,
                    if matrix { "matrix" } else { "packages" },
                )?);
                Ok(())
            }),
            (OutputFormat::Text, false) => {
                self.write(|out, _| out.write_all(table_header(&columns).as_bytes()))
            }
            (OutputFormat::Text, true) => {
                self.write(|out, _| out.write_all(matrix_header(&columns).as_bytes()))
            }
            (OutputFormat::Md, false) => {
                self.write(|out, _| out.write_all(MARKDOWN_HEADER.as_bytes()))
            }
            (OutputFormat::Md, true) => {
                self.write(|out, _| out.write_all(MATRIX_MARKDOWN_HEADER.as_bytes()))
            }
        }
    }

    fn listed(&mut self, package: PackageListing) -> ControlFlow<()> {
        self.bar.inc(1);
        let columns = self
            .columns
            .unwrap_or_else(|| Columns::new(&[], self.registry));
        match (self.format, self.matrix) {
            (OutputFormat::Json, false) => self.write(|out, json| match json {
                Some(json) => json.push(out, &package),
                None => Ok(()),
            }),
            (OutputFormat::Json, true) => self.write(|out, json| {
                let Some(json) = json else { return Ok(()) };
                package
                    .matrix_rows()
                    .iter()
                    .try_for_each(|row| json.push(out, row))
            }),
            (OutputFormat::Text, false) => {
                self.write(|out, _| out.write_all(table_row(&columns, &package).as_bytes()))
            }
            (OutputFormat::Text, true) => {
                self.write(|out, _| out.write_all(matrix_lines(&columns, &package).as_bytes()))
            }
            (OutputFormat::Md, false) => {
                self.write(|out, _| out.write_all(markdown_row(&package).as_bytes()))
            }
            (OutputFormat::Md, true) => {
                self.write(|out, _| out.write_all(matrix_markdown_rows(&package).as_bytes()))
            }
        }
        if self.open && self.watch.received().is_none() {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }
}

pub fn run(args: ListArgs, registry: &'static Registry) -> u8 {
    let defaults = ListOptions::default();
    let options = ListOptions {
        jobs: args.jobs.map_or(defaults.jobs, usize::from),
        tests: args.matrix,
    };
    let bar = progress_bar(0);
    let shares_terminal = !bar.is_hidden() && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let mut printer = Printer {
        registry,
        out: BufWriter::with_capacity(64 * 1024, stdout.lock()),
        format: args.format,
        matrix: args.matrix,
        root: crate::text::terminal::path_text(&args.root),
        columns: None,
        json: None,
        bar: bar.clone(),
        held: shares_terminal.then(|| (String::new(), Instant::now())),
        open: true,
        watch: Watch::start(),
    };
    let outcome = stream_packages(&args.root, &options, &mut printer);
    bar.finish_and_clear();
    if let Some(signal) = printer.watch.received() {
        printer.release();
        printer.write(|out, _| out.flush());
        print_error(Failure::new(
            "interrupted",
            format_args!(
                "interrupted by {}: the listing is incomplete",
                interrupt::name(signal)
            ),
        ));
        return interrupt::exit_status(signal);
    }
    match outcome {
        Ok(summary) => {
            printer.finish(&summary);
            if args.strict && summary.has_problems() {
                EXIT_CHECK_FAILED
            } else {
                EXIT_OK
            }
        }
        Err(err) => {
            print_error(err);
            EXIT_REFUSED
        }
    }
}
