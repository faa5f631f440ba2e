//! Python `from X import a, b` lines merged and ordered the way isort and ruff's `I` rules
//! keep them, so a file assembled from several templates needs no `noqa` and no reformat.

use std::collections::BTreeMap;

/// Merges `from module import names` lines (one a line; other lines are ignored) into one
/// line per module, modules sorted, names in isort's order-by-type order: constants, then
/// classes, then everything else. Every line ends with `\n`.
pub fn merge_from_imports<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut modules: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in lines {
        let Some((module, names)) = line
            .trim()
            .strip_prefix("from ")
            .and_then(|rest| rest.split_once(" import "))
        else {
            continue;
        };
        let entry = modules.entry(module.trim()).or_default();
        entry.extend(names.split(',').map(str::trim).filter(|n| !n.is_empty()));
    }
    let mut out = String::new();
    for (module, mut names) in modules {
        names.sort_by_key(|name| (member_rank(name), *name));
        names.dedup();
        out.push_str(&format!("from {module} import {}\n", names.join(", ")));
    }
    out
}

/// isort's order-by-type: `CONSTANT` (0), `Class` (1), `function_or_variable` (2).
fn member_rank(name: &str) -> u8 {
    let upper = name.chars().any(char::is_uppercase);
    if upper && name.len() > 1 && !name.chars().any(char::is_lowercase) {
        0
    } else if name.starts_with(char::is_uppercase) {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_modules_and_orders_names_by_type() {
        let merged = merge_from_imports([
            "from pkg.sink import DemoSink",
            "from pkg.connector import redact, REDACTED, DemoConfig",
            "from collections.abc import Sequence, Mapping",
            "from collections.abc import Mapping",
            "not an import",
        ]);
        assert_eq!(
            merged,
            "from collections.abc import Mapping, Sequence\n\
             from pkg.connector import REDACTED, DemoConfig, redact\n\
             from pkg.sink import DemoSink\n"
        );
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(merge_from_imports([]), "");
    }

    proptest::proptest! {
        /// Merging is idempotent and loses no name, whatever the lines.
        #[test]
        fn merging_is_stable_and_keeps_every_name(
            lines in proptest::collection::vec(
                ("[a-z]{1,3}(\\.[a-z]{1,3})?", proptest::collection::vec("[A-Za-z_]{1,4}", 1..4)),
                0..8,
            )
        ) {
            let text: Vec<String> = lines
                .iter()
                .map(|(module, names)| format!("from {module} import {}", names.join(", ")))
                .collect();
            let once = merge_from_imports(text.iter().map(String::as_str));
            let twice = merge_from_imports(once.lines());
            proptest::prop_assert_eq!(&once, &twice);
            for (module, names) in &lines {
                let line = once
                    .lines()
                    .find(|l| l.starts_with(&format!("from {module} import ")))
                    .unwrap();
                for name in names {
                    let listed = line.split(" import ").nth(1).unwrap().split(", ").any(|n| n == name);
                    proptest::prop_assert!(listed, "{name} lost from {line}");
                }
            }
        }
    }
}
