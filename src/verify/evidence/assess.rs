//! Putting it together: conformance, quality gates and evidence become one verdict.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::conformance::{
    certified_capabilities, certified_native_capabilities, conformance_of, declared, package_checks,
};
use super::gates;
use super::manifests::Package;
use super::performance::{self, describe_requirement, PerformanceResult};
use super::recorded::{Evidence, EvidenceStatus};
use crate::contract::CERTIFICATION_MANIFEST;
use crate::model::capability::CapabilityKind;
use crate::model::error::EvidenceError;
use crate::model::registry::{registry, Registry};
use crate::model::verdict::{Check, Overall, Status, Tally};

/// The schema of the package certification result.
pub const CERTIFICATION_SCHEMA: &str = "dpone_connector_sdk.package_certification.v1";

/// One required test of one capability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredTest {
    /// The test's name within its capability (`full_refresh_extract`).
    pub test: String,
    /// What the evidence says.
    pub status: Status,
    /// Why it failed or is missing.
    pub reason: String,
    /// The pytest node ids that carry its marker.
    pub tests: Vec<String>,
    /// What it must prove (the capability's sentence; empty for a test the SDK does not
    /// know).
    pub proves: &'static str,
}

impl RequiredTest {
    /// The reason people see: for a missing test, the recorded reason followed by what the
    /// test must prove (unless the reason already says it, as a placeholder's skip does).
    pub fn explained_reason(&self) -> String {
        if self.status != Status::Missing
            || self.proves.is_empty()
            || self.reason.contains(self.proves)
        {
            return self.reason.clone();
        }
        if self.reason.is_empty() {
            return self.proves.to_owned();
        }
        format!("{}. {}", self.reason.trim_end_matches('.'), self.proves)
    }
}

/// The required tests of one declared runtime capability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeCapabilityTests {
    /// Capability name.
    pub capability: String,
    /// Its required tests: certification.yaml's list, then any the SDK requires that the
    /// manifest dropped.
    pub required_tests: Vec<RequiredTest>,
}

/// The certification manifest the verdict was computed against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificationManifestRef {
    /// Relative path.
    pub path: &'static str,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// What was found of the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceSummary {
    /// current, missing, corrupt, unsupported, foreign or stale.
    pub status: EvidenceStatus,
    /// The JSON report, relative to the package.
    pub path: String,
    /// Why the evidence cannot be used (empty when current).
    pub message: String,
    /// The pytest exit status the run recorded (current evidence only).
    pub pytest_exit_code: Option<i64>,
    /// Certification markers that named no required test (likely typos).
    pub unknown_markers: Vec<String>,
}

/// Counts per section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Required tests.
    pub required_tests: Tally,
    /// Quality gates.
    pub quality_gates: Tally,
    /// Conformance checks.
    pub conformance: Tally,
}

/// The certification of one package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageCertification {
    /// [`CERTIFICATION_SCHEMA`].
    pub schema_version: &'static str,
    /// certified, failed or unverified.
    pub status: Overall,
    /// The connector, from `dpone_connector_manifest.json`.
    pub connector: String,
    /// The package directory, as given.
    pub package: String,
    /// The certification manifest it was computed against.
    pub certification_manifest: CertificationManifestRef,
    /// The evidence found.
    pub evidence: EvidenceSummary,
    /// Counts.
    pub summary: Summary,
    /// Required tests per declared runtime capability.
    pub capabilities: Vec<RuntimeCapabilityTests>,
    /// Quality gates.
    pub quality_gates: Vec<Check>,
    /// Structure conformance checks.
    pub conformance: Vec<Check>,
    /// The benchmark `performance` asks for, and the run it rests on.
    pub performance: PerformanceResult,
    /// Why the package is not certified (empty when it is), most serious first.
    pub reasons: Vec<String>,
}

/// Certifies the package in `dir` from its evidence.
pub fn certify_package(dir: &Path) -> Result<PackageCertification, EvidenceError> {
    let dir = crate::text::pathlib::dir_or_current(dir);
    let registry = registry()?;
    let package = Package::load(dir)?;
    let evidence = Evidence::load(&package);
    Ok(certify_loaded(&package, &evidence, registry))
}

