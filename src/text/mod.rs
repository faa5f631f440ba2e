//! Text the other layers share: template variables, and the exact spellings the contract
//! needs (Python's JSON strings and `pathlib` paths, sha256 hex) or people read (markdown
//! cells, values quoted in messages, text made safe for a terminal). Nothing here knows about connectors.

pub(crate) mod digest;
pub(crate) mod json;
pub mod markdown;
pub(crate) mod pathlib;
pub(crate) mod pyimports;
pub mod quoted;
pub mod template;
pub mod terminal;
