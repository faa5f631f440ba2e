//! The variables templates are rendered with. Scaffolding renders them; `check` and
//! `certify` render the same templates again to find the files a capability generated, so
//! every caller builds its variables here and they cannot drift apart.

use super::generations::model::Text;
use crate::contract::{example_peer, BENCHMARK_MARKER, BENCHMARK_PROVES};
use crate::model::capability::Capability;
use crate::model::details::PackageMetadata;
use crate::model::names;
use crate::model::package::PackageIdentity;
use crate::text::template::Vars;
use crate::yaml::string_scalar;

/// The generator's version, recorded in every package it writes.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The variables that follow from the connector manifest alone: `connector`, `Class`,
/// `connector_type`, `import_package`, `package_name`, `peer` (the built-in connector the
/// examples pair it with) and `connector_yaml` (the connector as a YAML value, quoted when a
/// YAML 1.1 reader would take it for a boolean, number or null: `true`, `1_0`, `null`).
pub fn connector_vars(connector: &str, connector_type: &str, import_package: &str) -> Vars {
    let mut vars = Vars::new();
    vars.set("connector", connector)
        .set("connector_yaml", string_scalar(connector))
        .set("peer", example_peer(connector))
        .set("Class", names::class_name(connector))
        .set("connector_type", connector_type)
        .set("import_package", import_package)
        .set("package_name", names::package_name(import_package));
    vars
}

/// Every variable a package's shared templates use: [`connector_vars`] plus the declared
/// capabilities as Python tuples (`capabilities_py`, `native_capabilities_py`).
pub fn package_vars(identity: &PackageIdentity) -> Vars {
    let mut vars = connector_vars(
        &identity.connector,
        &identity.connector_type,
        &identity.import_package,
    );
    // Sized for the assignments in `__init__.py` (`NATIVE_CAPABILITIES = ...`).
    vars.set(
        "capabilities_py",
        py_tuple(&identity.capability_names(), "CAPABILITIES = ".len()),
    )
    .set(
        "native_capabilities_py",
        py_tuple(
            &identity.native_capability_names(),
            "NATIVE_CAPABILITIES = ".len(),
        ),
    );
    vars
}

/// The person's details as `pyproject.toml`, README and `LICENSE` spell them: `license`,
/// `python`, `copyright_holder`, `generator_version` and the TOML snippets
/// `description_toml`, `authors_toml`, `python_classifiers` and `details_toml` (the
/// details as given, which `check` and `add-capability` read back), and the `LICENSE`
/// mentions `license_files_toml`, `license_row` and `license_see` (empty without one).
pub fn metadata_vars(vars: &mut Vars, identity: &PackageIdentity, metadata: &PackageMetadata) {
    let description = metadata.description.clone().unwrap_or_else(|| {
        format!(
            "Community dpone connector for {} ({}).",
            identity.connector, identity.connector_type
        )
    });
    let authors = match (&metadata.author, &metadata.email) {
        (None, None) => String::new(),
        (author, email) => {
            let fields: Vec<String> = [("name", author), ("email", email)]
                .into_iter()
                .filter_map(|(key, value)| {
                    value
                        .as_ref()
                        .map(|v| format!("{key} = {}", toml_string(v)))
                })
                .collect();
            format!("authors = [{{ {} }}]\n", fields.join(", "))
        }
    };
    let classifiers: String = metadata
        .python
        .supported_through_newest()
        .iter()
        .map(|v| format!("    \"Programming Language :: Python :: {v}\",\n"))
        .collect();
    let mut details = vec![format!("python = \"{}\"", metadata.python)];
    if metadata.license_chosen {
        details.insert(0, format!("license = \"{}\"", metadata.license.spdx()));
    }
    // A LICENSE file only for a license someone chose (see `PackageMetadata::license_chosen`).
    let (license_files_toml, license_row, license_see) = if metadata.license_chosen {
        (
            "license-files = [\"LICENSE\"]\n".to_owned(),
            format!(
                "| `LICENSE` | the license text ({}) |\n",
                metadata.license.spdx()
            ),
            " (see `LICENSE`)",
        )
    } else {
        (String::new(), String::new(), "")
    };
    for (key, value) in [
        ("author", &metadata.author),
        ("email", &metadata.email),
        ("description", &metadata.description),
    ] {
        if let Some(value) = value {
            details.push(format!("{key} = {}", toml_string(value)));
        }
    }
    vars.set("line_length", PYTHON_LINE_LENGTH.to_string())
        .set("license", metadata.license.spdx())
        .set("python", metadata.python.to_string())
        .set(
            "copyright_holder",
            metadata.copyright_holder(&identity.package_name),
        )
        .set("generator_version", GENERATOR_VERSION)
        .set("description_toml", toml_string(&description))
        .set("authors_toml", authors)
        .set("python_classifiers", classifiers)
        .set("details_toml", details.join("\n") + &packs_toml(identity))
        .set("license_files_toml", license_files_toml)
        .set("license_row", license_row)
        .set("license_see", license_see);
}

