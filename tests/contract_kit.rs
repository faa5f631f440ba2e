//! The contract kit: every registered capability, with no line written for it, is held to
//! the whole contract. `build.rs` gives each module in `capabilities/` its own case, so a
//! new module is checked the moment it is dropped in, and a broken rule fails naming the
//! module and the rule.
//!
//! For each capability, one package holding it alone (a native one beside the default
//! source) is generated and shared by every rule:
//! - its own pytest suite passes, with a placeholder skipped for each required test a fresh
//!   package cannot prove; `ruff check`, `ruff format --check` and `mypy --strict` are clean;
//! - `certify` passes every structure check, and checks something of this capability;
//! - it holds no file and no text of a capability it did not request;
//! - `add-capability` brings it into a package of every other runtime capability, and the
//!   result is a fresh scaffold of both;
//! - `check` finds no drift; `list --matrix` has a row for each of its required tests;
//! - `capabilities`, `scaffold --help` and the bash completions offer it;
//! - the names its test fragment defines carry its name, so fragments never collide.
//!
//! One more package holds every capability at once: no two fragments define one name or add
//! one heading, and its suite, ruff and mypy run once
//! (`every_capability_at_once_is_one_clean_package`). The Python API's `capabilities()` is
//! compared with the command line's in `python/tests/test_packages.py`.
//!
//! Needs python3 with pytest, PyYAML, ruff and mypy (`.ci/run` installs them); without them
//! the Python rules say so and are skipped, except under CI, where they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use dpone_connector_sdk::contract::example_peer;
use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::{registry, scaffold, Capability, CapabilityKind, ScaffoldRequest};
use serde_json::Value;
use tempfile::TempDir;

mod common;

/// The rules one capability broke, each with what was seen.
#[derive(Default)]
struct Broken(Vec<String>);

impl Broken {
    fn check(&mut self, rule: &str, holds: bool, detail: impl FnOnce() -> String) {
        if !holds {
            self.0.push(format!("- {rule}: {}", detail()));
        }
    }

    fn assert_none(self, subject: &str) {
        assert!(
            self.0.is_empty(),
            "{subject} breaks the contract kit:\n{}",
            self.0.join("\n")
        );
    }
}

fn kind_flag(capability: &dyn Capability) -> &'static str {
    match capability.kind() {
        CapabilityKind::Runtime => "--capability",
        CapabilityKind::NativeTransfer => "--native-capability",
    }
}

fn request(name: &str, runtime: &[&str], natives: &[&str]) -> ScaffoldRequest {
    let mut request = ScaffoldRequest::new(name).connector_type("database");
    request.capabilities = runtime.iter().map(|s| s.to_string()).collect();
    request.native_capabilities = natives.iter().map(|s| s.to_string()).collect();
    request
}

/// The request for `capability` on its own (a native one gets the default runtime one).
fn alone(name: &str, capability: &dyn Capability) -> ScaffoldRequest {
    match capability.kind() {
        CapabilityKind::Runtime => request(name, &[capability.name()], &[]),
        CapabilityKind::NativeTransfer => request(name, &[], &[capability.name()]),
    }
}

fn generate(root: &Path, request: ScaffoldRequest) -> PathBuf {
    let write = WriteOptions {
        durable: false,
        ..WriteOptions::default()
    };
    PathBuf::from(scaffold(&request.root(root), &write).unwrap().sdk_root)
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn json(args: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = common::run(args);
    let value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, value, format!("{stdout}{stderr}"))
}

/// Whether python3 has every tool the Python rules need; fails under CI when it does not.
fn python_tools() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let works = Command::new("python3")
            .args(["-c", "import pytest, yaml, ruff, mypy"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !works {
            common::cannot_run(
                common::Missing::Tools,
                "python3 lacks pytest, PyYAML, ruff or mypy (.ci/run installs them); \
                 generated packages are not run or linted",
            );
        }
        works
    })
}

