//! `check`: compares a package on disk with what this version would generate from its own
//! connector manifest.
//!
//! Findings come in two severities:
//! - **drift** (an error): a contract file (`dpone_connector_manifest.json`,
//!   `certification/certification.yaml`) differs from what the declared capabilities
//!   produce, a declared capability's module is missing, or a module of a capability that
//!   is not declared exists. The contract is what dpone and `certify` read, so it must say
//!   exactly what the package does.
//! - **info**: a generated file a person edited (or that an older template generated), or a
//!   generated file that is not there. Editing generated code is the point of generating it.
//!
//! Files the generator never writes are not looked at, except undeclared capability modules.
//!
//! Each finding names the file whose change caused it ([`Finding::cause`]): usually the file
//! itself, or the connector manifest when it was edited and the rest of the package still
//! follows the declaration it had ([`super::drift_cause`]).

use std::path::Path;

use super::drift_cause::attribute_to_manifest_edit;
use crate::contract::{contract_files, CERTIFICATION_MANIFEST, CONNECTOR_MANIFEST};
use crate::model::capability::Capability;
use crate::model::drift::{CheckReport, Finding, FindingKind, Severity};
use crate::model::error::PackageError;
use crate::model::package::PlannedFile;
use crate::model::registry::registry;
use crate::scaffold::existing::{capability_modules, ExistingPackage};
use crate::scaffold::generations::provenance;
use crate::scaffold::plan_package;

