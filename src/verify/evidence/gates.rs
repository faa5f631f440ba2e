//! Quality gates: what each gate in `certification.yaml`'s `quality_gates` means, checked.
//!
//! | gate | holds when |
//! | --- | --- |
//! | `unit_tests` | the evidence run's whole pytest suite passed (exit status 0) |
//! | `manifest_examples_parse` | every `examples/*.yaml` is a pipeline manifest (`name`, `source.type`, `sink.type`) |
//! | `docs_present` | `README.md` and `docs/<connector>.md` exist and are not empty |
//! | `run_artifacts_present` | the JSON and markdown evidence reports exist |
//! | `secret_redaction` | a test tagged `quality_gates.secret_redaction` passed, and no example holds a literal secret |
//!
//! Every gate the SDK defines must stay enabled: a gate set to `false` (or removed) fails,
//! so certification cannot be obtained by switching a rule off.

use serde_json::Value;

use super::conformance::{example_problem, file_problem, load_yaml};
use super::manifests::Package;
use super::recorded::Evidence;
use crate::contract::QUALITY_GATES;
use crate::model::verdict::{Check, Status};

/// Option names that hold secrets (the same list the generated `connector.py` redacts).
pub const SECRET_MARKERS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "credential",
    "private_key",
];

/// Evaluates every gate: the SDK's, in its order, then any extra the manifest declares.
pub fn evaluate(package: &Package, evidence: &Evidence) -> Vec<Check> {
    let declared = package.certification.get("quality_gates");
    let mut names: Vec<String> = QUALITY_GATES.iter().map(|g| (*g).to_owned()).collect();
    if let Some(map) = declared.and_then(Value::as_object) {
        names.extend(
            map.keys()
                .filter(|g| !QUALITY_GATES.contains(&g.as_str()))
                .cloned(),
        );
    }
    names
        .into_iter()
        .map(|gate| {
            let enabled = declared
                .and_then(|d| d.get(gate.as_str()))
                .and_then(Value::as_bool);
            let (status, reason) = match enabled {
                Some(true) => rule(&gate, package, evidence),
                Some(false) => (
                    Status::Failed,
                    "disabled in certification.yaml; certification requires every gate".to_owned(),
                ),
                None => (
                    Status::Failed,
                    "not declared `true` in certification.yaml quality_gates".to_owned(),
                ),
            };
            Check::new(gate.clone(), gate_rule(&gate), status, reason)
        })
        .collect()
}

fn gate_rule(gate: &str) -> &'static str {
    match gate {
        "unit_tests" => "the evidence run's pytest suite passed",
        "manifest_examples_parse" => "every example is a pipeline manifest",
        "docs_present" => "README.md and the connector docs exist",
        "run_artifacts_present" => "the evidence reports exist",
        "secret_redaction" => "redaction is tested and no example holds a secret",
        _ => "a gate this SDK has no rule for",
    }
}

fn rule(gate: &str, package: &Package, evidence: &Evidence) -> (Status, String) {
    match gate {
        "unit_tests" => unit_tests(evidence),
        "manifest_examples_parse" => examples(package),
        "docs_present" => docs(package),
        "run_artifacts_present" => artifacts(package),
        "secret_redaction" => secret_redaction(package, evidence),
        other => (
            Status::Missing,
            format!("this SDK has no rule for the gate `{other}`, so it cannot be verified"),
        ),
    }
}

fn unusable(evidence: &Evidence) -> (Status, String) {
    (
        Status::Missing,
        format!("no usable evidence ({})", evidence.status.as_str()),
    )
}

fn unit_tests(evidence: &Evidence) -> (Status, String) {
    let Some(report) = &evidence.report else {
        return unusable(evidence);
    };
    match report.pytest_exit_code {
        0 => (Status::Passed, String::new()),
        1 => (Status::Failed, "pytest reported failing tests".to_owned()),
        // pytest's exit codes: 2 interrupted (e.g. collection errors), 3 internal error,
        // 4 usage error, 5 no tests collected.
        2 => (
            Status::Failed,
            "pytest was interrupted (collection error?)".to_owned(),
        ),
        5 => (Status::Failed, "pytest collected no tests".to_owned()),
        code => (Status::Failed, format!("pytest exited with status {code}")),
    }
}

fn example_files(package: &Package) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(package.root.join("examples")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .map(|n| format!("examples/{n}"))
        .collect();
    names.sort();
    names
}

fn examples(package: &Package) -> (Status, String) {
    let files = example_files(package);
    let problems: Vec<String> = files
        .iter()
        .filter_map(|f| example_problem(&package.root.join(f), f))
        .collect();
    match (problems.is_empty(), files.len()) {
        (false, _) => (Status::Failed, problems.join("; ")),
        (true, 0) => (
            Status::Passed,
            "no examples (none is generated for this package)".to_owned(),
        ),
        (true, n) => (Status::Passed, format!("{n} example(s)")),
    }
}

