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
/// Without --capability, certifies the package in DIR from the evidence its
/// certification/run_certification.py recorded: exit 0 certified, 1 not (yet), 2 not a
/// package. With --capability, native-transfer certification of DIR's
/// certification/certification.yaml (a drop-in for `dpone connectors certify`).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors certify ./dpone-connector-my-api
  dpone-connectors certify --format json --artifact-dir test_artifacts/certify
  dpone-connectors certify --capability native_transfer.stream --format json")]
pub struct CertifyArgs {
    /// Package directory (the one holding dpone_connector_manifest.json).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
    /// The package directory, as a flag (the spelling before DIR; kept so scripts work).
    #[arg(long, hide = true, value_name = "DIR", conflicts_with = "dir")]
    pub package: Option<PathBuf>,
}

impl CertifyArgs {
    /// The package directory: DIR, or `--package DIR`, or the current directory.
    fn package_dir(&self) -> PathBuf {
        self.dir
            .clone()
            .or_else(|| self.package.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

pub fn run(args: CertifyArgs) -> u8 {
    if args.capabilities.is_empty() {
        evidence::run(args)
    } else {
        native::run(args)
    }
}
