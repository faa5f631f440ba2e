//! `certify --capability ...`: native-transfer certification. (Being built: issue 5.)

use super::certify::CertifyArgs;
use super::{print_error, EXIT_REFUSED};

pub fn run(_args: CertifyArgs) -> u8 {
    print_error("native-transfer certification is not built yet");
    EXIT_REFUSED
}
