//! [`Node`] and its emitter: `yaml.safe_dump(data, sort_keys=False)`, byte for byte, for the
//! block-style documents this project generates.

use std::borrow::Cow;

use super::resolver;

/// A YAML value. Mappings keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string scalar.
    Str(Cow<'static, str>),
    /// A boolean scalar (`true` / `false`).
    Bool(bool),
    /// An integer scalar.
    Int(i64),
    /// A block sequence.
    Seq(Vec<Node>),
    /// A block mapping with string keys, in order.
    Map(Vec<(Cow<'static, str>, Node)>),
}

impl Node {
    /// A string scalar from a static or owned string.
    pub fn str(value: impl Into<Cow<'static, str>>) -> Node {
        Node::Str(value.into())
    }

    /// A sequence of static strings.
    pub fn str_seq(values: &[&'static str]) -> Node {
        Node::Seq(
            values
                .iter()
                .map(|v| Node::Str(Cow::Borrowed(*v)))
                .collect(),
        )
    }

    /// An empty mapping.
    pub fn map() -> Node {
        Node::Map(Vec::new())
    }

    /// Appends `key: value` to a mapping (builder style). Does nothing on other nodes.
    pub fn with(mut self, key: impl Into<Cow<'static, str>>, value: Node) -> Node {
        if let Node::Map(entries) = &mut self {
            entries.push((key.into(), value));
        }
        self
    }

    /// Renders the node as a YAML document, PyYAML `safe_dump(sort_keys=False)` style.
    pub fn to_yaml(&self) -> String {
        let mut out = String::with_capacity(2048);
        match self {
            Node::Map(entries) if !entries.is_empty() => emit_map(entries, 0, &mut out),
            Node::Seq(items) if !items.is_empty() => emit_seq(items, 0, &mut out),
            scalar => {
                emit_inline(scalar, &mut out);
                out.push('\n');
                if matches!(scalar, Node::Str(_) | Node::Bool(_) | Node::Int(_)) {
                    out.push_str("...\n");
                }
            }
        }
        out
    }
}

fn indent(out: &mut String, width: usize) {
    out.extend(std::iter::repeat_n(' ', width));
}

fn emit_map(entries: &[(Cow<'static, str>, Node)], level: usize, out: &mut String) {
    for (i, (key, value)) in entries.iter().enumerate() {
        // The first key of a mapping inside a sequence item shares the `- ` line.
        if i > 0 || level == 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        push_scalar(key, out);
        out.push(':');
        match value {
            Node::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_map(inner, level + 2, out);
            }
            // PyYAML writes a sequence inside a mapping at the mapping's own indent.
            Node::Seq(items) if !items.is_empty() => {
                out.push('\n');
                emit_seq(items, level, out);
            }
            scalar => {
                out.push(' ');
                emit_inline(scalar, out);
                out.push('\n');
            }
        }
    }
}

fn emit_seq(items: &[Node], level: usize, out: &mut String) {
    for item in items {
        if !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Node::Map(inner) if !inner.is_empty() => emit_map(inner, level + 2, out),
            Node::Seq(inner) if !inner.is_empty() => emit_seq(inner, level + 2, out),
            scalar => {
                emit_inline(scalar, out);
                out.push('\n');
            }
        }
    }
}

fn emit_inline(node: &Node, out: &mut String) {
    match node {
        Node::Str(s) => push_scalar(s, out),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Seq(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

/// `s` as PyYAML's `safe_dump` writes a string value: plain when a YAML 1.1 reader reads it
/// back as that string, quoted otherwise (`demo`, `'true'`, `'1_0'`, `'~'`). For templates
/// that put a value into generated YAML.
pub fn string_scalar(s: &str) -> String {
    let mut out = String::new();
    push_scalar(s, &mut out);
    out
}

fn push_scalar(s: &str, out: &mut String) {
    if can_be_plain(s) {
        out.push_str(s);
    } else if can_be_single_quoted(s) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        push_double_quoted(s, out);
    }
}

/// Whether PyYAML would write `s` as a plain scalar: it must not read back as another type
/// under YAML 1.1, and must contain no indicator PyYAML's analyzer rejects.
fn can_be_plain(s: &str) -> bool {
    !s.is_empty() && !resolves_to_non_string(s) && plain_safe(s)
}

/// Single quotes work for any printable ASCII text without line breaks (PyYAML's
/// `safe_dump` escapes everything else in double quotes).
fn can_be_single_quoted(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

fn push_double_quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\u{1b}' => out.push_str("\\e"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
}

/// PyYAML's scalar analysis for block-context plain scalars, restricted to ASCII (PyYAML's
/// `safe_dump` does not allow unicode, so anything else is quoted).
fn plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if bytes[0] == b' ' || bytes[bytes.len() - 1] == b' ' {
        return false;
    }
    let mut previous_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        if !(b.is_ascii_graphic() || b == b' ') {
            return false;
        }
        let next_is_space = bytes.get(i + 1).is_none_or(|n| *n == b' ');
        let indicator = if i == 0 {
            matches!(
                b,
                b'#' | b','
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            ) || (matches!(b, b'?' | b':' | b'-') && next_is_space)
        } else {
            (b == b':' && next_is_space) || (b == b'#' && previous_space)
        };
        if indicator {
            return false;
        }
        previous_space = b == b' ';
    }
    true
}

/// Whether PyYAML's YAML 1.1 implicit resolvers read `s` as something other than a string.
fn resolves_to_non_string(s: &str) -> bool {
    resolver::implicit_tag(s) != "str"
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("demo_api", "demo_api")]
    #[case("1", "'1'")]
    #[case("yes", "'yes'")]
    #[case("off", "'off'")]
    #[case("null", "'null'")]
    #[case("y", "y")]
    #[case("1.5", "'1.5'")]
    #[case("1_000", "'1_000'")]
    #[case("0x1f", "'0x1f'")]
    #[case("1:30", "'1:30'")]
    #[case("2024-01-02", "'2024-01-02'")]
    #[case(".inf", "'.inf'")]
    #[case("- x", "'- x'")]
    #[case("a: b", "'a: b'")]
    #[case("a #b", "'a #b'")]
    #[case("#x", "'#x'")]
    #[case("", "''")]
    #[case("it's", "it's")]
    #[case("test_artifacts/connectors/x", "test_artifacts/connectors/x")]
    fn scalars_match_pyyaml(#[case] value: &str, #[case] expected: &str) {
        let doc = Node::map().with("k", Node::str(value.to_owned())).to_yaml();
        assert_eq!(doc, format!("k: {expected}\n"));
    }

    #[test]
    fn nested_layout_matches_pyyaml() {
        let doc = Node::map()
            .with(
                "a",
                Node::map()
                    .with("list", Node::str_seq(&["x", "y"]))
                    .with("flag", Node::Bool(true)),
            )
            .with("empty", Node::Seq(vec![]))
            .with("n", Node::Int(10000))
            .to_yaml();
        assert_eq!(
            doc,
            "a:\n  list:\n  - x\n  - y\n  flag: true\nempty: []\nn: 10000\n"
        );
    }
}
