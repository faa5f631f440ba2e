//! Errors as the person reads them: one `error:` line on stderr, or with `--format json`
//! one JSON object per error on stderr, `{"error": {"kind", "message", "path"}}`. Either
//! way the exit status says the same.

use std::cell::Cell;
use std::fmt::Display;
use std::io::Write;

use serde::Serialize;

use crate::model::diagnostic::Diagnostic;
use crate::text::terminal::visible;

/// An error ready to print: its kind, its one-line message and the path it is about.
#[derive(Debug, Serialize)]
pub(crate) struct Failure {
    kind: &'static str,
    message: String,
    path: Option<String>,
}

impl Failure {
    /// A failure of the given kind with no path.
    pub(crate) fn new(kind: &'static str, message: impl Display) -> Self {
        Failure {
            kind,
            message: one_line(&message.to_string()),
            path: None,
        }
    }

    /// A bad combination of arguments the parser could not catch.
    pub(crate) fn usage(message: impl Display) -> Self {
        Failure::new("usage", message)
    }

    /// The same failure, its message prefixed with where it happened (`entry 3`).
    pub(crate) fn context(mut self, context: impl Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The path the failure is about.
    pub(crate) fn at(mut self, path: impl Display) -> Self {
        self.path = Some(path.to_string());
        self
    }

    /// What is printed: `error: MESSAGE` or the JSON object, without a newline.
    fn line(&self, json: bool) -> String {
        if json {
            #[derive(Serialize)]
            struct Wrapped<'a> {
                error: &'a Failure,
            }
            serde_json::to_string(&Wrapped { error: self }).unwrap_or_else(|_| {
                r#"{"error":{"kind":"output","message":"cannot encode the error","path":null}}"#
                    .to_owned()
            })
        } else {
            format!("error: {}", self.message)
        }
    }
}

impl<E: Diagnostic + Display> From<E> for Failure {
    fn from(err: E) -> Self {
        let failure = Failure::new(err.kind(), &err);
        match err.path() {
            Some(path) => failure.at(path.display()),
            None => failure,
        }
    }
}

/// A message without newlines or anything that would act on a terminal.
fn one_line(message: &str) -> String {
    visible(message).replace('\n', " ")
}

thread_local! {
    /// Whether this command was asked for `--format json`, so its errors are JSON too.
    static JSON_ERRORS: Cell<bool> = const { Cell::new(false) };
}

/// Sets how errors are printed for the rest of this command.
pub(crate) fn set_json_errors(json: bool) {
    JSON_ERRORS.with(|slot| slot.set(json));
}

/// Whether the command's output is JSON (`--format json`).
pub(crate) fn json_output() -> bool {
    JSON_ERRORS.with(Cell::get)
}

/// Prints one error to stderr, as a line or as JSON.
pub(crate) fn print_error(failure: impl Into<Failure>) {
    let failure = failure.into();
    let line = failure.line(JSON_ERRORS.with(Cell::get));
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Whether raw arguments ask for `--format json` (before, or instead of, parsing them: a
/// usage error is reported the way the command would report its other errors).
pub(crate) fn asks_for_json<T: AsRef<std::ffi::OsStr>>(args: &[T]) -> bool {
    args.windows(2)
        .any(|pair| pair[0].as_ref() == "--format" && pair[1].as_ref() == "json")
        || args.iter().any(|arg| arg.as_ref() == "--format=json")
}

/// A clap usage error as one line: clap's message, its tips, and where to read more: the
/// `--help` of `subcommand` (the one the command line named, when clap's usage line does
/// not say).
pub(crate) fn usage_failure(err: &clap::Error, subcommand: Option<&str>) -> Failure {
    let rendered = err.render().to_string();
    let mut message = String::new();
    let mut command = match subcommand {
        Some(name) => format!("dpone-connectors {name}"),
        None => String::from("dpone-connectors"),
    };
    // The error line and the lines that continue it (missing arguments, possible values)
    // up to the first blank line; then tips; the usage line only names the command.
    let mut in_error = false;
    for line in rendered.lines() {
        let line = line.trim();
        if let Some(first) = line.strip_prefix("error: ") {
            message.push_str(first);
            in_error = true;
        } else if line.is_empty() {
            in_error = false;
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            message.push_str("; ");
            message.push_str(tip);
        } else if in_error {
            message.push(' ');
            message.push_str(line);
        } else if let Some(usage) = line.strip_prefix("Usage: ") {
            // `Usage: dpone-connectors scaffold [OPTIONS] ...`: the command's words.
            let words: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| {
                    !w.starts_with('-') && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                })
                .collect();
            if !words.is_empty() {
                command = words.join(" ");
            }
        }
    }
    if message.is_empty() {
        message = rendered.lines().next().unwrap_or_default().to_owned();
    }
    Failure::usage(format_args!("{message} (see `{command} --help`)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error::WriteError;

    #[test]
    fn a_json_error_names_kind_message_and_path() {
        let failure = Failure::from(WriteError::io(
            "write",
            "pkg/README.md",
            std::io::Error::other("disk full"),
        ));
        let value: serde_json::Value = serde_json::from_str(&failure.line(true)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"error": {"kind": "io", "message": "write pkg/README.md: disk full", "path": "pkg/README.md"}})
        );
        assert_eq!(failure.line(false), "error: write pkg/README.md: disk full");
    }

    #[test]
    fn messages_are_one_line() {
        let failure = Failure::usage("two\nlines").context("entry 1");
        assert_eq!(failure.line(false), "error: entry 1: two lines");
        assert_eq!(failure.path, None);
    }

    #[test]
    fn json_is_asked_for_either_way_of_spelling_it() {
        assert!(asks_for_json(&["x", "--format", "json"]));
        assert!(asks_for_json(&["x", "--format=json"]));
        assert!(!asks_for_json(&["x", "--format", "md", "json"]));
    }
}
