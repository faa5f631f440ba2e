//! The `dpone-connectors` command line: argument parsing (clap derive), dispatch to the
//! library, renderings for people, exit codes. No business logic lives here.
//!
//! It is part of the library so that every front end runs the same command line: the
//! binary calls [`run`], and the Python package's console script calls [`run_from`] with
//! its own arguments.

mod add_capability;
mod capabilities;
mod certify;
mod check;
mod completions;
mod failure;
mod format;
mod interrupt;
mod list;
mod man;
mod progress;
mod render;
mod scaffold;
mod streams;
mod update;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use crate::model::capability::CapabilityKind;
use crate::model::registry::{builtin_registry, with_registry, Registry};
use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use failure::{asks_for_json, set_json_errors, usage_failure};
pub(crate) use failure::{print_error, Failure};
use format::OutputFormat;
pub use streams::claim_standard_streams;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: a check ran and failed (certification not passed, drift found).
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit status: bad input, or the command refused to act.
pub const EXIT_REFUSED: u8 = 2;

/// Generate and certify community connector packages for dpone.
#[derive(Debug, Parser)]
#[command(
    name = "dpone-connectors",
    version,
    about,
    long_about = None,
    after_help = "Every command takes -q/--quiet; those that report take --format {text,json,md}.\n\
                  Exit status: 0 ok, 1 a check failed, 2 bad input or refused.\n\
                  Examples are in each command's --help; the manual: dpone-connectors man."
)]
struct Cli {
    /// Print no report, only errors (on stderr); the exit status tells the outcome.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// A directory of capability packs, one pack per subdirectory (repeatable; searched
    /// before DPONE_CONNECTORS_CAPABILITY_PATH and the config file's capability-path).
    #[arg(long = "capability-path", value_name = "DIR", global = true)]
    capability_path: Vec<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Scaffold(scaffold::ScaffoldArgs),
    Certify(certify::CertifyArgs),
    Capabilities(capabilities::CapabilitiesArgs),
    Check(check::CheckArgs),
    List(list::ListArgs),
    AddCapability(add_capability::AddCapabilityArgs),
    Update(update::UpdateArgs),
    Completions(completions::CompletionsArgs),
    #[command(hide = true)]
    Man(man::ManArgs),
}

/// Parses the process's command line and runs the command.
pub fn run() -> ExitCode {
    claim_standard_streams();
    ExitCode::from(run_from(std::env::args_os()))
}

/// Runs the command line `args` (the first item is the program name) and returns its exit
/// status: 0 ok, 1 a check failed, 2 bad input or refused. It prints to the process's stdout
/// and stderr and never exits the process.
pub fn run_from<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    set_json_errors(asks_for_json(&args));
    set_quiet(false);
    // A worker's panic (a bug) is reported as the command's one error line, not also as
    // Rust's multi-line panic message.
    crate::parallel::quiet_worker_panics();
    // The capability flags' choices come from the registry, so a broken registry is reported
    // before parsing rather than leaving the flags with no valid value. The packs'
    // directories are read from the raw arguments for that. A refused capability pack is
    // the command's error, but `--help` and `--version` still answer (with the built-ins).
    let (registry, refused_pack) = match crate::pack::registry_for(&capability_path_args(&args)) {
        Ok(registry) => (registry, None),
        Err(err) => match builtin_registry() {
            Ok(builtins) => (builtins, Some(err)),
            Err(_) => {
                print_error(err);
                return EXIT_REFUSED;
            }
        },
    };
    let refused = |refused_pack: Option<crate::pack::PackError>| {
        refused_pack.map(|err| {
            print_error(err);
            EXIT_REFUSED
        })
    };
    let cli_command = command(registry);
    // The subcommand the line names, for a usage error's pointer to its --help.
    let named = args.iter().skip(1).find_map(|arg| {
        let arg = arg.to_str()?;
        cli_command
            .find_subcommand(arg)
            .map(|sub| sub.get_name().to_owned())
    });
    let matches = match cli_command.try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(err) if asks_for_help(&err) => return clap_outcome(&err, named.as_deref()),
        // Without the refused pack, its name is not a choice: the pack is the error.
        Err(err) => {
            return refused(refused_pack).unwrap_or_else(|| clap_outcome(&err, named.as_deref()))
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return clap_outcome(&err, named.as_deref()),
    };
    // Errors take the command's format: JSON errors for `--format json`.
    let format = matches
        .subcommand()
        .and_then(|(_, sub)| sub.try_get_one::<OutputFormat>("format").ok().flatten());
    set_json_errors(format == Some(&OutputFormat::Json));
    set_quiet(cli.quiet);
    if let Some(code) = refused(refused_pack) {
        return code;
    }
    output_failed();
    let code = with_registry(registry, || match cli.command {
        Command::Scaffold(args) => scaffold::run(args),
        Command::Certify(args) => certify::run(args),
        Command::Capabilities(args) => capabilities::run(args, registry),
        Command::Check(args) => check::run(args),
        Command::List(args) => list::run(args, registry),
        Command::AddCapability(args) => add_capability::run(args),
        Command::Update(args) => update::run(args),
        Command::Completions(args) => completions::run(args, command(registry)),
        Command::Man(args) => man::run(args, command(registry)),
    });

    match output_failed() {
        Some(err) => {
            print_error(Failure::new(
                "output",
                format_args!("cannot write the output: {err}"),
            ));
            EXIT_REFUSED
        }
        None => code,
    }
}

