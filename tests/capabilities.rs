//! `dpone-connectors capabilities`: the registry listing. (The docs table generated from it is
//! compared in `tests/generated_docs.rs`.)

mod common;

use common::run;

use dpone_connector_sdk::{plan_package, registry, CapabilityKind, ScaffoldRequest};
use serde_json::Value;

fn registry_names() -> Vec<&'static str> {
    registry().unwrap().all().iter().map(|c| c.name()).collect()
}

#[test]
fn json_lists_the_registry_in_its_sorted_order() {
    let (code, stdout, _) = run(&["capabilities", "--format", "json"]);
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&stdout).unwrap();
    let entries = listing["capabilities"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, registry_names());
    for (entry, capability) in entries.iter().zip(registry().unwrap().all()) {
        let tests: Vec<&str> = entry["required_tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let names: Vec<&str> = capability.required_tests().iter().map(|t| t.test).collect();
        assert_eq!(tests, names, "{}", capability.name());
        assert_eq!(entry["kind"], capability.kind().as_str());
        assert_eq!(entry["summary"], capability.summary());
    }
}

#[test]
fn text_names_every_capability_once_in_registry_order() {
    let (code, stdout, _) = run(&["capabilities"]);
    assert_eq!(code, 0);
    let headings: Vec<&str> = stdout
        .lines()
        .filter(|line| !line.starts_with(' ') && !line.is_empty())
        .map(|line| line.split(' ').next().unwrap())
        .collect();
    assert_eq!(headings, registry_names());
    assert!(stdout.contains("certification:  capabilities.sink ("));
    assert!(stdout.contains("native_transfer.capabilities.stream_export"));
}

/// The listing is not prose: for every capability in the registry, each declared file,
/// section and test shows up in a package generated with that capability.
#[test]
fn the_listing_matches_what_every_capability_gives_a_package() {
    let (code, stdout, _) = run(&["capabilities", "--format", "json"]);
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&stdout).unwrap();
    let entries = listing["capabilities"].as_array().unwrap();
    assert_eq!(entries.len(), registry().unwrap().all().len());
    for name in registry_names() {
        let entry = entries.iter().find(|c| c["name"] == name).unwrap();
        listing_matches_a_package(name, entry);
    }
}

fn listing_matches_a_package(name: &str, entry: &Value) {
    let capability = registry().unwrap().get(name).unwrap();
    let request = match capability.kind() {
        CapabilityKind::Runtime => ScaffoldRequest::new("probe").capability(name),
        CapabilityKind::NativeTransfer => ScaffoldRequest::new("probe").native_capability(name),
    };
    let plan = plan_package(&request).unwrap();
    let paths: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    for file in entry["files"].as_array().unwrap() {
        let path = file
            .as_str()
            .unwrap()
            .replace("{import_package}", "dpone_connector_probe")
            .replace("{connector}", "probe")
            .replace("{peer}", "postgres");
        assert!(
            paths.contains(&path.as_str()),
            "{name}: {path} not in {paths:?}"
        );
    }
    let certification = plan
        .files
        .iter()
        .find(|f| f.path == "certification/certification.yaml")
        .unwrap();
    let section = entry["certification_section"].as_str().unwrap();
    let key = section.rsplit('.').next().unwrap();
    assert!(
        certification.contents.contains(&format!("\n  {key}:\n"))
            || certification.contents.contains(&format!("\n    {key}:\n")),
        "{name}: {section}"
    );
    for section in entry["sections"].as_array().unwrap() {
        let path = section.as_str().unwrap().replace("{connector}", "probe");
        assert!(
            paths.contains(&path.as_str()),
            "{name}: {path} not in {paths:?}"
        );
    }
    let fields = entry["certification"].as_object().unwrap();
    assert!(!fields.is_empty(), "{name} certifies nothing");
    for field in fields.keys() {
        let line = format!(" {field}:");
        assert!(certification.contents.contains(&line), "{name}: {field}");
    }
    let tests = entry["required_tests"].as_array().unwrap();
    if capability.kind() == CapabilityKind::Runtime {
        assert!(!tests.is_empty(), "{name} lists no required test");
    }
    for test in tests {
        let line = format!("- {}\n", test.as_str().unwrap());
        assert!(certification.contents.contains(&line), "{name}: {line}");
    }
}

#[test]
fn docs_explain_every_required_test_from_the_registry() {
    // `bash scripts/regen-docs.sh` writes the table (`tests/generated_docs.rs` keeps it in
    // sync); independently of it, each test is on a line with its capability and sentence.
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/certification.md"),
    )
    .unwrap();
    for capability in registry().unwrap().all() {
        for test in capability.required_tests() {
            let name = format!("`{}`", test.test);
            let explained = docs.lines().any(|line| {
                line.contains(&name)
                    && line.contains(capability.name())
                    && line.contains(test.proves)
            });
            assert!(
                explained,
                "docs/certification.md does not explain {}.{}",
                capability.name(),
                test.test
            );
        }
    }
}

#[test]
fn json_says_what_each_required_test_proves() {
    let (code, stdout, _) = run(&["capabilities", "--format", "json"]);
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&stdout).unwrap();
    for (entry, capability) in listing["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .zip(registry().unwrap().all())
    {
        let proves = entry["proves"].as_object().unwrap();
        let names: Vec<&str> = proves.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            entry["required_tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect::<Vec<_>>()
        );
        for test in capability.required_tests() {
            assert_eq!(
                proves[test.test],
                test.proves,
                "{}.{}",
                capability.name(),
                test.test
            );
        }
    }
}

#[test]
fn the_listing_is_deterministic() {
    for format in ["text", "json", "md"] {
        assert_eq!(
            run(&["capabilities", "--format", format]).1,
            run(&["capabilities", "--format", format]).1
        );
    }
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let (code, _, stderr) = run(&["capabilities", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("yaml"), "{stderr}");
}
