//! `certify` without `--capability`: certifies a package from its evidence.

use std::path::PathBuf;

use dpone_connector_sdk::evidence::{certify_package, publish::publish, render, Overall};

use super::certify::{CertifyArgs, Profile};
use super::{print_error, print_stdout, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};

enum Format {
    Text,
    Markdown,
    Json,
}

fn format(value: Option<&str>) -> Result<Format, String> {
    match value.unwrap_or("text") {
        "text" => Ok(Format::Text),
        "markdown" | "md" => Ok(Format::Markdown),
        "json" => Ok(Format::Json),
        other => Err(format!(
            "invalid --format {other:?} for package certification; expected one of: text, markdown, json"
        )),
    }
}

pub fn run(args: CertifyArgs) -> u8 {
    let format = match format(args.format.as_deref()) {
        Ok(format) => format,
        Err(message) => {
            print_error(message);
            return EXIT_REFUSED;
        }
    };
    if args.profile != Profile::Static {
        print_error("--profile applies to native-transfer certification (--capability); package certification reads recorded evidence");
        return EXIT_REFUSED;
    }
    let dir = args.package.unwrap_or_else(|| PathBuf::from("."));
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
    let text = match format {
        Format::Text => render::text(&result),
        Format::Markdown => render::markdown(&result),
        Format::Json => match render::json(&result) {
            Ok(json) => json,
            Err(err) => {
                print_error(err);
                return EXIT_REFUSED;
            }
        },
    };
    print_stdout(&text);
    if result.status == Overall::Certified || args.report_only {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    }
}
