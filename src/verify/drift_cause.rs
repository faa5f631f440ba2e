//! Which file's change caused `check`'s findings.
//!
//! `check` regenerates a package from its connector manifest, so an edit to the manifest
//! itself shows up everywhere but in the manifest: `certification.yaml`, `__init__.py`, the
//! README and the docs all "differ", and the manifest matches itself. The certification
//! manifest on disk remembers what the package was generated as (connector type,
//! capabilities, native capabilities). When regenerating from that declaration reproduces
//! it exactly, the connector manifest is what changed: `check` names it, and every finding
//! whose file still follows the old declaration is attributed to it.

use serde_json::Value;

use crate::contract::{CERTIFICATION_MANIFEST, CONNECTOR_MANIFEST};
use crate::model::drift::{Finding, FindingKind};
use crate::model::error::PackageError;
use crate::model::package::{PackagePlan, ScaffoldRequest};
use crate::scaffold::existing::ExistingPackage;
use crate::scaffold::plan_package;

/// Attributes `findings` to an edit of the connector manifest when the package on disk
/// follows an earlier declaration, adding a finding for the manifest itself (first).
pub fn attribute_to_manifest_edit(
    package: &ExistingPackage,
    findings: &mut Vec<Finding>,
) -> Result<(), PackageError> {
    let Some((previous, changes)) = previous_declaration(package)? else {
        return Ok(());
    };
    let mut followers = Vec::new();
    for finding in findings.iter_mut() {
        let before = previous
            .files
            .iter()
            .find(|f| f.path == finding.path)
            .map(|f| f.contents.as_bytes());
        if package.read(&finding.path)?.as_deref() == before {
            finding.cause = CONNECTOR_MANIFEST.to_owned();
            finding.message.push_str(&format!(
                " (it follows the declaration {CONNECTOR_MANIFEST} had before it changed)"
            ));
            followers.push((finding.severity, finding.path.clone()));
        }
    }
    // The errors first, as `check` lists them.
    followers.sort_by_key(|(severity, _)| *severity);
    let shown: Vec<&str> = followers
        .iter()
        .take(5)
        .map(|(_, path)| path.as_str())
        .collect();
    let more = followers.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    findings.insert(
        0,
        Finding::new(
            FindingKind::ContractDrift,
            CONNECTOR_MANIFEST,
            format!(
                "changed since the package was generated ({}); {}{more} still follow the declaration before the change",
                changes.join("; "),
                shown.join(", ")
            ),
        ),
    );
    Ok(())
}

/// The plan of the package as its certification manifest on disk declares it, with what
/// the connector manifest changed, when that plan reproduces the certification manifest
/// byte for byte and differs from the current declaration.
fn previous_declaration(
    package: &ExistingPackage,
) -> Result<Option<(PackagePlan, Vec<String>)>, PackageError> {
    if !package.request.include_certification {
        return Ok(None);
    }
    let Some(bytes) = package.read(CERTIFICATION_MANIFEST)? else {
        return Ok(None);
    };
    let Some(declared) = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| crate::yaml::to_json::load_json(text).ok())
    else {
        return Ok(None);
    };
    let current = &package.request;
    let mut previous = current.clone();
    if let Some(connector_type) = declared.get("connector_type").and_then(Value::as_str) {
        previous.connector_type = connector_type.to_owned();
    }
    previous.capabilities =
        in_request_order(&current.capabilities, keys(declared.get("capabilities")));
    previous.native_capabilities = in_request_order(
        &current.native_capabilities,
        keys(
            declared
                .get("native_transfer")
                .and_then(|n| n.get("capabilities")),
        ),
    );
    let changes = changes(current, &previous);
    if changes.is_empty() {
        return Ok(None);
    }
    let Ok(plan) = plan_package(&previous) else {
        return Ok(None);
    };
    let reproduced = plan
        .files
        .iter()
        .any(|f| f.path == CERTIFICATION_MANIFEST && f.contents.as_bytes() == bytes.as_slice());
    Ok(reproduced.then_some((plan, changes)))
}

/// `declared` in the order the connector manifest requests them, then the ones it no
/// longer names (the certification manifest keeps registry order, which would otherwise
/// change every file that lists capabilities in request order).
fn in_request_order(requested: &[String], declared: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = requested
        .iter()
        .filter(|name| declared.contains(name))
        .cloned()
        .collect();
    out.extend(
        declared
            .into_iter()
            .filter(|name| !requested.contains(name)),
    );
    out
}

/// The keys of a mapping, in order (none for anything else).
fn keys(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

/// `connector_type `database` -> `api``, one entry per declaration that differs.
fn changes(current: &ScaffoldRequest, previous: &ScaffoldRequest) -> Vec<String> {
    let list = |names: &[String]| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let mut out = Vec::new();
    if current.connector_type != previous.connector_type {
        out.push(format!(
            "connector_type `{}` -> `{}`",
            previous.connector_type, current.connector_type
        ));
    }
    // The certification manifest lists capabilities in registry order, the connector
    // manifest in request order: only a different set is a change.
    let sorted = |names: &[String]| {
        let mut names = names.to_vec();
        names.sort();
        names
    };
    for (key, now, before) in [
        (
            "capabilities",
            &current.capabilities,
            &previous.capabilities,
        ),
        (
            "native_capabilities",
            &current.native_capabilities,
            &previous.native_capabilities,
        ),
    ] {
        if sorted(now) != sorted(before) {
            out.push(format!("{key} {} -> {}", list(before), list(now)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(connector_type: &str, capabilities: &[&str]) -> ScaffoldRequest {
        let mut request = ScaffoldRequest::new("demo").connector_type(connector_type);
        request.capabilities = capabilities.iter().map(|c| (*c).to_owned()).collect();
        request
    }

    #[test]
    fn the_previous_declaration_keeps_the_request_order() {
        let requested = ["sink".to_owned(), "source".to_owned()];
        let declared = vec!["source".to_owned(), "sink".to_owned(), "state".to_owned()];
        assert_eq!(
            in_request_order(&requested, declared),
            ["sink", "source", "state"]
        );
    }

    #[test]
    fn changes_name_each_declaration_that_differs() {
        let before = request("database", &["source", "sink"]);
        assert!(changes(&request("database", &["sink", "source"]), &before).is_empty());
        assert_eq!(
            changes(&request("api", &["source"]), &before),
            [
                "connector_type `database` -> `api`",
                "capabilities source, sink -> source"
            ]
        );
        assert_eq!(
            changes(&request("database", &[]), &request("database", &["state"])),
            ["capabilities state -> none"]
        );
    }
}
