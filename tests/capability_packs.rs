//! Capability packs: a built-in exported as a pack generates the same package as the
//! built-in; hostile packs are refused with exit 2, naming the pack file, writing nothing;
//! and the whole path a team takes (export, rename, scaffold, check, list, change) works
//! through the real binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dpone_connector_sdk::model::registry::{builtin_registry, with_registry};
use dpone_connector_sdk::pack::{self, export::export};
use dpone_connector_sdk::{plan_package, Capability, CapabilityKind, Registry, ScaffoldRequest};
use tempfile::TempDir;

use common::{cannot_run, outcome, snapshot};

/// The built-in registry with `name` replaced by the pack exported from it.
fn registry_with_export_of(name: &str, packs: &Path) -> &'static Registry {
    let dir = packs.join(name);
    export(name, &dir).unwrap();
    let pack: &'static dyn Capability = pack::load(&dir).unwrap();
    let mut all: Vec<&'static dyn Capability> = builtin_registry()
        .unwrap()
        .all()
        .iter()
        .copied()
        .filter(|c| c.name() != name)
        .collect();
    all.push(pack);
    Box::leak(Box::new(Registry::from_capabilities(all).unwrap()))
}

/// `[[tool.dpone-connectors.pack]]` as a package made with `capability` records it.
fn pack_record(capability: &dyn Capability) -> String {
    let origin = capability.origin().unwrap();
    format!(
        "\n\n[[tool.dpone-connectors.pack]]\nname = \"{}\"\nversion = \"{}\"\ndigest = \"{}\"",
        capability.name(),
        origin.version,
        origin.digest
    )
}

#[test]
fn every_builtin_runtime_capability_exported_as_a_pack_generates_the_same_package() {
    let runtime = builtin_registry().unwrap().names(CapabilityKind::Runtime);
    assert!(runtime.len() >= 3, "{runtime:?}");
    for name in runtime {
        let packs = TempDir::new().unwrap();
        let registry = registry_with_export_of(name, packs.path());
        let pack = registry.get(name).unwrap();
        assert!(pack.origin().is_some(), "{name} is not the pack");
        let requests = [
            ScaffoldRequest::new("Acme Orders").capability(name),
            // Beside every other runtime capability (the registry's, not a list of names).
            builtin_registry()
                .unwrap()
                .names(CapabilityKind::Runtime)
                .into_iter()
                .fold(
                    ScaffoldRequest::new("acme_orders").connector_type("database"),
                    ScaffoldRequest::capability,
                )
                .native_capability("stream_export"),
            ScaffoldRequest::new("plain")
                .capability(name)
                .include_certification(false),
        ];
        for request in requests {
            let builtin = plan_package(&request).unwrap();
            let from_pack = with_registry(registry, || plan_package(&request)).unwrap();
            let paths = |plan: &dpone_connector_sdk::PackagePlan| -> Vec<String> {
                plan.files.iter().map(|f| f.path.clone()).collect()
            };
            assert_eq!(paths(&builtin), paths(&from_pack), "{name}: file list");
            for (a, b) in builtin.files.iter().zip(&from_pack.files) {
                if a.path == "pyproject.toml" {
                    // The one difference: the package records the pack it was made with.
                    let expected_end = format!("{}\n", pack_record(pack));
                    let stripped = b
                        .contents
                        .strip_suffix(&expected_end)
                        .unwrap_or_else(|| panic!("{name}: pyproject records the pack"));
                    assert_eq!(
                        format!("{stripped}\n"),
                        a.contents,
                        "{name}: pyproject.toml"
                    );
                } else {
                    assert_eq!(a.contents, b.contents, "{name}: {} differs", a.path);
                }
            }
        }
    }
}

