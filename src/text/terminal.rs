//! Text bound for a terminal: a connector name, a path or an evidence message read from a
//! package may hold escape sequences that would recolor, retitle or rewrite the screen.

use std::borrow::Cow;

/// Whether `c` would act on a terminal or reorder text instead of showing: C0 controls other
/// than newline and tab, DEL, C1 controls, and the bidirectional overrides and isolates.
fn acts(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that would act on a terminal shown as an escape (`\u{1b}`);
/// text without one is borrowed as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path or a name from the file system, for one line of a report: every character that
/// acts on a terminal escaped as [`visible`] does, newlines and tabs too (a name holding
/// one would break the line), and each byte that is not UTF-8 as `\xNN`, so two different
/// names never print the same and nothing a directory is called reaches the terminal raw.
pub fn escaped_path(path: &std::path::Path) -> String {
    escaped_bytes(path.as_os_str().as_encoded_bytes())
}

/// A path as text without losing what tells two names apart: UTF-8 as it is (controls
/// included: JSON escapes them, [`escaped_name`] before a terminal), each byte that is not
/// UTF-8 as `\xNN` rather than U+FFFD, which every such byte would collapse into.
pub fn path_text(path: &std::path::Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// [`escaped_path`] for a name or value already held as text.
pub fn escaped_name(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| acts(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escaped_bytes(text.as_bytes()))
}

fn escaped_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if acts(c) || c == '\n' || c == '\t' {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn a_path_with_an_escape_sequence_prints_it_escaped() {
        assert_eq!(
            escaped_path(std::path::Path::new("a/b\u{1b}]0;x\u{7}")),
            "a/b\\u{1b}]0;x\\u{7}"
        );
    }

    #[test]
    fn paths_are_escaped_whole() {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(b"grp\xff/a\nb\tc\x1b[2J"));
        assert_eq!(escaped_path(path), "grp\\xff/a\\u{a}b\\u{9}c\\u{1b}[2J");
        assert_eq!(escaped_name("plain/name"), "plain/name");
        assert_eq!(escaped_name("x\u{9b}y"), "x\\u{9b}y");
    }

    #[rstest]
    #[case("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}")]
    #[case("\r", "\\u{d}")]
    #[case("\u{9b}2J", "\\u{9b}2J")]
    #[case("abc\u{202e}fed", "abc\\u{202e}fed")]
    #[case("tab\tand\nnewline", "tab\tand\nnewline")]
    #[case("ünïcödé 日本", "ünïcödé 日本")]
    #[case("a\u{1b}[31mb\n", "a\\u{1b}[31mb\n")]
    #[case("plain", "plain")]
    fn controls_become_visible(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(visible(text), expected);
    }
}