/// The capability packs the package was made with, one `[[tool.dpone-connectors.pack]]`
/// each (name, version, digest), in registry order; empty without packs. `check`, `list`
/// and `update` read them back to find the pack and notice when it changed.
fn packs_toml(identity: &PackageIdentity) -> String {
    identity
        .capabilities_in_registry_order()
        .iter()
        .filter_map(|c| c.origin().map(|origin| (c.name(), origin)))
        .map(|(name, origin)| {
            format!(
                "\n\n[[tool.dpone-connectors.pack]]\nname = {}\nversion = {}\ndigest = {}",
                toml_string(name),
                toml_string(&origin.version),
                toml_string(&origin.digest)
            )
        })
        .collect()
}

/// A TOML basic string, quoted and escaped.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// Variables for one capability's own templates: `base` plus `capability` and
/// `pending_tests` (a Python tuple of the required tests a fresh package cannot prove yet).
pub fn capability_vars(base: &Vars, capability: &dyn Capability) -> Vars {
    let pending: Vec<&str> = capability
        .required_tests()
        .iter()
        .filter(|t| !capability.proven_by_scaffold().contains(&t.test))
        .map(|t| t.test)
        .collect();
    pending_tests_vars(base, capability.name(), &pending)
}

/// [`capability_vars`] from the capability's name and its pending tests.
pub fn pending_tests_vars(base: &Vars, name: &str, pending: &[impl AsRef<str>]) -> Vars {
    let mut vars = base.clone();
    let pending: String = pending
        .iter()
        .map(|t| format!("        \"{name}.{}\",\n", t.as_ref()))
        .collect();
    // Laid out as `ruff format` lays out the call the templates put it in.
    let pending = if pending.is_empty() {
        "()".to_owned()
    } else {
        format!("(\n{pending}    )")
    };
    vars.set("capability", name.to_owned())
        .set("pending_tests", pending);
    vars
}

/// The placeholders a capability's own templates (its files, their paths and its fragments)
/// can use: what [`capability_vars`] sets. Capability packs are held to exactly these.
pub const CAPABILITY_PLACEHOLDERS: &[&str] = &[
    "connector",
    "connector_yaml",
    "peer",
    "Class",
    "connector_type",
    "import_package",
    "package_name",
    "capabilities_py",
    "native_capabilities_py",
    "capability",
    "pending_tests",
];

