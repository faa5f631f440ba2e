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

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

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
