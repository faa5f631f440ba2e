//! The native-transfer certification report and its two renderings: the JSON the reference
//! prints (`json.dumps(indent=2, sort_keys=True)`, schema
//! `dpone.connector_capability_certification.v1`) and a markdown page for people.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::text::json::python_json_string as json_string;
use crate::text::markdown::cell;

/// The report's schema identifier.
pub const SCHEMA_VERSION: &str = "dpone.connector_capability_certification.v1";

/// Outcome of a case, a capability or the whole report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NativeStatus {
    /// Proven.
    Certified,
    /// Planned but without evidence.
    Unverified,
    /// Cannot be certified as declared.
    Blocked,
}

impl NativeStatus {
    /// The reference's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            NativeStatus::Certified => "certified",
            NativeStatus::Unverified => "unverified",
            NativeStatus::Blocked => "blocked",
        }
    }

    /// The report status for a set of statuses: blocked wins, then unverified.
    pub fn overall(statuses: impl IntoIterator<Item = NativeStatus>) -> NativeStatus {
        statuses
            .into_iter()
            .max()
            .unwrap_or(NativeStatus::Certified)
    }
}

/// One conformance case of a capability.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaseResult {
    /// Case name, e.g. `stream_success`.
    pub name: String,
    /// Its status.
    pub status: NativeStatus,
    /// Why it failed, when it did.
    pub failure_code: Option<String>,
}

/// The result for one requested capability.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NativeCapabilityResult {
    /// The requested name.
    pub name: String,
    /// Its status.
    pub status: NativeStatus,
    /// The planned cases (none when blocked).
    pub cases: Vec<CaseResult>,
    /// Why it is not certified.
    pub blockers: Vec<String>,
}

/// A native-transfer capability certification report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NativeReport {
    /// `str(connector or "unknown")` from the manifest.
    pub connector: String,
    /// `str(connector_type or "unknown")` from the manifest.
    pub connector_type: String,
    /// The certification profile.
    pub profile: String,
    /// The overall status.
    pub status: NativeStatus,
    /// One result per distinct requested capability, in request order.
    pub capabilities: IndexMap<String, NativeCapabilityResult>,
    /// Every capability's blockers, in order.
    pub blockers: Vec<String>,
}

impl NativeReport {
    /// Whether the connector is certified for everything requested.
    pub fn passed(&self) -> bool {
        self.status == NativeStatus::Certified
    }

    /// The JSON report, byte for byte as the reference prints it (with a trailing newline).
    pub fn to_json(&self) -> String {
        let capabilities = self
            .capabilities
            .iter()
            .map(|(name, result)| {
                let cases = result
                    .cases
                    .iter()
                    .map(|case| {
                        Json::Object(vec![
                            ("name", Json::str(&case.name)),
                            ("status", Json::str(case.status.as_str())),
                            (
                                "failure_code",
                                case.failure_code.as_deref().map_or(Json::Null, Json::str),
                            ),
                        ])
                    })
                    .collect();
                let body = Json::Object(vec![
                    ("name", Json::str(&result.name)),
                    ("status", Json::str(result.status.as_str())),
                    ("cases", Json::Array(cases)),
                    ("blockers", strings(&result.blockers)),
                ]);
                (name.as_str(), body)
            })
            .collect();
        let root = Json::Object(vec![
            ("schema_version", Json::str(SCHEMA_VERSION)),
            ("passed", Json::Bool(self.passed())),
            ("connector", Json::str(&self.connector)),
            ("connector_type", Json::str(&self.connector_type)),
            ("profile", Json::str(&self.profile)),
            ("status", Json::str(self.status.as_str())),
            ("blockers", strings(&self.blockers)),
            ("capabilities", Json::Object(capabilities)),
        ]);
        let mut out = String::new();
        root.write(&mut out, 0);
        out.push('\n');
        out
    }