/// The `--capability-path` values of a raw command line (`--capability-path DIR` and
/// `--capability-path=DIR`), read before parsing because the packs they hold are choices of
/// `--capability`.
fn capability_path_args(args: &[OsString]) -> Vec<std::path::PathBuf> {
    let mut dirs = Vec::new();
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--capability-path" {
            if let Some(dir) = args.next() {
                dirs.push(std::path::PathBuf::from(dir));
            }
        } else if let Some(dir) = arg
            .to_str()
            .and_then(|a| a.strip_prefix("--capability-path="))
        {
            dirs.push(std::path::PathBuf::from(dir));
        }
    }
    dirs
}

/// Whether clap stopped to print help or the version (which need no capability pack).
fn asks_for_help(err: &clap::Error) -> bool {
    use clap::error::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}

/// Prints what clap has to say and returns clap's exit status, as `Error::exit` would
/// without ending the process: help and version as clap writes them, a usage error as one
/// line (or one JSON object with `--format json`).
fn clap_outcome(err: &clap::Error, subcommand: Option<&str>) -> u8 {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
        }
        _ => print_error(usage_failure(err, subcommand)),
    }
    u8::try_from(err.exit_code()).unwrap_or(EXIT_REFUSED)
}

/// The full command line: the derived definition, with the registry's names as the choices
/// of `--capability` and `--native-capability`, so a new capability module shows up in
/// parsing, help and completions without editing the CLI.
fn command(registry: &Registry) -> clap::Command {
    let choices = |cmd: clap::Command| {
        cmd.mut_arg("capabilities", |arg| {
            arg.value_parser(PossibleValuesParser::new(
                registry.names(CapabilityKind::Runtime),
            ))
        })
        .mut_arg("native_capabilities", |arg| {
            arg.value_parser(PossibleValuesParser::new(
                registry.names(CapabilityKind::NativeTransfer),
            ))
        })
    };
    Cli::command()
        .mut_subcommand("scaffold", choices)
        .mut_subcommand("add-capability", choices)
}

/// Keeps the capability packs a package was just made with in the user's cache, the base
/// of a later `update`. The package is written either way: a cache that cannot be written
/// is a warning.
pub(crate) fn keep_packs(capabilities: &[String]) {
    if let Err(err) = crate::pack::cache::keep_named(capabilities) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "warning: capability pack not kept in the cache (a later update will see every differing file as a conflict): {}",
            crate::text::terminal::visible(&err.to_string())
        );
    }
}

/// Prints a rendered result, or reports why it could not be rendered. Returns whether it
/// was printed.
pub(crate) fn print_rendered(rendered: Result<String, serde_json::Error>) -> bool {
    match rendered {
        Ok(text) => {
            print_stdout(&text);
            true
        }
        Err(err) => {
            print_error(Failure::new("output", err));
            false
        }
    }
}

