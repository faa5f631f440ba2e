//! The person's details, validated: what `pyproject.toml`, `LICENSE` and the CI workflow are
//! written from. Validation itself lives in the scaffold service (`scaffold::details`), so
//! these types depend on nothing.

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
    pub fn from_spdx(given: &str) -> Option<License> {
        let wanted = given.trim();
        License::ALL
            .into_iter()
            .find(|l| l.spdx().eq_ignore_ascii_case(wanted))
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
    /// Reads `3.N` (N at least [`LOWEST_PYTHON_MINOR`]); the error says why not.
    pub fn parse(given: &str) -> Result<PythonVersion, &'static str> {
        let minor = given
            .trim()
            .strip_prefix("3.")
            .filter(|m| !m.is_empty() && m.len() <= 3 && m.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|m| m.parse::<u32>().ok())
            .ok_or("is not a Python version like 3.12")?;
        if minor < LOWEST_PYTHON_MINOR {
            return Err("is older than dpone supports (3.11 or later)");
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

/// [`PackageDetails`](super::package::PackageDetails) validated, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageMetadata {
    /// The author's name.
    pub author: Option<String>,
    /// The author's e-mail address.
    pub email: Option<String>,
    /// The license.
    pub license: License,
    /// Whether the license was chosen (a flag, the environment, the config file or a batch
    /// entry) rather than defaulted. Only a chosen license brings a `LICENSE` file: the
    /// contract's file list, which a default package keeps exactly, has none.
    pub license_chosen: bool,
    /// The description as given; `None` means the generated default.
    pub description: Option<String>,
    /// The lowest supported Python.
    pub python: PythonVersion,
}

impl PackageMetadata {
    /// Who holds the copyright: the author, else the package's authors collectively.
    pub fn copyright_holder(&self, package_name: &str) -> String {
        match &self.author {
            Some(author) => author.clone(),
            None => format!("the {package_name} authors"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses_are_spdx_ids_matched_without_case() {
        assert_eq!(License::from_spdx("mit"), Some(License::Mit));
        assert_eq!(
            License::from_spdx(" BSD-3-Clause "),
            Some(License::Bsd3Clause)
        );
        assert_eq!(License::from_spdx("GPL-3.0-only"), None);
        assert_eq!(License::default(), License::Apache2);
    }

    #[test]
    fn python_versions_are_three_dot_n_from_3_11() {
        assert_eq!(PythonVersion::parse("3.12").unwrap().minor, 12);
        assert_eq!(PythonVersion::default().to_string(), "3.11");
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
    fn without_an_author_the_package_authors_hold_the_copyright() {
        let metadata = PackageMetadata::default();
        assert_eq!(
            metadata.copyright_holder("dpone-connector-x"),
            "the dpone-connector-x authors"
        );
    }
}