    /// The markdown page `certify --capability` prints for people: the verdict and what
    /// blocks it first, then every case in a table. (The published artifact is
    /// [`to_reference_markdown`](Self::to_reference_markdown).)
    pub fn to_markdown_page(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Native-transfer certification: {}\n",
            code(&self.connector)
        );
        let verdict = if self.passed() {
            "certified".to_owned()
        } else {
            format!("not certified ({})", self.status.as_str())
        };
        let _ = writeln!(
            out,
            "**Verdict: {verdict}.** Connector type {}, profile {}.\n",
            code(&self.connector_type),
            code(&self.profile)
        );
        let _ = writeln!(out, "{} {}\n", self.tally(), self.next_step());
        if self.blockers.is_empty() {
            let _ = writeln!(out, "Nothing blocks certification.\n");
        } else {
            let _ = writeln!(out, "## What blocks certification\n");
            for result in self.capabilities.values() {
                for blocker in &result.blockers {
                    let _ = writeln!(out, "- {}: {}", code(&result.name), code(blocker));
                }
            }
            out.push('\n');
        }
        let _ = writeln!(out, "## Cases\n");
        let _ = writeln!(out, "| capability | case | status | failure code |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for result in self.capabilities.values() {
            if result.cases.is_empty() {
                let _ = writeln!(
                    out,
                    "| {} | (none planned) | {} | - |",
                    cell(&code(&result.name)),
                    result.status.as_str()
                );
            }
            for case in &result.cases {
                let failure = case
                    .failure_code
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |f| cell(&code(f)));
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {failure} |",
                    cell(&code(&result.name)),
                    cell(&code(&case.name)),
                    case.status.as_str()
                );
            }
        }
        out
    }

    /// The reference's markdown layout, a compact list: what the Python API's
    /// `TransportEvidenceRenderer.render_markdown` returns and what the published
    /// `connector-capability-certification.md` holds (from the CLI and the Python API alike),
    /// so a tool that reads the reference's artifact reads ours. The CLI prints
    /// [`to_markdown_page`](Self::to_markdown_page) on stdout instead.
    pub fn to_reference_markdown(&self) -> String {
        let mut lines = vec![
            "# dpone connector capability certification".to_owned(),
            String::new(),
            format!("- connector: `{}`", self.connector),
            format!("- connector_type: `{}`", self.connector_type),
            format!("- profile: `{}`", self.profile),
            format!("- status: `{}`", self.status.as_str()),
        ];
        if !self.blockers.is_empty() {
            lines.extend(["".to_owned(), "## Blockers".to_owned(), String::new()]);
            lines.extend(self.blockers.iter().map(|b| format!("- `{b}`")));
        }
        lines.extend(["".to_owned(), "## Capabilities".to_owned(), String::new()]);
        for (name, result) in &self.capabilities {
            lines.push(format!("- `{name}`: `{}`", result.status.as_str()));
            for case in &result.cases {
                lines.push(format!("  - `{}`: `{}`", case.name, case.status.as_str()));
            }
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// What a person does next, by status.
    fn next_step(&self) -> &'static str {
        match self.status {
            NativeStatus::Certified => "Nothing is left to prove.",
            NativeStatus::Unverified => {
                "The declarations are complete; the planned cases still need evidence."
            }
            NativeStatus::Blocked => {
                "Fix the blockers below in the manifest (or the request), then run it again."
            }
        }
    }

    /// "2 capabilities requested: 1 unverified, 1 blocked."
    fn tally(&self) -> String {
        let n = self.capabilities.len();
        if n == 0 {
            return "No capability was certified.".to_owned();
        }
        let counts: Vec<String> = [
            NativeStatus::Certified,
            NativeStatus::Unverified,
            NativeStatus::Blocked,
        ]
        .into_iter()
        .filter_map(|status| {
            let count = self
                .capabilities
                .values()
                .filter(|r| r.status == status)
                .count();
            (count > 0).then(|| format!("{count} {}", status.as_str()))
        })
        .collect();
        let noun = if n == 1 { "capability" } else { "capabilities" };
        format!("{n} {noun} requested: {}.", counts.join(", "))
    }
}

fn strings(items: &[String]) -> Json<'_> {
    Json::Array(items.iter().map(Json::str).collect())
}

