//! The contract with dpone 0.88.0: the two files every package carries and dpone reads
//! (`dpone_connector_manifest.json` and `certification/certification.yaml`), byte for byte,
//! and the fixed names and paths around them.

pub mod certification_manifest;
pub mod connector_manifest;

use crate::model::package::{PackageIdentity, PlannedFile};
use certification_manifest::certification_manifest;
use connector_manifest::connector_manifest_json;

/// The connector types the reference accepts, sorted.
pub const CONNECTOR_TYPES: &[&str] = &["api", "database", "event", "file"];

/// Where the certification manifest lives inside a package.
pub const CERTIFICATION_MANIFEST: &str = "certification/certification.yaml";

/// The connector manifest file name.
pub const CONNECTOR_MANIFEST: &str = "dpone_connector_manifest.json";

/// The contract version written into both contract files.
pub const CONTRACT_VERSION: &str = "1";

/// Quality gates every package declares, in manifest order.
pub const QUALITY_GATES: &[&str] = &[
    "unit_tests",
    "manifest_examples_parse",
    "docs_present",
    "run_artifacts_present",
    "secret_redaction",
];

/// `performance.minimum_rows`: the fewest rows a certifying benchmark run moves.
pub const BENCHMARK_MINIMUM_ROWS: u64 = 10000;

/// `performance.wide_columns`: the fewest columns a certifying benchmark run's rows have.
pub const BENCHMARK_WIDE_COLUMNS: u64 = 120;

/// The certification marker of the benchmark (`certification("performance.benchmark")`).
pub const BENCHMARK_MARKER: &str = "performance.benchmark";

/// What the benchmark must prove, in the same words as each capability's required tests.
pub const BENCHMARK_PROVES: &str = "A run against the real system, recorded with record_benchmark by a passing test, moves at least minimum_rows rows of at least wide_columns columns.";

/// The built-in connector the example pipelines pair a connector with
/// (`examples/{c}_to_postgres.yaml`, `examples/postgres_to_{c}.yaml`).
pub const EXAMPLE_PEER: &str = "postgres";

/// The peer of `connector`'s examples: [`EXAMPLE_PEER`], or, for a connector that is itself
/// called `postgres`, another built-in that is both a source and a sink, so that each role's
/// example has its own file and pairs two different connectors.
pub fn example_peer(connector: &str) -> &'static str {
    if connector == EXAMPLE_PEER {
        "clickhouse"
    } else {
        EXAMPLE_PEER
    }
}

/// Where a package's certification evidence lives, relative to the package directory.
pub fn artifacts_dir(connector: &str) -> String {
    format!("test_artifacts/connectors/{connector}")
}

/// The JSON evidence report file name.
pub const JSON_REPORT: &str = "certification_report.json";
/// The markdown evidence report file name.
pub const MARKDOWN_REPORT: &str = "certification_report.md";

/// The two contract files a package with this identity must contain, as (path, content).
pub fn contract_files(identity: &PackageIdentity, include_certification: bool) -> Vec<PlannedFile> {
    let mut files = vec![PlannedFile {
        path: CONNECTOR_MANIFEST.to_owned(),
        contents: connector_manifest_json(
            &identity.connector,
            &identity.connector_type,
            &identity.capability_names(),
            &identity.native_capability_names(),
            &identity.import_package,
        ),
    }];
    if include_certification {
        files.push(PlannedFile {
            path: CERTIFICATION_MANIFEST.to_owned(),
            contents: certification_manifest(
                &identity.connector,
                &identity.connector_type,
                &identity.capabilities_in_registry_order(),
                &identity.native_capabilities,
            )
            .to_yaml(),
        });
    }
    files
}
