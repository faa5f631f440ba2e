//! `dpone-connectors capabilities`.

use crate::model::catalog::describe;
use crate::model::registry::Registry;
use clap::Args;

use super::format::OutputFormat;
use super::render::capabilities::{listing_markdown, listing_text};
use super::{print_error, print_rendered, print_stdout, EXIT_OK, EXIT_REFUSED};

/// List the capabilities: files, certification section, required tests.
///
/// Capabilities are listed in registry order (runtime first, then native transfer), each with
/// the files it adds, the shared files it adds a section to, its section of
/// certification/certification.yaml and the certification tests it must prove.
/// Each says where it came from: built in, or the capability pack's directory and digest.
/// `--export NAME DIR` writes a built-in runtime capability as a capability pack in DIR, the
/// start of a team's own (see docs/capability-packs.md).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors capabilities
  dpone-connectors capabilities --format md
  dpone-connectors capabilities --capability-path ./packs
  dpone-connectors capabilities --export state ./packs/lookup")]
pub struct CapabilitiesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Write the built-in runtime capability NAME as a capability pack in DIR (new or empty).
    #[arg(long, num_args = 2, value_names = ["NAME", "DIR"])]
    export: Option<Vec<std::path::PathBuf>>,
}

pub fn run(args: CapabilitiesArgs, registry: &Registry) -> u8 {
    if let Some(export) = &args.export {
        let (name, dir) = (export[0].to_string_lossy(), &export[1]);
        return match crate::pack::export::export(&name, dir) {
            Ok(files) => {
                print_stdout(&format!(
                    "exported `{name}` as a capability pack in {}: {}\n",
                    dir.display(),
                    files.join(", ")
                ));
                EXIT_OK
            }
            Err(err) => {
                print_error(err);
                EXIT_REFUSED
            }
        };
    }
    let listing = describe(registry);
    if print_rendered(args.format.render(&listing, listing_text, listing_markdown)) {
        EXIT_OK
    } else {
        EXIT_REFUSED
    }
}
