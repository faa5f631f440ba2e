//! The stable types everything else is written in: the [`Capability`](capability::Capability)
//! model and its registry, a package as requested and as planned, the results services
//! return, the vocabulary of certification verdicts, and the errors of every layer.
//!
//! The model depends on nothing above it (only [`text`](crate::text) and
//! [`yaml`](crate::yaml)), so services and capabilities can share data through it without
//! depending on each other.

pub mod capability;
pub mod capability_kind;
pub mod catalog;
pub mod details;
pub mod diagnostic;
pub mod drift;
pub mod error;
pub mod listing;
pub mod names;
pub mod native_capability;
pub mod native_transfer;
pub mod pack_origin;
pub mod package;
pub mod package_view;
pub mod registry;
pub mod results;
pub mod transfer_targets;
pub mod update;
pub mod verdict;
