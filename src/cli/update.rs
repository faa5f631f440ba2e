//! `dpone-connectors update`.

use std::io::{BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::model::diagnostic::Diagnostic;
use crate::model::update::UpdateResult;
use crate::scaffold::update::{update_packages, UpdateOptions};

use super::failure::Failure;
use super::format::OutputFormat;
use super::progress::progress_bar;
use super::render::update::{update_markdown_row, update_text, MARKDOWN_HEADER};
use super::{print_error, quiet, record_output, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

/// Bring packages forward to this generator version, keeping every edit.
///
/// For each package, a three-way merge: what the generator that made it would write for its
/// recorded answers (the base), what this version writes for them, and the files on disk. A
/// file you did not touch becomes today's; a file only you changed stays yours; a file both
/// changed is merged line by line, with conflict markers where both changed the same lines.
/// Files you deleted stay deleted; files you added are not touched. A package made by dpone
/// 0.88.0 (no [tool.dpone-connectors] record) is adopted: its base is rendered by the dpone
/// 0.88.0 of --python. Exit 0 merged cleanly (or nothing to do), 1 conflicts were written,
/// 2 bad input.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors update
  dpone-connectors update ./dpone-connector-my-api --dry-run
  dpone-connectors update connectors/* --format json
  dpone-connectors update ./made-by-dpone --python .venv/bin/python")]
pub struct UpdateArgs {
    /// Package directories (default: the current directory).
    #[arg(default_value = ".")]
    dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Print the plan and each file's diff, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The Python with dpone 0.88.0, for packages made by `dpone connectors scaffold`.
    #[arg(long, value_name = "PATH", default_value = "python3")]
    python: PathBuf,
    /// Packages updated at the same time (default: one per CPU, at most 8).
    #[arg(long, short = 'j')]
    jobs: Option<NonZeroUsize>,
}

/// One package of the JSON report: its result, or the error that stopped it.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonItem<'a> {
    Done(&'a UpdateResult),
    Failed { package_dir: String, error: Failure },
}

pub fn run(args: UpdateArgs) -> u8 {
    let options = UpdateOptions {
        dry_run: args.dry_run,
        python: args.python,
        jobs: args
            .jobs
            .map_or(UpdateOptions::default().jobs, NonZeroUsize::get),
        ..UpdateOptions::default()
    };
    let many = args.dirs.len() > 1;
    let bar = if many {
        progress_bar(args.dirs.len())
    } else {
        indicatif::ProgressBar::hidden()
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut failed, mut conflicted, mut items) = (false, false, 0usize);
    let json = args.format == OutputFormat::Json;
    let write = |out: &mut BufWriter<_>, text: &str| {
        if !quiet() {
            record_output(bar.suspend(|| out.write_all(text.as_bytes())));
        }
    };
    if args.format == OutputFormat::Md {
        write(&mut out, MARKDOWN_HEADER);
    }
    let flushed = update_packages(&args.dirs, &options, |index, outcome| {
        bar.inc(1);
        let dir = args.dirs[index].display().to_string();
        let text = match &outcome {
            Ok(result) => {
                conflicted |= !result.conflicts().is_empty();
                match args.format {
                    OutputFormat::Text => update_text(result, !many),
                    OutputFormat::Md => update_markdown_row(result),
                    OutputFormat::Json => json_item(&JsonItem::Done(result), items),
                }
            }
            Err(err) => {
                failed = true;
                let failure = Failure::new(err.kind(), err).at(&dir);
                if json {
                    json_item(
                        &JsonItem::Failed {
                            package_dir: dir,
                            error: failure,
                        },
                        items,
                    )
                } else {
                    print_error(failure);
                    String::new()
                }
            }
        };
        items += 1;
        write(&mut out, &text);
    });
    bar.finish_and_clear();
    if json {
        write(
            &mut out,
            if items == 0 {
                "{\"packages\": []}\n"
            } else {
                "\n]}\n"
            },
        );
    }
    record_output(out.flush());
    if let Err(err) = flushed {
        print_error(Failure::from(err));
        return EXIT_REFUSED;
    }
    match (failed, conflicted) {
        (true, _) => EXIT_REFUSED,
        (false, true) => EXIT_CHECK_FAILED,
        (false, false) => EXIT_OK,
    }
}

/// One package of the streamed JSON document `{"packages": [...]}`, one package a line.
fn json_item(item: &JsonItem<'_>, index: usize) -> String {
    let opening = if index == 0 {
        "{\"packages\": [\n"
    } else {
        ",\n"
    };
    match serde_json::to_string(item) {
        Ok(json) => format!("{opening}{json}"),
        Err(err) => format!("{opening}{{\"error\": {:?}}}", err.to_string()),
    }
}
