//! The variables templates are rendered with. Scaffolding renders them; `check` and
//! `certify` render the same templates again to find the files a capability generated, so
//! every caller builds its variables here and they cannot drift apart.

use crate::model::capability::Capability;
use crate::model::names;
use crate::model::package::PackageIdentity;
use crate::text::template::Vars;

/// The variables that follow from the connector manifest alone: `connector`, `Class`,
/// `connector_type`, `import_package` and `package_name`.
pub fn connector_vars(connector: &str, connector_type: &str, import_package: &str) -> Vars {
    let mut vars = Vars::new();
    vars.set("connector", connector)
        .set("Class", names::class_name(connector))
        .set("connector_type", connector_type)
        .set("import_package", import_package)
        .set("package_name", names::package_name(import_package));
    vars
}

/// Every variable a package's shared templates use: [`connector_vars`] plus the declared
/// capabilities as Python tuples (`capabilities_py`, `native_capabilities_py`).
pub fn package_vars(identity: &PackageIdentity) -> Vars {
    let mut vars = connector_vars(
        &identity.connector,
        &identity.connector_type,
        &identity.import_package,
    );
    vars.set("capabilities_py", py_tuple(&identity.capability_names()))
        .set(
            "native_capabilities_py",
            py_tuple(&identity.native_capability_names()),
        );
    vars
}

/// Variables for one capability's own templates: `base` plus `capability` and
/// `pending_tests` (a Python tuple of the required tests a fresh package cannot prove yet).
pub fn capability_vars(base: &Vars, capability: &dyn Capability) -> Vars {
    let mut vars = base.clone();
    let pending: String = capability
        .required_tests()
        .iter()
        .filter(|t| !capability.proven_by_scaffold().contains(t))
        .map(|t| format!("    \"{}.{t}\",\n", capability.name()))
        .collect();
    vars.set("capability", capability.name())
        .set("pending_tests", format!("(\n{pending})"));
    vars
}

/// A Python tuple literal of strings: `()`, `("a",)`, `("a", "b")`. The names are
/// identifiers, so they need no escaping.
fn py_tuple(names: &[&str]) -> String {
    match names {
        [] => "()".to_owned(),
        [one] => format!("(\"{one}\",)"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("({})", quoted.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_are_python_literals() {
        assert_eq!(py_tuple(&[]), "()");
        assert_eq!(py_tuple(&["source"]), "(\"source\",)");
        assert_eq!(py_tuple(&["source", "sink"]), "(\"source\", \"sink\")");
    }

    #[test]
    fn connector_vars_derive_the_class_and_distribution_names() {
        let vars = connector_vars("demo_api", "api", "dpone_connector_demo_api");
        assert_eq!(vars.get("Class"), Some("DemoApi"));
        assert_eq!(vars.get("package_name"), Some("dpone-connector-demo-api"));
    }
}
