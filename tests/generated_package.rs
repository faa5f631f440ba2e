//! The generated package is a working Python package: its tests catch a broken module and a
//! manifest that disagrees with the package, and its examples are pipeline manifests. (That
//! each capability's package passes its own suite, alone and with the others, is the
//! contract kit's rule: `tests/contract_kit.rs`.)
//! Needs `python3` with pytest (`.ci/run` installs it); fails loudly without.

use std::path::{Path, PathBuf};
use std::process::Command;

use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{scaffold, ScaffoldRequest};
use tempfile::TempDir;

fn generate(root: &Path, capabilities: &[&str], natives: &[&str]) -> PathBuf {
    let mut request = ScaffoldRequest::new("Acme Orders")
        .root(root)
        .connector_type("database");
    for c in capabilities {
        request = request.capability(*c);
    }
    for n in natives {
        request = request.native_capability(*n);
    }
    let result = scaffold(
        &request,
        &WriteOptions {
            durable: false,
            ..WriteOptions::default()
        },
    )
    .unwrap();
    PathBuf::from(result.sdk_root)
}

fn pytest(package: &Path) -> (bool, String) {
    let output = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(package)
        .env_remove("PYTHONPATH")
        .output()
        .expect("python3 must be installed to test generated packages");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        !text.contains("No module named pytest"),
        "pytest is not installed for python3: {text}"
    );
    (output.status.success(), text)
}

#[test]
fn generated_tests_catch_a_broken_module() {
    let tmp = TempDir::new().unwrap();
    let package = tmp.path().join(generate(tmp.path(), &["source"], &[]));
    let module = package.join("src/dpone_connector_acme_orders/source.py");
    let code = std::fs::read_to_string(&module).unwrap();
    // Break incremental extraction: it now ignores the saved cursor.
    std::fs::write(
        &module,
        code.replace("if since is None or value > since:", "if True:"),
    )
    .unwrap();
    let (ok, output) = pytest(&package);
    assert!(
        !ok,
        "the suite must fail when extraction is broken:\n{output}"
    );
    assert!(
        output.contains("test_source_incremental_append_resumes_after_the_saved_cursor"),
        "{output}"
    );
}

#[test]
fn generated_tests_catch_a_manifest_that_disagrees_with_the_package() {
    let tmp = TempDir::new().unwrap();
    let package = tmp
        .path()
        .join(generate(tmp.path(), &["source", "sink"], &[]));
    let manifest = package.join("dpone_connector_manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\"database\"", "\"api\"")).unwrap();
    let (ok, output) = pytest(&package);
    assert!(!ok, "{output}");
    assert!(
        output.contains("test_connector_manifest_matches_the_package"),
        "{output}"
    );
}

#[test]
fn examples_are_complete_pipeline_manifests() {
    let tmp = TempDir::new().unwrap();
    let package = tmp
        .path()
        .join(generate(tmp.path(), &["source", "sink"], &[]));
    let mut examples: Vec<_> = std::fs::read_dir(package.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    examples.sort();
    assert_eq!(examples.len(), 2);
    for example in examples {
        let doc = dpone_connector_sdk::yaml::to_json::load_json(
            &std::fs::read_to_string(&example).unwrap(),
        )
        .unwrap();
        for key in ["name", "source", "sink"] {
            assert!(
                doc.get(key).is_some(),
                "{} has no `{key}`",
                example.display()
            );
        }
        let name = doc["name"].as_str().unwrap();
        assert_eq!(Some(name), example.file_stem().and_then(|s| s.to_str()));
    }
}
