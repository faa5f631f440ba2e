//! The contract files, compared byte for byte with golden files captured from the reference
//! (dpone 0.88.0) by `tests/golden/capture_reference.py`.

mod common;

use common::strings;
use std::fs;
use std::path::Path;

use dpone_connector_sdk::yaml::Node;
use dpone_connector_sdk::{plan_package, ScaffoldRequest};
use serde_json::Value;

fn golden_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"))
}

#[test]
fn contract_files_are_byte_identical_to_the_reference() {
    let cases: Value =
        serde_json::from_str(&fs::read_to_string(golden_dir().join("cases.json")).unwrap())
            .unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 10, "the golden corpus is missing cases");
    for case in cases {
        let mut request = ScaffoldRequest::new(case["name"].as_str().unwrap())
            .connector_type(case["connector_type"].as_str().unwrap());
        for capability in strings(&case["capabilities"]) {
            request = request.capability(capability);
        }
        for native in strings(&case["native_capabilities"]) {
            request = request.native_capability(native);
        }
        let plan = plan_package(&request).unwrap();
        let dir = golden_dir().join(case["dir"].as_str().unwrap());
        for (golden, planned) in [
            ("certification.yaml", "certification/certification.yaml"),
            (
                "dpone_connector_manifest.json",
                "dpone_connector_manifest.json",
            ),
        ] {
            let expected = fs::read_to_string(dir.join(golden)).unwrap();
            let actual = &plan
                .files
                .iter()
                .find(|f| f.path == planned)
                .unwrap()
                .contents;
            if &expected != actual {
                panic!(
                    "{planned} differs from the reference for {:?}:\n{}",
                    case["name"],
                    similar::TextDiff::from_lines(&expected, actual).unified_diff()
                );
            }
        }
        let result = &case["result"];
        assert_eq!(
            plan.identity.connector,
            result["connector"].as_str().unwrap()
        );
        assert_eq!(
            plan.identity.connector_type,
            result["connector_type"].as_str().unwrap()
        );
        assert_eq!(
            plan.identity.capability_names(),
            strings(&result["capabilities"])
        );
        assert_eq!(
            plan.identity.native_capability_names(),
            strings(&result["native_capabilities"])
        );
        assert_eq!(
            plan.identity.package_name,
            result["package_name"].as_str().unwrap()
        );
        assert_eq!(
            plan.identity.import_package,
            result["import_package"].as_str().unwrap()
        );
    }
}

#[test]
fn yaml_scalars_are_quoted_like_pyyaml() {
    let samples: Vec<(String, String)> =
        serde_json::from_str(&fs::read_to_string(golden_dir().join("yaml_scalars.json")).unwrap())
            .unwrap();
    let mismatches: Vec<String> = samples
        .iter()
        .filter_map(|(value, expected)| {
            let actual = Node::map().with("k", Node::str(value.clone())).to_yaml();
            (&actual != expected)
                .then(|| format!("{value:?}: ours {actual:?}, PyYAML {expected:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
