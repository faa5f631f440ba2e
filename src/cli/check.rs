//! `dpone-connectors check`.

use std::path::PathBuf;

use crate::verify::drift::check_package;
use clap::Args;

use super::format::OutputFormat;
use super::render::drift::{check_markdown, check_text};
use super::{print_error, print_rendered, Failure, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

/// Compare a package with what this version generates from its dpone_connector_manifest.json.
///
/// Contract drift (a contract file that differs from what the declared capabilities produce,
/// a declared capability's module missing, an undeclared capability's module present) exits
/// 1. Generated files a person edited are listed as information.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors check
  dpone-connectors check ./dpone-connector-my-api --format json")]
pub struct CheckArgs {
    /// Package directory (the one holding dpone_connector_manifest.json).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

pub fn run(args: CheckArgs) -> u8 {
    let report = match check_package(&args.dir) {
        Ok(report) => report,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    if !print_rendered(args.format.render(&report, check_text, check_markdown)) {
        return EXIT_REFUSED;
    }
    if report.passed() {
        EXIT_OK
    } else {
        print_error(
            Failure::new(
                "check_failed",
                format_args!(
                    "contract drift in {}: {} error(s)",
                    report.package_dir, report.errors
                ),
            )
            .at(&report.package_dir),
        );
        EXIT_CHECK_FAILED
    }
}
