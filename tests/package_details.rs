//! The person's details: flags win over `DPONE_CONNECTORS_*` variables, which win over the
//! user config file; they shape `pyproject.toml` and `LICENSE`, never the contract files,
//! and `check` reads them back.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

/// `scaffold demo` in `dir` with a config file holding `config` and the given environment.
fn scaffold(
    dir: &Path,
    config: &str,
    env: &[(&str, &str)],
    flags: &[&str],
) -> (i32, String, String) {
    let config_path = dir.join("config.toml");
    fs::write(&config_path, config).unwrap();
    let mut command = assert_cmd::Command::cargo_bin("dpone-connectors").unwrap();
    command
        .current_dir(dir)
        .env("DPONE_CONNECTORS_CONFIG", &config_path)
        .args(["scaffold", "demo", "--root", "out", "--format", "json"])
        .args(flags);
    for var in [
        "DPONE_CONNECTORS_AUTHOR",
        "DPONE_CONNECTORS_EMAIL",
        "DPONE_CONNECTORS_LICENSE",
        "DPONE_CONNECTORS_DESCRIPTION",
        "DPONE_CONNECTORS_PYTHON",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    common::outcome(command.output().unwrap())
}

fn package(dir: &Path) -> PathBuf {
    dir.join("out/dpone-connector-demo")
}

fn pyproject(dir: &Path) -> toml::Table {
    fs::read_to_string(package(dir).join("pyproject.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn flags_win_over_the_environment_which_wins_over_the_config_file() {
    let dir = TempDir::new().unwrap();
    let config = "[scaffold]\nauthor = \"Config Author\"\nemail = \"cfg@example.org\"\nlicense = \"BSD-3-Clause\"\npython = \"3.12\"\n";
    let env = [
        ("DPONE_CONNECTORS_LICENSE", "MIT"),
        ("DPONE_CONNECTORS_AUTHOR", "Env Author"),
    ];
    let (code, _, stderr) = scaffold(dir.path(), config, &env, &["--author", "Flag Author"]);
    assert_eq!(code, 0, "{stderr}");
    let project = pyproject(dir.path());
    let meta = &project["project"];
    assert_eq!(
        meta["license"].as_str(),
        Some("MIT"),
        "environment over config"
    );
    assert_eq!(
        meta["requires-python"].as_str(),
        Some(">=3.12"),
        "config fills the rest"
    );
    let author = &meta["authors"][0];
    assert_eq!(
        author["name"].as_str(),
        Some("Flag Author"),
        "flag over environment"
    );
    assert_eq!(author["email"].as_str(), Some("cfg@example.org"));
    let license = fs::read_to_string(package(dir.path()).join("LICENSE")).unwrap();
    assert!(
        license.starts_with("MIT License\n\nCopyright (c) Flag Author\n"),
        "{license}"
    );
    let tool = &project["tool"]["dpone-connectors"];
    assert_eq!(tool["generator"].as_str(), Some("dpone-connectors"));
    assert_eq!(
        tool["generator-version"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(tool["license"].as_str(), Some("MIT"));
    assert_eq!(
        project["tool"]["mypy"]["python_version"].as_str(),
        Some("3.12")
    );
}

#[test]
fn defaults_are_apache_2_and_python_3_11_only_a_chosen_license_is_a_file_and_the_contract_files_never_change(
) {
    let (plain, custom) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    assert_eq!(scaffold(plain.path(), "", &[], &[]).0, 0);
    let flags = [
        "--author",
        "Ada",
        "--email",
        "ada@example.org",
        "--license",
        "bsd-3-clause",
        "--description",
        "Reads orders.",
        "--python",
        "3.13",
    ];
    let (code, _, stderr) = scaffold(custom.path(), "", &[], &flags);
    assert_eq!(code, 0, "{stderr}");
    let project = pyproject(plain.path());
    assert_eq!(project["project"]["license"].as_str(), Some("Apache-2.0"));
    assert_eq!(
        project["project"]["requires-python"].as_str(),
        Some(">=3.11")
    );
    assert!(project["project"].get("authors").is_none());
    // The default license is metadata only: the contract's file list has no LICENSE.
    assert!(!package(plain.path()).join("LICENSE").exists());
    assert!(project["project"].get("license-files").is_none());
    let bsd = fs::read_to_string(package(custom.path()).join("LICENSE")).unwrap();
    assert!(
        bsd.contains("Redistribution and use in source and binary forms"),
        "{bsd}"
    );
    let custom_project = pyproject(custom.path());
    assert_eq!(
        custom_project["project"]["description"].as_str(),
        Some("Reads orders.")
    );
    assert_eq!(
        custom_project["project"]["license"].as_str(),
        Some("BSD-3-Clause")
    );
    for contract in [
        "dpone_connector_manifest.json",
        "certification/certification.yaml",
    ] {
        assert_eq!(
            fs::read(package(plain.path()).join(contract)).unwrap(),
            fs::read(package(custom.path()).join(contract)).unwrap(),
            "{contract} depends on the details"
        );
    }
}

#[test]
fn bad_details_are_refused_with_one_line_and_nothing_written() {
    for (config, flags, expected) in [
        ("", &["--license", "GPL-3.0-only"][..], "unsupported license \"GPL-3.0-only\"; expected an SPDX id, one of: Apache-2.0, MIT, BSD-3-Clause"),
        ("", &["--python", "3.9"][..], "python \"3.9\" is older than dpone supports (3.11 or later)"),
        ("", &["--email", "nobody"][..], "email \"nobody\" is not an e-mail address"),
        ("[scaffold]\nlicence = \"MIT\"\n", &[][..], "unknown field `licence`"),
    ] {
        let dir = TempDir::new().unwrap();
        let (code, stdout, stderr) = scaffold(dir.path(), config, &[], flags);
        assert_eq!(code, 2, "{flags:?}: {stdout}{stderr}");
        // One JSON error object (the command was asked for JSON) on one line.
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        let error: serde_json::Value = serde_json::from_str(&stderr).unwrap();
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{flags:?}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{flags:?} wrote files");
    }
}

#[test]
fn check_and_add_capability_read_the_recorded_details_back() {
    let dir = TempDir::new().unwrap();
    let flags = ["--license", "MIT", "--author", "Ada", "--python", "3.12"];
    assert_eq!(scaffold(dir.path(), "", &[], &flags).0, 0);
    let pkg = package(dir.path());
    let pkg = pkg.to_str().unwrap();
    let (code, stdout, stderr) = common::run(&["check", pkg, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["notes"], 0, "{stdout}");
    let (code, stdout, stderr) = common::run(&["add-capability", pkg, "--capability", "state"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let license = fs::read_to_string(Path::new(pkg).join("LICENSE")).unwrap();
    assert!(
        license.starts_with("MIT License"),
        "add-capability kept the license"
    );
}

#[test]
fn batch_entries_set_their_own_details_over_the_flags() {
    let dir = TempDir::new().unwrap();
    let spec = "connectors:\n  - name: own\n    license: BSD-3-Clause\n    author: Entry Author\n  - name: flagged\n";
    fs::write(dir.path().join("spec.yaml"), spec).unwrap();
    fs::write(
        dir.path().join("config.toml"),
        "[scaffold]\nauthor = \"Config Author\"\n",
    )
    .unwrap();
    let output = assert_cmd::Command::cargo_bin("dpone-connectors")
        .unwrap()
        .current_dir(dir.path())
        .env("DPONE_CONNECTORS_CONFIG", dir.path().join("config.toml"))
        .env_remove("DPONE_CONNECTORS_AUTHOR")
        .env_remove("DPONE_CONNECTORS_LICENSE")
        .args([
            "scaffold",
            "--from",
            "spec.yaml",
            "--root",
            "out",
            "--license",
            "MIT",
        ])
        .output()
        .unwrap();
    let (code, stdout, stderr) = common::outcome(output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let project = |name: &str| -> toml::Table {
        fs::read_to_string(
            dir.path()
                .join(format!("out/dpone-connector-{name}/pyproject.toml")),
        )
        .unwrap()
        .parse()
        .unwrap()
    };
    let own = project("own");
    assert_eq!(own["project"]["license"].as_str(), Some("BSD-3-Clause"));
    assert_eq!(
        own["project"]["authors"][0]["name"].as_str(),
        Some("Entry Author")
    );
    let flagged = project("flagged");
    assert_eq!(
        flagged["project"]["license"].as_str(),
        Some("MIT"),
        "the flag"
    );
    assert_eq!(
        flagged["project"]["authors"][0]["name"].as_str(),
        Some("Config Author"),
        "the config file"
    );
}
