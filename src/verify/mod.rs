//! Verification: how a package on disk compares with what it should be.
//!
//! - [`drift`]: `check`, the package against what this version generates from its own
//!   connector manifest;
//! - [`evidence`]: `certify`, the package certified from the evidence its tests recorded;
//! - [`list`]: `list`, every package of a tree with its certification status and drift;
//! - [`native`]: `certify --capability`, the native-transfer declarations of a certification
//!   manifest scored the way dpone 0.88.0 scores them.
//!
//! Verification reads packages and publishes reports; it never changes a package.

pub mod drift;
pub mod drift_cause;
pub mod evidence;
pub mod list;
pub mod native;
