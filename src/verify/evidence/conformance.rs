//! Structure conformance: does the package on disk match what it declares?
//!
//! Package-wide rules live here ([`package_checks`]). Every declared capability is checked
//! by its own data ([`capability_checks`]: its file templates, docs section and required
//! tests), so a new capability brings its certification rules with it, plus whatever it adds
//! through [`Capability::conformance_checks`] ([`conformance_of`] runs both).

use std::path::Path;
use std::rc::Rc;

use serde_json::Value;

use crate::yaml::to_json::load_json;
use crate::yaml::YamlError;

use super::manifests::Package;
use crate::model::capability::{Capability, CapabilityKind};
use crate::model::names;
use crate::model::package_view::PackageView;
use crate::model::registry::Registry;
use crate::model::verdict::Check;

/// Why a file is not a usable regular, non-empty text file, if it is not.
pub fn file_problem(path: &Path, relative: &str) -> Option<String> {
    match crate::bounded::read(path) {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => {
            Some(format!("{relative} is empty"))
        }
        Ok(bytes) if std::str::from_utf8(&bytes).is_err() => {
            Some(format!("{relative} is not UTF-8 text"))
        }
        Ok(_) => None,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            Some(format!("{relative} does not exist"))
        }
        Err(err) => Some(format!("cannot read {relative}: {err}")),
    }
}

/// Absent or empty text.
fn blank(text: Option<&str>) -> bool {
    !matches!(text, Some(t) if !t.trim().is_empty())
}

/// Why a YAML file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlLoad {
    /// It could not be read (the OS reason).
    Read(String),
    /// It is not YAML (the parser's reason).
    Parse(YamlError),
}

/// The YAML document at `path`, parsed once per package examination (several checks and
/// gates read the same examples; see [`crate::bounded::derived`]).
pub fn load_yaml(path: &Path) -> Rc<Result<Value, YamlLoad>> {
    crate::bounded::derived(path, || {
        let text =
            crate::bounded::read_to_string(path).map_err(|e| YamlLoad::Read(e.to_string()))?;
        load_json(&text).map_err(YamlLoad::Parse)
    })
}

/// Why an example pipeline manifest is unusable, if it is: it must parse as a YAML mapping
/// with a `name`, and `source` and `sink` sections that each name a `type`.
pub fn example_problem(path: &Path, relative: &str) -> Option<String> {
    let loaded = load_yaml(path);
    let value = match loaded.as_ref() {
        Ok(value) => value,
        Err(YamlLoad::Read(err)) => return Some(format!("cannot read {relative}: {err}")),
        Err(YamlLoad::Parse(err)) => {
            return Some(format!("{relative} does not parse as YAML: {err}"))
        }
    };
    if !value.is_object() {
        return Some(format!("{relative} is not a YAML mapping"));
    }
    if blank(value.get("name").and_then(Value::as_str)) {
        return Some(format!("{relative} has no top-level `name`"));
    }
    for section in ["source", "sink"] {
        let kind = value.get(section).and_then(|s| s.get("type"));
        if blank(kind.and_then(Value::as_str)) {
            return Some(format!("{relative} has no `{section}.type`"));
        }
    }
    None
}

/// Every structure check of one declared capability: the ones its data implies
/// ([`capability_checks`]), then the ones it adds ([`Capability::conformance_checks`]).
pub fn conformance_of(capability: &dyn Capability, view: &PackageView<'_>) -> Vec<Check> {
    let mut checks = capability_checks(capability, view);
    checks.extend(capability.conformance_checks(view));
    checks
}

