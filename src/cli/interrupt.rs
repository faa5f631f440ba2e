//! Ctrl-C (SIGINT) and SIGTERM during the commands that work through many packages
//! (`scaffold --from`, `list`): the first signal is recorded and the command stops between
//! packages (each one whole or absent, since the writer publishes a package in one rename),
//! reports what it did and exits with `128 + signal`; a second signal ends the process at
//! once, as without the watch.
//!
//! A command that cannot reach its next check (its stdout is a pipe nobody reads, so a
//! write blocks) would then ignore the signal for ever: if it is still running
//! [`GRACE`] after the signal, the signal is raised again with its default action and ends
//! the process, which the writer's guarantees make safe at any moment.
//!
//! Only those commands watch, and only while they run: a prompt or a single scaffold keeps
//! the default disposition (the writer already leaves a package whole or absent on a kill).
//! On systems without POSIX signals (Windows) there is no watch: Ctrl-C ends the process,
//! with the same guarantee from the writer.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// The signal received while a [`Watch`] was active, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The watches alive (several threads of one process may each run a command, from the
/// Python binding) and the dispositions the first one replaced: the last one to end puts
/// them back, so a watch never restores another watch's handler.
static ACTIVE: Mutex<(usize, Vec<Saved>)> = Mutex::new((0, Vec::new()));

#[cfg(unix)]
type Saved = (libc::c_int, libc::sigaction);
#[cfg(not(unix))]
type Saved = ();

/// While alive, SIGINT and SIGTERM are recorded instead of ending the process.
pub(crate) struct Watch {
    _private: (),
}

#[cfg(unix)]
extern "C" fn record(signal: libc::c_int) {
    RECEIVED.store(signal, Ordering::SeqCst);
    // A second signal ends the process the default way. `signal` is async-signal-safe.
    // SAFETY: resetting a disposition to SIG_DFL from a handler is allowed by POSIX.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
    }
}

/// How long a signalled command may take to stop by itself before the signal's default
/// action ends it.
pub(crate) const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

impl Watch {
    /// Starts recording SIGINT and SIGTERM.
    pub(crate) fn start() -> Watch {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if active.0 == 0 {
            RECEIVED.store(0, Ordering::SeqCst);
            active.1 = install();
            // Without a watchdog a signal could be ignored for ever; without the thread
            // (none can start) the watch is not worth the risk.
            if std::thread::Builder::new()
                .name("signal-watchdog".to_owned())
                .spawn(watchdog)
                .is_err()
            {
                restore(std::mem::take(&mut active.1));
                return Watch { _private: () };
            }
        }
        active.0 += 1;
        Watch { _private: () }
    }

    /// The signal received since [`Watch::start`], if any.
    pub(crate) fn received(&self) -> Option<i32> {
        match RECEIVED.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        active.0 -= 1;
        if active.0 == 0 {
            restore(std::mem::take(&mut active.1));
        }
    }
}

/// Ends the process the signal's default way if a signal was recorded more than [`GRACE`]
/// ago and a watch is still on; returns when the last watch ends.
fn watchdog() {
    let mut since: Option<std::time::Instant> = None;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if active.0 == 0 {
            return;
        }
        let signal = RECEIVED.load(Ordering::SeqCst);
        if signal == 0 {
            continue;
        }
        let first = *since.get_or_insert_with(std::time::Instant::now);
        if first.elapsed() >= GRACE {
            restore(active.1.clone());
            #[cfg(unix)]
            // SAFETY: the default disposition is back; this ends the process as the
            // signal would have.
            unsafe {
                libc::raise(signal);
            }
            return;
        }
    }
}

/// Puts the recording handler on SIGINT and SIGTERM; returns what it replaced.
#[cfg(unix)]
fn install() -> Vec<Saved> {
    let mut previous = Vec::new();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: a zeroed sigaction is a valid value to fill in; the handler only touches
        // an atomic and calls an async-signal-safe function.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = record as extern "C" fn(libc::c_int) as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, &action, &mut old) == 0 {
                previous.push((signal, old));
            }
        }
    }
    previous
}

#[cfg(unix)]
fn restore(saved: Vec<Saved>) {
    for (signal, old) in saved {
        // SAFETY: restores a disposition saved by `install`.
        unsafe {
            libc::sigaction(signal, &old, std::ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
fn install() -> Vec<Saved> {
    Vec::new()
}

#[cfg(not(unix))]
fn restore(_: Vec<Saved>) {}

/// The exit status of a command stopped by `signal`, as a shell reports it.
pub(crate) fn exit_status(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(u8::MAX)
}

/// The signal's name for the error line.
pub(crate) fn name(signal: i32) -> String {
    #[cfg(unix)]
    match signal {
        libc::SIGINT => return "SIGINT".to_owned(),
        libc::SIGTERM => return "SIGTERM".to_owned(),
        _ => {}
    }
    format!("signal {signal}")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn handler(signal: libc::c_int) -> usize {
        // SAFETY: queries the disposition only.
        unsafe {
            let mut now: libc::sigaction = std::mem::zeroed();
            libc::sigaction(signal, std::ptr::null(), &mut now);
            now.sa_sigaction
        }
    }

    #[test]
    fn overlapping_watches_record_and_the_last_one_restores() {
        let before = handler(libc::SIGTERM);
        let first = Watch::start();
        let second = Watch::start();
        drop(first);
        // The other watch is still on: its handler must still be there.
        assert_eq!(
            handler(libc::SIGTERM),
            record as extern "C" fn(libc::c_int) as usize
        );
        // SAFETY: the handler installed above only records it.
        unsafe {
            libc::raise(libc::SIGTERM);
        }
        assert_eq!(second.received(), Some(libc::SIGTERM));
        drop(second);
        assert_eq!(handler(libc::SIGTERM), before);
        assert_eq!(exit_status(libc::SIGTERM), 143);
        assert_eq!(name(libc::SIGINT), "SIGINT");
    }
}
