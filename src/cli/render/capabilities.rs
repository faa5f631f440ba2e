//! `capabilities` for people: a terminal listing and the markdown table that
//! `docs/capabilities.md` embeds. JSON is the listing itself, through serde.

use std::fmt::Write as _;

use crate::model::catalog::{CapabilityInfo, CapabilityListing};
use crate::text::markdown::cell;

use super::join_or_none;

fn section_keys(info: &CapabilityInfo) -> Vec<String> {
    info.certification
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// A terminal listing: one block per capability.
pub fn listing_text(listing: &CapabilityListing) -> String {
    let mut out = String::new();
    for (i, info) in listing.capabilities.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{} ({})", info.name, info.flag);
        let _ = writeln!(out, "  {}", info.summary);
        match (&info.origin.path, &info.origin.version, &info.origin.digest) {
            (Some(path), Some(version), Some(digest)) => {
                let _ = writeln!(out, "  origin:         pack {path} {version} {digest}");
            }
            _ => {
                let _ = writeln!(out, "  origin:         {}", info.origin.source);
            }
        }
        if let Some(transfer) = &info.native_transfer {
            let _ = writeln!(
                out,
                "  transfer:       {} {}",
                transfer.transport, transfer.role
            );
        }
        let _ = writeln!(out, "  files:          {}", join_or_none(&info.files));
        let _ = writeln!(out, "  sections in:    {}", join_or_none(&info.sections));
        let _ = writeln!(
            out,
            "  certification:  {} ({})",
            info.certification_section,
            join_or_none(&section_keys(info))
        );
        let _ = writeln!(
            out,
            "  required tests: {}",
            join_or_none(&info.required_tests)
        );
    }
    out
}

/// [`join_or_none`], each item in a code span.
fn code_list(items: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    join_or_none(&quoted)
}

/// A markdown table, one row per capability; `docs/capabilities.md` embeds it.
pub fn listing_markdown(listing: &CapabilityListing) -> String {
    let mut out = String::from(
        "| capability | flag | what it does | files | certification section | required tests |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for info in &listing.capabilities {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | `{}` | {} |",
            cell(info.name),
            cell(&info.flag),
            cell(info.summary),
            cell(&code_list(&info.files)),
            cell(&info.certification_section),
            cell(&code_list(&info.required_tests)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::describe;
    use crate::model::registry::registry;

    #[test]
    fn every_capability_has_one_markdown_row() {
        let listing = describe(registry().unwrap());
        let table = listing_markdown(&listing);
        assert_eq!(table.lines().count(), listing.capabilities.len() + 2);
    }
}
