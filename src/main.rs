//! `dpone-connectors`: the command line of the `dpone_connector_sdk` library. Exit codes:
//! 0 ok, 1 a check failed, 2 bad input or refused.

use std::process::ExitCode;

fn main() -> ExitCode {
    dpone_connector_sdk::cli::run()
}
