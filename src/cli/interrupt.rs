//! Ctrl-C (SIGINT) and SIGTERM during the commands that work through many packages
//! (`scaffold --from`, `list`): the first signal is recorded and the command stops between
//! packages (each one whole or absent, since the writer publishes a package in one rename),
//! reports what it did and exits with `128 + signal`; a second signal ends the process at
//! once, as without the watch.
//!
//! Only those commands watch, and only while they run: a prompt or a single scaffold keeps
//! the default disposition (the writer already leaves a package whole or absent on a kill).
//! On systems without POSIX signals (Windows) there is no watch: Ctrl-C ends the process,
//! with the same guarantee from the writer.

use std::sync::atomic::{AtomicI32, Ordering};

/// The signal received while a [`Watch`] was active, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// While alive, SIGINT and SIGTERM are recorded instead of ending the process.
pub(crate) struct Watch {
    #[cfg(unix)]
    previous: Vec<(libc::c_int, libc::sigaction)>,
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

impl Watch {
    /// Starts recording SIGINT and SIGTERM.
    pub(crate) fn start() -> Watch {
        RECEIVED.store(0, Ordering::SeqCst);
        #[cfg(unix)]
        {
            let mut previous = Vec::new();
            for signal in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: a zeroed sigaction is a valid value to fill in; the handler only
                // touches an atomic and calls an async-signal-safe function.
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
            Watch { previous }
        }
        #[cfg(not(unix))]
        Watch {}
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
        #[cfg(unix)]
        for (signal, old) in &self.previous {
            // SAFETY: restores the disposition saved by `start`.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

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
