//! `dpone-connectors`: the command-line adapter over the `dpone_connector_sdk` library.
//! It parses arguments, calls the library, prints, and maps errors to exit codes:
//! 0 ok, 1 a check failed, 2 bad input or refused.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
