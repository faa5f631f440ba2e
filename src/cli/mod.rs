//! Argument parsing (clap derive) and dispatch. No business logic lives here.

mod add_capability;
mod capabilities;
mod certify;
mod certify_native;
mod certify_package;
mod check;
mod completions;
mod scaffold;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: a check ran and failed (certification not passed, drift found).
#[allow(dead_code)] // used by certify and check
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit status: bad input, or the command refused to act.
pub const EXIT_REFUSED: u8 = 2;

/// Generate and certify community connector packages for dpone.
#[derive(Debug, Parser)]
#[command(name = "dpone-connectors", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Scaffold(scaffold::ScaffoldArgs),
    Certify(certify::CertifyArgs),
    Capabilities(capabilities::CapabilitiesArgs),
    Check(check::CheckArgs),
    AddCapability(add_capability::AddCapabilityArgs),
    Completions(completions::CompletionsArgs),
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Scaffold(args) => scaffold::run(args),
        Command::Certify(args) => certify::run(args),
        Command::Capabilities(args) => capabilities::run(args),
        Command::Check(args) => check::run(args),
        Command::AddCapability(args) => add_capability::run(args),
        Command::Completions(args) => completions::run(args, Cli::command()),
    };
    ExitCode::from(code)
}

/// Prints to stdout; a closed pipe is not an error worth a panic.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Reports a write command's outcome and returns its exit status: the result on success; on
/// a refusal that still carries a result (conflicts), that report and then the error line;
/// otherwise the error line alone.
pub fn finish<T, E: std::fmt::Display>(
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

/// Prints one error line to stderr.
pub fn print_error(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}
