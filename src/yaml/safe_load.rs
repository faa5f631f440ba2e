//! `yaml.safe_load` in Rust: a YAML event stream (from `yaml-rust2`, which keeps each
//! scalar's style and tag) turned into the [`PyValue`] PyYAML's `SafeLoader` would build.
//!
//! A serde-based loader cannot do this: it resolves plain scalars by YAML 1.2 rules before
//! we see them and forgets whether a scalar was quoted, so `bounded: no` and `bounded: 'no'`
//! (false and true to the reference) would look the same.

use std::collections::HashMap;
use std::rc::Rc;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

use super::construct::{construct, Scalar, ScalarTag, CORE};
use super::error::YamlError;
use super::pyvalue::{PyDict, PyValue};
use super::tabs::check_tabs;

/// Parses a YAML document like `yaml.safe_load`.
pub fn safe_load(text: &str) -> Result<PyValue, YamlError> {
    check_printable(text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut events = Vec::new();
    let mut quoted_or_block = Vec::new();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| YamlError::Syntax(e.to_string()))?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        if let Event::Scalar(_, style, ..) = &event {
            if *style != TScalarStyle::Plain {
                quoted_or_block.push((mark.line(), mark.col(), *style));
            }
        }
        events.push((event, mark.line()));
    }
    check_tabs(text, &quoted_or_block)?;
    check_nesting(&events)?;
    let budget = NODE_BUDGET.min(BASE_BUDGET + NODES_PER_EVENT * events.len());
    let mut composer = Composer {
        events,
        pos: 0,
        anchors: HashMap::new(),
    };
    match composer.document()? {
        None => Ok(PyValue::None),
        Some(root) => Constructor {
            budget,
            text_budget: TEXT_BUDGET.min(BASE_TEXT_BUDGET + TEXT_PER_BYTE * text.len()),
        }
        .value(&root, false, 0),
    }
}

/// PyYAML's reader refuses these characters anywhere in the input.
fn check_printable(text: &str) -> Result<(), YamlError> {
    match text.char_indices().find(|(_, c)| {
        let u = *c as u32;
        !(matches!(c, '\t' | '\n' | '\r')
            || (0x20..=0x7e).contains(&u)
            || u == 0x85
            || (0xa0..=0xd7ff).contains(&u)
            || (0xe000..=0xfffd).contains(&u)
            || u >= 0x10000)
    }) {
        Some((index, c)) => Err(YamlError::Unprintable {
            code: c as u32,
            index,
        }),
        None => Ok(()),
    }
}

/// A composed node, as PyYAML's composer builds it: scalars already resolved, mappings
/// already flattened (merge keys applied). Aliases share the anchored `Rc`.
struct Node {
    line: usize,
    /// Levels of collections from this node down, aliases followed (a scalar is 0). Capped
    /// at [`MAX_NESTING`] as nodes are composed, so every walk of the graph, its drop
    /// included, recurses a bounded number of times.
    height: usize,
    kind: Kind,
}

enum Kind {
    Scalar {
        text: String,
        resolved: Scalar,
    },
    Seq {
        tag: Option<String>,
        items: Vec<Rc<Node>>,
    },
    Map {
        tag: Option<String>,
        pairs: Vec<Pair>,
    },
}

/// A mapping entry: key node and value node.
type Pair = (Rc<Node>, Rc<Node>);

/// How deep collections may nest, in the text and in the values aliases build: deeper than
/// any real document (PyYAML itself gives up near 330 levels of block nesting), shallow
/// enough that the recursive composer, constructor and the values' own drop and comparison
/// stay far inside the 2 MiB stack of a worker thread.
pub const MAX_NESTING: usize = 200;

/// Values constructed, at most: a document without aliases builds one per node (fewer than
/// its events); aliases and merge keys build their target again. The budget grows with the
/// text (so a real file with many merges loads) and is capped, so an alias bomb is refused
/// after a few MB for a small file and after at most [`NODE_BUDGET`] values for any file.
const NODE_BUDGET: usize = 1_000_000;
const BASE_BUDGET: usize = 10_000;
const NODES_PER_EVENT: usize = 16;

