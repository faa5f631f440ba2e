//! The standard descriptors at start: a process started with fd 0, 1 or 2 closed
//! (`cmd >&-`, `2>&-`, a careless parent) would hand that number to the first file it
//! opens, and then print its report or its errors into that file (a generated package).
//! [`claim_standard_streams`] opens `/dev/null` on each missing one before anything else
//! is opened: what would have gone there is discarded, as it would have been. Rust's own
//! start-up does the same for the binary; the console script runs inside Python, which
//! does not, so it calls this first.
//!
//! Unix only (`rustix`); elsewhere a missing standard handle cannot be reused by a file.

/// Opens `/dev/null` on every standard descriptor that is not open. Call it first thing,
/// before any file is opened (the binary's `main`, the console script's entry).
pub fn claim_standard_streams() {
    #[cfg(unix)]
    for fd in 0..=2 {
        use std::os::fd::{AsRawFd, BorrowedFd, IntoRawFd};
        // SAFETY: the descriptor is only asked for its flags; EBADF means it is not open.
        let open = rustix::io::fcntl_getfd(unsafe { BorrowedFd::borrow_raw(fd) });
        if open != Err(rustix::io::Errno::BADF) {
            continue;
        }
        let flags = rustix::fs::OFlags::RDWR | rustix::fs::OFlags::CLOEXEC;
        // The lowest free number is `fd` (the ones below it are open by now), so the
        // null device lands exactly there and stays open for the life of the process.
        match rustix::fs::open("/dev/null", flags, rustix::fs::Mode::empty()) {
            Ok(null) if null.as_raw_fd() == fd => {
                let _ = null.into_raw_fd();
            }
            // Another thread filled it first, or no /dev/null: nothing better to do.
            _ => {}
        }
    }
}
