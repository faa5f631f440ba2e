//! The base of a package made by dpone 0.88.0: rendered by the reference itself, through
//! `dpone.connector_sdk` of the `dpone` installed in the person's Python, in one process for
//! every such package of a run. No template text of the reference is copied here.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::package::ScaffoldRequest;

/// The only reference version whose packages can be adopted.
pub const REFERENCE_VERSION: &str = "0.88.0";

/// The Python program: reads the requests as JSON on stdin, scaffolds each with the
/// reference into a temporary directory and prints every file's text as JSON. It checks
/// the installed distribution's version first (`importlib.metadata`), so another dpone is
/// refused before any of its code runs.
const RENDER: &str = r#"
import json, os, sys, tempfile
# The current directory (a package being updated) must not shadow the installed dpone.
sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
try:
    found = version("dpone")
except PackageNotFoundError:
    print(json.dumps({"error": "dpone is not installed in " + sys.executable}))
    raise SystemExit(0)
if found != sys.argv[1]:
    print(json.dumps({"error": "it has dpone " + found + ", not " + sys.argv[1] + " (" + sys.executable + ")"}))
    raise SystemExit(0)
from dpone.connector_sdk.scaffold import ConnectorSdkScaffoldService
packages = []
with tempfile.TemporaryDirectory() as root:
    for index, request in enumerate(json.load(sys.stdin)):
        result = ConnectorSdkScaffoldService().scaffold(root=Path(root) / str(index), **request)
        sdk_root = Path(result.sdk_root)
        packages.append({
            path.relative_to(sdk_root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(sdk_root.rglob("*")) if path.is_file()
        })
print(json.dumps({"packages": packages}))
"#;

/// One request as the reference's `scaffold()` takes it.
#[derive(Serialize)]
struct ReferenceRequest<'a> {
    name: &'a str,
    connector_type: &'a str,
    capabilities: &'a [String],
    native_capabilities: &'a [String],
    package_prefix: &'a str,
    include_certification: bool,
}

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    packages: Vec<IndexMap<String, String>>,
}

/// Renders each request with the reference in `python`, in one process: every file's text
/// by package-relative path. The error says what is wrong with the environment.
pub fn render(
    python: &Path,
    requests: &[&ScaffoldRequest],
) -> Result<Vec<IndexMap<String, String>>, String> {
    let payload: Vec<ReferenceRequest<'_>> = requests
        .iter()
        .map(|r| ReferenceRequest {
            name: &r.name,
            connector_type: &r.connector_type,
            capabilities: &r.capabilities,
            native_capabilities: &r.native_capabilities,
            package_prefix: &r.package_prefix,
            include_certification: r.include_certification,
        })
        .collect();
    let input = serde_json::to_vec(&payload).map_err(|e| e.to_string())?;
    let mut child = Command::new(python)
        .args(["-c", RENDER, REFERENCE_VERSION])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run {} ({e}); name one with --python",
                python.display()
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A Python that exits early closes the pipe; its output says why.
        let _ = stdin.write_all(&input);
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "{} failed: {}",
            python.display(),
            last.unwrap_or("no error message")
        ));
    }
    let reply: Reply = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("{} printed no usable answer: {e}", python.display()))?;
    if let Some(error) = reply.error {
        return Err(error);
    }
    if reply.packages.len() != requests.len() {
        return Err(format!(
            "{} answered for the wrong packages",
            python.display()
        ));
    }
    Ok(reply.packages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_python_is_a_clear_error() {
        let request = ScaffoldRequest::new("demo");
        let err = render(Path::new("/nonexistent/python3"), &[&request]).unwrap_err();
        assert!(err.contains("cannot run /nonexistent/python3"), "{err}");
        assert!(err.contains("--python"), "{err}");
    }
}
