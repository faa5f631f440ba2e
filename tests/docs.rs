//! The documentation is true: relative links resolve, and every flag of every subcommand is
//! in the CLI reference.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// `[text](target)` links in a markdown file, outside code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let path = link.split('#').next().unwrap_or_default();
            let target = file.parent().unwrap_or(Path::new(".")).join(path);
            if !target.exists() {
                broken.push(format!("{}: {link}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

fn help(args: &[&str]) -> String {
    let out = Command::cargo_bin("dpone-connectors")
        .unwrap()
        .args(args)
        .arg("--help")
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Subcommand names from the top-level help's `Commands:` section.
fn subcommands() -> Vec<String> {
    let text = help(&[]);
    text.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect()
}

/// Long flags from a subcommand's help.
fn flags(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace() || c == ',' || c == '[' || c == ']' || c == '=' || c == '<'
    })
    .filter(|w| w.starts_with("--") && w.len() > 2)
    .map(|w| w.trim_end_matches(['.', ')']).to_owned())
    .filter(|w| w != "--help" && w != "--version")
    .collect()
}

/// The text of a subcommand's section: from its `## `dpone-connectors NAME` heading to the
/// next `## ` heading.
fn section<'a>(reference: &'a str, command: &str) -> Option<&'a str> {
    let heading = format!("## `dpone-connectors {command}");
    let start = reference.find(&heading)?;
    let body = &reference[start + heading.len()..];
    Some(&body[..body.find("\n## ").unwrap_or(body.len())])
}

