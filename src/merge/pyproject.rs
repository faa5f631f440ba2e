//! `pyproject.toml` merged by key where a line merge would conflict for nothing.
//!
//! Two parts of it are lists of keyed entries more than lines of text: the generator's
//! record (`[tool.dpone-connectors]`, whose `generator-version` every update changes, right
//! beside details a person may have edited) and `[project] dependencies` (one line that both
//! the person, adding a requirement, and the template, raising one, change). Each key (each
//! requirement, by distribution name) is merged three-way on its own; the result is written
//! into all three versions, and the line merge then sees no change there, only everywhere
//! else. A key both sides changed differently is left alone, for the line merge to mark.
//! A version that does not parse as TOML is merged line by line.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use super::lines::{merge, Merged};

/// Merges three versions of `pyproject.toml`; conflict markers name `label`.
pub fn merge_pyproject(base: &str, ours: &str, theirs: &str, label: &str) -> Merged {
    let parsed = (
        base.parse::<DocumentMut>(),
        ours.parse::<DocumentMut>(),
        theirs.parse::<DocumentMut>(),
    );
    let (Ok(mut b), Ok(mut o), Ok(mut t)) = parsed else {
        return merge(base, ours, theirs, label);
    };
    align_record(&mut b, &mut o, &mut t);
    align_dependencies(&mut b, &mut o, &mut t);
    let [base, ours, theirs] = [b, o, t].map(|doc| doc.to_string());
    merge(&base, &ours, &theirs, label)
}

/// A value without its surrounding whitespace and comments, for comparing.
fn bare(value: &Value) -> String {
    let mut value = value.clone();
    value.decor_mut().clear();
    value.to_string()
}

/// The three-way merge of one key: `Ok(None)` deleted, `Err(())` changed on both sides.
fn merge_value<'a>(
    base: Option<&'a Value>,
    ours: Option<&'a Value>,
    theirs: Option<&'a Value>,
) -> Result<Option<&'a Value>, ()> {
    let same = |a: Option<&Value>, b: Option<&Value>| a.map(bare) == b.map(bare);
    if same(ours, base) {
        Ok(theirs)
    } else if same(theirs, base) || same(ours, theirs) {
        Ok(ours)
    } else {
        Err(())
    }
}

fn record_mut(doc: &mut DocumentMut) -> Option<&mut Table> {
    doc.get_mut("tool")?
        .as_table_mut()?
        .get_mut("dpone-connectors")?
        .as_table_mut()
}

/// Merges the generator's record key by key into all three documents; the record is only
/// aligned where all three have it.
fn align_record(base: &mut DocumentMut, ours: &mut DocumentMut, theirs: &mut DocumentMut) {
    let (Some(b), Some(o), Some(t)) = (record_mut(base), record_mut(ours), record_mut(theirs))
    else {
        return;
    };
    let mut keys: Vec<String> = Vec::new();
    for table in [&*t, &*o, &*b] {
        for (key, _) in table.iter() {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
        }
    }
    for key in keys {
        let value = |table: &Table| table.get(&key).and_then(Item::as_value).cloned();
        let (bv, ov, tv) = (value(&*b), value(&*o), value(&*t));
        let Ok(merged) = merge_value(bv.as_ref(), ov.as_ref(), tv.as_ref()) else {
            continue;
        };
        let merged = merged.cloned();
        for table in [&mut *b, &mut *o, &mut *t] {
            set_key(table, &key, merged.as_ref());
        }
    }
}

/// Sets `key` to `value` (or removes it) unless it already has that value, keeping the
/// key's own spacing.
fn set_key(table: &mut Table, key: &str, value: Option<&Value>) {
    let current = table.get(key).and_then(Item::as_value);
    if current.map(bare) == value.map(bare) {
        return;
    }
    match (table.get_mut(key).and_then(Item::as_value_mut), value) {
        (Some(slot), Some(value)) => {
            let decor = slot.decor().clone();
            *slot = value.clone();
            *slot.decor_mut() = decor;
        }
        (None, Some(value)) => {
            table.insert(key, Item::Value(value.clone()));
        }
        (_, None) => {
            table.remove(key);
        }
    }
}

fn dependencies_mut(doc: &mut DocumentMut) -> Option<&mut Array> {
    doc.get_mut("project")?
        .as_table_mut()?
        .get_mut("dependencies")?
        .as_array_mut()
}

/// A requirement's distribution name, normalized (PEP 503): what makes two requirements
/// the same entry.
fn requirement_name(requirement: &str) -> String {
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    requirement[..end]
        .to_ascii_lowercase()
        .replace(['_', '.'], "-")
}

