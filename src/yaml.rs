//! A small YAML emitter that writes exactly what PyYAML's
//! `yaml.safe_dump(data, sort_keys=False)` writes, for the block-style documents this
//! project generates.
//!
//! Generic YAML 1.2 emitters quote differently (PyYAML follows YAML 1.1, where `yes`, `off`
//! and `1_000` are not strings), and the certification manifest must be byte-identical to
//! the reference's, so the rules live here and are tested against PyYAML's own output.

use std::borrow::Cow;

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
pub fn can_be_plain(s: &str) -> bool {
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
    is_bool(s) || is_null(s) || is_int(s) || is_float(s) || is_timestamp(s) || s == "<<" || s == "="
}

fn is_bool(s: &str) -> bool {
    matches!(
        s,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

fn is_null(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all_of(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(allowed)
}

fn is_int(s: &str) -> bool {
    let body = strip_sign(s);
    if let Some(bin) = body.strip_prefix("0b") {
        return !bin.is_empty() && all_of(bin, |b| matches!(b, b'0' | b'1' | b'_'));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && all_of(hex, |b| b.is_ascii_hexdigit() || b == b'_');
    }
    if let Some(oct) = body.strip_prefix('0') {
        return oct.is_empty() || all_of(oct, |b| matches!(b, b'0'..=b'7' | b'_'));
    }
    if body.starts_with(|c: char| ('1'..='9').contains(&c)) {
        let mut parts = body.split(':');
        let head = parts.next().unwrap_or_default();
        return all_of(head, |b| b.is_ascii_digit() || b == b'_') && parts.all(is_sexagesimal_part);
    }
    false
}

fn is_sexagesimal_part(part: &str) -> bool {
    let b = part.as_bytes();
    match b.len() {
        1 => b[0].is_ascii_digit(),
        2 => matches!(b[0], b'0'..=b'5') && b[1].is_ascii_digit(),
        _ => false,
    }
}

fn is_exponent(s: &str) -> bool {
    // `(?:[eE][-+][0-9]+)?` — PyYAML requires the sign.
    s.is_empty()
        || (s.len() >= 3
            && matches!(s.as_bytes()[0], b'e' | b'E')
            && matches!(s.as_bytes()[1], b'-' | b'+')
            && all_of(&s[2..], |b| b.is_ascii_digit()))
}

fn is_float(s: &str) -> bool {
    let body = strip_sign(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // `\.[0-9_]+(?:[eE][-+][0-9]+)?` takes no sign.
    if let Some(frac) = s.strip_prefix('.') {
        let digits = frac.find(['e', 'E']).unwrap_or(frac.len());
        return digits > 0
            && all_of(&frac[..digits], |b| b.is_ascii_digit() || b == b'_')
            && is_exponent(&frac[digits..]);
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let Some(dot) = body.find('.') else {
        return false;
    };
    let (head, rest) = (&body[..dot], &body[dot + 1..]);
    if head.contains(':') {
        // Sexagesimal float: `[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`.
        let mut parts = head.split(':');
        let first = parts.next().unwrap_or_default();
        return all_of(first, |b| b.is_ascii_digit() || b == b'_')
            && parts.all(is_sexagesimal_part)
            && all_of(rest, |b| b.is_ascii_digit() || b == b'_');
    }
    let digits = rest.find(['e', 'E']).unwrap_or(rest.len());
    all_of(head, |b| b.is_ascii_digit() || b == b'_')
        && all_of(&rest[..digits], |b| b.is_ascii_digit() || b == b'_')
        && is_exponent(&rest[digits..])
}

fn is_timestamp(s: &str) -> bool {
    // PyYAML: `YYYY-MM-DD`, or `YYYY-M-D` followed by a time part; both must match whole.
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    let take_digits = |i: &mut usize, min: usize, max: usize| -> bool {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start >= min
    };
    if !take_digits(&mut i, 1, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 1, 2) {
        return false;
    }
    if i == b.len() {
        // A bare date needs two-digit month and day: exactly `YYYY-MM-DD`.
        return b.len() == 10;
    }
    // Date-time: (?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
    if matches!(b[i], b'T' | b't') {
        i += 1;
    } else {
        let start = i;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if !take_digits(&mut i, 1, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 2, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 2, 2) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        take_digits(&mut i, 0, usize::MAX);
    }
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    if i == b.len() {
        return true;
    }
    if b[i] == b'Z' {
        return i + 1 == b.len();
    }
    if matches!(b[i], b'-' | b'+') {
        i += 1;
        if !take_digits(&mut i, 1, 2) {
            return false;
        }
        if b.get(i) == Some(&b':') {
            i += 1;
            if !take_digits(&mut i, 2, 2) {
                return false;
            }
        }
        return i == b.len();
    }
    false
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
