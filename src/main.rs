//! `dpone-connectors`: the command-line adapter over the `dpone_connector_sdk` library.
//! It parses arguments, calls the library, prints, and maps errors to exit codes:
//! 0 ok, 1 a check failed, 2 bad input or refused.

mod cli;

use std::process::ExitCode;

// Examining a package (`list`, `check`, `certify`) makes many small, short-lived
// allocations on every worker; mimalloc serves them several times faster than the system
// allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
