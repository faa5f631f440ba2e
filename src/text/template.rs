//! Template rendering: `{{name}}` placeholders replaced by package variables.
//!
//! Templates are static text inside this crate, so the syntax stays minimal: no loops, no
//! conditionals (composition happens in the scaffold core). An unknown placeholder is left as
//! it is, and a registry-wide test asserts that no rendered file contains `{{`.

/// Named values substituted into templates.
#[derive(Debug, Default, Clone)]
pub struct Vars {
    entries: Vec<(&'static str, String)>,
}

impl Vars {
    /// An empty set of variables.
    pub fn new() -> Self {
        Vars::default()
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn set(&mut self, name: &'static str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name, value)),
        }
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Renders `template`, appending to `out`.
    pub fn render_into(&self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(start) = find_open(rest) {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find("}}") {
                Some(end) if self.get(&after[..end]).is_some() => {
                    out.push_str(self.get(&after[..end]).unwrap_or_default());
                    rest = &after[end + 2..];
                }
                _ => {
                    out.push_str("{{");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }

    /// Renders `template` into a new string.
    pub fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        self.render_into(template, &mut out);
        out
    }
}

/// Where the first `{{` starts. Searching for the one byte `{` (memchr) and looking at the
/// next is several times faster than a two-byte substring search, and rendering is most of
/// what `check` and `list` spend their time on.
fn find_open(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find('{') {
        let at = from + at;
        if text.as_bytes().get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_double_brace() {
        assert_eq!(find_open("a { b {{c}}"), Some(6));
        assert_eq!(find_open("{{"), Some(0));
        assert_eq!(find_open("{ { }"), None);
        assert_eq!(find_open("x{"), None);
        assert_eq!(find_open("é{{"), Some(2));
    }

    #[test]
    fn replaces_known_placeholders_and_keeps_unknown_ones() {
        let mut vars = Vars::new();
        vars.set("connector", "demo").set("Class", "Demo");
        assert_eq!(
            vars.render("{{Class}}Source for {{connector}}"),
            "DemoSource for demo"
        );
        assert_eq!(vars.render("{{missing}} {x} {{"), "{{missing}} {x} {{");
        assert_eq!(vars.render("{ {{Class}}}"), "{ Demo}");
        assert_eq!(vars.render("{{{connector}}"), "{{{connector}}");
    }

    #[test]
    fn later_values_replace_earlier_ones() {
        let mut vars = Vars::new();
        vars.set("a", "1").set("a", "2");
        assert_eq!(vars.render("{{a}}"), "2");
    }
}
