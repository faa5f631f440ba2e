//! What `list` reports: every package of a tree, its certification status and its drift.

use serde::Serialize;

use super::verdict::Status;

/// Where a package stands, from its evidence and its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageStatus {
    /// `certify` says certified.
    Certified,
    /// Nothing is wrong, but something is not proven: required tests missing, no evidence
    /// (or evidence that is missing, corrupt or for another connector), or no certification
    /// manifest at all.
    Unverified,
    /// `certify` says failed: a required test, a quality gate or a conformance check failed.
    Failed,
    /// Not failed, but the evidence was recorded against a `certification.yaml` or Python
    /// code that has changed since.
    Stale,
    /// The package cannot be read: its connector manifest or certification manifest is
    /// missing, unreadable, malformed or declares what this version does not know.
    Invalid,
}

impl PackageStatus {
    /// Every status, in the order summaries list them.
    pub const ALL: [PackageStatus; 5] = [
        PackageStatus::Certified,
        PackageStatus::Unverified,
        PackageStatus::Failed,
        PackageStatus::Stale,
        PackageStatus::Invalid,
    ];

    /// The lowercase word used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            PackageStatus::Certified => "certified",
            PackageStatus::Unverified => "unverified",
            PackageStatus::Failed => "failed",
            PackageStatus::Stale => "stale",
            PackageStatus::Invalid => "invalid",
        }
    }

    /// Whether `list --strict` fails on this status.
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            PackageStatus::Failed | PackageStatus::Stale | PackageStatus::Invalid
        )
    }
}

/// One required test of one capability of one package: a cell of the certification matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestCell {
    /// The runtime capability.
    pub capability: String,
    /// The required test.
    pub test: String,
    /// What the evidence says.
    pub status: Status,
    /// Why it failed or is missing (`None` when it passed without a note).
    pub reason: Option<String>,
}

/// One package of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageListing {
    /// The package directory relative to the listed root, `/`-separated (`.` for the root
    /// itself).
    pub path: String,
    /// The connector (`None` when the package cannot be read).
    pub connector: Option<String>,
    /// The connector type (`None` when the package cannot be read).
    pub connector_type: Option<String>,
    /// Declared runtime capabilities, in manifest order.
    pub capabilities: Vec<String>,
    /// Declared native-transfer capabilities, in manifest order.
    pub native_capabilities: Vec<String>,
    /// Where the package stands.
    pub status: PackageStatus,
    /// Whether an older generator (or dpone 0.88.0) made the package: `update` would bring
    /// it forward (false when the package cannot be read).
    pub outdated: bool,
    /// How many files carry contract drift, what `check` reports as an error: a contract
    /// file that differs from what the declarations produce, a declared capability's module
    /// missing, an undeclared capability's module present (`None` when the package cannot
    /// be read).
    pub drift: Option<usize>,
    /// How many other generated files differ from what this version generates: files a
    /// person is expected to change (tests, modules, README, docs), edited or removed;
    /// `check` notes them and nothing fails on them (`None` when the package cannot be read).
    pub edited: Option<usize>,
    /// Why the package is not certified, most serious first (`None` when it is).
    pub reason: Option<String>,
    /// Every required test of every declared runtime capability (filled when the listing
    /// asks for the matrix; never part of the package's JSON object).
    #[serde(skip)]
    pub tests: Vec<TestCell>,
}

impl PackageListing {
    /// Whether the package differs from what this version generates.
    pub fn drifted(&self) -> bool {
        self.drift.is_some_and(|n| n > 0)
    }

    /// Whether generated files were edited (a note, never a problem).
    pub fn was_edited(&self) -> bool {
        self.edited.is_some_and(|n| n > 0)
    }

    /// Whether `list --strict` fails on this package: failed, stale, invalid or contract
    /// drift. Edits are not a problem: certification requires editing the generated tests.
    pub fn is_problem(&self) -> bool {
        self.status.is_problem() || self.drifted()
    }
}

/// One row of the certification matrix: a required test of a package, or the package
/// alone when it has no required test to show (it cannot be read, has no certification
/// manifest, or declares no runtime capability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow<'a> {
    /// The package directory, relative to the listed root.
    pub path: &'a str,
    /// The connector (`None` when the package cannot be read).
    pub connector: Option<&'a str>,
    /// The runtime capability (`None` on a package-only row).
    pub capability: Option<&'a str>,
    /// The required test (`None` on a package-only row).
    pub test: Option<&'a str>,
    /// The test's status (`passed`, `failed`, `missing`), or on a package-only row the
    /// package's (`invalid`, `unverified`, ...).
    pub status: &'static str,
    /// Why the test failed or is missing, or why the package is not certified.
    pub reason: Option<&'a str>,
}

impl PackageListing {
    /// The package's rows of the certification matrix, in capability and test order.
    pub fn matrix_rows(&self) -> Vec<MatrixRow<'_>> {
        if self.tests.is_empty() {
            return vec![MatrixRow {
                path: &self.path,
                connector: self.connector.as_deref(),
                capability: None,
                test: None,
                status: self.status.as_str(),
                reason: self.reason.as_deref(),
            }];
        }
        self.tests
            .iter()
            .map(|cell| MatrixRow {
                path: &self.path,
                connector: self.connector.as_deref(),
                capability: Some(&cell.capability),
                test: Some(&cell.test),
                status: cell.status.as_str(),
                reason: cell.reason.as_deref(),
            })
            .collect()
    }
}

