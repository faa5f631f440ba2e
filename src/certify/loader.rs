//! `yaml.safe_load` in Rust: a YAML event stream (from `yaml-rust2`, which keeps each
//! scalar's style and tag) turned into the [`PyValue`] PyYAML's `SafeLoader` would build.
//!
//! A serde-based loader cannot do this: it resolves plain scalars by YAML 1.2 rules before
//! we see them and forgets whether a scalar was quoted, so `bounded: no` and `bounded: 'no'`
//! (false and true to the reference) would look the same.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

use super::pyvalue::{PyDict, PyValue};
use super::resolve::{construct, Scalar, ScalarTag, CORE};

/// Parses a YAML document like `yaml.safe_load`; `Err` is a one-line reason.
pub fn safe_load(text: &str) -> Result<PyValue, String> {
    check_printable(text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut events = Vec::new();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| e.to_string())?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        events.push((event, mark.line()));
    }
    let mut builder = Builder {
        events,
        pos: 0,
        anchors: HashMap::new(),
    };
    builder.stream()
}

/// PyYAML's reader refuses these characters anywhere in the input.
fn check_printable(text: &str) -> Result<(), String> {
    match text.char_indices().find(|(_, c)| {
        let u = *c as u32;
        !(matches!(c, '\t' | '\n' | '\r')
            || (0x20..=0x7e).contains(&u)
            || u == 0x85
            || (0xa0..=0xd7ff).contains(&u)
            || (0xe000..=0xfffd).contains(&u)
            || u >= 0x10000)
    }) {
        Some((index, c)) => Err(format!(
            "unacceptable character #x{:04x} at byte {index}: special characters are not allowed",
            c as u32
        )),
        None => Ok(()),
    }
}

/// What one node built into: a value, or one of the two scalars that only mean something as
/// a mapping key.
enum Node {
    Value(PyValue),
    Merge,
    ValueKey,
}

struct Builder {
    events: Vec<(Event, usize)>,
    pos: usize,
    anchors: HashMap<usize, PyValue>,
}

fn full_tag(tag: &Option<Tag>) -> Option<String> {
    tag.as_ref().map(|t| format!("{}{}", t.handle, t.suffix))
}

impl Builder {
    fn next(&mut self) -> Result<(Event, usize), String> {
        let item = self
            .events
            .get(self.pos)
            .cloned()
            .ok_or_else(|| "unexpected end of the YAML stream".to_owned())?;
        self.pos += 1;
        Ok(item)
    }

    fn peek(&self) -> Option<&Event> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    fn stream(&mut self) -> Result<PyValue, String> {
        if !matches!(self.next()?.0, Event::StreamStart) {
            return Err("the YAML stream does not start".to_owned());
        }
        let Some(Event::DocumentStart) = self.peek() else {
            // No document at all: `safe_load` returns None.
            return Ok(PyValue::None);
        };
        self.pos += 1;
        let value = self.value()?;
        if !matches!(self.next()?.0, Event::DocumentEnd) {
            return Err("the YAML document does not end".to_owned());
        }
        if let Some(Event::DocumentStart) = self.peek() {
            let line = self.events.get(self.pos).map_or(0, |(_, l)| *l);
            return Err(format!(
                "expected a single document in the stream, but found another document at line {line}"
            ));
        }
        Ok(value)
    }

    /// A node in value position, where `<<` and `=` have no constructor.
    fn value(&mut self) -> Result<PyValue, String> {
        let line = self.events.get(self.pos).map_or(0, |(_, l)| *l);
        match self.node()? {
            Node::Value(v) => Ok(v),
            Node::Merge | Node::ValueKey => Err(format!(
                "line {line}: could not determine a constructor for a merge or value key used as a value"
            )),
        }
    }