/// Characters of scalar text copied into values, at most, on the same terms: an anchored long
/// string aliased many times is an alias bomb too.
const TEXT_BUDGET: usize = 64 << 20;
const BASE_TEXT_BUDGET: usize = 1 << 20;
const TEXT_PER_BYTE: usize = 4;

/// Refuses collections nested deeper than [`MAX_NESTING`], before any recursive step.
fn check_nesting(events: &[(Event, usize)]) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for (event, line) in events {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(*line));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn too_deep(line: usize) -> YamlError {
    YamlError::TooDeep(MAX_NESTING).at(line)
}

struct Composer {
    events: Vec<(Event, usize)>,
    pos: usize,
    anchors: HashMap<usize, Rc<Node>>,
}

fn full_tag(tag: &Option<Tag>) -> Option<String> {
    tag.as_ref().map(|t| format!("{}{}", t.handle, t.suffix))
}

fn is_core(tag: &str, name: &str) -> bool {
    tag.strip_prefix(CORE) == Some(name)
}

impl Composer {
    fn next(&mut self) -> Result<(Event, usize), YamlError> {
        let item = self
            .events
            .get(self.pos)
            .cloned()
            .ok_or_else(|| YamlError::Stream("unexpected end of the YAML stream".to_owned()))?;
        self.pos += 1;
        Ok(item)
    }

    fn peek(&self) -> Option<&Event> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    /// The single document's root node, or `None` for an empty stream.
    fn document(&mut self) -> Result<Option<Rc<Node>>, YamlError> {
        if !matches!(self.next()?.0, Event::StreamStart) {
            return Err(YamlError::Stream(
                "the YAML stream does not start".to_owned(),
            ));
        }
        let Some(Event::DocumentStart) = self.peek() else {
            return Ok(None);
        };
        self.pos += 1;
        let root = self.node()?;
        if !matches!(self.next()?.0, Event::DocumentEnd) {
            return Err(YamlError::Stream(
                "the YAML document does not end".to_owned(),
            ));
        }
        if let Some(Event::DocumentStart) = self.peek() {
            let line = self.events.get(self.pos).map_or(0, |(_, l)| *l);
            return Err(YamlError::SecondDocument(line));
        }
        Ok(Some(root))
    }

    fn node(&mut self) -> Result<Rc<Node>, YamlError> {
        let (event, line) = self.next()?;
        let at = |err: YamlError| err.at(line);
        let (anchor, kind) = match event {
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| at(YamlError::Node("found an undefined alias".to_owned())));
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_text = full_tag(&tag);
                let scalar_tag = match tag_text.as_deref() {
                    None if style == TScalarStyle::Plain => ScalarTag::Implicit,
                    None => ScalarTag::Text,
                    Some("!") => ScalarTag::Implicit,
                    Some(full) => ScalarTag::Explicit(full),
                };
                let resolved = construct(&text, scalar_tag).map_err(at)?;
                (anchor, Kind::Scalar { text, resolved })
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                while !matches!(self.peek(), Some(Event::SequenceEnd)) {
                    items.push(self.node()?);
                }
                self.pos += 1;
                let tag = full_tag(&tag);
                (anchor, Kind::Seq { tag, items })
            }
            Event::MappingStart(anchor, tag) => {
                let mut pairs = Vec::new();
                while !matches!(self.peek(), Some(Event::MappingEnd)) {
                    let key = self.node()?;
                    let value = self.node()?;
                    pairs.push((key, value));
                }
                self.pos += 1;
                let pairs = flatten(pairs).map_err(at)?;
                (
                    anchor,
                    Kind::Map {
                        tag: full_tag(&tag),
                        pairs,
                    },
                )
            }
            other => {
                return Err(at(YamlError::Stream(format!(
                    "unexpected YAML event {other:?}"
                ))))
            }
        };
        let height = match &kind {
            Kind::Scalar { .. } => 0,
            Kind::Seq { items, .. } => 1 + items.iter().map(|n| n.height).max().unwrap_or(0),
            Kind::Map { pairs, .. } => {
                1 + pairs
                    .iter()
                    .map(|(k, v)| k.height.max(v.height))
                    .max()
                    .unwrap_or(0)
            }
        };
        if height > MAX_NESTING {
            return Err(too_deep(line));
        }
        let node = Rc::new(Node { line, height, kind });
        if anchor > 0 {
            self.anchors.insert(anchor, Rc::clone(&node));
        }
        Ok(node)
    }
}