/// Inline code that survives backticks and line breaks in the text.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let fence = if text.contains('`') { "``" } else { "`" };
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Just enough JSON to print the report as Python's `json.dumps(indent=2, sort_keys=True)`.
enum Json<'a> {
    Null,
    Bool(bool),
    Str(&'a str),
    Array(Vec<Json<'a>>),
    Object(Vec<(&'a str, Json<'a>)>),
}

impl<'a> Json<'a> {
    fn str(text: &'a (impl AsRef<str> + ?Sized)) -> Json<'a> {
        Json::Str(text.as_ref())
    }

    fn write(&self, out: &mut String, depth: usize) {
        let indent = |out: &mut String, depth: usize| {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Str(s) => out.push_str(&json_string(s)),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                indent(out, depth);
                out.push(']');
            }
            Json::Object(fields) => {
                let mut sorted: Vec<&(&str, Json)> = fields.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    out.push_str(&json_string(key));
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                indent(out, depth);
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> NativeReport {
        let mut capabilities = IndexMap::new();
        capabilities.insert(
            "native_transfer.stream".to_owned(),
            NativeCapabilityResult {
                name: "native_transfer.stream".to_owned(),
                status: NativeStatus::Unverified,
                cases: vec![CaseResult {
                    name: "manifest_schema".to_owned(),
                    status: NativeStatus::Unverified,
                    failure_code: None,
                }],
                blockers: vec!["static_profile_is_plan_only".to_owned()],
            },
        );
        capabilities.insert(
            "source".to_owned(),
            NativeCapabilityResult {
                name: "source".to_owned(),
                status: NativeStatus::Blocked,
                cases: vec![],
                blockers: vec!["unsupported_capability:source".to_owned()],
            },
        );
        NativeReport {
            connector: "démo".to_owned(),
            connector_type: "api".to_owned(),
            profile: "static".to_owned(),
            status: NativeStatus::Blocked,
            capabilities,
            blockers: vec![
                "static_profile_is_plan_only".to_owned(),
                "unsupported_capability:source".to_owned(),
            ],
        }
    }

    #[test]
    fn the_summary_is_the_reference_markdown_list() {
        // What the reference's TransportEvidenceRenderer.render_markdown prints for this report.
        let expected = "# dpone connector capability certification\n\n- connector: `démo`\n- connector_type: `api`\n- profile: `static`\n- status: `blocked`\n\n## Blockers\n\n- `static_profile_is_plan_only`\n- `unsupported_capability:source`\n\n## Capabilities\n\n- `native_transfer.stream`: `unverified`\n  - `manifest_schema`: `unverified`\n- `source`: `blocked`\n";
        assert_eq!(sample().to_reference_markdown(), expected);
        let mut clean = sample();
        clean.blockers.clear();
        assert!(!clean.to_reference_markdown().contains("## Blockers"));
    }

    #[test]
    fn a_report_reads_back_from_its_json() {
        let report = sample();
        let back: NativeReport = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn json_matches_python_json_dumps() {
        let expected = r#"{
  "blockers": [
    "static_profile_is_plan_only",
    "unsupported_capability:source"
  ],
  "capabilities": {
    "native_transfer.stream": {
      "blockers": [
        "static_profile_is_plan_only"
      ],
      "cases": [
        {
          "failure_code": null,
          "name": "manifest_schema",
          "status": "unverified"
        }
      ],
      "name": "native_transfer.stream",
      "status": "unverified"
    },
    "source": {
      "blockers": [
        "unsupported_capability:source"
      ],
      "cases": [],
      "name": "source",
      "status": "blocked"
    }
  },
  "connector": "d\u00e9mo",
  "connector_type": "api",
  "passed": false,
  "profile": "static",
  "schema_version": "dpone.connector_capability_certification.v1",
  "status": "blocked"
}
"#;
        assert_eq!(sample().to_json(), expected);
    }

    #[test]
    fn markdown_puts_the_verdict_before_the_case_table() {
        let md = sample().to_markdown_page();
        let verdict = md.find("**Verdict: not certified (blocked).**");
        let blockers = md.find("## What blocks certification");
        let table = md.find("| capability | case | status | failure code |");
        assert!(
            verdict.is_some() && blockers.is_some() && table.is_some(),
            "{md}"
        );
        assert!(verdict < blockers && blockers < table);
        assert!(md.contains("2 capabilities requested: 1 unverified, 1 blocked. Fix the blockers"));
        assert!(md.contains("| `native_transfer.stream` | `manifest_schema` | unverified | - |"));
        assert!(md.contains("| `source` | (none planned) | blocked | - |"));
    }

    #[test]
    fn markdown_survives_backticks_and_pipes() {
        let mut report = sample();
        report.connector = "a`b|c".to_owned();
        report.capabilities[1].name = "x|y".to_owned();
        let md = report.to_markdown_page();
        assert!(md.starts_with("# Native-transfer certification: ``a`b|c``\n"));
        assert!(md.contains("| `x\\|y` | (none planned) |"));
    }

    #[test]
    fn overall_status_prefers_blocked_then_unverified() {
        use NativeStatus::*;
        assert_eq!(NativeStatus::overall([Certified, Unverified]), Unverified);
        assert_eq!(
            NativeStatus::overall([Unverified, Blocked, Certified]),
            Blocked
        );
        assert_eq!(NativeStatus::overall([Certified]), Certified);
    }
}
