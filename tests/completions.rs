//! `dpone-connectors completions`, and the example every subcommand's --help carries.

mod common;

use common::{run, subcommands};
use std::io::Write as _;
use std::process::{Command as Process, Stdio};

use rstest::rstest;

#[rstest]
#[case::bash("bash", "complete -F _dpone__connectors")]
#[case::zsh("zsh", "#compdef dpone-connectors")]
#[case::fish("fish", "complete -c dpone-connectors")]
#[case::elvish("elvish", "dpone-connectors")]
#[case::powershell("powershell", "dpone-connectors")]
fn each_shell_gets_a_script_covering_every_subcommand(#[case] shell: &str, #[case] marker: &str) {
    let (code, script, stderr) = run(&["completions", shell]);
    assert_eq!(code, 0, "{stderr}");
    assert!(script.contains(marker), "{script}");
    let names = subcommands();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        assert!(script.contains(&name), "{shell} script lacks {name}");
    }
}

#[test]
fn completions_offer_the_registry_names_and_the_new_flags() {
    let (_, script, _) = run(&["completions", "bash"]);
    for word in ["--native-capability", "--dry-run", "--force"] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
    for capability in dpone_connector_sdk::registry().unwrap().all() {
        assert!(
            script.contains(capability.name()),
            "bash completion lacks {}",
            capability.name()
        );
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let (_, script, _) = run(&["completions", "bash"]);
    let Ok(mut bash) = Process::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        common::cannot_run(
            common::Missing::Tools,
            "bash is not installed; the bash script's syntax is not checked",
        );
        return;
    };
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = bash.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_bash_script_completes_subcommands() {
    // Source the script and ask it for completions of `dpone-connectors ch`.
    let (_, script, _) = run(&["completions", "bash"]);
    let probe = format!(
        "{script}\nCOMP_WORDS=(dpone-connectors ch)\nCOMP_CWORD=1\n_dpone__connectors dpone-connectors ch dpone-connectors\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let Ok(output) = Process::new("bash").arg("-c").arg(&probe).output() else {
        common::cannot_run(
            common::Missing::Tools,
            "bash is not installed; bash completion is not exercised",
        );
        return;
    };
    let words = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        words.trim(),
        "check",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("tcsh"), "{stderr}");
}

#[test]
fn every_subcommand_help_shows_an_example() {
    for name in subcommands() {
        let (code, help, _) = run(&[&name, "--help"]);
        assert_eq!(code, 0, "{name}");
        let example = help
            .lines()
            .skip_while(|line| !line.starts_with("Example"))
            .find(|line| line.contains(&format!("dpone-connectors {name}")));
        assert!(example.is_some(), "`{name} --help` has no example:\n{help}");
    }
}

/// The CLI reference documents every flag of the lifecycle subcommands.
#[rstest]
#[case("capabilities")]
#[case("check")]
#[case("add-capability")]
#[case("completions")]
fn every_flag_is_in_the_cli_reference(#[case] name: &str) {
    let reference = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md"),
    )
    .unwrap();
    let heading = format!("## `dpone-connectors {name}");
    let start = reference
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for {name}"));
    let section = &reference[start..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    let (_, help, _) = run(&[name, "--help"]);
    let flags: Vec<&str> = help
        .split_whitespace()
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .map(|word| word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|flag| *flag != "--help")
        .collect();
    for flag in flags {
        assert!(
            section.contains(&format!("`{flag}")),
            "docs/cli.md lacks {flag} for {name}"
        );
    }
}

#[test]
fn quiet_still_prints_the_script_that_was_asked_for() {
    let (code, quiet, _) = run(&["completions", "bash", "--quiet"]);
    assert_eq!(code, 0);
    assert_eq!(quiet, run(&["completions", "bash"]).1);
    assert!(quiet.contains("complete -F _dpone__connectors"), "{quiet}");
}
