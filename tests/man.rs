//! `dpone-connectors man`: the manual pages, from the same definition as `--help`.

mod common;

use common::{run, subcommands};

/// Long flags of a help text.
fn flags(help: &str) -> Vec<String> {
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']' || c == '<')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches(['.', ')']).to_owned())
        .collect()
}

#[test]
fn the_main_page_names_every_command_and_is_not_itself_listed() {
    let (code, page, stderr) = run(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH dpone-connectors 1"),
        "{page}"
    );
    assert!(page.contains(".TH dpone-connectors 1"), "{page}");
    let names = subcommands();
    assert!(names.len() >= 7, "{names:?}");
    assert!(
        !names.contains(&"man".to_owned()),
        "man is for installing, not listed"
    );
    for name in names {
        let roff = name.replace('-', "\\-");
        assert!(page.contains(&roff), "the page lacks {name}");
    }
}

#[test]
fn each_command_has_a_page_with_every_flag_of_its_help() {
    for name in subcommands() {
        let (code, page, stderr) = run(&["man", &name]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let title = format!(".TH dpone-connectors-{name} 1");
        assert!(
            page.contains(&title.replace("-", "\\-")) || page.contains(&title),
            "{name}: {page}"
        );
        let (_, help, _) = run(&[&name, "--help"]);
        for flag in flags(&help) {
            let roff = flag.replace('-', "\\-");
            assert!(page.contains(&roff), "{name}: the page lacks {flag}");
        }
    }
}

#[test]
fn quiet_does_not_hide_the_page_and_an_unknown_command_is_refused() {
    assert_eq!(run(&["man", "-q"]).1, run(&["man"]).1);
    let (code, stdout, stderr) = run(&["man", "teleport"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: no manual page for `teleport`; the commands are: add-capability, capabilities, certify, "),
        "{stderr}"
    );
}
