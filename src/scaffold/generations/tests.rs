use std::path::{Path, PathBuf};

use super::*;
use crate::model::package::{PackageDetails, ScaffoldRequest};
use crate::scaffold::{details::resolve_details, identify, templates::render_generation};

fn frozen_path(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/scaffold/generations")
        .join(format!("{version}.json"))
}

/// The generation the code renders is frozen for its version. With
/// `DPONE_FREEZE_GENERATION=1` it writes the frozen file (a release step) and then fails,
/// so a freeze never passes unnoticed.
#[test]
fn current_generation_is_frozen() {
    let current = Generation::current();
    if std::env::var_os("DPONE_FREEZE_GENERATION").is_some() {
        let json = serde_json::to_string_pretty(current).unwrap() + "\n";
        std::fs::write(frozen_path(GENERATOR_VERSION), json).unwrap();
        panic!(
            "froze generation {GENERATOR_VERSION} (digest {}): add it to FROZEN and RELEASED",
            current.digest()
        );
    }
    let (_, json) = FROZEN
        .iter()
        .find(|(v, _)| *v == GENERATOR_VERSION)
        .unwrap_or_else(|| {
            panic!("generation {GENERATOR_VERSION} is not frozen (DPONE_FREEZE_GENERATION=1)")
        });
    let frozen: Generation = serde_json::from_str(json).unwrap();
    // A capability the frozen version does not have is new: it changes no package made
    // without it, so dropping a module into capabilities/ needs no release; the next
    // version freezes it. Every template a released package uses must be unchanged.
    let mut current = current.clone();
    current
        .capabilities
        .retain(|c| frozen.capability(&c.name).is_some());
    assert!(
        frozen == current,
        "the templates changed but the version did not: bump the version in Cargo.toml, \
         freeze its generation and record its digest"
    );
}

#[test]
fn digests_match_the_released_versions() {
    assert!(
        RELEASED.iter().any(|(v, _)| *v == GENERATOR_VERSION),
        "{GENERATOR_VERSION} is not in RELEASED (its digest is {})",
        Generation::current().digest()
    );
    for (version, digest) in RELEASED {
        let generation = Generation::frozen(version)
            .unwrap_or_else(|| panic!("generation {version} is not embedded or does not parse"));
        assert_eq!(generation.version, *version);
        assert_eq!(generation.digest(), *digest, "digest of {version}");
    }
    for (version, _) in FROZEN {
        assert!(
            RELEASED.iter().any(|(v, _)| v == version),
            "{version} frozen, not released"
        );
    }
}

#[test]
fn versions_are_ordered_numerically() {
    assert!(is_outdated("0.0.9"));
    assert!(!is_outdated(GENERATOR_VERSION));
    assert!(!is_outdated("999.0.0"));
    assert!(!is_outdated("not a version"));
    assert!(numeric("0.10.0") > numeric("0.9.0"));
}

/// A scaffold command line of the golden corpus as a request.
fn request_from_args(args: &[String]) -> ScaffoldRequest {
    let mut request = ScaffoldRequest::new(args[0].clone());
    let mut details = PackageDetails::default();
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-certification" {
            request = request.include_certification(false);
            continue;
        }
        let value = rest.next().unwrap().clone();
        match flag.as_str() {
            "--connector-type" => request = request.connector_type(value),
            "--capability" => request = request.capability(value),
            "--native-capability" => request = request.native_capability(value),
            "--package-prefix" => request = request.package_prefix(value),
            "--author" => details.author = Some(value),
            "--email" => details.email = Some(value),
            "--license" => details.license = Some(value),
            "--description" => details.description = Some(value),
            "--python" => details.python = Some(value),
            other => panic!("unknown flag {other} in the golden corpus"),
        }
    }
    request.details(details)
}

/// Every frozen generation of a released version renders exactly what its release binary
/// wrote (`tests/golden/generations/<version>/`, captured by `capture.py` there). The
/// version under development has no release binary yet: its frozen generation is the code's
/// (`current_generation_is_frozen`), and its golden packages are captured when it is
/// released, before the next version changes any template.
#[test]
fn frozen_generations_render_their_release_output() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/generations");
    for (version, _) in FROZEN.iter().filter(|(v, _)| *v != GENERATOR_VERSION) {
        let generation = Generation::frozen(version).unwrap();
        let cases: Vec<PathBuf> = std::fs::read_dir(golden.join(version))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(cases.len() >= 4, "golden packages of {version} are missing");
        for case in cases {
            let record: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
            let args: Vec<String> = serde_json::from_value(record["args"].clone()).unwrap();
            let expected: indexmap::IndexMap<String, String> =
                serde_json::from_value(record["files"].clone()).unwrap();
            let request = request_from_args(&args);
            let identity = identify(&request).unwrap();
            let metadata = resolve_details(&request.details).unwrap();
            let files = render_generation(
                generation,
                &identity,
                &metadata,
                request.include_certification,
            );
            let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
            paths.sort_unstable();
            let mut want: Vec<&str> = expected.keys().map(String::as_str).collect();
            want.sort_unstable();
            assert_eq!(paths, want, "{}", case.display());
            for file in &files {
                assert!(
                    expected[&file.path] == file.contents,
                    "{version} {} {}:\n{}",
                    case.display(),
                    file.path,
                    similar::TextDiff::from_lines(&expected[&file.path], &file.contents)
                        .unified_diff()
                );
            }
        }
    }
}