/// Prints to stdout. A failure is recorded (see [`output_failed`]) rather than ignored, so
/// the command cannot report success with its output lost.
pub(crate) fn print_stdout(text: &str) {
    if !quiet() {
        // A path or name in a text or markdown report may hold terminal controls (a
        // directory called `\e]0;...\a`): they are shown as escapes. JSON escapes its own.
        if failure::json_output() {
            write_stdout(text);
        } else {
            write_stdout(&crate::text::terminal::visible(text));
        }
    }
}

/// Prints to stdout even with `--quiet`: for output that is the thing asked for (a
/// completion script), not a report.
pub(crate) fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    record_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()));
}

thread_local! {
    /// Whether `--quiet` was given: no report on stdout.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Why stdout could not be written during this command, if it could not.
    static OUTPUT_ERROR: std::cell::RefCell<Option<std::io::Error>> = const { std::cell::RefCell::new(None) };
}

fn set_quiet(quiet: bool) {
    QUIET.with(|slot| slot.set(quiet));
}

/// Whether `--quiet` was given: the command prints no report (and no progress bar), only
/// its errors.
pub(crate) fn quiet() -> bool {
    QUIET.with(std::cell::Cell::get)
}

/// Records the outcome of a write to stdout. A closed pipe (`| head`) is the reader's choice,
/// not a failure; anything else (a full disk, an I/O error) is.
pub(crate) fn record_output(outcome: std::io::Result<()>) {
    if let Err(err) = outcome {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            OUTPUT_ERROR.with(|slot| {
                slot.borrow_mut().get_or_insert(err);
            });
        }
    }
}

/// The first failure to write stdout since the command started, taking it.
fn output_failed() -> Option<std::io::Error> {
    OUTPUT_ERROR.with(|slot| slot.borrow_mut().take())
}

/// Reports a write command's outcome and returns its exit status: the result on success; on
/// a refusal that still carries a result (conflicts), that report and then the error line;
/// otherwise the error line alone.
pub(crate) fn finish<T, E: Into<Failure>>(
    outcome: Result<T, E>,
    refused_result: impl FnOnce(&E) -> Option<&T>,
    print: impl Fn(&T),
) -> u8 {
    match outcome {
        Ok(result) => {
            print(&result);
            EXIT_OK
        }
        Err(err) => {
            if let Some(result) = refused_result(&err) {
                print(result);
            }
            print_error(err);
            EXIT_REFUSED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;
    use crate::yaml::Node;

    struct Only;

    impl Capability for Only {
        fn name(&self) -> &'static str {
            "only"
        }
        fn kind(&self) -> CapabilityKind {
            CapabilityKind::Runtime
        }
        fn rank(&self) -> u32 {
            0
        }
        fn summary(&self) -> &'static str {
            "the one capability of a test registry"
        }
        fn certification_section(&self) -> Node {
            Node::map()
        }
    }

    #[test]
    fn capability_choices_are_the_names_of_the_registry_given() {
        let registry = Registry::from_capabilities(vec![&Only]).unwrap();
        let cli = command(&registry);
        for subcommand in ["scaffold", "add-capability"] {
            let choices = |id: &str| -> Vec<String> {
                let sub = cli.find_subcommand(subcommand).unwrap();
                let arg = sub.get_arguments().find(|a| a.get_id() == id).unwrap();
                let values = arg.get_possible_values();
                values.iter().map(|v| v.get_name().to_owned()).collect()
            };
            assert_eq!(choices("capabilities"), ["only"], "{subcommand}");
            assert!(choices("native_capabilities").is_empty(), "{subcommand}");
        }
        let parse = |args: &[&str]| cli.clone().try_get_matches_from(args);
        assert!(parse(&["dpone-connectors", "scaffold", "x", "--capability", "only"]).is_ok());
        assert!(parse(&[
            "dpone-connectors",
            "scaffold",
            "x",
            "--capability",
            "source"
        ])
        .is_err());
    }
}