#[test]
fn the_example_pack_loads_and_generates_its_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/packs");
    let registry = pack::registry_with(&[dir]).unwrap();
    let example = registry
        .get("example_pack")
        .expect("example_pack is on the path");
    assert!(example.origin().is_some());
    assert!(builtin_registry().unwrap().get("example_pack").is_none());
    let plan = with_registry(registry, || {
        plan_package(&ScaffoldRequest::new("demo").capability("example_pack"))
    })
    .unwrap();
    let module = plan
        .files
        .iter()
        .find(|f| f.path == "src/dpone_connector_demo/example_pack.py")
        .expect("the pack's module is generated");
    assert!(!module.contents.contains("{{"), "{}", module.contents);
    let certification = plan
        .files
        .iter()
        .find(|f| f.path == "certification/certification.yaml")
        .unwrap();
    assert!(certification.contents.contains("  example_pack:\n"));
}

/// The binary with a private cache and config, and no capability path from the environment.
fn binary() -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("dpone-connectors"));
    command
        .env_remove(pack::CAPABILITY_PATH_ENV)
        .env_remove("DPONE_CONNECTORS_CONFIG");
    command
}

struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn new() -> Self {
        let scratch = Scratch {
            dir: TempDir::new().unwrap(),
        };
        fs::create_dir_all(scratch.path("config")).unwrap();
        scratch
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs the binary in the scratch directory with its own cache and (empty) config.
    fn run(&self, args: &[&str], env_path: Option<&Path>) -> (i32, String, String) {
        let mut command = binary();
        command
            .current_dir(self.dir.path())
            .env("DPONE_CONNECTORS_CACHE_DIR", self.path("cache"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .args(args);
        if let Some(dir) = env_path {
            command.env(pack::CAPABILITY_PATH_ENV, dir);
        }
        outcome(command.output().unwrap())
    }

    /// `capabilities --export state packs/state`, then the copy a team makes of it:
    /// `team/lookup`, every `state` renamed `lookup`.
    fn lookup_pack(&self) -> PathBuf {
        let (code, _, err) = self.run(&["capabilities", "--export", "state", "packs/state"], None);
        assert_eq!(code, 0, "{err}");
        let lookup = self.path("team/lookup");
        common::copy_tree(&self.path("packs/state"), &lookup);
        fs::rename(
            lookup.join("templates/state.py"),
            lookup.join("templates/lookup.py"),
        )
        .unwrap();
        for entry in snapshot(&lookup).keys() {
            let path = lookup.join(entry);
            if path.is_file() {
                let text = fs::read_to_string(&path).unwrap();
                fs::write(
                    &path,
                    text.replace("state", "lookup").replace("State", "Lookup"),
                )
                .unwrap();
            }
        }
        self.path("team")
    }
}

fn pytest(package: &Path) -> Option<(bool, String)> {
    let output = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(package)
        .env_remove("PYTHONPATH")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) => {
            cannot_run(
                common::Missing::Tools,
                &format!("python3 is not runnable: {err}"),
            );
            return None;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    if text.contains("No module named pytest") {
        cannot_run(
            common::Missing::Tools,
            "pytest is not installed for python3",
        );
        return None;
    }
    Some((output.status.success(), text))
}

#[test]
fn a_team_pack_goes_from_export_to_a_checked_package() {
    let scratch = Scratch::new();
    let team = scratch.lookup_pack();
    let team_arg = team.to_str().unwrap();

    // Listed beside the built-ins, with where it came from.
    let (code, out, err) = scratch.run(&["capabilities", "--capability-path", team_arg], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lookup (--capability lookup)"), "{out}");
    assert!(out.contains("source (--capability source)"), "{out}");
    assert!(out.contains(&format!(
        "origin:         pack {}",
        team.join("lookup").display()
    )));
    assert!(out.contains("origin:         built-in"), "{out}");

    // Scaffolded: its module, its certification section, the pack recorded.
    let (code, _, err) = scratch.run(
        &[
            "scaffold",
            "demo",
            "--capability",
            "lookup",
            "--capability-path",
            team_arg,
            "--root",
            "out",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let package = scratch.path("out/dpone-connector-demo");
    assert!(package.join("src/dpone_connector_demo/lookup.py").is_file());
    let certification =
        fs::read_to_string(package.join("certification/certification.yaml")).unwrap();
    assert!(certification.contains("  lookup:\n"), "{certification}");
    assert!(
        certification.contains("lookup_commit_after_success"),
        "{certification}"
    );
    let pyproject = fs::read_to_string(package.join("pyproject.toml")).unwrap();
    let digest = pack::load(&team.join("lookup"))
        .unwrap()
        .pack()
        .digest
        .clone();
    assert!(
        pyproject.contains(&format!(
            "[[tool.dpone-connectors.pack]]\nname = \"lookup\"\nversion = \"0.1.0\"\ndigest = \"{digest}\"\n"
        )),
        "{pyproject}"
    );
    // Kept in the cache by digest, the base of a later update.
    let kept = scratch
        .path("cache/packs")
        .join(digest.strip_prefix("sha256:").unwrap());
    assert!(kept.join("capability.toml").is_file());
    assert!(kept.join("templates/lookup.py").is_file());

    if let Some((passed, text)) = pytest(&package) {
        assert!(passed, "the package's tests fail:\n{text}");
    }

    // check and list --strict are clean with the pack on the environment's path.
    let (code, out, err) = scratch.run(&["check", "out/dpone-connector-demo"], Some(&team));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no contract drift"), "{out}");
    let (code, out, err) = scratch.run(&["list", "out", "--strict"], Some(&team));
    assert_eq!(code, 0, "{out}{err}");

    // Without it: a clear error naming the pack; `invalid` with the reason in list.
    let (code, _, err) = scratch.run(&["check", "out/dpone-connector-demo"], None);
    assert_eq!(code, 2);
    assert!(err.contains("capability pack `lookup` 0.1.0"), "{err}");
    assert!(err.contains("not on the capability path"), "{err}");
    let (code, out, _) = scratch.run(&["list", "out", "--format", "json"], None);
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    let entry = &listing["packages"][0];
    assert_eq!(entry["status"], "invalid", "{out}");
    assert!(
        entry.to_string().contains("capability pack `lookup`"),
        "{out}"
    );

    // A changed pack is noticed, naming both digests.
    let module = team.join("lookup/templates/lookup.py");
    let mut text = fs::read_to_string(&module).unwrap();
    text.push_str("\n# a team's fix\n");
    fs::write(&module, text).unwrap();
    let (code, out, err) = scratch.run(&["check", "out/dpone-connector-demo"], Some(&team));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("capability pack `lookup` changed since the package was made"),
        "{out}"
    );
    assert!(out.contains(&digest), "{out}");
    let (_, out, _) = scratch.run(&["list", "out", "--format", "json"], Some(&team));
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reason = listing["packages"][0]["reason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        reason.starts_with("capability pack `lookup` changed since the package was made"),
        "{out}"
    );

    // `update` carries the package to the changed pack: the base is the pack as it was,
    // from the cache, so the team's fix and the person's own line are both kept.
    let generated = package.join("src/dpone_connector_demo/lookup.py");
    let mut mine = fs::read_to_string(&generated).unwrap();
    mine.insert_str(0, "# the person's own line\n");
    fs::write(&generated, &mine).unwrap();
    let (code, out, err) = scratch.run(&["update", "out/dpone-connector-demo"], Some(&team));
    assert_eq!(code, 0, "{out}{err}");
    let merged = fs::read_to_string(&generated).unwrap();
    assert!(merged.starts_with("# the person's own line\n"), "{merged}");
    assert!(merged.contains("# a team's fix"), "{merged}");
    assert!(!merged.contains("<<<<<<<"), "{merged}");
    let (code, out, err) = scratch.run(&["check", "out/dpone-connector-demo"], Some(&team));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("changed since the package was made"), "{out}");

    // Without the old pack in the cache there is no base: what differs is a conflict,
    // listed, exit 1, never a silent overwrite.
    fs::remove_dir_all(scratch.path("cache")).unwrap();
    let mut text = fs::read_to_string(&module).unwrap();
    text.push_str("# a second fix\n");
    fs::write(&module, text).unwrap();
    let (code, out, err) = scratch.run(&["update", "out/dpone-connector-demo"], Some(&team));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("lookup.py"), "{out}");
    let conflicted = fs::read_to_string(&generated).unwrap();
    assert!(conflicted.contains("<<<<<<< yours"), "{conflicted}");
    assert!(
        conflicted.contains("# the person's own line"),
        "{conflicted}"
    );
}

/// A hostile pack: what to do to a copy of the exported `state` pack (renamed `hostile`),
/// and what the error must say.
struct Hostile {
    name: &'static str,
    make: fn(&Path),
    says: &'static [&'static str],
}

fn edit_toml(pack: &Path, from: &str, to: &str) {
    let path = pack.join("capability.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {text}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append_toml(pack: &Path, more: &str) {
    let path = pack.join("capability.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text + more).unwrap();
}

const TEMPLATE: &str = "template = \"templates/state.py\"";

fn hostile_cases() -> Vec<Hostile> {
    vec![
        Hostile {
            name: "template path with ..",
            make: |p| edit_toml(p, TEMPLATE, "template = \"../state/templates/state.py\""),
            says: &["path leaves the pack"],
        },
        Hostile {
            name: "absolute template path",
            make: |p| edit_toml(p, TEMPLATE, "template = \"/etc/hostname\""),
            says: &["path leaves the pack"],
        },
        Hostile {
            name: "template through a symlinked directory",
            make: |p| {
                std::os::unix::fs::symlink("/etc", p.join("linked")).unwrap();
                edit_toml(p, TEMPLATE, "template = \"linked/hostname\"");
            },
            says: &["linked: is a symlink"],
        },
        Hostile {
            name: "symlinked template",
            make: |p| {
                let template = p.join("templates/state.py");
                fs::remove_file(&template).unwrap();
                std::os::unix::fs::symlink("/etc/hostname", &template).unwrap();
            },
            says: &["templates/state.py: is a symlink"],
        },
        Hostile {
            name: "template that is a directory",
            make: |p| {
                fs::create_dir(p.join("templates/dir.py")).unwrap();
                edit_toml(p, TEMPLATE, "template = \"templates/dir.py\"");
            },
            says: &["templates/dir.py: is not a regular file"],
        },
        Hostile {
            name: "template over the size cap",
            make: |p| {
                let big = "# x\n".repeat(300 * 1024);
                fs::write(p.join("templates/state.py"), big).unwrap();
            },
            says: &["templates/state.py: is larger than 1024 KiB"],
        },
        Hostile {
            name: "unknown placeholder",
            make: |p| {
                fs::write(p.join("templates/state.py"), "x = 1\ny = \"{{secret}}\"\n").unwrap();
            },
            says: &["templates/state.py:2: unknown placeholder {{secret}}"],
        },
        Hostile {
            name: "generated file outside the package",
            make: |p| {
                append_toml(
                    p,
                    &format!("\n[[files]]\npath = \"../outside.py\"\n{TEMPLATE}\n"),
                )
            },
            says: &["capability.toml", "must stay inside the package"],
        },
        Hostile {
            name: "a built-in's name",
            make: |p| edit_toml(p, "name = \"hostile\"", "name = \"sink\""),
            says: &[
                "capability.toml",
                "`sink` is already taken by the built-in capability",
            ],
        },
        Hostile {
            name: "malformed TOML",
            make: |p| edit_toml(p, "rank = 2", "rank = = 2"),
            says: &["hostile/capability.toml:7:"],
        },
        Hostile {
            name: "unknown key",
            make: |p| edit_toml(p, "rank = 2", "rank = 2\nhooks = \"rm -rf /\""),
            says: &["hostile/capability.toml:8:", "unknown field `hooks`"],
        },
        Hostile {
            name: "unknown schema version",
            make: |p| edit_toml(p, "schema = 1", "schema = 2"),
            says: &["capability.toml", "schema 2 is not one this version reads"],
        },
        Hostile {
            name: "a name that is not an identifier",
            make: |p| edit_toml(p, "name = \"hostile\"", "name = \"Look Up\""),
            says: &["capability.toml", "`Look Up` is not an identifier"],
        },
        Hostile {
            name: "a kind a pack cannot be",
            make: |p| edit_toml(p, "kind = \"runtime\"", "kind = \"native_transfer\""),
            says: &["capability.toml", "only `runtime`"],
        },
    ]
}

#[test]
fn hostile_packs_are_refused_naming_the_file_and_writing_nothing() {
    let scratch = Scratch::new();
    let (code, _, err) = scratch.run(&["capabilities", "--export", "state", "packs/state"], None);
    assert_eq!(code, 0, "{err}");
    for case in hostile_cases() {
        let root = TempDir::new().unwrap();
        let pack = root.path().join("packs/hostile");
        common::copy_tree(&scratch.path("packs/state"), &pack);
        edit_toml(&pack, "name = \"state\"", "name = \"hostile\"");
        (case.make)(&pack);
        let packs = root.path().join("packs");
        let before = snapshot(root.path());
        for args in [
            vec!["scaffold", "demo", "--root", "out"],
            vec!["capabilities"],
            vec!["check", "out/dpone-connector-demo"],
        ] {
            let mut command = binary();
            command
                .current_dir(root.path())
                .env("DPONE_CONNECTORS_CACHE_DIR", root.path().join("cache"))
                .env("XDG_CONFIG_HOME", root.path().join("config"))
                .args(&args)
                .arg("--capability-path")
                .arg(&packs);
            let (code, out, err) = outcome(command.output().unwrap());
            assert_eq!(code, 2, "{}: {args:?} exit {code}\n{out}{err}", case.name);
            assert!(out.is_empty(), "{}: {out}", case.name);
            for expected in case.says {
                assert!(
                    err.contains(expected),
                    "{}: {err:?} lacks {expected:?}",
                    case.name
                );
            }
            assert_eq!(err.lines().count(), 1, "{}: {err}", case.name);
            assert_eq!(
                snapshot(root.path()),
                before,
                "{}: something was written",
                case.name
            );
        }
    }
}

#[test]
fn two_packs_with_one_name_or_one_file_are_refused_naming_both() {
    let scratch = Scratch::new();
    let team = scratch.lookup_pack();
    let other = scratch.path("other");
    common::copy_tree(&team.join("lookup"), &other.join("lookup"));
    let both = || {
        let path = ["--capability-path", "team", "--capability-path", "other"];
        scratch.run(&[&["capabilities"], &path[..]].concat(), None)
    };
    let (code, _, err) = both();
    assert_eq!(code, 2);
    assert!(err.contains("other/lookup/capability.toml"), "{err}");
    assert!(err.contains("team/lookup/capability.toml"), "{err}");

    // Another name, generating a file the first pack generates too.
    fs::rename(other.join("lookup"), other.join("lookup2")).unwrap();
    edit_toml(
        &other.join("lookup2"),
        "name = \"lookup\"",
        "name = \"lookup2\"",
    );
    append_toml(
        &other.join("lookup2"),
        "\n[[files]]\npath = \"src/{{import_package}}/lookup.py\"\ntemplate = \"templates/lookup.py\"\n",
    );
    let (code, _, err) = both();
    assert_eq!(code, 2);
    assert!(
        err.contains("generates src/{{import_package}}/lookup.py"),
        "{err}"
    );
    assert!(err.contains("other/lookup2/capability.toml"), "{err}");
    assert!(err.contains("team/lookup/capability.toml"), "{err}");
}

#[test]
fn export_refuses_what_it_cannot_export_and_a_target_with_files() {
    let scratch = Scratch::new();
    let (code, _, err) = scratch.run(&["capabilities", "--export", "stream_export", "x"], None);
    assert_eq!(code, 2);
    assert!(err.contains("not a built-in runtime capability"), "{err}");
    fs::create_dir_all(scratch.path("full")).unwrap();
    fs::write(scratch.path("full/keep.txt"), "mine").unwrap();
    let (code, _, err) = scratch.run(&["capabilities", "--export", "state", "full"], None);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        fs::read_to_string(scratch.path("full/keep.txt")).unwrap(),
        "mine"
    );
    assert!(!scratch.path("x").exists());
}

#[test]
fn the_config_file_and_the_environment_put_packs_on_the_path() {
    let scratch = Scratch::new();
    let team = scratch.lookup_pack();
    let config = scratch.path("config/dpone-connectors/config.toml");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(
        &config,
        format!("capability-path = [{:?}]\n", team.display().to_string()),
    )
    .unwrap();
    let (code, out, err) = scratch.run(&["capabilities"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lookup (--capability lookup)"), "{out}");
    fs::remove_file(&config).unwrap();
    let (_, out, _) = scratch.run(&["capabilities"], None);
    assert!(!out.contains("lookup"), "{out}");
    let joined = std::env::join_paths([scratch.path("nowhere-else"), team.clone()]).unwrap();
    fs::create_dir_all(scratch.path("nowhere-else")).unwrap();
    let (code, out, err) = scratch.run(&["capabilities"], Some(Path::new(&joined)));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lookup (--capability lookup)"), "{out}");
}

#[test]
fn renaming_only_the_name_gives_a_package_whose_tests_import_the_renamed_module() {
    let scratch = Scratch::new();
    let (code, _, err) = scratch.run(&["capabilities", "--export", "state", "packs/state"], None);
    assert_eq!(code, 0, "{err}");
    let lookup = scratch.path("team/lookup");
    common::copy_tree(&scratch.path("packs/state"), &lookup);
    edit_toml(&lookup, "name = \"state\"", "name = \"lookup\"");
    let (code, _, err) = scratch.run(
        &[
            "scaffold",
            "demo",
            "--capability",
            "lookup",
            "--capability-path",
            "team",
            "--root",
            "out",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let package = scratch.path("out/dpone-connector-demo");
    assert!(package.join("src/dpone_connector_demo/lookup.py").is_file());
    assert!(!package.join("src/dpone_connector_demo/state.py").exists());
    let tests = fs::read_to_string(package.join("tests/test_demo_contract.py")).unwrap();
    assert!(
        tests.contains("from dpone_connector_demo.lookup import DemoStateBackend"),
        "{tests}"
    );
    assert!(
        tests.contains("@certification(\"lookup.import_safety\")"),
        "{tests}"
    );
    if let Some((passed, text)) = pytest(&package) {
        assert!(passed, "the package's tests fail:\n{text}");
    }
}

#[test]
fn a_pack_and_a_builtin_generating_one_file_are_refused_when_both_are_requested() {
    let scratch = Scratch::new();
    let team = scratch.lookup_pack();
    append_toml(
        &team.join("lookup"),
        "\n[[files]]\npath = \"src/{{import_package}}/state.py\"\ntemplate = \"templates/lookup.py\"\n",
    );
    let scaffold = |capabilities: &[&str]| {
        let mut args = vec![
            "scaffold",
            "demo",
            "--capability-path",
            "team",
            "--root",
            "out",
        ];
        for capability in capabilities {
            args.extend(["--capability", capability]);
        }
        scratch.run(&args, None)
    };
    let (code, _, err) = scaffold(&["state", "lookup"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "capabilities `state` and `lookup` both generate src/{{import_package}}/state.py"
        ),
        "{err}"
    );
    assert!(!scratch.path("out").exists());
    let (code, _, err) = scaffold(&["lookup"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn help_and_version_answer_whatever_the_capability_path_holds() {
    let scratch = Scratch::new();
    let missing = scratch.path("missing");
    for args in [vec!["--version"], vec!["check", "--help"]] {
        let (code, out, err) = scratch.run(&args, Some(&missing));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.is_empty(), "{args:?}");
    }
    let (code, _, err) = scratch.run(&["check", "."], Some(&missing));
    assert_eq!(code, 2);
    assert!(err.contains("capability path entry"), "{err}");
    assert!(err.contains("missing is not a directory"), "{err}");
}