/// The tests a fresh package cannot prove yet, as `capability.test` markers with what each
/// must prove: every pending test of each contributing capability (its name, and its tests
/// paired with their sentences), then the benchmark.
pub fn still_to_prove<'a>(
    capabilities: impl IntoIterator<Item = (&'a str, &'a [Text], &'a [Text])>,
) -> Vec<(String, &'a str)> {
    let mut out: Vec<(String, &'a str)> = capabilities
        .into_iter()
        .flat_map(|(name, tests, proves)| {
            tests
                .iter()
                .zip(proves)
                .map(move |(test, proves)| (format!("{name}.{test}"), proves.as_ref()))
        })
        .collect();
    out.push((BENCHMARK_MARKER.to_owned(), BENCHMARK_PROVES));
    out
}

/// The entries of a Python `dict[str, str]` literal, one a line, laid out as `ruff format`
/// lays them out: `    "key": "value",` when that fits the line, else the value split
/// between words into parenthesized pieces. Keys and values need no escaping (markers are
/// identifiers; the registry keeps quotes and backslashes out of sentences).
pub fn py_dict_entries(entries: &[(String, &str)]) -> String {
    let mut out = String::new();
    for (key, value) in entries {
        let one_line = format!("    \"{key}\": \"{value}\",\n");
        if one_line.trim_end().chars().count() <= PYTHON_LINE_LENGTH {
            out.push_str(&one_line);
            continue;
        }
        out.push_str(&format!("    \"{key}\": (\n"));
        // Each piece is `        "...",` at most: 8 spaces and 2 quotes around it.
        let room = PYTHON_LINE_LENGTH - 10;
        let mut piece = String::new();
        for word in value.split_inclusive(' ') {
            if !piece.is_empty() && piece.chars().count() + word.chars().count() > room {
                out.push_str(&format!("        \"{piece}\"\n"));
                piece.clear();
            }
            piece.push_str(word);
        }
        out.push_str(&format!("        \"{piece}\"\n    ),\n"));
    }
    out
}

/// The line length of generated Python (`[tool.ruff] line-length`).
pub const PYTHON_LINE_LENGTH: usize = 120;

/// A Python tuple literal of strings laid out as `ruff format` lays it out after `before`
/// characters of its line: `()`, `("a",)`, `("a", "b")`, or one name a line when that is too
/// long. The names are identifiers, so they need no escaping.
fn py_tuple(names: &[&str], before: usize) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let one_line = match names {
        [] => "()".to_owned(),
        [_] => format!("({},)", quoted[0]),
        _ => format!("({})", quoted.join(", ")),
    };
    if before + one_line.len() <= PYTHON_LINE_LENGTH {
        return one_line;
    }
    let lines: String = quoted.iter().map(|q| format!("    {q},\n")).collect();
    format!("(\n{lines})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_are_python_literals() {
        assert_eq!(py_tuple(&[], 0), "()");
        assert_eq!(py_tuple(&["source"], 0), "(\"source\",)");
        assert_eq!(py_tuple(&["source", "sink"], 0), "(\"source\", \"sink\")");
        assert_eq!(
            py_tuple(&["source", "sink"], 110),
            "(\n    \"source\",\n    \"sink\",\n)"
        );
    }

    #[test]
    fn capability_placeholders_are_what_capability_vars_sets() {
        let identity = crate::scaffold::identify(
            &crate::model::package::ScaffoldRequest::new("demo").capability("source"),
        )
        .unwrap();
        let vars = capability_vars(&package_vars(&identity), identity.capabilities[0]);
        for name in CAPABILITY_PLACEHOLDERS {
            assert!(vars.get(name).is_some(), "{name} is not set");
        }
        let rendered = vars.render(
            &CAPABILITY_PLACEHOLDERS
                .iter()
                .map(|n| format!("{{{{{n}}}}}"))
                .collect::<String>(),
        );
        assert!(!rendered.contains("{{"), "{rendered}");
    }

    #[test]
    fn dict_entries_fit_the_line_and_keep_every_word() {
        let short = "A short sentence.";
        let long = "word ".repeat(60) + "end.";
        let text = py_dict_entries(&[("a.b".to_owned(), short), ("c.d".to_owned(), &long)]);
        assert!(text.starts_with("    \"a.b\": \"A short sentence.\",\n    \"c.d\": (\n"));
        assert!(text.ends_with("end.\"\n    ),\n"), "{text}");
        assert!(
            text.lines()
                .all(|l| l.chars().count() <= PYTHON_LINE_LENGTH),
            "{text}"
        );
        let rejoined: String = text
            .lines()
            .skip(2)
            .filter_map(|l| {
                l.trim()
                    .strip_prefix('"')?
                    .strip_suffix('"')
                    .map(str::to_owned)
            })
            .collect();
        assert_eq!(rejoined, long);
    }

    #[test]
    fn connector_vars_derive_the_class_and_distribution_names() {
        let vars = connector_vars("demo_api", "api", "dpone_connector_demo_api");
        assert_eq!(vars.get("Class"), Some("DemoApi"));
        assert_eq!(vars.get("package_name"), Some("dpone-connector-demo-api"));
    }
}
