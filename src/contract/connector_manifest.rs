//! `dpone_connector_manifest.json`: the package's own record of what it is.

use super::CONTRACT_VERSION;
use crate::text::json::python_json_string as json_string;

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
