//! The certification manifest (`certification/certification.yaml`) template.

use crate::capability::{Capability, CapabilityKind};
use crate::error::RequestError;
use crate::scaffold::resolve_capabilities;
use crate::yaml::Node;

/// The contract version written into both contract files.
pub const CONTRACT_VERSION: &str = "1";

/// Quality gates every package declares, in manifest order.
pub const QUALITY_GATES: &[&str] = &[
    "unit_tests",
    "manifest_examples_parse",
    "docs_present",
    "run_artifacts_present",
    "secret_redaction",
];

/// Where a package's certification evidence lives, relative to the package directory.
pub fn artifacts_dir(connector: &str) -> String {
    format!("test_artifacts/connectors/{connector}")
}

/// The evidence report file names.
pub const JSON_REPORT: &str = "certification_report.json";
/// The markdown evidence report file name.
pub const MARKDOWN_REPORT: &str = "certification_report.md";

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
                .with("minimum_rows", Node::Int(10000))
                .with("wide_columns", Node::Int(120)),
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

/// Builds the certification manifest from capability names, like the reference's
/// `ConnectorCertificationTemplateService.build`: `connector` and `connector_type` are used as
/// given; capability names are normalized and must be registered (duplicates are dropped).
///
/// ```
/// use dpone_connector_sdk::certification::certification_template;
/// let yaml = certification_template("demo", "api", &["sink", "source"], &[]).unwrap().to_yaml();
/// assert!(yaml.find("  source:").unwrap() < yaml.find("  sink:").unwrap());
/// ```
pub fn certification_template(
    connector: &str,
    connector_type: &str,
    capabilities: &[&str],
    native_capabilities: &[&str],
) -> Result<Node, RequestError> {
    let mut runtime = resolve_capabilities(CapabilityKind::Runtime, capabilities)?;
    runtime.sort_by_key(|c| (c.rank(), c.name()));
    let natives = resolve_capabilities(CapabilityKind::NativeTransfer, native_capabilities)?;
    Ok(certification_manifest(
        connector,
        connector_type,
        &runtime,
        &natives,
    ))
}

/// Renders `dpone_connector_manifest.json` exactly as the reference's
/// `json.dumps(indent=2)` does, with a trailing newline.
pub fn connector_manifest_json(
    connector: &str,
    connector_type: &str,
    capabilities: &[&str],
    native_capabilities: &[&str],
    import_package: &str,
) -> String {
    fn list(items: &[&str]) -> String {
        if items.is_empty() {
            return "[]".to_owned();
        }
        let body: Vec<String> = items
            .iter()
            .map(|item| format!("    {}", json_string(item)))
            .collect();
        format!("[\n{}\n  ]", body.join(",\n"))
    }
    format!(
        "{{\n  \"contract_version\": {},\n  \"connector\": {},\n  \"connector_type\": {},\n  \"capabilities\": {},\n  \"native_capabilities\": {},\n  \"import_package\": {}\n}}\n",
        json_string(CONTRACT_VERSION),
        json_string(connector),
        json_string(connector_type),
        list(capabilities),
        list(native_capabilities),
        json_string(import_package),
    )
}

/// A JSON string literal the way Python's `json.dumps` (ensure_ascii) writes it.
pub fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
