//! YAML the way PyYAML reads and writes it.
//!
//! - Writing: [`Node`] and its emitter write exactly what PyYAML's
//!   `yaml.safe_dump(data, sort_keys=False)` writes, for the block-style documents this
//!   project generates. Generic YAML 1.2 emitters quote differently (PyYAML follows YAML 1.1,
//!   where `yes`, `off` and `1_000` are not strings), and the certification manifest must be
//!   byte-identical to the reference's, so the rules live here and are tested against PyYAML's
//!   own output.
//! - Reading: `safe_load` (crate-internal) builds the [`pyvalue`] values `yaml.safe_load` would,
//!   so native-transfer certification reads a hand-edited manifest exactly as the reference
//!   does; [`to_json`] gives the same reading as JSON values to every other reader (package
//!   certification, the example checks, batch specs), so the crate has one reading of YAML.
//!   Both directions share one YAML 1.1 resolver; [`string_scalar`] quotes a value templates
//!   put into generated YAML wherever that resolver would read it as something else.

pub(crate) mod construct;
mod emit;
mod error;
pub mod pyvalue;
pub(crate) mod resolver;
pub(crate) mod safe_load;
mod serialize;
mod tabs;
pub mod to_json;

pub use emit::{string_scalar, Node};
pub use error::YamlError;
