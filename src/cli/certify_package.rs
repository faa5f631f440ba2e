//! `certify` without `--capability`: package certification from evidence. (Being built: issue 6.)

use super::certify::CertifyArgs;
use super::{print_error, EXIT_REFUSED};

pub fn run(_args: CertifyArgs) -> u8 {
    print_error("package certification is not built yet");
    EXIT_REFUSED
}