fn docs(package: &Package) -> (Status, String) {
    let docs = format!("docs/{}.md", package.connector_manifest.connector);
    let problems: Vec<String> = ["README.md".to_owned(), docs]
        .iter()
        .filter_map(|f| file_problem(&package.root.join(f), f))
        .collect();
    if problems.is_empty() {
        (Status::Passed, String::new())
    } else {
        (Status::Failed, problems.join("; "))
    }
}

fn artifacts(package: &Package) -> (Status, String) {
    let paths = match &package.evidence_paths {
        Ok(paths) => paths,
        Err(reason) => return (Status::Failed, reason.clone()),
    };
    let absent: Vec<&str> = [paths.json.as_str(), paths.markdown.as_str()]
        .into_iter()
        .filter(|p| file_problem(&package.root.join(p), p).is_some())
        .collect();
    if absent.is_empty() {
        (Status::Passed, String::new())
    } else {
        // Absent evidence is not proof of anything wrong: the run has not happened yet.
        (
            Status::Missing,
            format!(
                "{} not found; run `python certification/run_certification.py`",
                absent.join(" and ")
            ),
        )
    }
}

fn secret_redaction(package: &Package, evidence: &Evidence) -> (Status, String) {
    let mut leaks = Vec::new();
    for file in example_files(package) {
        if let Ok(value) = load_yaml(&package.root.join(&file)).as_ref() {
            let mut found = Vec::new();
            literal_secrets(value, "", &mut found);
            leaks.extend(found.into_iter().map(|key| format!("{file}: {key}")));
        }
    }
    if !leaks.is_empty() {
        return (
            Status::Failed,
            format!("literal secret values in examples: {}", leaks.join(", ")),
        );
    }
    let Some(report) = &evidence.report else {
        return unusable(evidence);
    };
    match report.quality_gates.get("secret_redaction") {
        None => (
            Status::Missing,
            "no test is tagged `certification(\"quality_gates.secret_redaction\")`".to_owned(),
        ),
        Some(tested) if tested.status == Status::Passed => (Status::Passed, String::new()),
        Some(tested) => (tested.status, tested.reason.clone()),
    }
}

fn is_secret(key: &str) -> bool {
    let lowered = key.to_lowercase();
    SECRET_MARKERS.iter().any(|m| lowered.contains(m))
}

/// Whether a value is a reference to a secret kept elsewhere (`${VAR}`), not the secret.
fn is_reference(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || (text.starts_with("${") && text.ends_with('}'))
}

/// Collects `path.to.key` for every secret-named key holding a literal value.
fn literal_secrets(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if at.is_empty() {
                    key.to_owned()
                } else {
                    format!("{at}.{key}")
                };
                let literal = match child {
                    Value::String(s) => !is_reference(s),
                    Value::Number(_) | Value::Bool(_) => true,
                    _ => false,
                };
                if is_secret(key) && literal {
                    out.push(path);
                } else {
                    literal_secrets(child, &path, out);
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, item)| literal_secrets(item, &format!("{at}[{i}]"), out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::recorded::EvidenceStatus;
    use super::*;

    fn secrets_in(yaml: &str) -> Vec<String> {
        let mut out = Vec::new();
        literal_secrets(
            &crate::yaml::to_json::load_json(yaml).unwrap(),
            "",
            &mut out,
        );
        out
    }

    #[test]
    fn literal_secrets_are_found_and_references_are_not() {
        let yaml = "source:\n  options:\n    api_key: k-123\n    password: ${PG_PASSWORD}\n    region: eu\n    auth:\n      Token: 42\n";
        assert_eq!(
            secrets_in(yaml),
            ["source.options.api_key", "source.options.auth.Token"]
        );
        assert!(secrets_in("sink:\n  connection_id: x\n  secret_ref: ''\n").is_empty());
    }

    #[test]
    fn pytest_exit_codes_map_to_gate_results() {
        let evidence = |code| Evidence {
            status: EvidenceStatus::Current,
            path: String::new(),
            message: String::new(),
            report: Some(super::super::recorded::EvidenceReport {
                schema_version: String::new(),
                connector: String::new(),
                certification_manifest_sha256: String::new(),
                pytest_exit_code: code,
                sources: Default::default(),
                capabilities: Default::default(),
                quality_gates: Default::default(),
                unknown_markers: Vec::new(),
                performance: None,
            }),
        };
        assert_eq!(unit_tests(&evidence(0)).0, Status::Passed);
        assert_eq!(unit_tests(&evidence(1)).0, Status::Failed);
        assert!(unit_tests(&evidence(2)).1.contains("interrupted"));
        let none = Evidence {
            report: None,
            status: EvidenceStatus::Stale,
            ..evidence(0)
        };
        assert_eq!(
            unit_tests(&none),
            (Status::Missing, "no usable evidence (stale)".to_owned())
        );
    }
}