/// What PyYAML compares merged keys by: `id()` of the key node's text. CPython shares the
/// empty string and one-character Latin-1 strings, so those collide across nodes; any other
/// text is the node's own.
#[derive(PartialEq, Eq)]
enum KeyIdentity {
    Shared(String),
    Node(*const Node),
}

fn key_identity(key: &Rc<Node>) -> KeyIdentity {
    match &key.kind {
        Kind::Scalar { text, .. }
            if text.chars().count() <= 1 && text.chars().all(|c| (c as u32) < 0x100) =>
        {
            KeyIdentity::Shared(text.clone())
        }
        _ => KeyIdentity::Node(Rc::as_ptr(key)),
    }
}

fn is_merge_key(key: &Node) -> bool {
    matches!(
        &key.kind,
        Kind::Scalar {
            resolved: Scalar::Merge,
            ..
        }
    )
}

/// PyYAML's `flatten_mapping`: the pairs of every `<<` value (a mapping or a list of
/// mappings), in order, a pair dropped when its key's identity was already merged; then the
/// mapping's own pairs.
fn flatten(pairs: Vec<Pair>) -> Result<Vec<Pair>, YamlError> {
    let mut merged: Vec<Pair> = Vec::new();
    let mut seen: Vec<KeyIdentity> = Vec::new();
    let mut own = Vec::new();
    let mut take = |source: &Node| -> Result<(), YamlError> {
        let Kind::Map { pairs, .. } = &source.kind else {
            return Err(YamlError::Node(
                "expected a mapping or list of mappings for merging".to_owned(),
            ));
        };
        for (k, v) in pairs {
            let identity = key_identity(k);
            if !seen.contains(&identity) {
                seen.push(identity);
                merged.push((Rc::clone(k), Rc::clone(v)));
            }
        }
        Ok(())
    };
    for (key, value) in pairs {
        if !is_merge_key(&key) {
            own.push((key, value));
            continue;
        }
        match &value.kind {
            Kind::Seq { items, .. } => {
                for item in items {
                    take(item)?;
                }
            }
            _ => take(&value)?,
        }
    }
    merged.extend(own);
    Ok(merged)
}

/// Builds Python values from composed nodes.
struct Constructor {
    budget: usize,
    text_budget: usize,
}

