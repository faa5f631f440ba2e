//! Work on a few threads, results in input order: a bounded window of finished results
//! waits for its turn, so memory stays flat whatever the number of items. `scaffold
//! --from` drives a [`Dispatch`] itself (its reports own their errors); `list` uses
//! [`ordered_map`].

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// How far workers may run ahead of the next result to hand back, per worker.
pub(crate) const AHEAD_PER_JOB: usize = 8;

/// Shared by the workers: the next item to take, the first item not to start, and how many
/// results were handed back (workers wait when too far ahead).
pub(crate) struct Dispatch {
    next: AtomicUsize,
    limit: AtomicUsize,
    emitted: Mutex<usize>,
    progress: Condvar,
    window: usize,
}

impl Dispatch {
    /// Items `0..limit`, workers at most `window` items ahead of the next result.
    pub(crate) fn new(limit: usize, window: usize) -> Self {
        Dispatch {
            next: AtomicUsize::new(0),
            limit: AtomicUsize::new(limit),
            emitted: Mutex::new(0),
            progress: Condvar::new(),
            window,
        }
    }

    /// The next item this worker should work on, or `None` when the work is over.
    pub(crate) fn take(&self) -> Option<usize> {
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

    /// `emitted` results were handed back; with `stop_after`, no item after that one starts.
    pub(crate) fn advance(&self, emitted: usize, stop_after: Option<usize>) {
        if let Some(index) = stop_after {
            self.limit.fetch_min(index + 1, Ordering::SeqCst);
        }
        *self.emitted.lock().unwrap_or_else(|e| e.into_inner()) = emitted;
        self.progress.notify_all();
    }
}

/// Applies `work` to every item on `jobs` threads (inline when `jobs <= 1`) and calls
/// `emit` with each result in item order, on the calling thread. At most
/// `jobs * AHEAD_PER_JOB` results wait for their turn. `emit` returning `Break` stops the
/// work: items not yet started are never started.
pub fn ordered_map<I: Sync, O: Send>(
    items: &[I],
    jobs: usize,
    work: impl Fn(&I) -> O + Sync,
    mut emit: impl FnMut(O) -> ControlFlow<()>,
) -> std::io::Result<()> {
    if jobs <= 1 {
        for item in items {
            if emit(work(item)).is_break() {
                break;
            }
        }
        return Ok(());
    }
    let window = jobs * AHEAD_PER_JOB;
    let dispatch = Dispatch::new(items.len(), window);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(usize, O)>(window);
        // Workers see the capability packs of the call that started them.
        let registry = crate::model::registry::inherit();
        for n in 0..jobs {
            let sender = sender.clone();
            let (dispatch, work) = (&dispatch, &work);
            std::thread::Builder::new()
                .name(format!("list-{n}"))
                .spawn_scoped(scope, move || {
                    crate::model::registry::within(registry, || {
                        while let Some(index) = dispatch.take() {
                            if sender.send((index, work(&items[index]))).is_err() {
                                break;
                            }
                        }
                    })
                })
                // No item starts once a worker cannot: the ones running finish.
                .inspect_err(|_| dispatch.limit.store(0, Ordering::SeqCst))?;
        }
        drop(sender);
        let mut pending: BTreeMap<usize, O> = BTreeMap::new();
        let mut next = 0;
        for (index, output) in receiver {
            pending.insert(index, output);
            let mut stop = None;
            while let Some(output) = pending.remove(&next) {
                next += 1;
                if emit(output).is_break() {
                    stop = Some(next - 1);
                    break;
                }
            }
            dispatch.advance(next, stop);
            if stop.is_some() {
                break;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_jobs() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 7] {
            let mut seen = Vec::new();
            ordered_map(
                &items,
                jobs,
                // Uneven work, so workers finish out of order.
                |&i| {
                    if i % 13 == 0 {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    i * 2
                },
                |out| {
                    seen.push(out);
                    ControlFlow::Continue(())
                },
            )
            .unwrap();
            assert_eq!(
                seen,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{jobs}"
            );
        }
    }

    #[test]
    fn breaking_stops_the_work() {
        let items: Vec<usize> = (0..10_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        ordered_map(
            &items,
            2,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |_| {
                seen += 1;
                if seen == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        assert_eq!(seen, 5);
        // Only the window past the last result handed back was ever started.
        assert!(started.load(Ordering::SeqCst) <= 5 + 2 * AHEAD_PER_JOB + 2);
    }
}
