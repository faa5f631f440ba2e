//! `dpone-connectors scaffold`.

mod batch;
mod details;

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use dpone_connector_sdk::model::error::ScaffoldError;
use dpone_connector_sdk::model::package::ScaffoldRequest;
use dpone_connector_sdk::scaffold::scaffold;
use dpone_connector_sdk::writer::WriteOptions;

use super::format::OutputFormat;
use super::render::scaffold::{scaffold_markdown, scaffold_text};
use super::{finish, print_error, print_rendered, EXIT_REFUSED};
use batch::run_batch;
use details::DetailsArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConnectorType {
    Api,
    Database,
    Event,
    File,
}

/// Generate a community connector package (or, with --from, every package of a spec).
///
/// Example: dpone-connectors scaffold my_api --capability source --capability sink
#[derive(Debug, Args)]
pub struct ScaffoldArgs {
    /// Connector name; normalized to a lowercase identifier (`Demo API` -> `demo_api`).
    #[arg(required_unless_present = "from")]
    name: Option<String>,
    /// Directory the package directory is created in.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Kind of system the connector talks to [default: api].
    #[arg(long, value_enum)]
    connector_type: Option<ConnectorType>,
    /// Runtime capability to generate (repeatable); default: source.
    #[arg(long = "capability")]
    capabilities: Vec<String>,
    /// Native-transfer capability to declare (repeatable, kept in request order).
    #[arg(long = "native-capability")]
    native_capabilities: Vec<String>,
    /// Do not generate the certification manifest, runner and CI workflow.
    #[arg(long = "no-certification")]
    no_certification: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Replace generated files that were edited (listed as conflicts otherwise).
    #[arg(long)]
    force: bool,
    /// Report what would be written and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Scaffold every entry of a YAML or JSON spec (`connectors:` list; `-` reads stdin).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "capabilities", "native_capabilities", "no_certification", "connector_type"])]
    from: Option<PathBuf>,
    /// With --from FILE, packages scaffolded at the same time (default: one per CPU, at most 8).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: Option<u16>,
    /// With --from FILE, stop at the first entry that fails.
    #[arg(long)]
    fail_fast: bool,
    #[command(flatten)]
    details: DetailsArgs,
}

fn value_name(value: impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

pub fn run(mut args: ScaffoldArgs) -> u8 {
    if args.from.is_some() {
        return run_batch(args);
    }
    // Not clap's `requires`: it is waived when the required argument conflicts with NAME.
    if args.jobs.is_some() || args.fail_fast {
        print_error("--jobs and --fail-fast only apply with --from FILE");
        return EXIT_REFUSED;
    }
    let Some(name) = args.name.take() else {
        print_error("a connector NAME or --from FILE is required");
        return EXIT_REFUSED;
    };
    let details = match args.details.resolve() {
        Ok(details) => details,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    let request = ScaffoldRequest {
        name,
        root: args.root,
        connector_type: args
            .connector_type
            .map_or_else(|| "api".to_owned(), value_name),
        capabilities: args.capabilities,
        native_capabilities: args.native_capabilities,
        include_certification: !args.no_certification,
        details,
    };
    let options = WriteOptions {
        force: args.force,
        dry_run: args.dry_run,
        ..WriteOptions::default()
    };
    finish(
        scaffold(&request, &options),
        |err| match err {
            ScaffoldError::Conflicts(result) => Some(result.as_ref()),
            _ => None,
        },
        |result| {
            print_rendered(args.format.render(result, scaffold_text, scaffold_markdown));
        },
    )
}
