//! JSON text exactly as Python's `json.dumps` writes it, where the contract needs bytes that
//! match the reference rather than whatever a JSON library prefers.

/// A JSON string literal the way Python's `json.dumps` (ensure_ascii) writes it.
pub fn python_json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::python_json_string;

    #[test]
    fn escapes_like_ensure_ascii() {
        assert_eq!(python_json_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(python_json_string("tab\tnl\n"), r#""tab\tnl\n""#);
        assert_eq!(python_json_string("é"), r#""\u00e9""#);
        assert_eq!(python_json_string("😀"), r#""\ud83d\ude00""#);
        assert_eq!(python_json_string("\u{7f}"), r#""\u007f""#);
    }
}