/// Certifies an already loaded package against already vetted evidence.
pub fn certify_loaded(
    package: &Package,
    evidence: &Evidence,
    registry: &Registry,
) -> PackageCertification {
    let json = &package.connector_manifest;
    let runtime = declared(&json.capabilities, &certified_capabilities(package));
    let natives = declared(
        &json.native_capabilities,
        &certified_native_capabilities(package),
    );

    let mut conformance = package_checks(package, registry);
    let view = package.view();
    for (kind, names) in [
        (CapabilityKind::Runtime, &runtime),
        (CapabilityKind::NativeTransfer, &natives),
    ] {
        for name in names {
            if let Some(capability) = registry.find(kind, name) {
                conformance.extend(conformance_of(capability, &view));
            }
        }
    }
    let quality_gates = gates::evaluate(package, evidence);
    let performance = performance::evaluate(package, evidence);
    let capabilities: Vec<RuntimeCapabilityTests> = runtime
        .iter()
        .map(|name| RuntimeCapabilityTests {
            capability: name.clone(),
            required_tests: required_tests(package, evidence, registry, name),
        })
        .collect();

    let test_statuses = || {
        capabilities
            .iter()
            .flat_map(|c| c.required_tests.iter().map(|t| t.status))
    };
    let statuses = test_statuses()
        .chain(quality_gates.iter().map(|g| g.status))
        .chain(conformance.iter().map(|c| c.status))
        .chain(performance.counts().then_some(performance.status));
    let status = Overall::from_statuses(statuses, evidence.status == EvidenceStatus::Current);
    let summary = Summary {
        required_tests: Tally::of(test_statuses()),
        quality_gates: Tally::of(quality_gates.iter().map(|g| g.status)),
        conformance: Tally::of(conformance.iter().map(|c| c.status)),
    };
    let reasons = reasons(
        &capabilities,
        &quality_gates,
        &conformance,
        &performance,
        evidence,
    );
    let report = evidence.report.as_ref();
    PackageCertification {
        schema_version: CERTIFICATION_SCHEMA,
        status,
        connector: json.connector.clone(),
        package: package.root.display().to_string(),
        certification_manifest: CertificationManifestRef {
            path: CERTIFICATION_MANIFEST,
            sha256: package.certification_sha256.clone(),
        },
        evidence: EvidenceSummary {
            status: evidence.status,
            path: evidence.path.clone(),
            message: evidence.message.clone(),
            pytest_exit_code: report.map(|r| r.pytest_exit_code),
            unknown_markers: report
                .map(|r| r.unknown_markers.clone())
                .unwrap_or_default(),
        },
        summary,
        capabilities,
        quality_gates,
        conformance,
        performance,
        reasons,
    }
}

/// The tests a capability must prove: the manifest's list, then SDK-required ones it lacks.
fn required_test_names(package: &Package, registry: &Registry, capability: &str) -> Vec<String> {
    let mut names: Vec<String> = package
        .certification
        .get("capabilities")
        .and_then(|c| c.get(capability))
        .and_then(|s| s.get("required_tests"))
        .and_then(Value::as_array)
        .map(|seq| {
            seq.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(known) = registry.find(CapabilityKind::Runtime, capability) {
        for test in known.required_tests() {
            if !names.iter().any(|n| n == test.test) {
                names.push(test.test.to_owned());
            }
        }
    }
    names
}

fn required_tests(
    package: &Package,
    evidence: &Evidence,
    registry: &Registry,
    capability: &str,
) -> Vec<RequiredTest> {
    let known = registry.find(CapabilityKind::Runtime, capability);
    required_test_names(package, registry, capability)
        .into_iter()
        .map(|test| {
            let proves = known
                .and_then(|c| c.required_tests().iter().find(|t| t.test == test))
                .map_or("", |t| t.proves);
            let missing = |reason: String| RequiredTest {
                test: test.clone(),
                status: Status::Missing,
                reason,
                tests: Vec::new(),
                proves,
            };
            let Some(report) = &evidence.report else {
                return missing(format!("no usable evidence ({})", evidence.status.as_str()));
            };
            match report
                .capabilities
                .get(capability)
                .and_then(|c| c.get(&test))
            {
                Some(found) => RequiredTest {
                    test: test.clone(),
                    status: found.status,
                    reason: found.reason.clone(),
                    tests: found.tests.clone(),
                    proves,
                },
                None => missing("the evidence report has no entry for this test".to_owned()),
            }
        })
        .collect()
}

/// Why the benchmark keeps the package from being certified, with what it requires.
fn benchmark_reason(performance: &PerformanceResult) -> String {
    let required = describe_requirement(&performance.requirement);
    match performance.status {
        Status::Failed => format!(
            "performance benchmark failed ({required} required): {}",
            performance.reason
        ),
        _ => format!(
            "performance benchmark missing ({required} required): {}",
            performance.reason
        ),
    }
}

fn list_tests(capabilities: &[RuntimeCapabilityTests], status: Status) -> Vec<String> {
    capabilities
        .iter()
        .flat_map(|c| {
            c.required_tests
                .iter()
                .filter(move |t| t.status == status)
                .map(move |t| format!("{}.{}", c.capability, t.test))
        })
        .collect()
}

fn reasons(
    capabilities: &[RuntimeCapabilityTests],
    gates: &[Check],
    conformance: &[Check],
    performance: &PerformanceResult,
    evidence: &Evidence,
) -> Vec<String> {
    let mut out = Vec::new();
    let failed = list_tests(capabilities, Status::Failed);
    if !failed.is_empty() {
        out.push(format!(
            "{} required test(s) failed: {}",
            failed.len(),
            failed.join(", ")
        ));
    }
    for check in conformance.iter().filter(|c| c.status != Status::Passed) {
        out.push(format!(
            "{}: {}: {}",
            check.subject, check.check, check.reason
        ));
    }
    for wanted in [Status::Failed, Status::Missing] {
        if wanted == Status::Missing && evidence.status != EvidenceStatus::Current {
            out.push(evidence.message.clone());
        }
        for gate in gates.iter().filter(|g| g.status == wanted) {
            out.push(format!(
                "quality gate {} {}: {}",
                gate.subject,
                wanted.as_str(),
                gate.reason
            ));
        }
        if performance.counts() && performance.status == wanted {
            out.push(benchmark_reason(performance));
        }
    }
    let missing = list_tests(capabilities, Status::Missing);
    if !missing.is_empty() && evidence.status == EvidenceStatus::Current {
        out.push(format!(
            "{} required test(s) missing: {}",
            missing.len(),
            missing.join(", ")
        ));
    } else if !missing.is_empty() {
        out.push(format!(
            "{} required test(s) unproven until the evidence is recorded again",
            missing.len()
        ));
    }
    out
}
