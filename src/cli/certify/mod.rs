//! `dpone-connectors certify`: with `--capability`, native-transfer certification (a drop-in
//! for `dpone connectors certify`); without, certification of a package from its evidence.

mod evidence;
mod native;

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::format::OutputFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Profile {
    Static,
    LocalLive,
    VendorLive,
}

/// Certify a connector package.
///
/// Examples:
///   dpone-connectors certify --capability native_transfer.stream --format json
///   dpone-connectors certify --package ./dpone-connector-my-api
#[derive(Debug, Args)]
pub struct CertifyArgs {
    /// Native-transfer capability to certify (repeatable), e.g. native_transfer.stream.
    /// Without it, the package itself is certified from its evidence.
    #[arg(long = "capability")]
    pub capabilities: Vec<String>,
    /// Certification profile (native-transfer certification).
    #[arg(long, value_enum, default_value = "static")]
    pub profile: Profile,
    /// Output format: md (default) or json for native-transfer certification; text
    /// (default), md or json for package certification.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Directory the JSON and markdown reports are published into (atomically).
    #[arg(long)]
    pub artifact_dir: Option<PathBuf>,
    /// Always exit 0 after printing the report.
    #[arg(long)]
    pub report_only: bool,
    /// Package directory to certify (package certification; default: current directory).
    #[arg(long)]
    pub package: Option<PathBuf>,
}

pub fn run(args: CertifyArgs) -> u8 {
    if args.capabilities.is_empty() {
        evidence::run(args)
    } else {
        native::run(args)
    }
}