    fn node(&mut self) -> Result<Node, String> {
        let (event, line) = self.next()?;
        let at = |msg: String| format!("line {line}: {msg}");
        let (anchor, node) = match event {
            Event::Alias(id) => {
                let value = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| at("found an undefined alias".to_owned()))?;
                return Ok(Node::Value(value));
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_text = full_tag(&tag);
                let scalar_tag = match tag_text.as_deref() {
                    None if style == TScalarStyle::Plain => ScalarTag::Implicit,
                    None => ScalarTag::Text,
                    Some("!") => ScalarTag::Implicit,
                    Some(full) => ScalarTag::Explicit(full),
                };
                let node = match construct(&text, scalar_tag).map_err(at)? {
                    Scalar::Value(v) => Node::Value(v),
                    Scalar::Merge => Node::Merge,
                    Scalar::ValueKey => Node::ValueKey,
                };
                (anchor, node)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                while !matches!(self.peek(), Some(Event::SequenceEnd)) {
                    items.push(self.value()?);
                }
                self.pos += 1;
                let value = match full_tag(&tag).as_deref() {
                    None | Some("!") => PyValue::List(items),
                    Some(t) if t == format!("{CORE}seq") => PyValue::List(items),
                    Some(t) if t == format!("{CORE}omap") || t == format!("{CORE}pairs") => {
                        pairs(items).map_err(at)?
                    }
                    Some(t) => return Err(at(format!("cannot construct {t} from a sequence"))),
                };
                (anchor, Node::Value(value))
            }
            Event::MappingStart(anchor, tag) => {
                let dict = self.mapping(line)?;
                let value = match full_tag(&tag).as_deref() {
                    None | Some("!") => PyValue::Dict(dict),
                    Some(t) if t == format!("{CORE}map") => PyValue::Dict(dict),
                    Some(t) if t == format!("{CORE}set") => {
                        PyValue::Set(dict.entries().iter().map(|(k, _)| k.clone()).collect())
                    }
                    Some(t) => return Err(at(format!("cannot construct {t} from a mapping"))),
                };
                (anchor, Node::Value(value))
            }
            other => return Err(at(format!("unexpected YAML event {other:?}"))),
        };
        if anchor > 0 {
            if let Node::Value(v) = &node {
                self.anchors.insert(anchor, v.clone());
            }
        }
        Ok(node)
    }

    /// A mapping, with PyYAML's merge-key flattening: merged pairs come first (in the order
    /// of the `<<` keys; a list of mappings is merged last to first), then the mapping's own.
    fn mapping(&mut self, line: usize) -> Result<PyDict, String> {
        let mut merged: Vec<(PyValue, PyValue)> = Vec::new();
        let mut own: Vec<(PyValue, PyValue)> = Vec::new();
        while !matches!(self.peek(), Some(Event::MappingEnd)) {
            let key = self.node()?;
            let value = self.value()?;
            match key {
                Node::Value(k) => own.push((k, value)),
                Node::ValueKey => own.push((PyValue::Str("=".to_owned()), value)),
                Node::Merge => {
                    merged.extend(merge_pairs(value).map_err(|m| format!("line {line}: {m}"))?)
                }
            }
        }
        self.pos += 1;
        let mut dict = PyDict::new();
        for (k, v) in merged.into_iter().chain(own) {
            dict.insert(k, v).map_err(|e| format!("line {line}: {e}"))?;
        }
        Ok(dict)
    }
}

fn mapping_pairs(value: PyValue) -> Option<Vec<(PyValue, PyValue)>> {
    match value {
        PyValue::Dict(d) => Some(d.entries().to_vec()),
        PyValue::Set(keys) => Some(keys.into_iter().map(|k| (k, PyValue::None)).collect()),
        _ => None,
    }
}

fn merge_pairs(value: PyValue) -> Result<Vec<(PyValue, PyValue)>, String> {
    let expected = "expected a mapping or list of mappings for merging";
    match value {
        PyValue::List(items) => {
            let mut groups = items
                .into_iter()
                .map(|item| mapping_pairs(item).ok_or_else(|| expected.to_owned()))
                .collect::<Result<Vec<_>, _>>()?;
            groups.reverse();
            Ok(groups.into_iter().flatten().collect())
        }
        other => mapping_pairs(other).ok_or_else(|| expected.to_owned()),
    }
}

/// `!!omap` / `!!pairs`: a list of one-pair mappings becomes a list of 2-tuples.
fn pairs(items: Vec<PyValue>) -> Result<PyValue, String> {
    items
        .into_iter()
        .map(|item| match item {
            PyValue::Dict(d) if d.len() == 1 => {
                let (k, v) = d.entries()[0].clone();
                Ok(PyValue::Tuple(vec![k, v]))
            }
            _ => Err("an ordered mapping expects single-pair mappings".to_owned()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(PyValue::List)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> String {
        match safe_load(text) {
            Ok(v) => v.py_repr().unwrap_or_else(|e| e.to_string()),
            Err(_) => "error".to_owned(),
        }
    }

    #[test]
    fn loads_like_pyyaml() {
        assert_eq!(load(""), "None");
        assert_eq!(load("# only a comment\n"), "None");
        assert_eq!(load("---\n"), "None");
        assert_eq!(load("- a\n- b\n"), "['a', 'b']");
        assert_eq!(
            load("a: yes\nb: 'no'\nc: 010\nd: 1e5\n"),
            "{'a': True, 'b': 'no', 'c': 8, 'd': '1e5'}"
        );
        assert_eq!(load("\u{feff}a: 1\n"), "{'a': 1}");
        assert_eq!(load("a: ! 'yes'\n"), "{'a': True}");
        assert_eq!(load("a: !!str 12\n"), "{'a': '12'}");
        assert_eq!(load("a: 1\na: 2\n"), "{'a': 2}");
        assert_eq!(load("1: x\ntrue: y\n"), "{1: 'y'}");
        assert_eq!(load("a: !!set {x, y}\n"), "{'a': {'x', 'y'}}");
        assert_eq!(load("a: !!omap [x: 1]\n"), "{'a': [('x', 1)]}");
    }

    #[test]
    fn merges_like_pyyaml() {
        let text = "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\nm:\n  <<: [*b, *o]\n  x: 9\n";
        assert_eq!(
            load(text),
            "{'base': {'x': 1, 'y': 2}, 'other': {'y': 3, 'z': 4}, 'm': {'y': 2, 'z': 4, 'x': 9}}"
        );
    }

    #[test]
    fn rejects_what_pyyaml_rejects() {
        for bad in [
            "a: =\n",
            "a: <<\n",
            "[a]: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: !custom x\n",
            "a: \u{7}\n",
            "a: [\n",
            "a: !!int x\n",
            "<<: 1\n",
        ] {
            assert_eq!(load(bad), "error", "{bad:?}");
        }
    }
}
