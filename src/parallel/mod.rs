//! The one worker pool: work on a few threads, results handed back in input order. A
//! bounded window of finished results waits for its turn, so memory stays flat whatever
//! the number of items. `scaffold --from` (the batch) and `list` both run on it.
//!
//! A worker that panics fails the run with [`PoolError::Panicked`]: no item starts after
//! it, the ones running finish, and the caller gets the error instead of a hang (before,
//! the missing result held the window shut and the other workers waited forever).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex, Once};

use crate::model::error::PoolError;

/// The most workers a command may ask for (`--jobs`, `jobs=`): far more than the CPUs of
/// any machine this runs on, few enough that starting them cannot exhaust the process.
/// Callers refuse a larger number; a [`Pool`] never starts more.
pub const MAX_JOBS: usize = 64;

/// What the caller says after each result it is handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Keep going.
    Continue,
    /// Start no more items; the results of the ones already started are still handed
    /// back, in order (the batch's `--fail-fast`: what was written is reported).
    Finish,
    /// Hand back nothing more (the reader went away).
    Stop,
}

/// A pool of `jobs` workers (inline on the calling thread when `jobs <= 1`).
///
/// Every decision to start an item goes through one place (`Dispatch::take`), so a check
/// such as a cancellation flag between items is one more condition there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pool {
    jobs: usize,
    ahead_per_job: usize,
    name: &'static str,
}

impl Pool {
    /// `jobs` workers named `name-N`, each at most 8 items ahead of the next result.
    pub(crate) fn new(name: &'static str, jobs: usize) -> Self {
        Pool {
            jobs: jobs.min(MAX_JOBS),
            ahead_per_job: 8,
            name,
        }
    }

    /// How far workers may run ahead of the next result to hand back, per worker: bounds
    /// the finished results held for reordering.
    pub(crate) fn ahead_per_job(self, ahead_per_job: usize) -> Self {
        Pool {
            ahead_per_job: ahead_per_job.max(1),
            ..self
        }
    }

    /// Applies `work` to every item and calls `emit` with each item's index and result in
    /// item order, on the calling thread, until `emit` says otherwise. Fails when no worker
    /// can start or when `work` panics (after the items already running finish).
    pub(crate) fn run<I: Sync, O: Send>(
        &self,
        items: &[I],
        work: impl Fn(&I) -> O + Sync,
        mut emit: impl FnMut(usize, O) -> Next,
    ) -> Result<(), PoolError> {
        if self.jobs <= 1 {
            return run_inline(items, &work, &mut emit);
        }
        // No more workers than items: a listing of 3 packages starts 3 threads at most.
        let jobs = self.jobs.min(items.len());
        let window = jobs * self.ahead_per_job;
        let dispatch = Dispatch::new(items.len(), window);
        std::thread::scope(|scope| {
            // Declared before the channel, so dropped after it: whatever way this closure
            // ends (an error, a panic in `emit`), workers waiting for their turn wake up
            // and end, and the scope can join them.
            let _stop = StopOnDrop(&dispatch);
            let (sender, receiver) = mpsc::sync_channel::<(usize, Result<O, PoolError>)>(window);
            // Workers see the capability packs of the call that started them.
            let registry = crate::model::registry::inherit();
            for n in 0..jobs {
                let sender = sender.clone();
                let (dispatch, work) = (&dispatch, &work);
                std::thread::Builder::new()
                    .name(format!("{}-{n}", self.name))
                    .spawn_scoped(scope, move || {
                        crate::model::registry::within(registry, || {
                            while let Some(index) = dispatch.take() {
                                let outcome = guarded(index, || work(&items[index]));
                                if sender.send((index, outcome)).is_err() {
                                    break;
                                }
                            }
                        })
                    })
                    .map_err(PoolError::Spawn)?;
            }
            drop(sender);
            let mut pending: BTreeMap<usize, O> = BTreeMap::new();
            let mut next = 0;
            let mut finishing = false;
            for (index, outcome) in receiver {
                pending.insert(index, outcome?);
                while let Some(output) = pending.remove(&next) {
                    next += 1;
                    match emit(next - 1, output) {
                        Next::Continue => {}
                        Next::Finish if !finishing => {
                            finishing = true;
                            dispatch.stop_after(next - 1);
                        }
                        Next::Finish => {}
                        Next::Stop => return Ok(()),
                    }
                }
                dispatch.advance(next);
            }
            // Started before a `Finish` but after an item that never came (it was not
            // started): hand back what is left, in order.
            for (index, output) in pending {
                if emit(index, output) == Next::Stop {
                    break;
                }
            }
            Ok(())
        })
    }
}