/// The checks every capability gets from its own data: its certification section is declared
/// (with every required test the SDK demands), the connector docs keep its section, and every
/// file its templates generate exists; YAML files parse, and examples are pipeline manifests
/// that use this connector.
pub fn capability_checks<C: Capability + ?Sized>(
    capability: &C,
    view: &PackageView<'_>,
) -> Vec<Check> {
    let name = capability.name();
    let mut checks = Vec::new();
    let where_ = match capability.kind() {
        CapabilityKind::Runtime => format!("capabilities.{name}"),
        CapabilityKind::NativeTransfer => format!("native_transfer.capabilities.{name}"),
    };
    let section = view.section(capability.kind(), name);
    checks.push(Check::from_problem(
        name,
        format!("certification.yaml declares {where_}"),
        match section {
            Some(s) if s.is_object() => None,
            Some(_) => Some(format!("{where_} is not a mapping")),
            None => Some(format!("certification.yaml has no {where_} section")),
        },
    ));
    if !capability.required_tests().is_empty() {
        let declared: Vec<&str> = section
            .and_then(|s| s.get("required_tests"))
            .and_then(Value::as_array)
            .map(|seq| seq.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let dropped: Vec<&str> = capability
            .required_tests()
            .iter()
            .map(|t| t.test)
            .filter(|t| !declared.contains(t))
            .collect();
        checks.push(Check::from_problem(
            name,
            format!("{where_}.required_tests lists every test the SDK requires"),
            (!dropped.is_empty()).then(|| format!("missing: {}", dropped.join(", "))),
        ));
    }
    if let Some(problem) = docs_section_problem(capability, view) {
        checks.push(problem);
    }
    for template in capability.files() {
        let relative = view.vars.render(template.path);
        let path = view.path(&relative);
        let is_yaml = relative.ends_with(".yaml") || relative.ends_with(".yml");
        if relative.starts_with("examples/") && is_yaml {
            checks.push(Check::from_problem(
                name,
                format!("example {relative} is a pipeline manifest"),
                file_problem(&path, &relative)
                    .or_else(|| example_problem(&path, &relative))
                    .or_else(|| uses_connector(&path, &relative, view.connector)),
            ));
        } else if is_yaml {
            checks.push(Check::from_problem(
                name,
                format!("{relative} parses as YAML"),
                file_problem(&path, &relative).or_else(|| yaml_problem(&path, &relative)),
            ));
        } else {
            checks.push(Check::from_problem(
                name,
                format!("{relative} exists"),
                file_problem(&path, &relative),
            ));
        }
    }
    checks
}

/// The capability's section of `docs/<connector>.md` (the first heading of its docs
/// fragment) must still be there: people running the connector read it.
fn docs_section_problem<C: Capability + ?Sized>(
    capability: &C,
    view: &PackageView<'_>,
) -> Option<Check> {
    let rendered = view.vars.render(capability.fragments().docs);
    let heading = rendered
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with('#'))?;
    let relative = format!("docs/{}.md", view.connector);
    let problem = match crate::bounded::read_to_string(&view.path(&relative)) {
        Ok(text) if text.lines().any(|l| l.trim() == heading) => None,
        Ok(_) => Some(format!("{relative} has no `{heading}` section")),
        Err(_) => file_problem(&view.path(&relative), &relative),
    };
    Some(Check::from_problem(
        capability.name(),
        format!("{relative} documents it"),
        problem,
    ))
}

fn yaml_problem(path: &Path, relative: &str) -> Option<String> {
    match load_yaml(path).as_ref() {
        Err(YamlLoad::Parse(err)) => Some(format!("{relative} does not parse as YAML: {err}")),
        _ => None,
    }
}

fn uses_connector(path: &Path, relative: &str, connector: &str) -> Option<String> {
    let loaded = load_yaml(path);
    let value = loaded.as_ref().as_ref().ok()?;
    let uses = ["source", "sink"].iter().any(|section| {
        value
            .get(section)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            == Some(connector)
    });
    (!uses).then(|| {
        format!("{relative} uses neither `source.type: {connector}` nor `sink.type: {connector}`")
    })
}

