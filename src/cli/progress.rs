//! Progress bars: on stderr when it is a terminal, hidden (and free) otherwise, so pipes
//! and CI logs never see one; `--quiet` hides them too.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting `total` packages (0 when the total is not known yet).
pub fn progress_bar(total: usize) -> ProgressBar {
    if super::quiet() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} packages, eta {eta}") {
        bar.set_style(style);
    }
    bar
}
