//! A parallel map that hands results back in input order, holding only a bounded window of
//! finished results, and that can be stopped early.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// How far workers may run ahead of the next result to hand back, per worker.
const AHEAD_PER_JOB: usize = 8;

/// Shared by the workers: the next item to take, how many results were handed back
/// (workers wait when too far ahead), and whether to stop.
struct Dispatch {
    next: AtomicUsize,
    emitted: Mutex<usize>,
    progress: Condvar,
    window: usize,
    stop: AtomicBool,
}

impl Dispatch {
    fn take(&self, len: usize) -> Option<usize> {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        let mut emitted = self.emitted.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if index >= len || self.stop.load(Ordering::SeqCst) {
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

    fn advance(&self, emitted: usize, stop: bool) {
        if stop {
            self.stop.store(true, Ordering::SeqCst);
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
    let dispatch = Dispatch {
        next: AtomicUsize::new(0),
        emitted: Mutex::new(0),
        progress: Condvar::new(),
        window: jobs * AHEAD_PER_JOB,
        stop: AtomicBool::new(false),
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(usize, O)>(dispatch.window);
        for n in 0..jobs {
            let sender = sender.clone();
            let (dispatch, work) = (&dispatch, &work);
            std::thread::Builder::new()
                .name(format!("list-{n}"))
                .spawn_scoped(scope, move || {
                    while let Some(index) = dispatch.take(items.len()) {
                        if sender.send((index, work(&items[index]))).is_err() {
                            break;
                        }
                    }
                })
                .inspect_err(|_| dispatch.advance(0, true))?;
        }
        drop(sender);
        let mut pending: BTreeMap<usize, O> = BTreeMap::new();
        let mut next = 0;
        for (index, output) in receiver {
            pending.insert(index, output);
            let mut stop = false;
            while let Some(output) = pending.remove(&next) {
                next += 1;
                if emit(output).is_break() {
                    stop = true;
                    break;
                }
            }
            dispatch.advance(next, stop);
            if stop {
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
