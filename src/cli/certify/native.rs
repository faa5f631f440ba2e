//! `certify --capability ...`: native-transfer certification, a drop-in for
//! `dpone connectors certify --capability ...`. Reads `certification/certification.yaml` in
//! the package directory (the current directory by default, as the reference does).

use crate::verify::native::{certify_native, NativeRequest};

use super::{CertifyArgs, Profile};
use crate::cli::format::OutputFormat;
use crate::cli::{print_error, print_stdout, Failure, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

pub fn run(args: CertifyArgs) -> u8 {
    // The reference prints markdown or JSON here; its report has no text form.
    let format = args.format.unwrap_or(OutputFormat::Md);
    if format == OutputFormat::Text {
        print_error(Failure::usage("--format text is for package certification; native-transfer certification (--capability) prints md or json"));
        return EXIT_REFUSED;
    }
    let request = NativeRequest {
        package_dir: args.package_dir(),
        profile: profile_name(args.profile).to_owned(),
        capabilities: args.capabilities,
        artifact_dir: args.artifact_dir,
    };
    match certify_native(&request) {
        Ok(outcome) => {
            let text = if format == OutputFormat::Json {
                outcome.report.to_json()
            } else {
                outcome.report.to_markdown_page()
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
