//! Structure conformance: does the package on disk match what it declares?
//!
//! Package-wide rules live here ([`package_checks`]); each capability contributes its own
//! through [`Capability::conformance_checks`], whose default ([`capability_checks`]) is driven
//! by the capability's own file templates and required tests, so a new capability brings its
//! certification rules with it.

use std::path::{Path, PathBuf};

use serde_norway::Value;

use super::package::Package;
use super::status::Check;
use crate::capability::{Capability, CapabilityKind};
use crate::registry::Registry;
use crate::render::Vars;

/// What a capability sees of the package it checks.
#[derive(Debug)]
pub struct PackageView<'a> {
    /// The package directory.
    pub root: &'a Path,
    /// The normalized connector identifier.
    pub connector: &'a str,
    /// The parsed certification manifest.
    pub certification: &'a Value,
    /// The variables the capability's templates were rendered with.
    pub vars: Vars,
}

impl<'a> PackageView<'a> {
    /// A view of `package`.
    pub fn of(package: &'a Package) -> Self {
        PackageView {
            root: &package.root,
            connector: &package.connector_manifest.connector,
            certification: &package.certification,
            vars: package.template_vars(),
        }
    }

    /// A path relative to the package, on disk.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// A capability's section of the certification manifest: `capabilities.<name>` for a
    /// runtime capability, `native_transfer.capabilities.<name>` for a native one.
    pub fn section(&self, kind: CapabilityKind, name: &str) -> Option<&'a Value> {
        let capabilities = match kind {
            CapabilityKind::Runtime => self.certification.get("capabilities"),
            CapabilityKind::NativeTransfer => self
                .certification
                .get("native_transfer")
                .and_then(|n| n.get("capabilities")),
        };
        capabilities.and_then(|c| c.get(name))
    }
}

/// Why a file is not a usable regular, non-empty text file, if it is not.
pub fn file_problem(path: &Path, relative: &str) -> Option<String> {
    match std::fs::read(path) {
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

/// Why an example pipeline manifest is unusable, if it is: it must parse as a YAML mapping
/// with a `name`, and `source` and `sink` sections that each name a `type`.
pub fn example_problem(path: &Path, relative: &str) -> Option<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => return Some(format!("cannot read {relative}: {err}")),
    };
    let value: Value = match serde_norway::from_str(&text) {
        Ok(value) => value,
        Err(err) => return Some(format!("{relative} does not parse as YAML: {err}")),
    };
    if !value.is_mapping() {
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

/// The checks every capability gets unless it overrides
/// [`Capability::conformance_checks`]: its certification section is declared (with every
/// required test the SDK demands), and every file its templates generate exists; YAML
/// files parse, and examples are pipeline manifests that use this connector.
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
            Some(s) if s.is_mapping() => None,
            Some(_) => Some(format!("{where_} is not a mapping")),
            None => Some(format!("certification.yaml has no {where_} section")),
        },
    ));
    if !capability.required_tests().is_empty() {
        let declared: Vec<&str> = section
            .and_then(|s| s.get("required_tests"))
            .and_then(Value::as_sequence)
            .map(|seq| seq.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let dropped: Vec<&str> = capability
            .required_tests()
            .iter()
            .copied()
            .filter(|t| !declared.contains(t))
            .collect();
        checks.push(Check::from_problem(
            name,
            format!("{where_}.required_tests lists every test the SDK requires"),
            (!dropped.is_empty()).then(|| format!("missing: {}", dropped.join(", "))),
        ));
    }
    for template in capability.files() {
        let relative = view.vars.render(template.path);
        let path = view.path(&relative);
        let is_yaml = relative.ends_with(".yaml") || relative.ends_with(".yml");
        if relative.starts_with("examples/") && is_yaml {
            checks.push(Check::from_problem(
                name,
                format!("example {relative} is a pipeline manifest"),
                example_problem(&path, &relative)
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

fn yaml_problem(path: &Path, relative: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_norway::from_str::<Value>(&text)
        .err()
        .map(|err| format!("{relative} does not parse as YAML: {err}"))
}

fn uses_connector(path: &Path, relative: &str, connector: &str) -> Option<String> {
    let value: Value = serde_norway::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
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
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
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
    let mut checks = vec![
        Check::from_problem(
            "package",
            "contract_version is 1 in both manifests",
            (json.contract_version != crate::certification::CONTRACT_VERSION
                || text("contract_version") != Some(crate::certification::CONTRACT_VERSION))
            .then(|| {
                mismatch(
                    "contract_version",
                    &json.contract_version,
                    text("contract_version"),
                )
            }),
        ),
        Check::from_problem(
            "package",
            "both manifests name the same connector",
            (text("connector") != Some(json.connector.as_str()))
                .then(|| mismatch("connector", &json.connector, text("connector"))),
        ),
        Check::from_problem(
            "package",
            "both manifests name the same connector type",
            (text("connector_type") != Some(json.connector_type.as_str())).then(|| {
                mismatch(
                    "connector_type",
                    &json.connector_type,
                    text("connector_type"),
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
    let expected_import = crate::names::import_package(&json.connector);
    let init = format!("src/{}/__init__.py", json.import_package);
    checks.push(Check::from_problem(
        "package",
        format!("import package {init} exists"),
        if json.import_package != expected_import {
            Some(format!(
                "import_package is `{}`, expected `{expected_import}`",
                json.import_package
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
