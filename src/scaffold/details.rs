//! Validates the person's details ([`PackageDetails`], layered from flags, environment,
//! config and batch entries) into the [`PackageMetadata`] templates are rendered with.

use crate::model::details::{License, PackageMetadata, PythonVersion};
use crate::model::error::RequestError;
use crate::model::package::PackageDetails;

/// Longest author, e-mail or description accepted: one line in `pyproject.toml`.
const MAX_DETAIL_CHARS: usize = 200;

/// Validates `details`: a supported license, a Python version, and single-line text without
/// control characters (these go into TOML, Markdown and a license file). An empty value
/// counts as unset; unset values take their defaults.
pub fn resolve_details(details: &PackageDetails) -> Result<PackageMetadata, RequestError> {
    let email = text("email", details.email.as_deref())?;
    if let Some(email) = &email {
        let valid = email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && !host.is_empty() && !host.contains('@')
        }) && !email.contains(char::is_whitespace);
        if !valid {
            return Err(RequestError::Detail {
                field: "email",
                given: email.clone(),
                reason: "is not an e-mail address",
            });
        }
    }
    let license = match non_empty(details.license.as_deref()) {
        Some(id) => License::from_spdx(id).ok_or_else(|| RequestError::License {
            given: id.to_owned(),
            expected: License::ALL.map(License::spdx).join(", "),
        })?,
        None => License::default(),
    };
    let python = match non_empty(details.python.as_deref()) {
        Some(version) => PythonVersion::parse(version).map_err(|reason| RequestError::Detail {
            field: "python",
            given: version.to_owned(),
            reason,
        })?,
        None => PythonVersion::default(),
    };
    Ok(PackageMetadata {
        author: text("author", details.author.as_deref())?,
        email,
        license,
        license_chosen: non_empty(details.license.as_deref()).is_some(),
        description: text("description", details.description.as_deref())?,
        python,
    })
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn text(field: &'static str, value: Option<&str>) -> Result<Option<String>, RequestError> {
    let Some(value) = non_empty(value) else {
        return Ok(None);
    };
    let refuse = |reason| RequestError::Detail {
        field,
        given: value.to_owned(),
        reason,
    };
    if value.chars().any(char::is_control) {
        return Err(refuse("must be one line without control characters"));
    }
    if value.chars().count() > MAX_DETAIL_CHARS {
        return Err(refuse("is longer than 200 characters"));
    }
    Ok(Some(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(f: impl FnOnce(&mut PackageDetails)) -> PackageDetails {
        let mut d = PackageDetails::default();
        f(&mut d);
        d
    }

    #[test]
    fn nothing_given_means_apache_and_the_lowest_python() {
        let m = resolve_details(&PackageDetails::default()).unwrap();
        assert_eq!(m, PackageMetadata::default());
        assert_eq!(
            (m.license.spdx(), m.python.to_string()),
            ("Apache-2.0", "3.11".to_owned())
        );
    }

    #[test]
    fn unsupported_licenses_and_pythons_say_what_is_accepted() {
        let license = resolve_details(&details(|d| d.license = Some("GPL-3.0-only".into())));
        assert_eq!(
            license.unwrap_err().to_string(),
            "unsupported license \"GPL-3.0-only\"; expected an SPDX id, one of: Apache-2.0, MIT, BSD-3-Clause"
        );
        let python = resolve_details(&details(|d| d.python = Some("3.10".into())));
        assert_eq!(
            python.unwrap_err().to_string(),
            "python \"3.10\" is older than dpone supports (3.11 or later)"
        );
    }

    #[test]
    fn text_details_are_single_lines_and_emails_look_like_emails() {
        let ok = resolve_details(&details(|d| {
            d.author = Some(" Ada Lovelace ".into());
            d.email = Some("ada@example.org".into());
            d.description = Some(String::new());
            d.license = Some("mit".into());
        }))
        .unwrap();
        assert_eq!(ok.author.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ok.description, None);
        assert_eq!(ok.license, License::Mit);
        for bad in [
            details(|d| d.author = Some("two\nlines".into())),
            details(|d| d.email = Some("nobody".into())),
            details(|d| d.email = Some("a b@c".into())),
            details(|d| d.email = Some("a@b@c".into())),
            details(|d| d.description = Some("x".repeat(201))),
        ] {
            assert!(resolve_details(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn layering_keeps_the_first_value_set() {
        let flags = details(|d| d.license = Some("MIT".into()));
        let config = details(|d| {
            d.license = Some("BSD-3-Clause".into());
            d.author = Some("Ada".into());
        });
        let merged = flags.or(config);
        assert_eq!(merged.license.as_deref(), Some("MIT"));
        assert_eq!(merged.author.as_deref(), Some("Ada"));
    }
}
