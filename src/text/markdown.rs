//! Markdown for people: tables whose cells hold arbitrary text.

/// A table cell: a `|` would end the cell early and a newline the whole row, so pipes are
/// escaped and line breaks become spaces. (GitHub strips the escape inside code spans too.)
/// A markdown report is also read on a terminal, so other controls are shown as escapes.
pub fn cell(text: &str) -> String {
    let flat = text.replace('|', "\\|").replace(['\r', '\n'], " ");
    super::terminal::visible(&flat).into_owned()
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn pipes_and_newlines_cannot_break_a_row() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("one\ntwo\r\nthree"), "one two  three");
        assert_eq!(cell("a\u{1b}]0;t\u{7}"), "a\\u{1b}]0;t\\u{7}");
        assert_eq!(cell(""), "");
    }
}
