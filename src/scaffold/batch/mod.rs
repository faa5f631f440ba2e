//! Batch scaffolding: every connector of a spec file scaffolded in one process, each with
//! the single scaffold's guarantees (all or nothing, conflicts refused, dry run), and one
//! file-system flush for the whole batch.
//!
//! ```no_run
//! use std::ops::ControlFlow;
//! use dpone_connector_sdk::scaffold::batch::{read_spec, run_batch, BatchOptions};
//!
//! let spec = read_spec("connectors.yaml".as_ref()).unwrap();
//! let summary = run_batch(spec, &BatchOptions::new("out"), |report| {
//!     if let Err(err) = &report.outcome {
//!         eprintln!("entry {}: {err}", report.index);
//!     }
//!     ControlFlow::Continue(()) // `Break` stops the batch between entries
//! })
//! .unwrap();
//! assert_eq!(summary.failed, 0);
//! ```

mod run;
mod spec;

pub use run::{default_jobs, run_batch, BatchOptions, BatchSummary, EntryReport, MAX_DEFAULT_JOBS};
pub use spec::{parse_spec, read_spec, BatchEntry, SpecEntry, SpecFormat};
