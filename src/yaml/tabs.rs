//! Tabs where PyYAML refuses them. Its scanner never skips a tab between tokens, so a tab
//! is only accepted inside a quoted scalar, inside block-scalar content or in a comment;
//! YAML 1.2 parsers accept more (`key:\tvalue`, tab-indented lines).

use std::collections::HashMap;

use yaml_rust2::scanner::TScalarStyle;

use super::error::YamlError;

/// PyYAML's scanner never skips a tab between tokens: a tab is only accepted inside a quoted
/// scalar, inside a block scalar's content (past its indentation) or in a comment. YAML 1.2
/// parsers accept more, so the tabs they let through are checked here. `scalars` are the
/// (line, column, style) of every quoted and block scalar, as the parser reported them (a
/// quoted scalar at its opening quote, a block scalar at its first content character).
pub fn check_tabs(text: &str, scalars: &[(usize, usize, TScalarStyle)]) -> Result<(), YamlError> {
    if !text.contains('\t') {
        return Ok(());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut line_starts = vec![0];
    line_starts.extend(
        chars
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == '\n')
            .map(|(i, _)| i + 1),
    );
    let starts: HashMap<usize, (TScalarStyle, usize)> = scalars
        .iter()
        .filter_map(|&(line, col, style)| {
            let start = line_starts.get(line.checked_sub(1)?)?;
            Some((start + col, (style, col)))
        })
        .collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(style, col)) = starts.get(&i) {
            let end = match style {
                TScalarStyle::SingleQuoted => skip_single_quoted(&chars, i),
                TScalarStyle::DoubleQuoted => skip_double_quoted(&chars, i),
                TScalarStyle::Literal | TScalarStyle::Folded => skip_block_body(&chars, i, col),
                TScalarStyle::Plain => i,
            };
            if end > i {
                i = end;
                continue;
            }
        }
        match chars[i] {
            '#' if i == 0 || matches!(chars[i - 1], ' ' | '\n') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\t' => {
                let line = line_starts.partition_point(|&s| s <= i);
                return Err(YamlError::Tab(line));
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn skip_single_quoted(chars: &[char], start: usize) -> usize {
    if chars.get(start) != Some(&'\'') {
        return start;
    }
    let mut j = start + 1;
    while j < chars.len() {
        if chars[j] == '\'' {
            if chars.get(j + 1) == Some(&'\'') {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    j
}

fn skip_double_quoted(chars: &[char], start: usize) -> usize {
    if chars.get(start) != Some(&'"') {
        return start;
    }
    let mut j = start + 1;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            '"' => return j + 1,
            _ => j += 1,
        }
    }
    j.min(chars.len())
}

/// From the first content character of a block scalar indented `indent` columns, the start
/// of the first line that is no longer content (fewer spaces than `indent`, not blank).
fn skip_block_body(chars: &[char], start: usize, indent: usize) -> usize {
    if indent == 0 {
        return start;
    }
    let mut line_start = start - indent.min(start);
    while line_start < chars.len() {
        let spaces = chars[line_start..]
            .iter()
            .take_while(|c| **c == ' ')
            .count();
        let after = chars.get(line_start + spaces);
        if spaces < indent && !matches!(after, None | Some('\n')) {
            return line_start;
        }
        match chars[line_start..].iter().position(|c| *c == '\n') {
            Some(offset) => line_start += offset + 1,
            None => return chars.len(),
        }
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_between_tokens_are_refused() {
        for text in ["\ta: 1\n", "a:\tb\n", "a: b\t\n", "a: b\n \t\nc: d\n"] {
            assert!(check_tabs(text, &[]).is_err(), "{text:?}");
        }
    }

    #[test]
    fn tabs_in_comments_quotes_and_block_content_are_fine() {
        assert_eq!(check_tabs("a: b # x\ty\n# \t\n", &[]), Ok(()));
        let quoted = "a: 'x\ty'\nb: \"p\\\"\tq\"\n";
        let marks = [
            (1, 3, TScalarStyle::SingleQuoted),
            (2, 3, TScalarStyle::DoubleQuoted),
        ];
        assert_eq!(check_tabs(quoted, &marks), Ok(()));
        let block = "a: |\n  x\ty\n\n  \tz\nb: c\n";
        assert_eq!(check_tabs(block, &[(2, 2, TScalarStyle::Literal)]), Ok(()));
        // A tab before the block's indentation ends the block and is refused.
        let outdented = "a: |\n  x\n\tb: 1\n";
        assert!(check_tabs(outdented, &[(2, 2, TScalarStyle::Literal)]).is_err());
    }
}
