//! Markdown for people: tables whose cells hold arbitrary text.

/// A table cell: a `|` would end the cell early and a newline the whole row, so pipes are
/// escaped and line breaks become spaces. (GitHub strips the escape inside code spans too.)
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn pipes_and_newlines_cannot_break_a_row() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("one\ntwo\r\nthree"), "one two  three");
        assert_eq!(cell(""), "");
    }
}
