//! `dpone-connectors scaffold --from FILE`: the batch form.

use std::io::Write;

use crate::scaffold::batch::{read_spec, run_batch as run_spec, BatchOptions, EntryReport};

use super::ScaffoldArgs;
use crate::cli::format::OutputFormat;
use crate::cli::interrupt::{self, Watch};
use crate::cli::progress::progress_bar;
use crate::cli::render::batch::{
    entry_line, entry_markdown_row, summary_line, JsonList, MARKDOWN_HEADER,
};
use crate::cli::{print_error, Failure, EXIT_OK, EXIT_REFUSED};
use std::ops::ControlFlow;

/// Writes reports to stdout as they arrive; stdout failing stops the output, not the work (the
/// failure is still the command's: it exits 2).
struct Printer<'a> {
    out: std::io::BufWriter<std::io::StdoutLock<'a>>,
    format: OutputFormat,
    json: JsonList,
    open: bool,
}

impl Printer<'_> {
    fn write(&mut self, f: impl FnOnce(&mut dyn Write, &mut JsonList) -> std::io::Result<()>) {
        if self.open && !crate::cli::quiet() {
            let outcome = f(&mut self.out, &mut self.json);
            self.open = outcome.is_ok();
            crate::cli::record_output(outcome);
        }
    }

    fn entry(&mut self, report: &EntryReport) {
        match self.format {
            OutputFormat::Json => self.write(|out, json| json.push(out, report)),
            OutputFormat::Text => self.write(|out, _| out.write_all(entry_line(report).as_bytes())),
            OutputFormat::Md => {
                self.write(|out, _| out.write_all(entry_markdown_row(report).as_bytes()))
            }
        }
    }
}

pub fn run_batch(args: ScaffoldArgs) -> u8 {
    let Some(path) = args.from else {
        print_error(Failure::usage(
            "a connector NAME or --from FILE is required",
        ));
        return EXIT_REFUSED;
    };
    let spec = match read_spec(&path) {
        Ok(spec) => spec,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    let details = match args.details.resolve() {
        Ok(details) => details,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    let defaults = BatchOptions::new(args.root);
    let options = BatchOptions {
        details,
        force: args.force,
        dry_run: args.dry_run,
        jobs: args.jobs.map_or(defaults.jobs, usize::from),
        fail_fast: args.fail_fast,
        ..defaults
    };
    let bar = progress_bar(spec.len());
    let stdout = std::io::stdout();
    let mut printer = Printer {
        out: std::io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        format: args.format,
        json: JsonList::new(),
        open: true,
    };
    if args.format == OutputFormat::Md {
        printer.write(|out, _| out.write_all(MARKDOWN_HEADER.as_bytes()));
    }
    let mut used: Vec<String> = Vec::new();
    let watch = Watch::start();
    let outcome = run_spec(spec, &options, |report| {
        if let Ok(result) = &report.outcome {
            if !result.dry_run {
                for name in &result.capabilities {
                    if !used.contains(name) {
                        used.push(name.clone());
                    }
                }
            }
        }
        if let Err(err) = &report.outcome {
            bar.suspend(|| {
                print_error(Failure::from(err).context(format_args!("entry {}", report.index)))
            });
        }
        printer.entry(&report);
        bar.inc(1);
        match watch.received() {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        }
    });
    let interrupted = watch.received();
    drop(watch);
    bar.finish_and_clear();
    super::super::keep_packs(&used);
    match (&outcome, args.format) {
        (_, OutputFormat::Json) => printer.write(|out, json| json.finish(out)),
        (Ok(summary), _) => printer.write(|out, _| out.write_all(summary_line(summary).as_bytes())),
        (Err(_), _) => {}
    }
    printer.write(|out, _| out.flush());
    if let Some(signal) = interrupted {
        print_error(Failure::new(
            "interrupted",
            format_args!(
                "interrupted by {}: the packages reported were written whole, the rest not started",
                interrupt::name(signal)
            ),
        ));
        return interrupt::exit_status(signal);
    }
    match outcome {
        Ok(summary) if summary.failed == 0 => EXIT_OK,
        Ok(_) => EXIT_REFUSED,
        Err(err) => {
            print_error(err);
            EXIT_REFUSED
        }
    }
}
