//! Every doc section that lists capabilities is generated from the registry by
//! `bash scripts/regen-docs.sh` (`<!-- generated:KEY -->` markers, written by
//! `scripts/regen_docs.py`). This test runs the same script with `--check`: it compares and
//! never rewrites, and a stale doc fails with the diff and the command that fixes it.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_doc_sections_match_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("python3")
        .arg(root.join("scripts/regen_docs.py"))
        .args(["--check", "--bin", env!("CARGO_BIN_EXE_dpone-connectors")])
        .output()
        .expect("python3 runs scripts/regen_docs.py");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_generated_sections_are_there() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let capabilities = std::fs::read_to_string(root.join("docs/capabilities.md")).unwrap();
    assert!(capabilities.contains("<!-- generated:capabilities-table"));
    let cli = std::fs::read_to_string(root.join("docs/cli.md")).unwrap();
    assert!(cli.contains("<!-- generated:runtime-names -->"));
    assert!(cli.contains("<!-- generated:native-names -->"));
    let certification = std::fs::read_to_string(root.join("docs/certification.md")).unwrap();
    assert!(certification.contains("<!-- generated:required-tests-table"));
}
