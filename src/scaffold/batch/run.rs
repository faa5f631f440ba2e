//! Runs a batch: each entry is planned, written and dropped in turn (or by a few workers),
//! and its report is handed back in entry order as soon as it is ready, so memory stays
//! flat whatever the number of entries.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::spec::{BatchEntry, SpecEntry};
use crate::model::error::{BatchError, EntryError, ScaffoldError};
use crate::model::package::PackageDetails;
use crate::model::results::ScaffoldResult;
use crate::parallel::{Next, Pool};
use crate::scaffold::details::resolve_details;
use crate::scaffold::{identify, scaffold};
use crate::writer::{self, WriteOptions};

/// How to run a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOptions {
    /// The directory every package directory is created in.
    pub root: PathBuf,
    /// Replace generated files that were edited.
    pub force: bool,
    /// Report what would be written; change nothing.
    pub dry_run: bool,
    /// Flush the file system once at the end, before reporting success.
    pub durable: bool,
    /// Entries scaffolded at the same time (1 = one after the other); see [`default_jobs`].
    pub jobs: usize,
    /// Stop at the first entry that fails.
    pub fail_fast: bool,
    /// The details an entry falls back to for the ones it does not set (flags, environment
    /// and user config, already layered).
    pub details: PackageDetails,
}

/// The most jobs the default picks: past a few, writers only contend for the same
/// directories and block groups.
pub const MAX_DEFAULT_JOBS: usize = 8;

/// One job per CPU, at most [`MAX_DEFAULT_JOBS`]. File creation is mostly kernel time, and
/// two jobs on two CPUs measured 1.3 to 2.5 times faster than one (docs/performance.md).
pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_DEFAULT_JOBS)
}

impl BatchOptions {
    /// Defaults like the single scaffold (not forced, not a dry run, durable), with
    /// [`default_jobs`] workers.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BatchOptions {
            root: root.into(),
            force: false,
            dry_run: false,
            durable: true,
            jobs: default_jobs(),
            fail_fast: false,
            details: PackageDetails::default(),
        }
    }
}

/// What happened to one entry.
#[derive(Debug)]
pub struct EntryReport {
    /// The entry's position in the spec, from 0.
    pub index: usize,
    /// The scaffold result, or why the entry failed.
    pub outcome: Result<ScaffoldResult, EntryError>,
}

impl EntryReport {
    /// The scaffold result, also when edited files refused the write.
    pub fn result(&self) -> Option<&ScaffoldResult> {
        match &self.outcome {
            Ok(result) => Some(result),
            Err(EntryError::Scaffold(ScaffoldError::Conflicts(result))) => Some(result),
            Err(_) => None,
        }
    }

    /// A one-word status: `scaffolded`, `unchanged`, `dry_run`, `conflicts`, `invalid` (the
    /// entry itself is wrong) or `failed` (the write failed).
    pub fn status(&self) -> &'static str {
        match &self.outcome {
            Ok(r) if r.dry_run => "dry_run",
            Ok(r) if r.created.is_empty() && r.overwritten.is_empty() => "unchanged",
            Ok(_) => "scaffolded",
            Err(EntryError::Scaffold(ScaffoldError::Conflicts(_))) => "conflicts",
            Err(EntryError::Scaffold(ScaffoldError::Write(_))) => "failed",
            Err(_) => "invalid",
        }
    }

    fn changed_disk(&self) -> bool {
        matches!(&self.outcome, Ok(r) if !r.dry_run && (!r.created.is_empty() || !r.overwritten.is_empty()))
    }
}

/// Counts over a finished batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Entries in the spec.
    pub entries: usize,
    /// Entries scaffolded (or up to date, or that would be in a dry run).
    pub succeeded: usize,
    /// Entries that failed (bad entry, conflicts, write error).
    pub failed: usize,
    /// Entries not attempted because `fail_fast` stopped the batch.
    pub skipped: usize,
}

/// Entries checked up front: a bad name, type or capability, or a second entry for the same
/// package directory, is known before anything is written (so `fail_fast` can stop before
/// the first bad entry's successors start, whatever the number of jobs).
struct Checked {
    entries: Vec<Option<BatchEntry>>,
    errors: Vec<Option<EntryError>>,
    first_error: Option<usize>,
}

fn check(spec: Vec<SpecEntry>, root: &Path, details: &PackageDetails) -> Checked {
    let mut checked = Checked {
        entries: Vec::with_capacity(spec.len()),
        errors: Vec::with_capacity(spec.len()),
        first_error: None,
    };
    let mut packages: HashMap<String, usize> = HashMap::with_capacity(spec.len());
    for (index, slot) in spec.into_iter().enumerate() {
        let verdict = slot.and_then(|entry| {
            let request = entry.request(root, details);
            let identity = identify(&request).map_err(ScaffoldError::from)?;
            resolve_details(&request.details).map_err(ScaffoldError::from)?;
            match packages.get(&identity.package_name) {
                Some(&first) => Err(EntryError::Duplicate {
                    package: identity.package_name,
                    first,
                }),
                None => {
                    packages.insert(identity.package_name, index);
                    Ok(entry)
                }
            }
        });
        match verdict {
            Ok(entry) => {
                checked.entries.push(Some(entry));
                checked.errors.push(None);
            }
            Err(err) => {
                checked.first_error.get_or_insert(index);
                checked.entries.push(None);
                checked.errors.push(Some(err));
            }
        }
    }
    checked
}