fn run_inline<I, O>(
    items: &[I],
    work: &impl Fn(&I) -> O,
    emit: &mut impl FnMut(usize, O) -> Next,
) -> Result<(), PoolError> {
    for (index, item) in items.iter().enumerate() {
        let output = guarded(index, || work(item))?;
        if emit(index, output) != Next::Continue {
            break;
        }
    }
    Ok(())
}

thread_local! {
    /// Whether this thread is running a pool item (its panic is the pool's to report).
    static IN_WORK: Cell<bool> = const { Cell::new(false) };
    /// Where the last panic of a pool item happened, when the quiet hook recorded it.
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs item `index`, turning a panic into the pool's error: its message, and where it
/// happened when the CLI installed [`quiet_worker_panics`].
fn guarded<O>(index: usize, work: impl FnOnce() -> O) -> Result<O, PoolError> {
    IN_WORK.with(|flag| flag.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    IN_WORK.with(|flag| flag.set(false));
    outcome.map_err(|payload| {
        let message = panic_message(payload.as_ref());
        let message = match PANIC_AT.with(|at| at.borrow_mut().take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        };
        PoolError::Panicked {
            item: index,
            message,
        }
    })
}

/// The panic's message on one line (an assertion's message spans several).
fn panic_message(payload: &(dyn Any + Send)) -> String {
    let text = if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.as_str()
    } else {
        "a panic without a message"
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Makes a panic inside a pool item silent, keeping only where it happened for the pool's
/// error (which the command prints as its one error line). Other panics go to the hook that
/// was there before. For front ends (the CLI); the library never touches the hook itself.
pub(crate) fn quiet_worker_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_WORK.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_AT.with(|slot| *slot.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Shared by the workers: the next item to take, the first item not to start, and how many
/// results were handed back (workers wait when too far ahead).
struct Dispatch {
    next: AtomicUsize,
    limit: AtomicUsize,
    emitted: Mutex<usize>,
    progress: Condvar,
    window: usize,
}

impl Dispatch {
    /// Items `0..limit`, workers at most `window` items ahead of the next result.
    fn new(limit: usize, window: usize) -> Self {
        Dispatch {
            next: AtomicUsize::new(0),
            limit: AtomicUsize::new(limit),
            emitted: Mutex::new(0),
            progress: Condvar::new(),
            window,
        }
    }

    /// The next item this worker should work on, or `None` when the work is over.
    fn take(&self) -> Option<usize> {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        let mut emitted = self.emitted.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if index >= self.limit.load(Ordering::SeqCst) {
                return None;
            }
            if index < *emitted + self.window {
                return Some(index);
            }
            emitted = self
                .progress
                .wait(emitted)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// `emitted` results were handed back.
    fn advance(&self, emitted: usize) {
        *self.emitted.lock().unwrap_or_else(|e| e.into_inner()) = emitted;
        self.progress.notify_all();
    }

    /// No item after `index` starts.
    fn stop_after(&self, index: usize) {
        self.limit.fetch_min(index + 1, Ordering::SeqCst);
        self.advance_wake();
    }

    /// Wakes the workers waiting for their turn, so they see a lowered limit.
    fn advance_wake(&self) {
        let _emitted = self.emitted.lock().unwrap_or_else(|e| e.into_inner());
        self.progress.notify_all();
    }
}

/// Starts no more items when dropped.
struct StopOnDrop<'a>(&'a Dispatch);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.limit.store(0, Ordering::SeqCst);
        self.0.advance_wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(pool: Pool, items: &[u64], work: impl Fn(&u64) -> u64 + Sync) -> Vec<u64> {
        let mut seen = Vec::new();
        pool.run(items, work, |index, out| {
            assert_eq!(items[index] * 2, out);
            seen.push(out);
            Next::Continue
        })
        .unwrap();
        seen
    }

    #[test]
    fn results_come_back_in_order_whatever_the_jobs() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 7] {
            // Uneven work, so workers finish out of order.
            let seen = collect(Pool::new("test", jobs), &items, |&i| {
                if i % 13 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                i * 2
            });
            assert_eq!(
                seen,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{jobs}"
            );
        }
    }

    #[test]
    fn stopping_stops_the_work() {
        let items: Vec<usize> = (0..10_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        Pool::new("test", 2)
            .run(
                &items,
                |&i| {
                    started.fetch_add(1, Ordering::SeqCst);
                    i
                },
                |_, _| {
                    seen += 1;
                    if seen == 5 {
                        Next::Stop
                    } else {
                        Next::Continue
                    }
                },
            )
            .unwrap();
        assert_eq!(seen, 5);
        // Only the window past the last result handed back was ever started.
        assert!(started.load(Ordering::SeqCst) <= 5 + 2 * 8 + 2);
    }

    #[test]
    fn finishing_hands_back_what_was_started_in_order() {
        let items: Vec<usize> = (0..10_000).collect();
        for jobs in [1, 3] {
            let started = AtomicUsize::new(0);
            let mut seen = Vec::new();
            Pool::new("test", jobs)
                .ahead_per_job(4)
                .run(
                    &items,
                    |&i| {
                        started.fetch_add(1, Ordering::SeqCst);
                        i
                    },
                    |index, _| {
                        seen.push(index);
                        if index == 10 {
                            Next::Finish
                        } else {
                            Next::Continue
                        }
                    },
                )
                .unwrap();
            let started = started.load(Ordering::SeqCst);
            // Every item up to the one that finished, then the ones already started (an
            // item taken after the finish never starts, so there may be gaps), in order.
            assert_eq!(seen[..11], (0..11).collect::<Vec<_>>(), "jobs {jobs}");
            assert!(
                seen.windows(2).all(|w| w[0] < w[1]),
                "jobs {jobs}: {seen:?}"
            );
            assert_eq!(seen.len(), started, "jobs {jobs}");
            assert!(started <= 11 + 3 * 4 + 3, "jobs {jobs}: {started}");
        }
    }

    #[test]
    fn a_panicking_worker_fails_the_run_instead_of_hanging_it() {
        let items: Vec<u64> = (0..2_000).collect();
        for jobs in [1, 2, 4] {
            let mut seen = 0;
            let err = Pool::new("test", jobs)
                .ahead_per_job(2)
                .run(
                    &items,
                    |&i| {
                        if i == 37 {
                            panic!("boom on {i}");
                        }
                        i
                    },
                    |_, _| {
                        seen += 1;
                        Next::Continue
                    },
                )
                .unwrap_err();
            assert!(
                matches!(&err, PoolError::Panicked { item: 37, message } if message.starts_with("boom on 37")),
                "jobs {jobs}: {err:?}"
            );
            // Nothing at or past the panicking item was handed back.
            assert!(seen <= 37, "jobs {jobs}: {seen}");
            let line = err.to_string();
            assert!(!line.contains('\n'), "{line}");
            assert!(
                line.starts_with("a worker panicked on item 37: boom on 37"),
                "{line}"
            );
        }
    }

    #[test]
    fn the_quiet_hook_keeps_where_a_worker_panicked() {
        quiet_worker_panics();
        let err = Pool::new("test", 2)
            .run(
                &[1, 2, 3],
                |&i: &i32| assert_ne!(i, 2, "two"),
                |_, _| Next::Continue,
            )
            .unwrap_err();
        let line = err.to_string();
        assert!(line.contains("(at src/parallel/mod.rs:"), "{line}");
    }

    #[test]
    fn a_panic_in_emit_does_not_leave_workers_waiting() {
        let items: Vec<u64> = (0..1_000).collect();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            Pool::new("test", 3).run(
                &items,
                |&i| i,
                |index, _| {
                    assert_ne!(index, 3, "emit fails");
                    Next::Continue
                },
            )
        }));
        assert!(outcome.is_err());
    }
}