fn python(package: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new("python3")
        .args(args)
        .current_dir(package)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONPATH")
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// The placeholders a fresh package of these runtime capabilities skips, each as the skip
/// reason it gives (what its test must prove): every required test the scaffold does not
/// prove, then the benchmark every package is asked for.
fn pending(runtime: &[&'static dyn Capability]) -> Vec<String> {
    let mut out: Vec<String> = runtime
        .iter()
        .flat_map(|c| {
            c.required_tests()
                .iter()
                .filter(|t| !c.proven_by_scaffold().contains(&t.test))
                .map(|t| format!("{}.{}: not written yet. {}", c.name(), t.test, t.proves))
        })
        .collect();
    out.push(format!(
        "performance.benchmark: not written yet. {}",
        dpone_connector_sdk::contract::BENCHMARK_PROVES
    ));
    out
}

/// pytest, ruff check, ruff format --check and mypy --strict on one package: each once.
fn python_rules(broken: &mut Broken, package: &Path, runtime: &[&'static dyn Capability]) {
    if !python_tools() {
        return;
    }
    let (ok, out) = python(package, &["-m", "pytest", "-q", "-p", "no:cacheprovider"]);
    broken.check("its package's own pytest suite passes", ok, || out.clone());
    let summary = out
        .lines()
        .rev()
        .find(|l| l.contains(" passed"))
        .unwrap_or("");
    let pending = pending(runtime);
    let skipped = format!("{} skipped", pending.len());
    broken.check(
        "its package skips one placeholder per required test a fresh package cannot prove, and the benchmark's",
        summary.contains(&skipped),
        || format!("expected {skipped} in {summary:?}"),
    );
    // pytest's `-ra` summary (the package's own addopts) prints every skip reason.
    for reason in &pending {
        broken.check(
            "each placeholder is skipped with what its test must prove",
            out.contains(reason.as_str()),
            || format!("no skip gives {reason:?}"),
        );
    }
    let (ok, out) = python(package, &["-m", "ruff", "check", "--no-cache", "."]);
    broken.check("ruff check is clean", ok, || out);
    let (ok, out) = python(
        package,
        &["-m", "ruff", "format", "--check", "--no-cache", "."],
    );
    broken.check("ruff format --check is clean", ok, || out);
    // One mypy cache for every package: the standard library is analysed once. mypy's cache
    // takes one writer at a time (two at once end in an INTERNAL ERROR), and the kit's cases
    // run on parallel test threads, so they take turns.
    static ONE_MYPY_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_MYPY_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("contract-kit-mypy-cache");
    let cache = cache.to_str().unwrap();
    let (ok, out) = python(
        package,
        &[
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            cache,
            "src",
            "tests",
            "certification",
        ],
    );
    broken.check("mypy --strict is clean", ok, || out);
}

/// The paths `capability`'s file templates render to in a package of `connector`.
fn rendered_files(
    capability: &dyn Capability,
    import_package: &str,
    connector: &str,
) -> Vec<String> {
    capability
        .files()
        .iter()
        .map(|f| {
            f.path
                .replace("{{import_package}}", import_package)
                .replace("{{connector}}", connector)
                .replace("{{peer}}", example_peer(connector))
        })
        .collect()
}

/// The top-level names (`def`, `class`, assignments) a Python fragment defines.
fn defined_names(fragment: &str) -> Vec<String> {
    fragment
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("def ")
                .or_else(|| line.strip_prefix("class "))
                .or_else(|| line.strip_prefix("async def "));
            let name: String = match rest {
                Some(rest) => rest,
                None if line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && line.contains(" = ") =>
                {
                    line.split([' ', ':']).next().unwrap_or("")
                }
                None => return None,
            }
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// `AuditStore` carries `audit`, `test_table_export_x` carries `table_export`.
fn carries(name: &str, capability: &str) -> bool {
    let squash = |s: &str| s.replace('_', "").to_lowercase();
    squash(name).contains(&squash(capability))
}

fn contract(module: &str) {
    let capability = registry().unwrap().get(module).unwrap_or_else(|| {
        panic!("capabilities/{module}.rs registers no capability named {module}")
    });
    contract_of(capability, registry().unwrap(), None);
}

/// Holds `capability` of `registry` to the contract. For a capability pack, `pack` is the
/// directory holding it (given to every command the kit runs as `--capability-path`) and a
/// scratch cache directory (so `add-capability` keeps the pack there, not in the user's).
fn contract_of(
    capability: &'static dyn Capability,
    registry: &'static dpone_connector_sdk::Registry,
    pack: Option<(&Path, &Path)>,
) {
    let module = capability.name();
    let run = |args: &[&str]| match pack {
        None => common::run(args),
        Some((dir, cache)) => common::outcome(
            assert_cmd::Command::cargo_bin("dpone-connectors")
                .unwrap()
                .args(args)
                .arg("--capability-path")
                .arg(dir)
                .env("DPONE_CONNECTORS_CACHE_DIR", cache)
                .output()
                .unwrap(),
        ),
    };
    let json = |args: &[&str]| {
        let (code, stdout, stderr) = run(args);
        let value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (code, value, format!("{stdout}{stderr}"))
    };
    let mut broken = Broken::default();
    let flag = kind_flag(capability);
    let root = TempDir::new().unwrap();
    let connector = format!("kit {module}");
    let package = generate(root.path(), alone(&connector, capability));
    let package_arg = package.to_str().unwrap();
    let manifest: Value =
        serde_json::from_slice(&fs::read(package.join("dpone_connector_manifest.json")).unwrap())
            .unwrap();
    let declared: BTreeSet<String> = common::strings(&manifest["capabilities"])
        .into_iter()
        .chain(common::strings(&manifest["native_capabilities"]))
        .collect();
    let runtime: Vec<&'static dyn Capability> = registry
        .of_kind(CapabilityKind::Runtime)
        .filter(|c| declared.contains(c.name()))
        .collect();
    let connector_name = manifest["connector"].as_str().unwrap().to_owned();
    let import_package = format!("dpone_connector_{connector_name}");

    python_rules(&mut broken, &package, &runtime);

    // certify: every structure check passes, and some are this capability's.
    let (_, report, out) = json(&["certify", package_arg, "--format", "json"]);
    let checks = report["conformance"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let failing: Vec<&Value> = checks.iter().filter(|c| c["status"] != "passed").collect();
    broken.check(
        "certify passes every structure check of its package",
        !checks.is_empty() && failing.is_empty(),
        || format!("{failing:?}\n{out}"),
    );
    broken.check(
        "certify checks its structure",
        checks.iter().any(|c| c["subject"] == module),
        || format!("no conformance check has subject {module}"),
    );

    // Nothing of a capability it did not request.
    let files = tree(&package);
    for other in registry.all() {
        if declared.contains(other.name()) {
            continue;
        }
        for path in rendered_files(*other, &import_package, &connector_name) {
            broken.check(
                "a package never receives the files of a capability it did not request",
                !files.contains_key(Path::new(&path)),
                || {
                    format!(
                        "{path} (of {}) is in a package of {declared:?}",
                        other.name()
                    )
                },
            );
        }
        let fragments = other.fragments();
        for fragment in [fragments.readme, fragments.docs] {
            if let Some(heading) = fragment.lines().find(|l| l.starts_with('#')) {
                let heading = heading.replace("{{import_package}}", &import_package);
                let heading = heading.replace("{{connector}}", &connector_name);
                broken.check(
                    "a package never receives the text of a capability it did not request",
                    !files
                        .values()
                        .any(|bytes| String::from_utf8_lossy(bytes).contains(&heading)),
                    || {
                        format!(
                            "`{heading}` (of {}) is in a package of {declared:?}",
                            other.name()
                        )
                    },
                );
            }
        }
    }

    // check: a fresh package has no drift.
    let (code, report, out) = json(&["check", package_arg, "--format", "json"]);
    broken.check(
        "check finds no drift in a fresh package",
        code == 0 && report["findings"] == Value::Array(vec![]),
        || out,
    );

    // list --matrix: a row for each required test.
    let (_, listing, out) = json(&[
        "list",
        root.path().to_str().unwrap(),
        "--matrix",
        "--format",
        "json",
    ]);
    let rows: Vec<&str> = listing["matrix"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter(|r| r["capability"] == module)
                .filter_map(|r| r["test"].as_str())
                .collect()
        })
        .unwrap_or_default();
    broken.check(
        "list --matrix has a row for each of its required tests",
        rows == dpone_connector_sdk::model::capability::test_names(capability.required_tests()),
        || {
            format!(
                "rows {rows:?}, required {:?}\n{out}",
                capability.required_tests()
            )
        },
    );

    // add-capability from every other runtime capability equals a fresh scaffold of both.
    for other in registry.of_kind(CapabilityKind::Runtime) {
        if other.name() == module {
            continue;
        }
        let scratch = TempDir::new().unwrap();
        let before = generate(
            &scratch.path().join("evolved"),
            request("kit", &[other.name()], &[]),
        );
        let (code, result, out) = json(&[
            "add-capability",
            before.to_str().unwrap(),
            flag,
            module,
            "--format",
            "json",
        ]);
        let rule = "add-capability brings it into a package of every other runtime capability";
        broken.check(rule, code == 0, || format!("from {}: {out}", other.name()));
        broken.check(
            rule,
            common::strings(&result["conflicts"]).is_empty(),
            || format!("from {}: conflicts {out}", other.name()),
        );
        let combined = match capability.kind() {
            CapabilityKind::Runtime => request("kit", &[other.name(), module], &[]),
            CapabilityKind::NativeTransfer => request("kit", &[other.name()], &[module]),
        };
        let fresh = generate(&scratch.path().join("fresh"), combined);
        let (evolved, expected) = (tree(&before), tree(&fresh));
        let differing: Vec<&PathBuf> = evolved
            .keys()
            .chain(expected.keys())
            .filter(|p| evolved.get(*p) != expected.get(*p))
            .collect();
        broken.check(
            "add-capability gives what a fresh scaffold of both capabilities gives",
            differing.is_empty(),
            || format!("from {}: {differing:?} differ", other.name()),
        );
    }

    // Offered by the command line.
    let (_, listing, out) = json(&["capabilities", "--format", "json"]);
    let listed = listing["capabilities"].as_array().is_some_and(|all| {
        all.iter()
            .any(|c| c["name"] == module && c["kind"] == capability.kind().as_str())
    });
    broken.check("`capabilities` lists it with its kind", listed, || out);
    let (_, help, _) = run(&["scaffold", "--help"]);
    broken.check("`scaffold --help` offers it", help.contains(module), || {
        help.clone()
    });
    let (_, bash, _) = run(&["completions", "bash"]);
    broken.check(
        "the bash completions offer it",
        bash.contains(module),
        || "absent from `completions bash`".to_owned(),
    );

    // Its test fragment's names carry its name, so no two fragments collide.
    let fragments = capability.fragments();
    // As rendered: a name may spell the capability as `{{capability}}` (packs do).
    for name in defined_names(&fragments.tests.replace("{{capability}}", module)) {
        broken.check(
            "every name its test fragment defines carries the capability's name",
            carries(&name, module),
            || format!("`{name}`"),
        );
    }

    broken.assert_none(&match capability.origin() {
        Some(pack) => format!("capability pack {}", pack.dir.display()),
        None => format!("capabilities/{module}.rs"),
    });
}

include!(concat!(env!("OUT_DIR"), "/capability_cases.rs"));
for_each_capability_module!(each_capability_holds_the_contract => contract);

/// Every capability in one package: their fragments share the README, the docs and the test
/// module without colliding, and the package is as clean as each one alone.
#[test]
fn every_capability_at_once_is_one_clean_package() {
    let registry = registry().unwrap();
    let runtime = registry.names(CapabilityKind::Runtime);
    let natives = registry.names(CapabilityKind::NativeTransfer);
    let root = TempDir::new().unwrap();
    let package = generate(root.path(), request("kit everything", &runtime, &natives));
    let mut broken = Broken::default();
    let contract_tests = package.join("tests/test_kit_everything_contract.py");
    let text = fs::read_to_string(&contract_tests).unwrap();
    let mut seen = BTreeSet::new();
    for name in defined_names(&text) {
        let fresh = seen.insert(name.clone());
        broken.check("no two fragments define one name", fresh, || {
            format!("`{name}` is defined twice in {}", contract_tests.display())
        });
    }
    // Each fragment's README and docs headings are its own: no two sections share a title.
    for shared in ["README.md", "docs/kit_everything.md"] {
        let text = fs::read_to_string(package.join(shared)).unwrap();
        let mut headings = BTreeSet::new();
        for heading in text.lines().filter(|l| l.starts_with('#')) {
            let fresh = headings.insert(heading);
            broken.check("no two fragments add one heading", fresh, || {
                format!("`{heading}` appears twice in {shared}")
            });
        }
    }
    let all: Vec<&'static dyn Capability> = registry.of_kind(CapabilityKind::Runtime).collect();
    python_rules(&mut broken, &package, &all);
    let (_, report, out) = json(&["certify", package.to_str().unwrap(), "--format", "json"]);
    let checks = report["conformance"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    broken.check(
        "certify passes every structure check",
        !checks.is_empty() && checks.iter().all(|c| c["status"] == "passed"),
        || out,
    );
    broken.assert_none("a package of every capability at once");
}

#[test]
fn the_kit_reads_fragment_names_and_their_owner() {
    let names = defined_names(
        "\n\nclass AuditStore:\n    x = 1\n\n\ndef test_audit_ok() -> None:\n    pass\n\nAUDIT_ROWS = [1]\nFOO: int = 2\n",
    );
    assert_eq!(names, ["AuditStore", "test_audit_ok", "AUDIT_ROWS", "FOO"]);
    assert!(carries("AuditStore", "audit"));
    assert!(carries("TableExportWriter", "table_export"));
    assert!(carries("test_table_export_x", "table_export"));
    assert!(!carries("DictStore", "state"));
    assert!(carries("StateDictStore", "state"));
}

/// A capability pack is held to the same contract as a built-in: the example pack, loaded
/// from `examples/packs` beside the built-ins, with the command line given the same path.
#[test]
fn the_example_pack_holds_the_contract() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/packs");
    let registry = dpone_connector_sdk::pack::registry_with(std::slice::from_ref(&dir)).unwrap();
    let capability = registry.get("example_pack").expect("example_pack loads");
    assert!(capability.origin().is_some(), "example_pack is a pack");
    let cache = TempDir::new().unwrap();
    dpone_connector_sdk::model::registry::with_registry(registry, || {
        contract_of(capability, registry, Some((&dir, cache.path())))
    });
}