/// The requirements of an array as (name, requirement); `None` when an item is not a string.
fn requirements(array: &Array) -> Option<Vec<(String, String)>> {
    array
        .iter()
        .map(|v| {
            v.as_str()
                .map(|s| (requirement_name(s), s.trim().to_owned()))
        })
        .collect()
}

/// Merges `[project] dependencies` by distribution name: the template's requirements in its
/// order, with the person's changes and removals applied, then the person's additions.
/// Nothing is aligned when a requirement changed on both sides.
fn align_dependencies(base: &mut DocumentMut, ours: &mut DocumentMut, theirs: &mut DocumentMut) {
    let (Some(b), Some(o), Some(t)) = (
        dependencies_mut(base),
        dependencies_mut(ours),
        dependencies_mut(theirs),
    ) else {
        return;
    };
    let (Some(bl), Some(ol), Some(tl)) = (requirements(b), requirements(o), requirements(t)) else {
        return;
    };
    let find = |list: &[(String, String)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| Value::from(r.as_str()))
    };
    let mut merged: Vec<String> = Vec::new();
    let names = tl.iter().chain(ol.iter()).map(|(n, _)| n.as_str());
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let (bv, ov, tv) = (find(&bl, name), find(&ol, name), find(&tl, name));
        match merge_value(bv.as_ref(), ov.as_ref(), tv.as_ref()) {
            Ok(Some(value)) => merged.extend(value.as_str().map(str::to_owned)),
            Ok(None) => {}
            Err(()) => return,
        }
    }
    for array in [b, o, t] {
        let current: Vec<&str> = array.iter().filter_map(Value::as_str).collect();
        if current
            .iter()
            .map(|s| s.trim())
            .eq(merged.iter().map(String::as_str))
        {
            continue;
        }
        array.clear();
        merged.iter().for_each(|r| array.push(r.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[project]\nname = \"x\"\ndependencies = [\"dpone>=0.2.0\"]\n\n\
        [tool.dpone-connectors]\ngenerator = \"dpone-connectors\"\ngenerator-version = \"0.1.0\"\n\
        python = \"3.11\"\n";

    #[test]
    fn the_record_takes_the_new_version_beside_a_persons_edit() {
        let ours = BASE.replace("python = \"3.11\"", "python = \"3.12\"");
        let theirs = BASE.replace("0.1.0", "0.2.0");
        let m = merge_pyproject(BASE, &ours, &theirs, "v");
        assert!(m.is_clean(), "{}", m.text);
        assert!(m
            .text
            .contains("generator-version = \"0.2.0\"\npython = \"3.12\"\n"));
    }

    #[test]
    fn dependencies_merge_by_name() {
        let ours = BASE.replace("[\"dpone>=0.2.0\"]", "[\"dpone>=0.2.0\", \"requests>=2\"]");
        let theirs = BASE.replace("dpone>=0.2.0", "dpone>=0.88.0");
        let m = merge_pyproject(BASE, &ours, &theirs, "v");
        assert!(m.is_clean(), "{}", m.text);
        assert!(
            m.text
                .contains("dependencies = [\"dpone>=0.88.0\", \"requests>=2\"]\n"),
            "{}",
            m.text
        );
    }

    #[test]
    fn a_requirement_both_sides_changed_is_a_conflict() {
        let ours = BASE.replace("dpone>=0.2.0", "dpone>=0.50");
        let theirs = BASE.replace("dpone>=0.2.0", "dpone>=0.88.0");
        let m = merge_pyproject(BASE, &ours, &theirs, "v");
        assert_eq!(m.conflicts, 1);
    }

    #[test]
    fn a_removed_requirement_stays_removed() {
        let base = BASE.replace("[\"dpone>=0.2.0\"]", "[\"dpone>=0.2.0\", \"pyyaml\"]");
        let ours = BASE.to_owned();
        let theirs = base.replace("dpone>=0.2.0", "dpone>=0.88.0");
        let m = merge_pyproject(&base, &ours, &theirs, "v");
        assert!(
            m.text.contains("dependencies = [\"dpone>=0.88.0\"]\n"),
            "{}",
            m.text
        );
    }

    #[test]
    fn text_that_is_not_toml_merges_line_by_line() {
        let ours = format!("{BASE}mine = [\n");
        let theirs = BASE.replace("0.1.0", "0.2.0");
        let m = merge_pyproject(BASE, &ours, &theirs, "v");
        assert!(m.is_clean());
        assert!(m.text.ends_with("mine = [\n") && m.text.contains("0.2.0"));
    }

    #[test]
    fn requirement_names_are_normalized() {
        assert_eq!(requirement_name("Py_YAML.x>=6"), "py-yaml-x");
        assert_eq!(requirement_name("dpone"), "dpone");
        assert_eq!(
            requirement_name("dpone[extra] ; python_version>'3'"),
            "dpone"
        );
    }
}
