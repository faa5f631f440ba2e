//! The writer's failure tests: they drive it through the fault-injecting file system, which
//! is not part of the public API.

use crate::model::package::{PackagePlan, ScaffoldRequest};
use crate::scaffold::plan_package;
use crate::writer::is_writer_temporary;

mod fault_fs;
mod faults;
mod fixtures;
mod props;
