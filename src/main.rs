//! `dpone-connectors`: the command line of the `dpone_connector_sdk` library. Exit codes:
//! 0 ok, 1 a check failed, 2 bad input or refused.

use std::process::ExitCode;

// Examining a package (`list`, `check`, `certify`) makes many small, short-lived
// allocations on every worker; mimalloc serves them several times faster than the system
// allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dpone_connector_sdk::cli::run()
}
