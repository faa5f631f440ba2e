//! The scaffold service: turns a [`ScaffoldRequest`] into a [`PackagePlan`] (every file,
//! rendered in memory) and writes it with the [`writer`](mod@crate::writer). It never names a
//! capability: everything capability-specific comes from the registry.
//!
//! Beside the single scaffold live the services built on it: [`batch`] (many packages from a
//! spec file) and [`evolve`] (`add-capability` on a package that exists), which reads the
//! package back with `existing` (crate-internal; `check` uses it too).

pub mod batch;
pub(crate) mod details;
pub mod evolve;
pub(crate) mod existing;
pub mod generations;
pub(crate) mod interactive;
pub(crate) mod templates;
pub mod update;
pub(crate) mod user_defaults;
pub(crate) mod vars;

use crate::contract::{CERTIFICATION_MANIFEST, CONNECTOR_TYPES};
use crate::model::capability::{Capability, CapabilityKind};
use crate::model::error::{RequestError, ScaffoldError};
use crate::model::names;
use crate::model::package::{PackageIdentity, PackagePlan, ScaffoldRequest};
use crate::model::registry::registry;
use crate::model::results::ScaffoldResult;
use crate::text::pathlib::python_join;
use crate::writer::{self, WriteOptions};

/// Normalizes and validates a request, in the reference's order: name, connector type,
/// capabilities, native capabilities, package prefix.
pub fn identify(request: &ScaffoldRequest) -> Result<PackageIdentity, RequestError> {
    let connector = names::connector_identifier(&request.name)?;
    let connector_type = names::normalize_choice(&request.connector_type);
    if !CONNECTOR_TYPES.contains(&connector_type.as_str()) {
        return Err(RequestError::ConnectorType {
            given: request.connector_type.clone(),
            expected: CONNECTOR_TYPES.join(", "),
        });
    }
    let registry = registry()?;
    let capabilities =
        registry.resolve_or_defaults(CapabilityKind::Runtime, &request.capabilities)?;
    let native_capabilities = registry
        .resolve_or_defaults(CapabilityKind::NativeTransfer, &request.native_capabilities)?;
    same_file(capabilities.iter().chain(&native_capabilities).copied())?;
    let prefix = names::package_prefix(&request.package_prefix)?;
    let import_package = names::import_package(&prefix, &connector);
    let package_name = names::package_name(&import_package);
    Ok(PackageIdentity {
        connector,
        connector_type,
        capabilities,
        native_capabilities,
        import_package,
        package_name,
    })
}

/// Refuses capabilities that would write the same file (a capability pack can generate a
/// path a built-in generates too; the registry keeps packs apart from each other already).
fn same_file(
    capabilities: impl Iterator<Item = &'static dyn Capability>,
) -> Result<(), RequestError> {
    let mut seen: Vec<(&'static str, &'static str)> = Vec::new();
    for capability in capabilities {
        for file in capability.files() {
            if let Some((first, _)) = seen.iter().find(|(_, path)| *path == file.path) {
                return Err(RequestError::SameFile {
                    first,
                    second: capability.name(),
                    path: file.path,
                });
            }
        }
        seen.extend(
            capability
                .files()
                .iter()
                .map(|f| (capability.name(), f.path)),
        );
    }
    Ok(())
}

/// Renders every file of the package in memory. Writes nothing.
pub fn plan_package(request: &ScaffoldRequest) -> Result<PackagePlan, RequestError> {
    plan_with_generation(request, generations::Generation::current())
}

/// [`plan_package`] with the templates of `generation`.
pub(crate) fn plan_with_generation(
    request: &ScaffoldRequest,
    generation: &generations::Generation,
) -> Result<PackagePlan, RequestError> {
    let identity = identify(request)?;
    let root_text = request.root.to_string_lossy();
    let sdk_root = python_join(&root_text, &identity.package_name);
    let metadata = details::resolve_details(&request.details)?;
    let files = templates::render_generation(
        generation,
        &identity,
        &metadata,
        request.include_certification,
    );
    Ok(PackagePlan {
        metadata,
        certification_manifest: request
            .include_certification
            .then_some(CERTIFICATION_MANIFEST),
        identity,
        root: request.root.clone(),
        sdk_root,
        files,
    })
}

/// Plans and writes a package.
pub fn scaffold(
    request: &ScaffoldRequest,
    options: &WriteOptions,
) -> Result<ScaffoldResult, ScaffoldError> {
    let plan = plan_package(request)?;
    let report = writer::write_package(&plan.package_dir(), &plan.files, options)?;
    let result = ScaffoldResult::new(&plan, &report, options.dry_run);
    if result.conflicts.is_empty() {
        Ok(result)
    } else {
        Err(ScaffoldError::Conflicts(Box::new(result)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_follows_the_reference_order() {
        let bad_everything = ScaffoldRequest::new("!!!")
            .connector_type("nope")
            .capability("nope");
        assert!(matches!(
            identify(&bad_everything),
            Err(RequestError::EmptyName(_))
        ));
        let bad_type = ScaffoldRequest::new("ok")
            .connector_type("nope")
            .capability("nope");
        assert!(matches!(
            identify(&bad_type),
            Err(RequestError::ConnectorType { .. })
        ));
    }

    #[test]
    fn capabilities_are_deduplicated_in_request_order() {
        let request = ScaffoldRequest::new("x")
            .capability("SINK ")
            .capability("source")
            .capability("sink");
        let identity = identify(&request).unwrap();
        assert_eq!(identity.capability_names(), ["sink", "source"]);
    }

    #[test]
    fn files_come_in_the_reference_order_with_an_example_per_role() {
        let request = ScaffoldRequest::new("demo_api")
            .capability("sink")
            .capability("state")
            .capability("source");
        let plan = plan_package(&request).unwrap();
        let paths: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "pyproject.toml",
                "README.md",
                "dpone_connector_manifest.json",
                "docs/demo_api.md",
                "examples/demo_api_to_postgres.yaml",
                "examples/postgres_to_demo_api.yaml",
                "tests/test_demo_api_contract.py",
                "src/dpone_connector_demo_api/__init__.py",
                "src/dpone_connector_demo_api/connector.py",
                "src/dpone_connector_demo_api/source.py",
                "src/dpone_connector_demo_api/sink.py",
                "src/dpone_connector_demo_api/state.py",
                "certification/certification.yaml",
                "certification/run_certification.py",
                ".github/workflows/certification.yml",
            ]
        );
    }

    #[test]
    fn no_capability_means_the_defaults() {
        let identity = identify(&ScaffoldRequest::new("x")).unwrap();
        assert_eq!(identity.capability_names(), ["source"]);
    }
}