fn scaffold_entry(
    entry: &BatchEntry,
    options: &BatchOptions,
) -> Result<ScaffoldResult, EntryError> {
    // Each package is written all or nothing; durability comes from one flush at the end.
    let write = WriteOptions {
        force: options.force,
        dry_run: options.dry_run,
        durable: false,
    };
    Ok(scaffold(
        &entry.request(&options.root, &options.details),
        &write,
    )?)
}

/// Scaffolds every entry of `spec` under `options.root`, calling `emit` once per entry in
/// entry order as soon as it is done. Fails only if the workers fail (a bug: one panicked)
/// or the final flush fails; entry failures are reported through `emit` and counted in the
/// summary. `emit` returning `Break` (an interrupted caller) stops the batch between
/// entries: no entry starts after it, the ones already running finish (each package whole)
/// and are reported, the rest count as skipped.
pub fn run_batch(
    spec: Vec<SpecEntry>,
    options: &BatchOptions,
    emit: impl FnMut(EntryReport) -> ControlFlow<()>,
) -> Result<BatchSummary, BatchError> {
    run_with(spec, options, emit, scaffold_entry)
}

/// [`run_batch`] with the function that scaffolds one entry given (tests give one that
/// fails on purpose).
fn run_with(
    spec: Vec<SpecEntry>,
    options: &BatchOptions,
    mut emit: impl FnMut(EntryReport) -> ControlFlow<()>,
    scaffold_entry: impl Fn(&BatchEntry, &BatchOptions) -> Result<ScaffoldResult, EntryError> + Sync,
) -> Result<BatchSummary, BatchError> {
    let total = spec.len();
    let Checked {
        entries,
        mut errors,
        first_error,
    } = check(spec, &options.root, &options.details);
    // With fail_fast, nothing after the first bad entry is started.
    let limit = match (options.fail_fast, first_error) {
        (true, Some(first)) => first + 1,
        _ => total,
    };
    let mut summary = BatchSummary {
        entries: total,
        ..BatchSummary::default()
    };
    let mut changed = false;
    let written = AtomicUsize::new(0);
    let mut report = |index: usize, outcome: Option<Result<ScaffoldResult, EntryError>>| {
        let outcome = outcome.unwrap_or_else(|| {
            Err(errors[index]
                .take()
                .unwrap_or_else(|| EntryError::Spec("missing entry".into())))
        });
        let report = EntryReport { index, outcome };
        let ok = report.outcome.is_ok();
        if report.changed_disk() {
            changed = true;
            written.fetch_add(1, Ordering::Relaxed);
        }
        if ok {
            summary.succeeded += 1;
        } else {
            summary.failed += 1;
        }
        let flow = emit(report);
        if flow.is_break() || (!ok && options.fail_fast) {
            // Entries already running were written: they are still reported.
            Next::Finish
        } else {
            Next::Continue
        }
    };
    let pool = Pool::new("scaffold", options.jobs).ahead_per_job(AHEAD_PER_JOB);
    let run = std::thread::scope(|scope| {
        let (stop, stopped) = mpsc::channel::<()>();
        if options.durable && !options.dry_run {
            let (root, written) = (&options.root, &written);
            scope.spawn(move || flush_in_background(root, written, &stopped));
        }
        let run = pool.run(
            &entries[..limit],
            |entry| entry.as_ref().map(|entry| scaffold_entry(entry, options)),
            &mut report,
        );
        drop(stop);
        run
    });
    summary.skipped = total - summary.succeeded - summary.failed;
    // What was written is flushed even when a worker failed.
    if changed && options.durable {
        writer::flush(&options.root).map_err(BatchError::Flush)?;
    }
    run.map_err(BatchError::Workers)?;
    Ok(summary)
}

/// How often the background flush runs while packages are being written.
const FLUSH_INTERVAL: Duration = Duration::from_millis(100);

/// Flushes the file system now and then while the batch writes, so the data goes to disk
/// while the next packages are being created and the final flush (the one that counts) only
/// has the tail left. Failures are ignored here: the final flush reports them.
fn flush_in_background(root: &Path, written: &AtomicUsize, stop: &mpsc::Receiver<()>) {
    let mut flushed = 0;
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(FLUSH_INTERVAL) {
        let now = written.load(Ordering::Relaxed);
        if now != flushed {
            let _ = writer::flush(root);
            flushed = now;
        }
    }
}

