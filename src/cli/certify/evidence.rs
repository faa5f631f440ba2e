//! `certify` without `--capability`: certifies a package from its evidence.

use crate::model::verdict::Overall;
use crate::verify::evidence::publish::publish;
use crate::verify::evidence::{certify_package, report};

use super::{CertifyArgs, Profile};
use crate::cli::format::OutputFormat;
use crate::cli::render::evidence::certification_text;
use crate::cli::{print_error, print_rendered, Failure, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

pub fn run(args: CertifyArgs) -> u8 {
    let format = args.format.unwrap_or(OutputFormat::Text);
    if args.profile != Profile::Static {
        print_error(Failure::usage("--profile applies to native-transfer certification (--capability); package certification reads recorded evidence"));
        return EXIT_REFUSED;
    }
    let dir = args.package_dir();
    let result = match certify_package(&dir) {
        Ok(result) => result,
        Err(err) => {
            print_error(err);
            return EXIT_REFUSED;
        }
    };
    if let Some(artifact_dir) = &args.artifact_dir {
        if let Err(err) = publish(&result, artifact_dir) {
            print_error(err);
            return EXIT_REFUSED;
        }
    }
    if !print_rendered(format.render(&result, certification_text, report::markdown)) {
        return EXIT_REFUSED;
    }
    if result.status == Overall::Certified || args.report_only {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    }
}
