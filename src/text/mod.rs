//! Text the other layers share: template variables, and the exact spellings the contract
//! needs (Python's JSON strings and `pathlib` paths, sha256 hex) or people read (markdown
//! cells). Nothing here knows about connectors.

pub(crate) mod digest;
pub(crate) mod json;
pub mod markdown;
pub(crate) mod pathlib;
pub(crate) mod pyimports;
pub mod template;
