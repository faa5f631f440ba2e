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
    // Lowercasing is Unicode-aware on purpose: `K` (Kelvin sign) lowercases to ASCII `k`.
    // Trimming needs no special care: whitespace becomes `_`, and edge `_` are removed.
    let lowered = name.to_lowercase();
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
        return Err(RequestError::EmptyName(name.to_owned()));
    }
    if out.as_bytes()[0].is_ascii_digit() {
        out.insert_str(0, "connector_");
    }
    Ok(out)
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

/// The import package for a connector: `dpone_connector_<connector>`.
pub fn import_package(connector: &str) -> String {
    format!("dpone_connector_{connector}")
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
    #[case("demo_api", "DemoApi")]
    #[case("connector_123abc", "Connector123abc")]
    #[case("x", "X")]
    fn class_names_capitalize_each_part(#[case] connector: &str, #[case] expected: &str) {
        assert_eq!(class_name(connector), expected);
    }
}