impl Constructor {
    fn value(&mut self, node: &Node, as_key: bool, depth: usize) -> Result<PyValue, YamlError> {
        self.budget = self.budget.checked_sub(1).ok_or(YamlError::TooLarge)?;
        let at = |message: String| YamlError::Node(message).at(node.line);
        // Aliases can nest a value deeper than its text does.
        if depth > MAX_NESTING {
            return Err(too_deep(node.line));
        }
        let depth = depth + 1;
        match &node.kind {
            Kind::Scalar { resolved, text } => match resolved {
                Scalar::Value(v) => {
                    self.text_budget = self
                        .text_budget
                        .checked_sub(text.len())
                        .ok_or(YamlError::TooLarge)?;
                    Ok(v.clone())
                }
                // PyYAML retags a `=` key as a string; `<<` and `=` elsewhere have no constructor.
                Scalar::ValueKey if as_key => Ok(PyValue::Str("=".to_owned())),
                Scalar::Merge | Scalar::ValueKey => Err(at(
                    "could not determine a constructor for a merge or value key used as a value"
                        .to_owned(),
                )),
            },
            Kind::Seq { tag, items } => match tag.as_deref() {
                None | Some("!") => self.list(items, depth).map(PyValue::List),
                Some(t) if is_core(t, "seq") => self.list(items, depth).map(PyValue::List),
                Some(t) if is_core(t, "omap") || is_core(t, "pairs") => items
                    .iter()
                    .map(|item| match &item.kind {
                        Kind::Map { pairs, .. } if pairs.len() == 1 => Ok(PyValue::Tuple(vec![
                            self.value(&pairs[0].0, true, depth)?,
                            self.value(&pairs[0].1, false, depth)?,
                        ])),
                        _ => Err(at(
                            "an ordered mapping expects single-pair mappings".to_owned()
                        )),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(PyValue::List),
                Some(t) => Err(at(format!("cannot construct {t} from a sequence"))),
            },
            Kind::Map { tag, pairs } => {
                let mut dict = PyDict::new();
                for (k, v) in pairs {
                    let key = self.value(k, true, depth)?;
                    let value = self.value(v, false, depth)?;
                    dict.insert(key, value).map_err(|e| at(e.to_string()))?;
                }
                match tag.as_deref() {
                    None | Some("!") => Ok(PyValue::Dict(dict)),
                    Some(t) if is_core(t, "map") => Ok(PyValue::Dict(dict)),
                    Some(t) if is_core(t, "set") => Ok(PyValue::Set(
                        dict.entries().iter().map(|(k, _)| k.clone()).collect(),
                    )),
                    Some(t) => Err(at(format!("cannot construct {t} from a mapping"))),
                }
            }
        }
    }

    fn list(&mut self, items: &[Rc<Node>], depth: usize) -> Result<Vec<PyValue>, YamlError> {
        items
            .iter()
            .map(|item| self.value(item, false, depth))
            .collect()
    }
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
        // Tabs are fine in quoted scalars, block content and comments.
        assert_eq!(
            load("a: 'x\ty' # c\td\nb: \"\\\"\t\"\nc: |\n  p\tq\n"),
            "{'a': 'x\\ty', 'b': '\"\\t', 'c': 'p\\tq\\n'}"
        );
    }

    #[test]
    fn merges_like_pyyaml() {
        let text = "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\nm:\n  <<: [*b, *o]\n  x: 9\n";
        assert_eq!(
            load(text),
            "{'base': {'x': 1, 'y': 2}, 'other': {'y': 3, 'z': 4}, 'm': {'x': 9, 'y': 2, 'z': 4}}"
        );
        // PyYAML drops a merged pair whose key text is the same object: one Latin-1
        // character (shared by CPython) or the same aliased node; longer keys all merge.
        let m = |text: &str| load(&format!("m:\n  <<: {text}\n"));
        assert_eq!(m("[{x: 1}, {x: 2}]"), "{'m': {'x': 1}}");
        assert_eq!(m("[{xy: 1}, {xy: 2}]"), "{'m': {'xy': 2}}");
        assert_eq!(m("[{ā: 1}, {ā: 2}]"), "{'m': {'ā': 2}}");
        assert_eq!(m("[{1: a}, {'1': b}]"), "{'m': {1: 'a'}}");
        assert_eq!(
            load("a: &a {xy: 1}\nb: &b {xy: 2}\nm:\n  <<: [*a, *b, *a]\n"),
            "{'a': {'xy': 1}, 'b': {'xy': 2}, 'm': {'xy': 2}}"
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
            "\ta: 1\n",
            "a:\tb\n",
            "a: b \t# c\n",
            "a: |\n  x\n\tb: 1\n",
        ] {
            assert_eq!(load(bad), "error", "{bad:?}");
        }
    }
}

#[cfg(test)]
mod hostile {
    //! Fixed hostile inputs (10^4 levels, 1 MB): cheap enough for every run, unlike a
    //! property test of that size.
    use super::*;

    /// The stack of a spawned thread (Rust's default): `list` workers and Python threads
    /// load documents with no more than this.
    const WORKER_STACK: usize = 2 << 20;

    /// Loads on a thread with a worker's stack, in the debug build (larger frames than the
    /// release build), so a recursion that the limits do not bound fails here.
    fn load_small_stack(text: String) -> Result<PyValue, String> {
        std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn(move || safe_load(&text).map_err(|e| e.to_string()))
            .unwrap()
            .join()
            .unwrap()
    }

    fn refused(text: String, reason: &str) {
        let err = load_small_stack(text).expect_err("a hostile document must be refused");
        assert!(err.contains(reason), "{err}");
    }

