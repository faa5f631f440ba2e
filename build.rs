//! Gathers every `capabilities/*.rs` file into one generated module list, so that adding a
//! capability is dropping one file into `capabilities/` and editing nothing else.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest_dir.join("capabilities");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("the capabilities/ directory exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| path.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    let mut out = String::new();
    for name in &names {
        let path = dir.join(format!("{name}.rs"));
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "#[path = {:?}]\nmod {name};",
            path.display().to_string()
        )
        .expect("write to string");
    }
    writeln!(
        out,
        "/// The capability module files compiled into this build, sorted."
    )
    .expect("write to string");
    writeln!(out, "pub const MODULE_FILES: &[&str] = &{names:?};").expect("write to string");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("capability_modules.rs"), out).expect("write the generated module list");

    // One named rstest case per module, for tests/registry.rs: a new module is tested
    // without editing any list.
    let mut cases = String::from("#[rstest::rstest]\n");
    for name in &names {
        writeln!(cases, "#[case::{name}({name:?})]").expect("write to string");
    }
    cases.push_str("fn each_capability_module(#[case] module: &str) {\n    check_capability_module(module);\n}\n");
    fs::write(out_dir.join("capability_cases.rs"), cases).expect("write the generated test cases");
}
