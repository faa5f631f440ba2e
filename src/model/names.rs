//! Name normalization, byte-compatible with dpone 0.88.0.

use super::error::RequestError;

/// Normalizes a connector name: lowercase, every run of characters outside `[0-9A-Za-z]`
/// becomes one `_`, leading and trailing `_` are removed, and a leading digit gets the
/// prefix `connector_`.
///
/// ```
/// use dpone_connector_sdk::model::names::connector_identifier;
/// assert_eq!(connector_identifier("Demo API").unwrap(), "demo_api");
/// assert_eq!(connector_identifier("123abc").unwrap(), "connector_123abc");
/// assert!(connector_identifier("日本語").is_err());
/// ```
pub fn connector_identifier(name: &str) -> Result<String, RequestError> {
    identifier(name).ok_or_else(|| RequestError::EmptyName(name.to_owned()))
}

/// Normalizes a package prefix exactly like a connector name (`Acme Corp` → `acme_corp`).
///
/// ```
/// use dpone_connector_sdk::model::names::package_prefix;
/// assert_eq!(package_prefix("Acme Corp").unwrap(), "acme_corp");
/// assert!(package_prefix("--").is_err());
/// ```
pub fn package_prefix(prefix: &str) -> Result<String, RequestError> {
    identifier(prefix).ok_or_else(|| RequestError::EmptyPackagePrefix(prefix.to_owned()))
}

/// The prefix an import package was generated with, when it is `<prefix>_<connector>` for a
/// normalized prefix; `None` for an import package no prefix produces.
///
/// ```
/// use dpone_connector_sdk::model::names::prefix_of;
/// assert_eq!(prefix_of("acme_corp_demo", "demo"), Some("acme_corp"));
/// assert_eq!(prefix_of("Acme_demo", "demo"), None);
/// ```
pub fn prefix_of<'a>(import_package: &'a str, connector: &str) -> Option<&'a str> {
    let prefix = import_package.strip_suffix(connector)?.strip_suffix('_')?;
    (identifier(prefix).as_deref() == Some(prefix)).then_some(prefix)
}

/// The shared normalization: lowercase, every run of characters outside `[0-9A-Za-z]` becomes
/// one `_`, edge `_` removed, a leading digit prefixed with `connector_`; `None` when nothing
/// is left.
fn identifier(raw: &str) -> Option<String> {
    // Lowercasing is Unicode-aware on purpose: `K` (Kelvin sign) lowercases to ASCII `k`.
    // Trimming needs no special care: whitespace becomes `_`, and edge `_` are removed.
    let lowered = raw.to_lowercase();
    let mut out = String::with_capacity(lowered.len());
    let mut pending_separator = false;
    for ch in lowered.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_separator && !out.is_empty() {
                out.push('_');
            }
            pending_separator = false;
            out.push(ch);
        } else {
            pending_separator = true;
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.as_bytes()[0].is_ascii_digit() {
        out.insert_str(0, "connector_");
    }
    Some(out)
}

/// The Python class-name stem for a connector: `demo_api` → `DemoApi`.
pub fn class_name(connector: &str) -> String {
    let mut out = String::with_capacity(connector.len());
    for part in connector.split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Normalizes a choice value the way the reference does: trimmed and lowercased.
pub fn normalize_choice(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The import package for a connector under a normalized prefix: `<prefix>_<connector>`.
pub fn import_package(prefix: &str, connector: &str) -> String {
    format!("{prefix}_{connector}")
}

/// The distribution name for an import package: `_` becomes `-`.
pub fn package_name(import_package: &str) -> String {
    import_package.replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("demo_api", "demo_api")]
    #[case("Demo API", "demo_api")]
    #[case("ÄÖÜ name", "name")]
    #[case("123abc", "connector_123abc")]
    #[case("rest.v2", "rest_v2")]
    #[case("Ünïcödé-Connector 2", "n_c_d_connector_2")]
    #[case("a--b__c", "a_b_c")]
    #[case("__dunder__", "dunder")]
    #[case("  padded  ", "padded")]
    #[case("_1", "connector_1")]
    #[case("0", "connector_0")]
    #[case("\u{212A}elvin", "kelvin")]
    #[case("s3://bucket", "s3_bucket")]
    fn normalizes_like_the_reference(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(connector_identifier(raw).unwrap(), expected);
    }

    #[rstest]
    #[case("")]
    #[case("---")]
    #[case("!!!")]
    #[case("日本語")]
    #[case("   ")]
    fn rejects_names_without_alphanumerics(#[case] raw: &str) {
        assert_eq!(
            connector_identifier(raw),
            Err(RequestError::EmptyName(raw.to_owned()))
        );
    }

    #[rstest]
    #[case("dpone_connector", "dpone_connector")]
    #[case("Acme Corp", "acme_corp")]
    #[case("x-y", "x_y")]
    #[case("9lives", "connector_9lives")]
    fn prefixes_normalize_like_names(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(package_prefix(raw).unwrap(), expected);
        let import = import_package(expected, "demo");
        assert_eq!(prefix_of(&import, "demo"), Some(expected));
    }

    #[test]
    fn an_empty_prefix_is_its_own_error() {
        assert_eq!(
            package_prefix(" - "),
            Err(RequestError::EmptyPackagePrefix(" - ".to_owned()))
        );
    }

    #[rstest]
    #[case("dpone_connector_demo", "other")]
    #[case("_demo", "demo")]
    #[case("demo", "demo")]
    #[case("Acme_demo", "demo")]
    #[case("acme__demo", "demo")]
    #[case("9_demo", "demo")]
    fn import_packages_no_prefix_produces_have_none(#[case] import: &str, #[case] connector: &str) {
        assert_eq!(prefix_of(import, connector), None);
    }

    #[rstest]
    #[case("demo_api", "DemoApi")]
    #[case("connector_123abc", "Connector123abc")]
    #[case("x", "X")]
    fn class_names_capitalize_each_part(#[case] connector: &str, #[case] expected: &str) {
        assert_eq!(class_name(connector), expected);
    }
}
