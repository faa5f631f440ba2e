//! The person's details, validated: what `pyproject.toml`, `LICENSE` and the CI workflow are
//! written from.

use super::error::RequestError;
use super::package::PackageDetails;

/// The licenses a package can be generated under: their SPDX ids, each with a `LICENSE` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum License {
    /// `Apache-2.0`, the default.
    #[default]
    Apache2,
    /// `MIT`.
    Mit,
    /// `BSD-3-Clause`.
    Bsd3Clause,
}

impl License {
    /// Every supported license, the default first.
    pub const ALL: [License; 3] = [License::Apache2, License::Mit, License::Bsd3Clause];

    /// The SPDX id.
    pub fn spdx(self) -> &'static str {
        match self {
            License::Apache2 => "Apache-2.0",
            License::Mit => "MIT",
            License::Bsd3Clause => "BSD-3-Clause",
        }
    }

    /// Reads an SPDX id; ids are matched without regard to case, as SPDX specifies.
    pub fn parse(given: &str) -> Result<License, RequestError> {
        let wanted = given.trim();
        License::ALL
            .into_iter()
            .find(|l| l.spdx().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| RequestError::License {
                given: given.to_owned(),
                expected: License::ALL.map(License::spdx).join(", "),
            })
    }
}

/// The lowest Python a generated package may declare: dpone itself needs 3.11.
pub const LOWEST_PYTHON_MINOR: u32 = 11;
/// The newest Python the classifiers list; a later `--python` lists just that version.
pub const NEWEST_PYTHON_MINOR: u32 = 14;

/// A `3.N` Python version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonVersion {
    /// `N` of `3.N`.
    pub minor: u32,
}

impl PythonVersion {
    /// Reads `3.N` (N at least [`LOWEST_PYTHON_MINOR`]).
    pub fn parse(given: &str) -> Result<PythonVersion, RequestError> {
        let refuse = |reason| RequestError::Detail {
            field: "python",
            given: given.to_owned(),
            reason,
        };
        let minor = given
            .trim()
            .strip_prefix("3.")
            .filter(|m| !m.is_empty() && m.len() <= 3 && m.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|m| m.parse::<u32>().ok())
            .ok_or_else(|| refuse("is not a Python version like 3.12"))?;
        if minor < LOWEST_PYTHON_MINOR {
            return Err(refuse("is older than dpone supports (3.11 or later)"));
        }
        Ok(PythonVersion { minor })
    }

    /// Every version from this one to the newest known, for the trove classifiers.
    pub fn supported_through_newest(self) -> Vec<PythonVersion> {
        (self.minor..=self.minor.max(NEWEST_PYTHON_MINOR))
            .map(|minor| PythonVersion { minor })
            .collect()
    }
}

impl Default for PythonVersion {
    fn default() -> Self {
        PythonVersion {
            minor: LOWEST_PYTHON_MINOR,
        }
    }
}

impl std::fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "3.{}", self.minor)
    }
}

/// [`PackageDetails`] validated, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageMetadata {
    /// The author's name.
    pub author: Option<String>,
    /// The author's e-mail address.
    pub email: Option<String>,
    /// The license.
    pub license: License,
    /// The description as given; `None` means the generated default.
    pub description: Option<String>,
    /// The lowest supported Python.
    pub python: PythonVersion,
}

/// Longest author, e-mail or description accepted: one line in `pyproject.toml`.
const MAX_DETAIL_CHARS: usize = 200;

impl PackageMetadata {
    /// Validates `details`: a known license, a Python version, and single-line text without
    /// control characters (these go into TOML, Markdown and a license file). An empty value
    /// counts as unset.
    pub fn resolve(details: &PackageDetails) -> Result<PackageMetadata, RequestError> {
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
        Ok(PackageMetadata {
            author: text("author", details.author.as_deref())?,
            email,
            license: match non_empty(details.license.as_deref()) {
                Some(id) => License::parse(id)?,
                None => License::default(),
            },
            description: text("description", details.description.as_deref())?,
            python: match non_empty(details.python.as_deref()) {
                Some(version) => PythonVersion::parse(version)?,
                None => PythonVersion::default(),
            },
        })
    }

    /// Who holds the copyright: the author, else the package's authors collectively.
    pub fn copyright_holder(&self, package_name: &str) -> String {
        match &self.author {
            Some(author) => author.clone(),
            None => format!("the {package_name} authors"),
        }
    }
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
        let m = PackageMetadata::resolve(&PackageDetails::default()).unwrap();
        assert_eq!(
            (m.license, m.python.to_string()),
            (License::Apache2, "3.11".to_owned())
        );
        assert_eq!(
            m.copyright_holder("dpone-connector-x"),
            "the dpone-connector-x authors"
        );
    }

    #[test]
    fn licenses_are_spdx_ids_matched_without_case() {
        assert_eq!(License::parse("mit").unwrap(), License::Mit);
        assert_eq!(
            License::parse(" BSD-3-Clause ").unwrap(),
            License::Bsd3Clause
        );
        let err = License::parse("GPL-3.0-only").unwrap_err().to_string();
        assert_eq!(
            err,
            "unsupported license \"GPL-3.0-only\"; expected an SPDX id, one of: Apache-2.0, MIT, BSD-3-Clause"
        );
    }

    #[test]
    fn python_versions_are_three_dot_n_from_3_11() {
        assert_eq!(PythonVersion::parse("3.12").unwrap().minor, 12);
        for bad in ["3", "3.", "2.7", "3.10", "3.x", "3.12.1", "4.0", "3.99999"] {
            assert!(PythonVersion::parse(bad).is_err(), "{bad}");
        }
        let listed: Vec<String> = PythonVersion { minor: 13 }
            .supported_through_newest()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(listed, ["3.13", "3.14"]);
    }

    #[test]
    fn text_details_are_single_lines_and_emails_look_like_emails() {
        let ok = PackageMetadata::resolve(&details(|d| {
            d.author = Some(" Ada Lovelace ".into());
            d.email = Some("ada@example.org".into());
            d.description = Some(String::new());
        }))
        .unwrap();
        assert_eq!(ok.author.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ok.description, None);
        for bad in [
            details(|d| d.author = Some("two\nlines".into())),
            details(|d| d.email = Some("nobody".into())),
            details(|d| d.email = Some("a b@c".into())),
            details(|d| d.description = Some("x".repeat(201))),
        ] {
            assert!(PackageMetadata::resolve(&bad).is_err(), "{bad:?}");
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
