//! The vocabulary of certification results: what one check found, and what it adds up to.

use serde::{Deserialize, Serialize};

/// What one required test, quality gate or conformance check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven.
    Passed,
    /// Checked and found wrong.
    Failed,
    /// Not proven: no test, a skipped test, or no usable evidence.
    Missing,
}

impl Status {
    /// The lowercase word used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Missing => "missing",
        }
    }
}

/// The verdict on a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Every required test passed, every gate and conformance check holds, and the evidence
    /// is current.
    Certified,
    /// Something was checked and found wrong.
    Failed,
    /// Nothing is wrong, but something is not proven (missing tests, missing or stale evidence).
    Unverified,
}

impl Overall {
    /// The lowercase word used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            Overall::Certified => "certified",
            Overall::Failed => "failed",
            Overall::Unverified => "unverified",
        }
    }

    /// The verdict for a set of statuses, given whether the evidence is current: any
    /// failure fails; all passed with current evidence certifies; anything else is unverified.
    pub fn from_statuses(
        statuses: impl IntoIterator<Item = Status>,
        evidence_current: bool,
    ) -> Self {
        let mut all_passed = true;
        for status in statuses {
            match status {
                Status::Failed => return Overall::Failed,
                Status::Missing => all_passed = false,
                Status::Passed => {}
            }
        }
        if all_passed && evidence_current {
            Overall::Certified
        } else {
            Overall::Unverified
        }
    }
}

/// The result of one quality gate or conformance check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What is checked: a capability, a gate, or `package`.
    pub subject: String,
    /// The rule, in words (`module src/x/source.py exists`).
    pub check: String,
    /// What it found.
    pub status: Status,
    /// Why, when it did not pass (or a short note when it did).
    pub reason: String,
}

impl Check {
    /// A check that passed.
    pub fn passed(subject: impl Into<String>, check: impl Into<String>) -> Self {
        Check::new(subject, check, Status::Passed, "")
    }

    /// A check that failed, with the reason.
    pub fn failed(
        subject: impl Into<String>,
        check: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Check::new(subject, check, Status::Failed, reason)
    }

    /// A check with any status.
    pub fn new(
        subject: impl Into<String>,
        check: impl Into<String>,
        status: Status,
        reason: impl Into<String>,
    ) -> Self {
        Check {
            subject: subject.into(),
            check: check.into(),
            status,
            reason: reason.into(),
        }
    }

    /// `passed` when `problem` is `None`, else `failed` with it as the reason.
    pub fn from_problem(
        subject: impl Into<String>,
        check: impl Into<String>,
        problem: Option<String>,
    ) -> Self {
        match problem {
            None => Check::passed(subject, check),
            Some(reason) => Check::failed(subject, check, reason),
        }
    }
}

/// How many results have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Missing.
    pub missing: usize,
}

impl Tally {
    /// Counts `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Self {
        statuses
            .into_iter()
            .fold(Tally::default(), |mut tally, status| {
                match status {
                    Status::Passed => tally.passed += 1,
                    Status::Failed => tally.failed += 1,
                    Status::Missing => tally.missing += 1,
                }
                tally
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use Status::*;

    #[rstest]
    #[case(&[Passed, Passed], true, Overall::Certified)]
    #[case(&[Passed, Passed], false, Overall::Unverified)]
    #[case(&[Passed, Missing], true, Overall::Unverified)]
    #[case(&[Missing, Failed, Passed], true, Overall::Failed)]
    #[case(&[Failed], false, Overall::Failed)]
    #[case(&[], true, Overall::Certified)]
    fn the_verdict_follows_the_worst_status(
        #[case] statuses: &[Status],
        #[case] current: bool,
        #[case] expected: Overall,
    ) {
        assert_eq!(
            Overall::from_statuses(statuses.iter().copied(), current),
            expected
        );
    }

    #[test]
    fn tallies_count_each_status() {
        let tally = Tally::of([Passed, Missing, Missing, Failed]);
        assert_eq!(
            tally,
            Tally {
                passed: 1,
                failed: 1,
                missing: 2
            }
        );
    }
}
