//! `certify --capability ...`: native-transfer certification, a drop-in for
//! `dpone connectors certify --capability ...`. Reads `certification/certification.yaml` in
//! the current directory.

use std::path::PathBuf;

use dpone_connector_sdk::certify::{certify_native, NativeRequest};

use super::certify::{CertifyArgs, Profile};
use super::{print_error, print_stdout, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

/// The formats native certification prints, as the reference's argparse choices.
const FORMATS: &[&str] = &["markdown", "json"];

pub fn run(args: CertifyArgs) -> u8 {
    let format = args.format.as_deref().unwrap_or("markdown");
    if !FORMATS.contains(&format) {
        print_error(format_args!(
            "argument --format: invalid choice: '{format}' (choose from {})",
            FORMATS
                .iter()
                .map(|f| format!("'{f}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return EXIT_REFUSED;
    }
    if args.package.is_some() {
        print_error(
            "--package certifies a package's evidence; it cannot be combined with --capability",
        );
        return EXIT_REFUSED;
    }
    let request = NativeRequest {
        package_dir: PathBuf::from("."),
        profile: profile_name(args.profile).to_owned(),
        capabilities: args.capabilities,
        artifact_dir: args.artifact_dir,
    };
    match certify_native(&request) {
        Ok(outcome) => {
            let text = if format == "json" {
                outcome.report.to_json()
            } else {
                outcome.report.to_markdown()
            };
            print_stdout(&text);
            if args.report_only || outcome.report.passed() {
                EXIT_OK
            } else {
                EXIT_CHECK_FAILED
            }
        }
        Err(err) => {
            print_error(err);
            EXIT_REFUSED
        }
    }
}

fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Static => "static",
        Profile::LocalLive => "local_live",
        Profile::VendorLive => "vendor_live",
    }
}
