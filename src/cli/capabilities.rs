//! `dpone-connectors capabilities`.

use clap::Args;
use dpone_connector_sdk::introspect::{describe, listing_markdown, listing_text};
use dpone_connector_sdk::registry;

use super::scaffold::OutputFormat;
use super::{print_error, print_stdout, EXIT_OK, EXIT_REFUSED};

/// List the capabilities: files, certification section, required tests.
///
/// Capabilities are listed in registry order (runtime first, then native transfer), each with
/// the files it adds, the shared files it adds a section to, its section of
/// certification/certification.yaml and the certification tests it must prove.
///
/// Example: dpone-connectors capabilities --format md
#[derive(Debug, Args)]
pub struct CapabilitiesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

pub fn run(args: CapabilitiesArgs) -> u8 {
    let registry = match registry() {
        Ok(registry) => registry,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    let listing = describe(registry);
    let text = match args.format {
        OutputFormat::Text => listing_text(&listing),
        OutputFormat::Md => listing_markdown(&listing),
        OutputFormat::Json => match serde_json::to_string_pretty(&listing) {
            Ok(json) => json + "\n",
            Err(err) => {
                print_error(err);
                return EXIT_REFUSED;
            }
        },
    };
    print_stdout(&text);
    EXIT_OK
}