/// How many packages have each status. Serializes as `{status: count}`, every status
/// present, in [`PackageStatus::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ListSummary {
    /// Certified packages.
    pub certified: usize,
    /// Unverified packages.
    pub unverified: usize,
    /// Failed packages.
    pub failed: usize,
    /// Packages with stale evidence.
    pub stale: usize,
    /// Packages that cannot be read.
    pub invalid: usize,
    /// Packages with contract drift (any status).
    #[serde(skip)]
    pub drifted: usize,
    /// Packages an older generator made.
    #[serde(skip)]
    pub outdated: usize,
    /// Packages with edited generated files (any status).
    #[serde(skip)]
    pub edited: usize,
}

impl ListSummary {
    /// Counts one more package.
    pub fn add(&mut self, package: &PackageListing) {
        *self.count_mut(package.status) += 1;
        if package.drifted() {
            self.drifted += 1;
        }
        if package.outdated {
            self.outdated += 1;
        }
        if package.was_edited() {
            self.edited += 1;
        }
    }

    /// How many packages have `status`.
    pub fn count(&self, status: PackageStatus) -> usize {
        match status {
            PackageStatus::Certified => self.certified,
            PackageStatus::Unverified => self.unverified,
            PackageStatus::Failed => self.failed,
            PackageStatus::Stale => self.stale,
            PackageStatus::Invalid => self.invalid,
        }
    }

    fn count_mut(&mut self, status: PackageStatus) -> &mut usize {
        match status {
            PackageStatus::Certified => &mut self.certified,
            PackageStatus::Unverified => &mut self.unverified,
            PackageStatus::Failed => &mut self.failed,
            PackageStatus::Stale => &mut self.stale,
            PackageStatus::Invalid => &mut self.invalid,
        }
    }

    /// Every package counted.
    pub fn total(&self) -> usize {
        PackageStatus::ALL.iter().map(|s| self.count(*s)).sum()
    }

    /// Whether `list --strict` fails: any package failed, stale, invalid or with contract
    /// drift (edits do not count).
    pub fn has_problems(&self) -> bool {
        self.failed + self.stale + self.invalid + self.drifted > 0
    }
}

/// A whole listing: `{"root", "packages", "summary"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The root as given.
    pub root: String,
    /// Every package, in path order.
    pub packages: Vec<PackageListing>,
    /// Counts per status.
    pub summary: ListSummary,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(status: PackageStatus, drift: Option<usize>) -> PackageListing {
        PackageListing {
            path: "p".into(),
            connector: None,
            connector_type: None,
            capabilities: Vec::new(),
            native_capabilities: Vec::new(),
            status,
            outdated: false,
            drift,
            edited: drift.map(|_| 0),
            reason: None,
            tests: Vec::new(),
        }
    }

    #[test]
    fn the_summary_serializes_every_status_in_order() {
        let mut summary = ListSummary::default();
        summary.add(&package(PackageStatus::Stale, Some(2)));
        summary.add(&package(PackageStatus::Certified, Some(0)));
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            r#"{"certified":1,"unverified":0,"failed":0,"stale":1,"invalid":0}"#
        );
        assert_eq!((summary.total(), summary.drifted), (2, 1));
    }

    #[test]
    fn strict_fails_on_failed_stale_invalid_and_drift_only() {
        for status in PackageStatus::ALL {
            let expected = !matches!(status, PackageStatus::Certified | PackageStatus::Unverified);
            assert_eq!(
                package(status, Some(0)).is_problem(),
                expected,
                "{status:?}"
            );
            assert!(package(status, Some(1)).is_problem());
        }
        let mut edited = package(PackageStatus::Certified, Some(0));
        edited.edited = Some(4);
        assert!(edited.was_edited() && !edited.is_problem());
        let mut summary = ListSummary::default();
        summary.add(&package(PackageStatus::Unverified, Some(0)));
        summary.add(&edited);
        assert!(!summary.has_problems());
        assert_eq!((summary.edited, summary.drifted), (1, 0));
        summary.add(&package(PackageStatus::Certified, Some(3)));
        assert!(summary.has_problems());
    }

    #[test]
    fn matrix_rows_are_one_per_test_or_one_for_the_package() {
        let mut listing = package(PackageStatus::Invalid, None);
        listing.reason = Some("bad".into());
        let rows = listing.matrix_rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].capability, rows[0].status, rows[0].reason),
            (None, "invalid", Some("bad"))
        );
        listing.tests = ["a", "b"]
            .map(|test| TestCell {
                capability: "source".into(),
                test: test.into(),
                status: Status::Missing,
                reason: None,
            })
            .to_vec();
        let tests: Vec<_> = listing
            .matrix_rows()
            .iter()
            .map(|r| (r.test, r.status))
            .collect();
        assert_eq!(tests, [(Some("a"), "missing"), (Some("b"), "missing")]);
    }

    #[test]
    fn a_package_object_has_exactly_the_listed_keys() {
        let value = serde_json::to_value(package(PackageStatus::Invalid, None)).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "path",
                "connector",
                "connector_type",
                "capabilities",
                "native_capabilities",
                "status",
                "outdated",
                "drift",
                "edited",
                "reason"
            ]
        );
    }
}
