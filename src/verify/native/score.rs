//! Scores the native-transfer declarations of a manifest against the certification targets
//! the capability modules contribute (see [`CertificationTarget`]). Nothing here names a
//! transport, a capability or a profile: they all come from the registry's data.

use indexmap::IndexMap;

use super::manifest::{CertificationManifest, Declaration};
use super::report::{CaseResult, NativeCapabilityResult, NativeReport, NativeStatus};
use crate::model::error::CertifyError;
use crate::model::native_transfer::CertificationTarget;
use crate::model::registry::Registry;

/// The certification targets the registered native-transfer capabilities contribute, each
/// once, in registry order.
pub fn certification_targets(registry: &Registry) -> Vec<&'static CertificationTarget> {
    let mut targets: Vec<&'static CertificationTarget> = Vec::new();
    for target in registry
        .all()
        .iter()
        .filter_map(|c| c.native_transfer()?.certification)
    {
        if !targets.iter().any(|t| t.name == target.name) {
            targets.push(target);
        }
    }
    targets
}

/// Every profile some target can be certified under, in first-seen order.
pub fn supported_profiles(targets: &[&'static CertificationTarget]) -> Vec<&'static str> {
    let mut profiles: Vec<&'static str> = Vec::new();
    for plan in targets.iter().flat_map(|t| t.profiles) {
        if !profiles.contains(&plan.profile) {
            profiles.push(plan.profile);
        }
    }
    profiles
}

/// Certifies `requested` capabilities of the manifest's connector under `profile`.
///
/// `Err` is a one-line reason where the reference raises instead of reporting (a
/// `native_transfer` or `native_transfer.capabilities` that is not a mapping, `formats` that
/// cannot be iterated).
pub fn certify(
    manifest: &CertificationManifest,
    profile: &str,
    requested: &[String],
    targets: &[&'static CertificationTarget],
) -> Result<NativeReport, CertifyError> {
    let report = |status, capabilities, blockers| -> Result<NativeReport, CertifyError> {
        Ok(NativeReport {
            connector: manifest.text_field("connector")?,
            connector_type: manifest.text_field("connector_type")?,
            profile: profile.to_owned(),
            status,
            capabilities,
            blockers,
        })
    };
    if !supported_profiles(targets).contains(&profile) {
        let blocker = format!("unsupported_certification_profile:{profile}");
        return report(NativeStatus::Blocked, IndexMap::new(), vec![blocker]);
    }
    if requested.is_empty() {
        let blocker = "requested_capabilities_missing".to_owned();
        return report(NativeStatus::Unverified, IndexMap::new(), vec![blocker]);
    }
    let declarations = manifest.declarations()?;
    let mut results: IndexMap<String, NativeCapabilityResult> = IndexMap::new();
    for name in requested {
        // A repeated request is one capability (the reference keys results by name).
        if !results.contains_key(name) {
            let target = targets.iter().find(|t| t.name == name.as_str());
            let result = certify_capability(name, target.copied(), profile, &declarations);
            results.insert(name.clone(), result);
        }
    }
    let blockers = results
        .values()
        .flat_map(|r| r.blockers.iter().cloned())
        .collect();
    let status = NativeStatus::overall(results.values().map(|r| r.status));
    report(status, results, blockers)
}

fn certify_capability(
    name: &str,
    target: Option<&'static CertificationTarget>,
    profile: &str,
    declarations: &[Declaration],
) -> NativeCapabilityResult {
    let blocked = |blockers: Vec<String>| NativeCapabilityResult {
        name: name.to_owned(),
        status: NativeStatus::Blocked,
        cases: Vec::new(),
        blockers,
    };
    let Some(target) = target else {
        return blocked(vec![format!("unsupported_capability:{name}")]);
    };
    let covered: Vec<&Declaration> = declarations
        .iter()
        .filter(|d| d.transport == target.transport)
        .collect();
    if covered.is_empty() {
        return blocked(vec![target.missing_blocker.to_owned()]);
    }
    let incomplete: Vec<String> = covered
        .iter()
        .filter(|d| !d.is_complete())
        .map(|d| format!("{}_contract_incomplete", d.name))
        .collect();
    if !incomplete.is_empty() {
        return blocked(incomplete);
    }
    let Some(plan) = target.plan(profile) else {
        return blocked(vec![format!("unsupported_certification_profile:{profile}")]);
    };
    // No evidence is read yet: every planned case stays unverified, for the plan's reason.
    NativeCapabilityResult {
        name: name.to_owned(),
        status: NativeStatus::Unverified,
        cases: plan
            .cases
            .iter()
            .map(|case| CaseResult {
                name: (*case).to_owned(),
                status: NativeStatus::Unverified,
                failure_code: None,
            })
            .collect(),
        blockers: vec![plan.pending_blocker.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registry::registry;

    fn run(yaml: &str, profile: &str, requested: &[&str]) -> NativeReport {
        let registry = registry().unwrap_or_else(|e| panic!("{e}"));
        let targets = certification_targets(registry);
        let manifest = CertificationManifest::from_yaml(yaml).unwrap_or_else(|e| panic!("{e}"));
        let requested: Vec<String> = requested.iter().map(|s| (*s).to_owned()).collect();
        certify(&manifest, profile, &requested, &targets).unwrap_or_else(|e| panic!("{e}"))
    }

    const COMPLETE: &str = "connector: demo\nconnector_type: api\nnative_transfer:\n  capabilities:\n    stream_export: {bounded: true, supports_cleanup: true}\n    stream_staging_load: {staging_safe: true, supports_abort: true}\n";

    #[test]
    fn the_registry_contributes_the_stream_target() {
        let registry = registry().unwrap_or_else(|e| panic!("{e}"));
        let targets = certification_targets(registry);
        let names: Vec<&str> = targets.iter().map(|t| t.name).collect();
        assert_eq!(names, ["native_transfer.stream"]);
        assert_eq!(
            supported_profiles(&targets),
            ["static", "local_live", "vendor_live"]
        );
    }

    #[test]
    fn complete_stream_declarations_plan_the_profile_cases() {
        let report = run(COMPLETE, "static", &["native_transfer.stream"]);
        assert_eq!(report.status, NativeStatus::Unverified);
        assert_eq!(report.blockers, ["static_profile_is_plan_only"]);
        let cases: Vec<&str> = report.capabilities[0]
            .cases
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            cases,
            ["manifest_schema", "secret_redaction", "docs_contract"]
        );
        let live = run(COMPLETE, "vendor_live", &["native_transfer.stream"]);
        assert_eq!(live.blockers, ["live_evidence_not_provided:vendor_live"]);
        assert_eq!(live.capabilities[0].cases.len(), 6);
    }

    #[test]
    fn incomplete_or_missing_declarations_block() {
        let yaml = "native_transfer:\n  capabilities:\n    stream_export: {bounded: false, supports_cleanup: true}\n    stream_x_staging_load: {staging_safe: true}\n    file_export: {}\n";
        let report = run(yaml, "static", &["native_transfer.stream"]);
        assert_eq!(report.status, NativeStatus::Blocked);
        assert_eq!(
            report.blockers,
            [
                "stream_export_contract_incomplete",
                "stream_x_staging_load_contract_incomplete"
            ]
        );
        let none = run("connector: x\n", "local_live", &["native_transfer.stream"]);
        assert_eq!(none.blockers, ["native_transfer_stream_capability_missing"]);
        assert_eq!(none.connector_type, "unknown");
    }

    #[test]
    fn unknown_and_repeated_requests() {
        let report = run(
            COMPLETE,
            "static",
            &[
                "native_transfer.batch",
                "native_transfer.stream",
                "native_transfer.batch",
            ],
        );
        assert_eq!(report.capabilities.len(), 2);
        assert_eq!(report.status, NativeStatus::Blocked);
        assert_eq!(
            report.blockers,
            [
                "unsupported_capability:native_transfer.batch",
                "static_profile_is_plan_only"
            ]
        );
    }

    #[test]
    fn unsupported_profile_and_empty_request() {
        let report = run(COMPLETE, "cloud", &["native_transfer.stream"]);
        assert_eq!(report.blockers, ["unsupported_certification_profile:cloud"]);
        assert!(report.capabilities.is_empty());
        let empty = run(COMPLETE, "static", &[]);
        assert_eq!(empty.status, NativeStatus::Unverified);
        assert_eq!(empty.blockers, ["requested_capabilities_missing"]);
    }
}
