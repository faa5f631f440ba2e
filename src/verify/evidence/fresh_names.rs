//! A fresh package certifies its own structure whatever it is called: every name the scaffold
//! accepts gets examples whose values a YAML 1.1 reader (dpone, PyYAML) reads back as the
//! strings they were generated from, one example file per role, and conformance all passed.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::certify_package;
use crate::model::error::{RequestError, ScaffoldError};
use crate::model::verdict::Status;
use crate::writer::WriteOptions;
use crate::yaml::pyvalue::PyValue;
use crate::yaml::safe_load::safe_load;
use crate::{scaffold, ScaffoldRequest};

/// Scaffolds `name` with source, sink and state and checks the fresh package. Which names
/// are accepted is decided here, by the documented rule (a name needs an ASCII letter or
/// digit), not by the code under test: an accepted name must give a package that certifies
/// its structure, a name without one must be refused for its name, writing nothing.
fn fresh_package_certifies_its_structure(name: &str) -> Result<(), String> {
    let request = ScaffoldRequest::new(name)
        .capability("source")
        .capability("sink")
        .capability("state");
    let accepted = name.chars().any(|c| c.is_ascii_alphanumeric());
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let options = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    let outcome = scaffold(&request.root(root.path()), &options);
    if !accepted {
        let written = std::fs::read_dir(root.path()).map_or(0, |d| d.count());
        return match outcome {
            Err(ScaffoldError::Request(RequestError::EmptyName(refused)))
                if refused == name && written == 0 =>
            {
                Ok(())
            }
            other => Err(format!(
                "{name:?} has no letter or digit, yet: {other:?} ({written} entries written)"
            )),
        };
    }
    let result = outcome.map_err(|e| format!("{name:?} refused: {e}"))?;
    let connector = result.connector.clone();
    let dir = PathBuf::from(result.sdk_root);
    let certification = certify_package(&dir).map_err(|e| e.to_string())?;
    let failed: Vec<_> = certification
        .conformance
        .iter()
        .filter(|c| c.status != Status::Passed)
        .collect();
    if !failed.is_empty() {
        return Err(format!("{name:?}: conformance {failed:?}"));
    }
    let examples = examples(&dir);
    if examples.len() != 2 {
        return Err(format!("{name:?}: one example per role, got {examples:?}"));
    }
    for example in examples {
        let text = std::fs::read_to_string(&example).map_err(|e| e.to_string())?;
        let value = safe_load(&text).map_err(|e| format!("{example:?}: {e}"))?;
        for (section, key) in [
            (None, "name"),
            (Some("source"), "type"),
            (Some("source"), "connection_id"),
            (Some("sink"), "type"),
            (Some("sink"), "connection_id"),
        ] {
            let found = match section {
                Some(section) => get(&value, section).and_then(|s| get(s, key)),
                None => get(&value, key),
            };
            if !matches!(found, Some(PyValue::Str(_))) {
                return Err(format!("{example:?}: {section:?}.{key} is {found:?}"));
            }
        }
        let types = ["source", "sink"].map(|s| match get(&value, s).and_then(|s| get(s, "type")) {
            Some(PyValue::Str(t)) => t.clone(),
            _ => String::new(),
        });
        if !types.contains(&connector) || types[0] == types[1] {
            return Err(format!("{example:?}: types {types:?} for {connector}"));
        }
    }
    Ok(())
}

fn get<'a>(value: &'a PyValue, key: &str) -> Option<&'a PyValue> {
    match value {
        PyValue::Dict(dict) => dict.get_str(key),
        _ => None,
    }
}

fn examples(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("examples"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Names YAML 1.1 reads as something else, the connector the examples pair with, and names
/// with nothing to keep (refused).
#[rstest::rstest]
#[case::postgres("postgres")]
#[case::clickhouse("clickhouse")]
#[case::true_("true")]
#[case::false_("False")]
#[case::null("null")]
#[case::yes("yes")]
#[case::no("NO")]
#[case::on("on")]
#[case::off("off")]
#[case::y("y")]
#[case::one("1")]
#[case::one_point_o("1.0")]
#[case::underscored_int("1_000")]
#[case::octal("010")]
#[case::hex("0x1f")]
#[case::binary("0b101")]
#[case::float_exponent("1e3")]
#[case::infinity(".inf")]
#[case::nan(".NaN")]
#[case::tilde("~")]
#[case::sexagesimal("1:30")]
#[case::timestamp("2024-01-02")]
#[case::only_dashes("---")]
#[case::only_spaces("   ")]
#[case::no_ascii("日本")]
fn awkward_names(#[case] name: &str) {
    fresh_package_certifies_its_structure(name).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_name(name in "[a-zA-Z0-9 ._:~+äü日-]{1,12}") {
        fresh_package_certifies_its_structure(&name).map_err(TestCaseError::fail)?;
    }
}