#[test]
fn every_flag_of_every_subcommand_is_in_the_cli_reference() {
    let reference = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let commands = subcommands();
    assert!(commands.contains(&"scaffold".to_owned()), "{commands:?}");
    let mut missing = Vec::new();
    for command in commands {
        let Some(section) = section(&reference, &command) else {
            missing.push(format!("a `## `dpone-connectors {command} ...`` section"));
            continue;
        };
        for flag in flags(&help(&[&command])) {
            if !section.contains(&format!("`{flag}")) {
                missing.push(format!("{command} {flag}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing from docs/cli.md:\n{}",
        missing.join("\n")
    );
}

/// The lines under `Examples:` at the end of a help text.
fn examples(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn every_help_example_is_one_line_and_in_the_cli_reference() {
    let reference = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let mut missing = Vec::new();
    for command in subcommands() {
        let examples = examples(&help(&[&command]));
        if examples.is_empty() {
            missing.push(format!("{command}: no `Examples:` in --help"));
        }
        let section = section(&reference, &command).unwrap_or_default();
        for example in examples {
            assert!(
                example.starts_with(&format!("dpone-connectors {command}")),
                "{command}: `{example}` is not one command on its own line"
            );
            // An example with a shell redirection is given as is; a comment may follow.
            if !section.lines().any(|l| l.starts_with(&example)) {
                missing.push(format!("{command}: {example}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "help examples missing from docs/cli.md:\n{}",
        missing.join("\n")
    );
}

/// The exit statuses the reference promises are the ones the binary uses.
#[test]
fn the_exit_statuses_of_the_reference_are_the_binarys() {
    use dpone_connector_sdk::cli::{EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED};
    let reference = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let claim = format!("{EXIT_OK} on success, {EXIT_CHECK_FAILED} when a check ran and failed");
    assert!(reference.contains(&claim), "docs/cli.md lacks `{claim}`");
    assert!(reference.contains(&format!("{EXIT_REFUSED} on bad input")));
    // A usage error exits with that status, in one `error:` line.
    let out = Command::cargo_bin("dpone-connectors")
        .unwrap()
        .args(["scaffold", "x", "--fromat", "json"])
        .assert()
        .code(i32::from(EXIT_REFUSED));
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(
        stderr.contains("'--format'") && stderr.contains("dpone-connectors scaffold --help"),
        "{stderr}"
    );
}

/// The JSON error sample of the reference is what the binary prints for that error.
#[test]
fn the_json_error_sample_is_the_binarys() {
    let reference = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let sample = reference
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(r#"{"error":"#))
        .expect("a JSON error sample in docs/cli.md");
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("dpone-connectors")
        .unwrap()
        .current_dir(dir.path())
        .args(["certify", "nope", "--format", "json"])
        .assert()
        .code(2)
        .stdout("");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end(), sample);
}

/// Runs `args` in `cwd` and returns the exit status.
fn status_in(cwd: &Path, args: &[&str]) -> i32 {
    Command::cargo_bin("dpone-connectors")
        .unwrap()
        .current_dir(cwd)
        .env_remove("CI")
        .args(args)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap_or(-1)
}

/// The exit-status table of docs/cli.md: command -> the cells for 0, 1 and 2.
fn exit_table(reference: &str) -> Vec<(String, [String; 3])> {
    reference
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("| command | 0 | 1 | 2 |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().to_owned()).collect();
            let command = cells[1].trim_matches('`').to_owned();
            (
                command,
                [cells[2].clone(), cells[3].clone(), cells[4].clone()],
            )
        })
        .collect()
}

#[test]
fn every_exit_status_the_reference_claims_is_what_the_command_does() {
    let reference = fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let table = exit_table(&reference);
    let mut commands: Vec<&str> = table.iter().map(|(c, _)| c.as_str()).collect();
    commands.sort_unstable();
    let mut listed = subcommands();
    listed.sort();
    assert_eq!(commands, listed, "the exit table covers every command");

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert_eq!(status_in(dir, &["scaffold", "demo"]), 0);
    let package = "dpone-connector-demo";
    // One case per claimed cell (a broken registry cannot be built from outside).
    let cases: &[(&str, i32, &[&str])] = &[
        ("scaffold", 0, &["scaffold", "demo", "--dry-run"]),
        ("scaffold", 2, &["scaffold", "!!!"]),
        ("certify", 0, &["certify", package, "--report-only"]),
        ("certify", 1, &["certify", package]),
        ("certify", 2, &["certify", "."]),
        ("check", 0, &["check", package]),
        ("check", 2, &["check", "absent"]),
        ("list", 0, &["list"]),
        ("list", 2, &["list", "absent"]),
        (
            "add-capability",
            0,
            &[
                "add-capability",
                package,
                "--capability",
                "sink",
                "--dry-run",
            ],
        ),
        (
            "add-capability",
            2,
            &["add-capability", package, "--capability", "teleport"],
        ),
        ("update", 0, &["update", package]),
        ("update", 2, &["update", "absent"]),
        ("capabilities", 0, &["capabilities"]),
        ("completions", 0, &["completions", "bash"]),
        ("completions", 2, &["completions", "tcsh"]),
    ];
    for (command, code, args) in cases {
        let (_, cells) = table.iter().find(|(c, _)| c == command).unwrap();
        let cell = &cells[usize::try_from(*code).unwrap()];
        assert_ne!(
            cell, "never",
            "{command}: docs say never {code}, a case gives it"
        );
        assert_eq!(status_in(dir, args), *code, "{command} {args:?}: {cell}");
    }
    // The 1s the table claims, made real: a contract file edited is drift for check and a
    // problem for a strict listing.
    let manifest = dir.join(package).join("certification/certification.yaml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str("# edited\n");
    fs::write(&manifest, text).unwrap();
    assert_eq!(
        status_in(dir, &["check", package]),
        1,
        "check: contract drift"
    );
    assert_eq!(status_in(dir, &["list", "--strict"]), 1, "list --strict");
    // Every command the table says never exits 1 is checked above to exit 0 or 2 only.
    for (command, cells) in &table {
        if cells[1] == "never" {
            assert!(
                cases.iter().any(|(c, _, _)| c == command),
                "{command} has no case"
            );
        }
    }
}
