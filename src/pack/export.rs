//! `capabilities --export NAME DIR`: a built-in runtime capability written out as a pack, the
//! starting point of a team's own. `capability.toml` uses basic (double-quoted) strings and
//! keeps the certification section's key order, so loading the export gives back the
//! capability it came from.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::error::PackError;
use super::format::{MANIFEST, SCHEMA_VERSION};
use crate::model::capability::{Capability, CapabilityKind};
use crate::model::registry::builtin_registry;
use crate::yaml::Node;

/// The version an exported pack starts at.
pub const EXPORTED_VERSION: &str = "0.1.0";

/// Writes the built-in runtime capability `name` as a pack in `dir`, which must not exist or
/// be empty. Returns the files written, relative to `dir`. Nothing is left behind on failure.
pub fn export(name: &str, dir: &Path) -> Result<Vec<String>, PackError> {
    let registry = builtin_registry()?;
    let capability = registry
        .get(name)
        .filter(|c| c.kind() == CapabilityKind::Runtime && c.origin().is_none())
        .ok_or_else(|| PackError::Export {
            name: name.to_owned(),
            reason: format!(
                "not a built-in runtime capability (those are: {})",
                registry.names(CapabilityKind::Runtime).join(", ")
            ),
        })?;
    let files = pack_files(capability);
    write_new_dir(dir, &files)?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The pack of `capability`: `capability.toml` first, then its template files.
pub fn pack_files(capability: &dyn Capability) -> Vec<(String, String)> {
    let name = capability.name();
    // The module's import path, its file and tags such as
    // `@certification("state.import_safety")` follow the pack's name, so a team that renames
    // the pack gets a package whose tests import and tag the renamed module.
    let generic = |text: &str| {
        let text = text.replace(&format!("\"{name}."), "\"{{capability}}.");
        let text = replace_word(
            &text,
            &format!("{{{{import_package}}}}.{name}"),
            "{{import_package}}.{{capability}}",
        );
        text.replace(
            &format!("{{{{import_package}}}}/{name}.py"),
            "{{import_package}}/{{capability}}.py",
        )
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut entries = String::new();
    let module = format!("src/{{{{import_package}}}}/{name}.py");
    for file in capability.files() {
        let template = unique_template_name(&files, file.path);
        // The module's path follows the pack's name too.
        let path = if file.path == module {
            "src/{{import_package}}/{{capability}}.py"
        } else {
            file.path
        };
        let _ = write!(
            entries,
            "\n[[files]]\npath = {}\ntemplate = {}\n",
            basic(path),
            basic(&template)
        );
        files.push((template, generic(file.body)));
    }
    let fragments = capability.fragments();
    let mut fragment_keys = String::new();
    for (key, file, text) in [
        ("readme", "fragments/README.md", fragments.readme),
        ("docs", "fragments/docs.md", fragments.docs),
        ("tests", "fragments/tests.py", fragments.tests),
        (
            "test_imports",
            "fragments/test_imports.txt",
            fragments.test_imports,
        ),
    ] {
        if !text.is_empty() {
            let _ = writeln!(fragment_keys, "{key} = {}", basic(file));
            files.push((file.to_owned(), generic(text)));
        }
    }

    let mut toml = format!(
        "# A dpone-connectors capability pack, exported from the built-in `{name}`.\n\
         # docs/capability-packs.md explains every key; templates use {{{{placeholders}}}} only.\n\
         schema = {SCHEMA_VERSION}\n"
    );
    let _ = writeln!(toml, "name = {}", basic(name));
    let _ = writeln!(toml, "version = {}", basic(EXPORTED_VERSION));
    let _ = writeln!(toml, "kind = \"runtime\"");
    let _ = writeln!(toml, "rank = {}", capability.rank());
    let _ = writeln!(toml, "summary = {}", basic(capability.summary()));
    let _ = writeln!(
        toml,
        "proven_by_scaffold = {}",
        inline(&Node::str_seq(capability.proven_by_scaffold()))
    );
    toml.push_str("\n[certification]\n");
    if let Node::Map(entries) = capability.certification_section() {
        for (key, value) in &entries {
            let _ = writeln!(toml, "{} = {}", key_of(key), inline(value));
        }
    }
    for test in capability.required_tests() {
        let _ = write!(
            toml,
            "\n[[required_tests]]\nname = {}\nproves = {}\n",
            basic(test.test),
            basic(test.proves)
        );
    }
    toml.push_str(&entries);
    if !fragment_keys.is_empty() {
        toml.push_str("\n[fragments]\n");
        toml.push_str(&fragment_keys);
    }
    files.insert(0, (MANIFEST.to_owned(), toml));
    files
}

/// `text` with every `from` that is not followed by an identifier character replaced.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        out.push_str(if whole { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `templates/` and the path template's file name with each `{{placeholder}}` spelled as its
/// name (`examples/{{connector}}_to_{{peer}}.yaml` is `templates/connector_to_peer.yaml`),
/// numbered when two would have the same name.
fn unique_template_name(taken: &[(String, String)], path: &str) -> String {
    let base = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .replace("{{", "")
        .replace("}}", "");
    let mut candidate = format!("templates/{base}");
    let mut n = 2;
    while taken.iter().any(|(p, _)| *p == candidate) {
        candidate = format!("templates/{n}-{base}");
        n += 1;
    }
    candidate
}

/// A TOML basic string: double-quoted, with `\` `"` and control characters escaped.
pub fn basic(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key, bare when TOML allows it.
fn key_of(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        basic(key)
    }
}

/// A value on one line: arrays and inline tables, so the order of keys is the order written.
fn inline(node: &Node) -> String {
    match node {
        Node::Str(s) => basic(s),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Seq(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(entries) if entries.is_empty() => "{}".to_owned(),
        Node::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{} = {}", key_of(k), inline(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// Writes `files` into a new directory `dir`: into a sibling first, renamed into place when
/// every file is written, so a failure leaves nothing.
fn write_new_dir(dir: &Path, files: &[(String, String)]) -> Result<(), PackError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() && !meta.file_type().is_symlink() => {
            let empty = std::fs::read_dir(dir)
                .map_err(|source| PackError::Write {
                    path: dir.to_path_buf(),
                    source,
                })?
                .next()
                .is_none();
            if !empty {
                return Err(PackError::ExportTarget(dir.to_path_buf()));
            }
        }
        Ok(_) => return Err(PackError::ExportTarget(dir.to_path_buf())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(PackError::Write {
                path: dir.to_path_buf(),
                source,
            })
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let leaf = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack".to_owned());
    let staging = parent.join(format!(".{leaf}.export-{}", std::process::id()));
    let files = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_bytes()));
    super::write_staged(&staging, dir, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_basic_and_round_trip() {
        for value in [
            "plain",
            "a \"quote\" and \\ back",
            "tab\tnew\nline",
            "\u{7}bell",
            "é",
        ] {
            let text = format!("v = {}\n", basic(value));
            assert!(text.starts_with("v = \""), "{text}");
            let table: toml::Table = toml::from_str(&text).unwrap();
            assert_eq!(table["v"].as_str(), Some(value));
        }
    }

    #[test]
    fn nested_sections_keep_their_order() {
        let node = Node::map()
            .with("z", Node::str("1"))
            .with(
                "a",
                Node::map()
                    .with("y", Node::Bool(true))
                    .with("b", Node::Int(3)),
            )
            .with("m", Node::str_seq(&["x", "y"]));
        let Node::Map(entries) = &node else {
            unreachable!()
        };
        let text: String = entries
            .iter()
            .map(|(k, v)| format!("{} = {}\n", key_of(k), inline(v)))
            .collect();
        assert_eq!(
            text,
            "z = \"1\"\na = { y = true, b = 3 }\nm = [\"x\", \"y\"]\n"
        );
        let table: toml::Table = toml::from_str(&text).unwrap();
        let keys: Vec<&String> = table.keys().collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let inner: Vec<&String> = table["a"].as_table().unwrap().keys().collect();
        assert_eq!(inner, ["y", "b"]);
    }

    #[test]
    fn module_references_follow_the_name_only_where_they_are_the_module() {
        assert_eq!(
            replace_word("a.state b.state_x a.state\n", "a.state", "A"),
            "A b.state_x A\n"
        );
    }

    #[test]
    fn template_names_are_plain_and_unique() {
        let taken = vec![("templates/x.py".to_owned(), String::new())];
        assert_eq!(
            unique_template_name(&taken, "examples/{{connector}}_to_{{peer}}.yaml"),
            "templates/connector_to_peer.yaml"
        );
        assert_eq!(unique_template_name(&taken, "a/x.py"), "templates/2-x.py");
    }
}
