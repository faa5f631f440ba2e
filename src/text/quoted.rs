//! Values quoted in messages: visibly (control characters escaped) and briefly, so an error
//! about a 1 MB value is still one short line.

/// How many characters of a value a message shows.
pub const SHOWN_CHARS: usize = 64;

/// `value` quoted for a message: Rust's debug quoting (control characters and quotes
/// escaped), at most [`SHOWN_CHARS`] characters of it, then how many were left out:
/// `"a\u{1b}b"` for `a`, ESC, `b`.
pub fn quoted(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(SHOWN_CHARS).collect();
    match chars.count() {
        0 => format!("{head:?}"),
        rest => format!("{head:?}… ({rest} more characters)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(quoted(""), "\"\"");
        assert_eq!(quoted("ab\"c"), "\"ab\\\"c\"");
        assert_eq!(quoted("a\u{1b}b"), r#""a\u{1b}b""#);
    }

    #[test]
    fn long_values_say_how_much_was_left_out() {
        assert_eq!(
            quoted(&"x".repeat(70)),
            format!("{:?}… (6 more characters)", "x".repeat(64))
        );
    }

    #[test]
    fn a_huge_value_costs_one_short_line() {
        let line = quoted(&"\n".repeat(1_000_000));
        assert!(line.len() < 200, "{}", line.len());
        assert!(line.ends_with("(999936 more characters)"));
        assert!(!line.contains('\n'));
    }
}