    #[test]
    fn deep_block_nesting_is_refused_not_a_stack_overflow() {
        refused(
            format!("{}x\n", "- ".repeat(10_000)),
            "nest deeper than 200",
        );
        let mut text = String::new();
        for level in 0..1_000 {
            text.push_str(&" ".repeat(level));
            text.push_str("k:\n");
        }
        refused(text, "nest deeper than 200");
    }

    #[test]
    fn deep_flow_nesting_is_refused() {
        for open in ["[", "{a: ", "[{a: "] {
            let text = format!("{}x", open.repeat(10_000));
            assert!(load_small_stack(text).is_err(), "{open}");
        }
        // A megabyte of brackets is refused quickly too.
        assert!(load_small_stack("[".repeat(1 << 20)).is_err());
    }

    #[test]
    fn the_deepest_allowed_document_loads() {
        let text = format!("{}x\n", "- ".repeat(MAX_NESTING));
        let mut value = load_small_stack(text.clone()).unwrap();
        // What readers do with a loaded value recurses too: on a worker's stack, it fits.
        std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn(move || {
                let value = safe_load(&text).unwrap();
                let json = crate::yaml::to_json::to_json(&value);
                assert!(serde_json::to_string(&json).is_ok());
                assert!(value.py_repr().is_ok());
            })
            .unwrap()
            .join()
            .unwrap();
        let mut depth = 0;
        while let PyValue::List(mut items) = value {
            depth += 1;
            value = items.pop().unwrap();
        }
        assert_eq!(depth, MAX_NESTING);
        assert!(load_small_stack(format!("{}x\n", "- ".repeat(MAX_NESTING + 1))).is_err());
    }

    #[test]
    fn aliases_cannot_nest_deeper_than_the_text() {
        // Each line nests the previous anchor one level deeper: 10^4 levels of value from
        // two levels of text.
        let mut text = String::from("a0: &a0 [x]\n");
        for n in 1..10_000 {
            text.push_str(&format!("a{n}: &a{n} [*a{}]\n", n - 1));
        }
        refused(text, "nest deeper than 200");
    }

    #[test]
    fn alias_bombs_are_refused_within_a_small_budget() {
        // The billion laughs in under 1 KB: ten levels of ten aliases each.
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for n in 1..10 {
            let p = n - 1;
            text.push_str(&format!(
                "a{n}: &a{n} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(text.len() < 1024);
        refused(text, "too many values");
        // One long string aliased many times costs its length each time.
        let long = "x".repeat(1 << 20);
        let mut text = format!("s: &s {long}\nl:\n");
        for _ in 0..1000 {
            text.push_str("- *s\n");
        }
        refused(text, "too many values");
    }

    #[test]
    fn a_megabyte_of_plain_data_loads() {
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 1 << 20 {
            text.push_str(&format!(
                "key{n}: {{a: [1, 2, three], b: &b{n} yes, c: *b{n}}}\n"
            ));
            n += 1;
        }
        let PyValue::Dict(dict) = load_small_stack(text).unwrap() else {
            panic!("a mapping")
        };
        assert_eq!(dict.entries().len(), n);
    }
}

#[cfg(test)]
mod properties {
    use super::safe_load;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Hand-broken manifests are errors or values, never a panic.
        #[test]
        fn any_text_loads_or_errors(text in "[a-z0-9 :\\-\\[\\]{},'\"!&*<=|>#?%@`~.\t\n\\\\]{0,60}") {
            let _ = safe_load(&text);
        }

        /// Structured near-misses of a real manifest.
        #[test]
        fn manifest_like_text_loads_or_errors(
            lines in proptest::collection::vec(
                "( {0,4})(connector|native_transfer|capabilities|stream_export|<<|-|\\?)(:)?( )?(yes|no|'x'|\"y\"|\\[a, b\\]|\\{c: d\\}|&a|\\*a|!!str|!!set|\\||>|1:30|0x1f|2024-01-01|)",
                0..8,
            )
        ) {
            let _ = safe_load(&lines.join("\n"));
        }
    }
}
