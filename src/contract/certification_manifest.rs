//! The certification manifest (`certification/certification.yaml`): what a package must
//! prove, built from the capabilities' own sections.

use super::{
    artifacts_dir, BENCHMARK_MINIMUM_ROWS, BENCHMARK_WIDE_COLUMNS, CONTRACT_VERSION, JSON_REPORT,
    MARKDOWN_REPORT, QUALITY_GATES,
};
use crate::model::capability::{sort_in_registry_order, Capability, CapabilityKind};
use crate::model::error::RegistryError;
use crate::model::registry::registry;
use crate::yaml::Node;

/// Builds the certification manifest. `capabilities` are in registry order (the manifest
/// always lists source, sink, state in that order); `native_capabilities` in request order.
pub fn certification_manifest(
    connector: &str,
    connector_type: &str,
    capabilities: &[&'static dyn Capability],
    native_capabilities: &[&'static dyn Capability],
) -> Node {
    let sections = capabilities.iter().fold(Node::map(), |node, cap| {
        node.with(cap.name(), cap.certification_section())
    });
    let gates = QUALITY_GATES
        .iter()
        .fold(Node::map(), |node, gate| node.with(*gate, Node::Bool(true)));
    let mut manifest = Node::map()
        .with("contract_version", Node::str(CONTRACT_VERSION))
        .with("connector", Node::str(connector.to_owned()))
        .with("connector_type", Node::str(connector_type.to_owned()))
        .with("status", Node::str("community"))
        .with("capabilities", sections)
        .with("quality_gates", gates)
        .with(
            "performance",
            Node::map()
                .with("benchmark_required", Node::Bool(true))
                .with("minimum_rows", Node::Int(BENCHMARK_MINIMUM_ROWS as i64))
                .with("wide_columns", Node::Int(BENCHMARK_WIDE_COLUMNS as i64)),
        )
        .with(
            "evidence",
            Node::map()
                .with("artifacts_dir", Node::str(artifacts_dir(connector)))
                .with("markdown_report", Node::str(MARKDOWN_REPORT))
                .with("json_report", Node::str(JSON_REPORT)),
        );
    if !native_capabilities.is_empty() {
        let natives = native_capabilities.iter().fold(Node::map(), |node, cap| {
            node.with(cap.name(), cap.certification_section())
        });
        manifest = manifest.with("native_transfer", Node::map().with("capabilities", natives));
    }
    manifest
}

/// Builds the certification manifest from capability names exactly as the reference's
/// `ConnectorCertificationTemplateService().build(...)` does: `connector` and
/// `connector_type` are used as given, with no validation; a name is looked up as written,
/// repeats count once, and a name no capability of that kind has is left out.
///
/// ```
/// use dpone_connector_sdk::contract::certification_manifest::certification_template;
/// let yaml = certification_template("demo", "api", &["sink", "teleport", "source"], &[])
///     .unwrap()
///     .to_yaml();
/// assert!(yaml.find("  source:").unwrap() < yaml.find("  sink:").unwrap());
/// assert!(!yaml.contains("teleport"));
/// ```
pub fn certification_template(
    connector: &str,
    connector_type: &str,
    capabilities: &[&str],
    native_capabilities: &[&str],
) -> Result<Node, RegistryError> {
    let registry = registry()?;
    let known = |kind: CapabilityKind, names: &[&str]| {
        let mut found: Vec<&'static dyn Capability> = Vec::new();
        for name in names {
            match registry.get(name) {
                Some(c) if c.kind() == kind && !found.iter().any(|f| f.name() == c.name()) => {
                    found.push(c)
                }
                _ => {}
            }
        }
        found
    };
    let mut runtime = known(CapabilityKind::Runtime, capabilities);
    sort_in_registry_order(&mut runtime);
    let natives = known(CapabilityKind::NativeTransfer, native_capabilities);
    Ok(certification_manifest(
        connector,
        connector_type,
        &runtime,
        &natives,
    ))
}