/// How far workers may run ahead of the next report to emit, per worker: bounds the reports
/// held for reordering (each holds a package's file list).
const AHEAD_PER_JOB: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::batch::spec::{parse_spec, SpecFormat};

    fn spec(count: usize, bad_every: usize) -> Vec<SpecEntry> {
        let entries: Vec<String> = (0..count)
            .map(|i| {
                if bad_every > 0 && i % bad_every == bad_every - 1 {
                    format!("{{\"name\": \"c{i}\", \"connector_type\": \"nope\"}}")
                } else {
                    format!("{{\"name\": \"c{i}\"}}")
                }
            })
            .collect();
        let text = format!("{{\"connectors\": [{}]}}", entries.join(","));
        parse_spec(&text, SpecFormat::Json, Path::new("spec")).unwrap()
    }

    fn run(
        count: usize,
        bad_every: usize,
        jobs: usize,
        fail_fast: bool,
    ) -> (Vec<usize>, BatchSummary) {
        let dir = tempfile::tempdir().unwrap();
        let options = BatchOptions {
            jobs,
            fail_fast,
            ..BatchOptions::new(dir.path())
        };
        let mut order = Vec::new();
        let summary = run_batch(spec(count, bad_every), &options, |report| {
            assert_eq!(
                report.outcome.is_ok(),
                entry_is_good(report.index, bad_every)
            );
            order.push(report.index);
            ControlFlow::Continue(())
        })
        .unwrap();
        (order, summary)
    }

    fn entry_is_good(index: usize, bad_every: usize) -> bool {
        bad_every == 0 || index % bad_every != bad_every - 1
    }

    #[test]
    fn reports_come_in_entry_order_whatever_the_jobs() {
        for jobs in [1, 2, 5] {
            let (order, summary) = run(37, 6, jobs, false);
            assert_eq!(order, (0..37).collect::<Vec<_>>(), "jobs {jobs}");
            assert_eq!(
                (summary.succeeded, summary.failed, summary.skipped),
                (31, 6, 0)
            );
        }
    }

    #[test]
    fn an_interrupted_caller_stops_the_batch_between_whole_packages() {
        for jobs in [1, 3] {
            let dir = tempfile::tempdir().unwrap();
            let options = BatchOptions {
                jobs,
                durable: false,
                ..BatchOptions::new(dir.path())
            };
            let mut seen = 0;
            let summary = run_batch(spec(500, 0), &options, |_| {
                seen += 1;
                if seen == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
            // The entries running when it stopped finish and are reported; no more start.
            assert!(
                (5..=5 + jobs * AHEAD_PER_JOB + jobs).contains(&seen),
                "{seen}"
            );
            assert_eq!(summary.succeeded, seen, "jobs {jobs}");
            assert_eq!(summary.skipped, 500 - seen);
            // Exactly the reported packages exist, each whole; nothing else is left.
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            assert_eq!(names.len(), seen, "{names:?}");
            for name in &names {
                assert!(name.starts_with("dpone-connector-c"), "{name}");
                let manifest = dir.path().join(name).join("dpone_connector_manifest.json");
                assert!(manifest.is_file(), "{name}");
            }
        }
    }

    #[test]
    fn fail_fast_reports_up_to_the_first_bad_entry() {
        for jobs in [1, 3] {
            let (order, summary) = run(20, 4, jobs, true);
            assert_eq!(order, [0, 1, 2, 3], "jobs {jobs}");
            assert_eq!(
                (summary.succeeded, summary.failed, summary.skipped),
                (3, 1, 16)
            );
        }
    }

    #[test]
    fn a_panicking_entry_fails_the_batch_instead_of_hanging_it() {
        for jobs in [1, 2, 4] {
            let dir = tempfile::tempdir().unwrap();
            let options = BatchOptions {
                jobs,
                ..BatchOptions::new(dir.path())
            };
            let mut reported = Vec::new();
            let err = run_with(
                spec(60, 0),
                &options,
                |report| {
                    reported.push(report.index);
                    ControlFlow::Continue(())
                },
                |entry, options| {
                    assert_ne!(entry.name, "c7", "a bug in the scaffold");
                    scaffold_entry(entry, options)
                },
            )
            .unwrap_err();
            let line = err.to_string();
            assert!(
                line.starts_with("scaffold --from: a worker panicked on item 7: assertion"),
                "jobs {jobs}: {line}"
            );
            assert!(
                line.contains("a bug in the scaffold") && !line.contains('\n'),
                "{line}"
            );
            assert_eq!(crate::model::diagnostic::Diagnostic::kind(&err), "internal");
            // Reports stop before the entry that panicked, in order.
            assert_eq!(
                reported,
                (0..reported.len()).collect::<Vec<_>>(),
                "jobs {jobs}"
            );
            assert!(reported.len() <= 7, "jobs {jobs}: {reported:?}");
        }
    }

    #[test]
    fn a_second_entry_for_the_same_package_is_refused() {
        let text = r#"{"connectors": [{"name": "Demo API"}, {"name": "demo-api"}]}"#;
        let checked = check(
            parse_spec(text, SpecFormat::Json, Path::new("s")).unwrap(),
            Path::new("."),
            &PackageDetails::default(),
        );
        assert!(checked.entries[0].is_some());
        assert_eq!(checked.first_error, Some(1));
        assert_eq!(
            checked.errors[1].as_ref().unwrap().to_string(),
            "package dpone-connector-demo-api is already generated by entry 0"
        );
    }
}