fn section_names(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The runtime capabilities certification.yaml declares, in its order.
pub fn certified_capabilities(package: &Package) -> Vec<String> {
    section_names(package.certification.get("capabilities"))
}

/// The native capabilities certification.yaml declares, in its order.
pub fn certified_native_capabilities(package: &Package) -> Vec<String> {
    section_names(
        package
            .certification
            .get("native_transfer")
            .and_then(|n| n.get("capabilities")),
    )
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

fn mismatch(what: &str, json: impl std::fmt::Debug, yaml: impl std::fmt::Debug) -> String {
    format!("{what}: dpone_connector_manifest.json has {json:?}, certification.yaml has {yaml:?}")
}

/// Package-wide rules: the connector manifest agrees with certification.yaml, names a real
/// import package, and declares only capabilities this SDK knows.
pub fn package_checks(package: &Package, registry: &Registry) -> Vec<Check> {
    let json = &package.connector_manifest;
    let yaml = &package.certification;
    let text = |key: &str| yaml.get(key).and_then(Value::as_str);
    let shown = |key: &str| text(key).unwrap_or("nothing");
    let mut checks = vec![
        Check::from_problem(
            "package",
            "contract_version is 1 in both manifests",
            (json.contract_version != crate::contract::CONTRACT_VERSION
                || text("contract_version") != Some(crate::contract::CONTRACT_VERSION))
            .then(|| {
                mismatch(
                    "contract_version",
                    &json.contract_version,
                    shown("contract_version"),
                )
            }),
        ),
        Check::from_problem(
            "package",
            "both manifests name the same connector",
            (text("connector") != Some(json.connector.as_str()))
                .then(|| mismatch("connector", &json.connector, shown("connector"))),
        ),
        Check::from_problem(
            "package",
            "both manifests name the same connector type",
            (text("connector_type") != Some(json.connector_type.as_str())).then(|| {
                mismatch(
                    "connector_type",
                    &json.connector_type,
                    shown("connector_type"),
                )
            }),
        ),
    ];
    let yaml_caps = certified_capabilities(package);
    checks.push(Check::from_problem(
        "package",
        "both manifests declare the same capabilities",
        (!same_set(&json.capabilities, &yaml_caps))
            .then(|| mismatch("capabilities", &json.capabilities, &yaml_caps)),
    ));
    let yaml_natives = certified_native_capabilities(package);
    checks.push(Check::from_problem(
        "package",
        "both manifests declare the same native capabilities",
        (json.native_capabilities != yaml_natives).then(|| {
            mismatch(
                "native capabilities",
                &json.native_capabilities,
                &yaml_natives,
            )
        }),
    ));
    let init = format!("src/{}/__init__.py", json.import_package);
    checks.push(Check::from_problem(
        "package",
        format!("import package {init} exists"),
        if names::prefix_of(&json.import_package, &json.connector).is_none() {
            Some(format!(
                "import_package is `{}`, expected `<prefix>_{}` (by default `{}`)",
                json.import_package,
                json.connector,
                names::import_package(
                    crate::model::package::DEFAULT_PACKAGE_PREFIX,
                    &json.connector
                )
            ))
        } else {
            file_problem(&package.root.join(&init), &init)
        },
    ));
    checks.push(Check::from_problem(
        "package",
        "certification/run_certification.py exists",
        file_problem(
            &package.root.join("certification/run_certification.py"),
            "certification/run_certification.py",
        ),
    ));
    if let Err(reason) = &package.evidence_paths {
        checks.push(Check::failed(
            "package",
            "evidence location is inside the package",
            reason.clone(),
        ));
    }
    for (kind, names) in [
        (
            CapabilityKind::Runtime,
            declared(&json.capabilities, &yaml_caps),
        ),
        (
            CapabilityKind::NativeTransfer,
            declared(&json.native_capabilities, &yaml_natives),
        ),
    ] {
        for name in names {
            if registry.find(kind, &name).is_none() {
                checks.push(Check::failed(
                    name.clone(),
                    format!("{} is known to this SDK", kind.label()),
                    format!(
                        "unknown {} `{name}`; this SDK knows: {}",
                        kind.label(),
                        registry.names(kind).join(", ")
                    ),
                ));
            }
        }
    }
    checks
}

/// Every capability either manifest declares: certification.yaml's order, then any the
/// connector manifest adds.
pub fn declared(json: &[String], yaml: &[String]) -> Vec<String> {
    let mut names = yaml.to_vec();
    names.extend(json.iter().filter(|n| !yaml.contains(n)).cloned());
    names
}

#[cfg(test)]
mod tests {
    use super::super::manifests::Package;
    use super::*;
    use crate::model::capability::{FileTemplate, Fragments, RequiredTest};
    use crate::yaml::Node;

    /// A capability that exists only in this test: it brings its own certification rules.
    struct Audit;

    impl Capability for Audit {
        fn name(&self) -> &'static str {
            "audit"
        }
        fn kind(&self) -> CapabilityKind {
            CapabilityKind::Runtime
        }
        fn rank(&self) -> u32 {
            9
        }
        fn summary(&self) -> &'static str {
            "records who read what"
        }
        fn certification_section(&self) -> Node {
            Node::map()
        }
        fn required_tests(&self) -> &'static [RequiredTest] {
            &[RequiredTest {
                test: "audit_trail",
                proves: "Every read and write leaves one audit record naming who did it.",
            }]
        }
        fn files(&self) -> &'static [FileTemplate] {
            &[
                FileTemplate {
                    path: "src/{{import_package}}/audit.py",
                    body: "",
                },
                FileTemplate {
                    path: "examples/{{connector}}_audit.yaml",
                    body: "",
                },
            ]
        }
        fn fragments(&self) -> Fragments {
            Fragments {
                docs: "\n## Auditing {{connector}}\n",
                ..Fragments::default()
            }
        }
    }

    fn package(dir: &Path, certification: &str) -> Package {
        std::fs::write(
            dir.join("dpone_connector_manifest.json"),
            r#"{"contract_version": "1", "connector": "demo", "connector_type": "api", "capabilities": ["audit"], "native_capabilities": [], "import_package": "dpone_connector_demo"}"#,
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("certification")).unwrap();
        std::fs::write(dir.join("certification/certification.yaml"), certification).unwrap();
        Package::load(dir).unwrap()
    }

    fn failures(checks: &[Check]) -> Vec<String> {
        checks
            .iter()
            .filter(|c| c.status != crate::model::verdict::Status::Passed)
            .map(|c| c.reason.clone())
            .collect()
    }

    #[test]
    fn a_new_capability_is_checked_by_its_own_templates_and_tests() {
        let tmp = tempfile::tempdir().unwrap();
        let pkg = package(
            tmp.path(),
            "connector: demo\ncapabilities:\n  audit:\n    required_tests: []\n",
        );
        let checks = conformance_of(&Audit, &pkg.view());
        assert_eq!(
            failures(&checks),
            [
                "missing: audit_trail",
                "docs/demo.md does not exist",
                "src/dpone_connector_demo/audit.py does not exist",
                "examples/demo_audit.yaml does not exist",
            ]
        );

        let root = tmp.path();
        std::fs::write(
            root.join("certification/certification.yaml"),
            "connector: demo\ncapabilities:\n  audit:\n    required_tests: [audit_trail]\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("src/dpone_connector_demo")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join("examples")).unwrap();
        std::fs::write(root.join("src/dpone_connector_demo/audit.py"), "X = 1\n").unwrap();
        std::fs::write(root.join("docs/demo.md"), "# demo\n\n## Auditing demo\n").unwrap();
        std::fs::write(
            root.join("examples/demo_audit.yaml"),
            "name: a\nsource:\n  type: postgres\nsink:\n  type: s3\n",
        )
        .unwrap();
        let pkg = Package::load(root).unwrap();
        let checks = conformance_of(&Audit, &pkg.view());
        assert_eq!(
            failures(&checks),
            ["examples/demo_audit.yaml uses neither `source.type: demo` nor `sink.type: demo`"]
        );
        assert_eq!(checks.len(), 5);
    }

    #[test]
    fn examples_must_be_pipeline_manifests() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("e.yaml");
        for (text, problem) in [
            ("name: [", "e.yaml does not parse as YAML"),
            ("- a\n", "e.yaml is not a YAML mapping"),
            (
                "source: {type: x}\nsink: {type: y}\n",
                "e.yaml has no top-level `name`",
            ),
            ("name: n\nsource: {type: x}\n", "e.yaml has no `sink.type`"),
        ] {
            std::fs::write(&path, text).unwrap();
            let found = example_problem(&path, "e.yaml").unwrap();
            assert!(found.starts_with(problem), "{found}");
        }
        std::fs::write(&path, "name: n\nsource: {type: x}\nsink: {type: y}\n").unwrap();
        assert_eq!(example_problem(&path, "e.yaml"), None);
    }

    #[test]
    fn package_checks_compare_both_manifests_and_know_the_registry() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(
            root.join("dpone_connector_manifest.json"),
            r#"{"contract_version": "1", "connector": "demo", "connector_type": "api", "capabilities": ["source", "teleport"], "native_capabilities": [], "import_package": "dpone_connector_other"}"#,
        )
        .unwrap();
        std::fs::create_dir_all(root.join("certification")).unwrap();
        std::fs::write(
            root.join("certification/certification.yaml"),
            "contract_version: '1'\nconnector: demo2\nconnector_type: api\ncapabilities:\n  source: {}\n",
        )
        .unwrap();
        let pkg = Package::load(root).unwrap();
        let registry = crate::model::registry::registry().unwrap();
        assert_eq!(
            failures(&package_checks(&pkg, registry)),
            [
                "connector: dpone_connector_manifest.json has \"demo\", certification.yaml has \"demo2\"",
                "capabilities: dpone_connector_manifest.json has [\"source\", \"teleport\"], certification.yaml has [\"source\"]",
                "import_package is `dpone_connector_other`, expected `<prefix>_demo` (by default `dpone_connector_demo`)",
                "certification/run_certification.py does not exist",
                &format!(
                    "unknown capability `teleport`; this SDK knows: {}",
                    registry.names(CapabilityKind::Runtime).join(", ")
                ),
            ]
        );
    }
}
