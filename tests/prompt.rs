//! `scaffold` without NAME asks for it, the connector type and the capabilities, in a real
//! pseudo-terminal (stdin, stdout and stderr all a terminal, as for a person); and never asks
//! when `CI` is set or with `--no-input`, even at a terminal.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{spawn_command, PtySession};
use tempfile::TempDir;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const SPACE: &str = " ";

fn scaffold_at_a_terminal(dir: &Path, args: &[&str], ci: Option<&str>) -> PtySession {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("dpone-connectors"));
    command
        .current_dir(dir)
        .args(["scaffold", "--root", "out"])
        .args(args)
        .env("TERM", "xterm")
        .env("DPONE_CONNECTORS_CONFIG", dir.join("none.toml"));
    std::fs::write(dir.join("none.toml"), "").unwrap();
    match ci {
        Some(value) => command.env("CI", value),
        None => command.env_remove("CI"),
    };
    spawn_command(command, Some(20_000)).unwrap()
}

/// Types `keys` and lets the prompt take them in before the next ones, as a person would.
fn press(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
}

fn exit_code(session: &PtySession) -> i32 {
    match session.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the command did not exit: {other:?}"),
    }
}

#[test]
fn a_person_at_a_terminal_is_asked_for_name_type_and_capabilities() {
    let dir = TempDir::new().unwrap();
    let mut p = scaffold_at_a_terminal(dir.path(), &[], None);
    p.exp_string("Connector name").unwrap();
    // A name that normalizes to nothing is refused and asked again.
    press(&mut p, "!!!");
    press(&mut p, ENTER);
    p.exp_string("must contain at least one alphanumeric character")
        .unwrap();
    press(&mut p, &"\x7f".repeat(3));
    press(&mut p, "Orders API");
    press(&mut p, ENTER);
    p.exp_string("Connector type").unwrap();
    press(&mut p, DOWN); // api -> database
    press(&mut p, ENTER);
    p.exp_string("Capabilities").unwrap();
    // source starts selected; add sink (the next one).
    press(&mut p, DOWN);
    press(&mut p, SPACE);
    press(&mut p, ENTER);
    p.exp_string("Native transfer capabilities").unwrap();
    press(&mut p, SPACE); // the first native, stream_export
    press(&mut p, ENTER);
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    let manifest = std::fs::read_to_string(
        dir.path()
            .join("out/dpone-connector-orders-api/dpone_connector_manifest.json"),
    )
    .unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["connector"], "orders_api");
    assert_eq!(manifest["connector_type"], "database");
    assert_eq!(
        manifest["capabilities"],
        serde_json::json!(["source", "sink"])
    );
    assert_eq!(
        manifest["native_capabilities"],
        serde_json::json!(["stream_export"])
    );
}

#[test]
fn flags_given_are_not_asked_again() {
    let dir = TempDir::new().unwrap();
    let args = [
        "--connector-type",
        "file",
        "--capability",
        "state",
        "--native-capability",
        "file_export",
    ];
    let mut p = scaffold_at_a_terminal(dir.path(), &args, None);
    p.exp_string("Connector name").unwrap();
    press(&mut p, "files");
    press(&mut p, ENTER);
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    assert!(dir
        .path()
        .join("out/dpone-connector-files/src/dpone_connector_files/state.py")
        .is_file());
}

#[test]
fn ci_and_no_input_never_ask_even_at_a_terminal() {
    for (args, ci) in [(&[][..], Some("true")), (&["--no-input"][..], None)] {
        let dir = TempDir::new().unwrap();
        let mut p = scaffold_at_a_terminal(dir.path(), args, ci);
        let output = p.exp_eof().unwrap();
        assert_eq!(exit_code(&p), 2, "{args:?} {ci:?}: {output}");
        assert!(
            output.contains("a connector NAME or --from FILE is required"),
            "{output}"
        );
        assert!(!output.contains("Connector name"), "asked anyway: {output}");
        assert!(!dir.path().join("out").exists());
    }
}

/// Ctrl-C at the capability prompt (the selection hides the cursor): the cursor is shown
/// again, the command says it was interrupted, exits 130 and writes nothing.
#[test]
fn ctrl_c_at_a_prompt_restores_the_cursor_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut p = scaffold_at_a_terminal(dir.path(), &[], None);
    p.exp_string("Connector name").unwrap();
    press(&mut p, "orders");
    press(&mut p, ENTER);
    p.exp_string("Connector type").unwrap();
    press(&mut p, ENTER);
    p.exp_string("Capabilities").unwrap();
    press(&mut p, "\x03");
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("\x1b[?25h"), "cursor still hidden: {rest:?}");
    assert!(rest.contains("interrupted by SIGINT"), "{rest:?}");
    assert_eq!(exit_code(&p), 130);
    assert!(!dir.path().join("out").exists());
}
