//! `dpone-connectors scaffold`.

mod batch;
mod details;
mod prompt;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::model::error::ScaffoldError;
use crate::model::package::{ScaffoldRequest, DEFAULT_PACKAGE_PREFIX};
use crate::model::registry::registry;
use crate::scaffold::interactive::why_not_prompt;
use crate::scaffold::scaffold;
use crate::writer::WriteOptions;

use super::format::OutputFormat;
use super::render::scaffold::{scaffold_markdown, scaffold_text};
use super::{finish, print_error, print_rendered, Failure, EXIT_REFUSED};
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
/// NAME is required, except with --from FILE (the names are in the spec) and at a
/// terminal, where a missing NAME is asked for together with the connector type and the
/// capabilities (never with --no-input, when CI is set, or when stdin or stdout is a pipe).
#[derive(Debug, Args)]
#[command(
    override_usage = "dpone-connectors scaffold NAME [OPTIONS]\n       \
                      dpone-connectors scaffold --from FILE [OPTIONS]\n       \
                      dpone-connectors scaffold             (at a terminal: asks for NAME)",
    after_help = "Examples:
  dpone-connectors scaffold my_api --capability source --capability sink
  dpone-connectors scaffold my_api --root connectors --format json
  dpone-connectors scaffold my_api --dry-run
  dpone-connectors scaffold --from connectors.yaml --root packages"
)]
pub struct ScaffoldArgs {
    /// Connector name, normalized to a lowercase identifier (`Demo API` -> `demo_api`);
    /// required unless --from FILE, asked for at a terminal.
    #[arg(value_name = "NAME")]
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
    /// What the import package starts with, normalized like NAME (`acme` gives
    /// `acme_<connector>` and the distribution `acme-<connector>`).
    #[arg(long, value_name = "PREFIX", default_value = DEFAULT_PACKAGE_PREFIX)]
    package_prefix: String,
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
    #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "capabilities", "native_capabilities", "no_certification", "connector_type", "package_prefix"])]
    from: Option<PathBuf>,
    /// With --from FILE, packages scaffolded at the same time, 1 to 64 (default: one per CPU,
    /// at most 8).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=crate::parallel::MAX_JOBS as i64))]
    jobs: Option<u16>,
    /// With --from FILE, stop at the first entry that fails.
    #[arg(long)]
    fail_fast: bool,
    /// Never ask questions; a missing NAME is an error.
    #[arg(long)]
    no_input: bool,
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
        print_error(Failure::usage(
            "--jobs and --fail-fast only apply with --from FILE",
        ));
        return EXIT_REFUSED;
    }
    let name = match args.name.take() {
        Some(name) => name,
        None => match ask_what_is_missing(&mut args) {
            Ok(name) => name,
            Err(code) => return code,
        },
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
        package_prefix: args.package_prefix,
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
            if !result.dry_run {
                super::keep_packs(&result.capabilities);
            }
            print_rendered(args.format.render(result, scaffold_text, scaffold_markdown));
        },
    )
}

/// NAME is missing: asks for it (and for the type and capabilities the flags did not give)
/// when a person is at a terminal; otherwise the usage error clap would have given.
fn ask_what_is_missing(args: &mut ScaffoldArgs) -> Result<String, u8> {
    // A CI value that is not UTF-8 is still set: lossy, so it never reads as unset.
    let ci = std::env::var_os("CI").map(|v| v.to_string_lossy().into_owned());
    let terminals = (
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
    );
    if let Some(why) = why_not_prompt(args.no_input, ci.as_deref(), terminals.0, terminals.1) {
        print_error(Failure::usage(format_args!(
            "a connector NAME or --from FILE is required (not asking: {why})"
        )));
        return Err(EXIT_REFUSED);
    }
    let registry = registry().map_err(|err| {
        print_error(err);
        EXIT_REFUSED
    })?;
    let given = prompt::Given {
        connector_type: args.connector_type.is_some(),
        capabilities: !args.capabilities.is_empty(),
        native_capabilities: !args.native_capabilities.is_empty(),
    };
    // Ctrl-C at a prompt: the terminal library restores the line mode, then raises SIGINT,
    // which would end the process with the selection's hidden cursor still hidden.
    let watch = crate::cli::interrupt::Watch::start();
    let answers = prompt::ask(registry, &given);
    let interrupted = watch.received();
    drop(watch);
    let answers = answers.map_err(|err| {
        let _ = dialoguer::console::Term::stderr().show_cursor();
        match interrupted {
            Some(signal) => {
                print_error(Failure::new(
                    "interrupted",
                    format_args!(
                        "interrupted by {}: nothing was written",
                        crate::cli::interrupt::name(signal)
                    ),
                ));
                crate::cli::interrupt::exit_status(signal)
            }
            None => {
                print_error(Failure::new("no_answer", format_args!("no answer: {err}")));
                EXIT_REFUSED
            }
        }
    })?;
    if let Some(connector_type) = answers.connector_type {
        args.connector_type = ConnectorType::from_str(&connector_type, true).ok();
    }
    if let Some(capabilities) = answers.capabilities {
        args.capabilities = capabilities;
    }
    if let Some(natives) = answers.native_capabilities {
        args.native_capabilities = natives;
    }
    Ok(answers.name)
}
