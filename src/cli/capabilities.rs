//! `dpone-connectors capabilities`.

use crate::model::catalog::describe;
use crate::model::registry::Registry;
use clap::Args;

use super::format::OutputFormat;
use super::render::capabilities::{listing_markdown, listing_text};
use super::{print_rendered, EXIT_OK, EXIT_REFUSED};

/// List the capabilities: files, certification section, required tests.
///
/// Capabilities are listed in registry order (runtime first, then native transfer), each with
/// the files it adds, the shared files it adds a section to, its section of
/// certification/certification.yaml and the certification tests it must prove.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors capabilities
  dpone-connectors capabilities --format md")]
pub struct CapabilitiesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

pub fn run(args: CapabilitiesArgs, registry: &Registry) -> u8 {
    let listing = describe(registry);
    if print_rendered(args.format.render(&listing, listing_text, listing_markdown)) {
        EXIT_OK
    } else {
        EXIT_REFUSED
    }
}
