//! `dpone-connectors add-capability`.

use std::path::PathBuf;

use crate::model::error::EvolveError;
use crate::scaffold::evolve::{add_capabilities, AddRequest, EvolveOptions};
use crate::writer::WriteOptions;
use clap::{ArgGroup, Args};

use super::format::OutputFormat;
use super::render::evolve::{evolve_markdown, evolve_text};
use super::{finish, print_rendered, EXIT_CHECK_FAILED, EXIT_OK};

/// Add capabilities to an existing package, in place.
///
/// Adds the new capabilities' modules, tests and examples and rewrites the contract files to
/// exactly what a fresh scaffold with the combined capabilities produces. Generated files a
/// person edited are merged with the change line by line, as `update` merges: exit 0 when
/// every merge is clean, 1 when conflict markers were written (the files are listed), 2 for
/// bad input. --force replaces edited files instead; --keep-edited leaves them alone.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors add-capability ./dpone-connector-my-api --capability sink --dry-run
  dpone-connectors add-capability ./dpone-connector-my-api --capability sink
  dpone-connectors add-capability . --native-capability stream_export --keep-edited")]
#[command(group(ArgGroup::new("added").required(true).multiple(true)))]
pub struct AddCapabilityArgs {
    /// Package directory (the one holding dpone_connector_manifest.json).
    dir: PathBuf,
    /// Runtime capability to add (repeatable); appended after the declared ones.
    #[arg(long = "capability", value_name = "CAPABILITY", group = "added")]
    capabilities: Vec<String>,
    /// Native-transfer capability to add (repeatable); appended after the declared ones.
    #[arg(long = "native-capability", value_name = "NATIVE", group = "added")]
    native_capabilities: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Replace edited files the new capabilities change instead of merging them.
    #[arg(long)]
    force: bool,
    /// Leave edited files other than the two contract files as they are (listed as
    /// skipped) instead of merging; merge the new capability's sections into them by hand.
    #[arg(long, conflicts_with = "force")]
    keep_edited: bool,
    /// Report what would change and change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: AddCapabilityArgs) -> u8 {
    let request = AddRequest {
        capabilities: args.capabilities,
        native_capabilities: args.native_capabilities,
    };
    let options = EvolveOptions {
        write: WriteOptions {
            force: args.force,
            dry_run: args.dry_run,
            ..WriteOptions::default()
        },
        keep_edited: args.keep_edited,
    };
    let outcome = add_capabilities(&args.dir, &request, &options);
    let conflicts = outcome.as_ref().is_ok_and(|r| !r.conflicts.is_empty());
    let code = finish(
        outcome,
        |_: &EvolveError| None,
        |result| {
            if !result.dry_run {
                super::keep_packs(&result.capabilities);
            }
            print_rendered(args.format.render(result, evolve_text, evolve_markdown));
        },
    );
    if code == EXIT_OK && conflicts {
        EXIT_CHECK_FAILED
    } else {
        code
    }
}