/// Checks the package in `dir`. Fails only when it cannot be read as a package.
pub fn check_package(dir: &Path) -> Result<CheckReport, PackageError> {
    let dir = crate::text::pathlib::dir_or_current(dir);
    let package = ExistingPackage::open(dir)?;
    let plan = plan_package(&package.request).map_err(|source| PackageError::Declared {
        path: dir.join(CONNECTOR_MANIFEST),
        source,
    })?;
    let identity = &plan.identity;
    let contracts: Vec<String> = contract_files(identity, package.request.include_certification)
        .into_iter()
        .map(|f| f.path)
        .collect();
    let declared: Vec<&'static dyn Capability> = identity
        .capabilities
        .iter()
        .chain(identity.native_capabilities.iter())
        .copied()
        .collect();
    let declared_modules: Vec<(String, &'static str)> = declared
        .iter()
        .flat_map(|cap| {
            capability_modules(identity, *cap)
                .into_iter()
                .map(move |path| (path, cap.name()))
        })
        .collect();

    let mut findings = Vec::new();
    for file in &plan.files {
        let on_disk = package.read(&file.path)?;
        let is_contract = contracts.contains(&file.path);
        let module_of = declared_modules
            .iter()
            .find(|(path, _)| *path == file.path)
            .map(|(_, name)| *name);
        match on_disk {
            None if is_contract => findings.push(Finding::new(
                FindingKind::ContractDrift,
                &file.path,
                "missing; the declared capabilities need it",
            )),
            None => findings.push(match module_of {
                Some(name) => Finding::new(
                    FindingKind::MissingModule,
                    &file.path,
                    format!("module of declared capability `{name}` is missing"),
                ),
                None => Finding::new(
                    FindingKind::Missing,
                    &file.path,
                    "generated file is not present",
                ),
            }),
            Some(bytes) if bytes == file.contents.as_bytes() => {}
            Some(bytes) if is_contract => findings.push(Finding::new(
                FindingKind::ContractDrift,
                &file.path,
                format!(
                    "differs from what the declared capabilities produce (first difference at line {})",
                    first_difference_line(&bytes, file.contents.as_bytes())
                ),
            )),
            Some(_) => findings.push(Finding::new(
                FindingKind::Edited,
                &file.path,
                "differs from what this version generates (edited, or from another template version)",
            )),
        }
    }
    if !package.request.include_certification {
        if let Some(finding) = orphaned_certification(&package, &plan.files)? {
            findings.push(finding);
        }
    }
    for capability in registry()?.all() {
        if declared.iter().any(|d| d.name() == capability.name()) {
            continue;
        }
        for module in capability_modules(identity, *capability) {
            if package.read(&module)?.is_some() {
                findings.push(Finding::new(
                    FindingKind::UndeclaredModule,
                    module,
                    format!(
                        "module of capability `{}`, which the manifest does not declare",
                        capability.name()
                    ),
                ));
            }
        }
    }
    for change in &package.pack_changes {
        findings.push(Finding::new(
            FindingKind::PackChanged,
            "pyproject.toml",
            format!(
                "capability pack `{}` changed since the package was made: it records {} ({}), \
                 the pack in {} is {} ({})",
                change.name,
                change.recorded_version,
                change.recorded_digest,
                change.dir.display(),
                change.version,
                change.digest
            ),
        ));
    }
    attribute_to_manifest_edit(&package, &mut findings)?;
    // Stable: errors first, each group keeps package file order.
    findings.sort_by_key(|f| f.severity);

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let (generator, generator_version, outdated) = provenance(package.generator_version.as_deref());
    Ok(CheckReport {
        package_dir: dir.display().to_string(),
        generator,
        generator_version,
        outdated,
        connector: identity.connector.clone(),
        connector_type: identity.connector_type.clone(),
        capabilities: names(identity.capability_names()),
        native_capabilities: names(identity.native_capability_names()),
        certification: package.request.include_certification,
        status: if errors == 0 { "ok" } else { "drift" },
        errors,
        notes: findings.len() - errors,
        findings,
    })
}

/// Certification is off because `certification/certification.yaml` is missing; if the
/// files only a certified package has are there, the manifest was lost, not left out.
fn orphaned_certification(
    package: &ExistingPackage,
    uncertified: &[PlannedFile],
) -> Result<Option<Finding>, PackageError> {
    let certified =
        plan_package(&package.request.clone().include_certification(true)).map_err(|source| {
            PackageError::Declared {
                path: package.dir.join(CONNECTOR_MANIFEST),
                source,
            }
        })?;
    let mut present = Vec::new();
    for file in &certified.files {
        let only_certified = !uncertified.iter().any(|f| f.path == file.path);
        if only_certified
            && file.path != CERTIFICATION_MANIFEST
            && package.read(&file.path)?.is_some()
        {
            present.push(file.path.as_str());
        }
    }
    Ok((!present.is_empty()).then(|| {
        Finding::new(
            FindingKind::ContractDrift,
            CERTIFICATION_MANIFEST,
            format!(
                "missing, but the package has certification files ({})",
                present.join(", ")
            ),
        )
    }))
}

fn names(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_owned).collect()
}

/// The 1-based line where two texts first differ (a missing line counts as a difference).
fn first_difference_line(actual: &[u8], expected: &[u8]) -> usize {
    let mut actual_lines = actual.split_inclusive(|b| *b == b'\n');
    let mut expected_lines = expected.split_inclusive(|b| *b == b'\n');
    let mut line = 1;
    loop {
        match (actual_lines.next(), expected_lines.next()) {
            (Some(a), Some(e)) if a == e => line += 1,
            _ => return line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_is_reported_by_line() {
        assert_eq!(first_difference_line(b"a\nb\nc\n", b"a\nb\nc\n"), 4);
        assert_eq!(first_difference_line(b"a\nX\nc\n", b"a\nb\nc\n"), 2);
        assert_eq!(first_difference_line(b"a\nb\n", b"a\nb\nc\n"), 3);
        assert_eq!(first_difference_line(b"a\nb", b"a\nb\n"), 2);
    }

    #[test]
    fn errors_sort_before_information() {
        let mut findings = [
            Finding::new(FindingKind::Edited, "b", "x"),
            Finding::new(FindingKind::ContractDrift, "a", "x"),
            Finding::new(FindingKind::Missing, "c", "x"),
        ];
        findings.sort_by_key(|f| f.severity);
        let order: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
