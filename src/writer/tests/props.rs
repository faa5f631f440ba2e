//! Property tests: for any name, capability list, options and pre-existing tree (files,
//! directories, links pointing outside), writing never panics, produces the same bytes every
//! time, writes nothing outside the package directory, never touches files it does not
//! generate, and leaves no temporary entry behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::fault_fs::FaultFs;
use super::fixtures::{leftovers, scratch, snapshot, Node};
use crate::writer::{write_package_with, WriteOptions};
use crate::{plan_package, ScaffoldRequest};
use proptest::prelude::*;

/// Runtime capability requests: every registered one, and two the registry must normalize
/// or refuse.
fn runtime_requests() -> Vec<String> {
    let registry = crate::registry().expect("the registry builds");
    let mut names: Vec<String> = registry
        .names(crate::CapabilityKind::Runtime)
        .iter()
        .map(|n| n.to_string())
        .collect();
    names.extend(["Source ".to_owned(), "nope".to_owned()]);
    names
}

/// Native capability requests: every registered one.
fn native_requests() -> Vec<&'static str> {
    crate::registry()
        .expect("the registry builds")
        .names(crate::CapabilityKind::NativeTransfer)
}

/// Path components the pre-existing tree is built from: the generator's own directories and
/// file names, writer-like names, and odd ones.
const PARTS: &[&str] = &[
    "src",
    "docs",
    "tests",
    "examples",
    "certification",
    ".github",
    "workflows",
    "README.md",
    "pyproject.toml",
    "dpone_connector_manifest.json",
    "certification.yaml",
    "notes.txt",
    ".dpone-tmp-notes",
    ".dpone-staging-x",
    "sp ace",
    "ü",
    "-",
];

#[derive(Debug, Clone)]
enum Pre {
    File(Vec<u8>),
    Dir,
    LinkOutside,
}

fn pre_entry() -> impl Strategy<Value = (Vec<usize>, Pre)> {
    (
        prop::collection::vec(0..PARTS.len(), 1..4),
        prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Pre::File),
            2 => Just(Pre::Dir),
            1 => Just(Pre::LinkOutside),
        ],
    )
}

fn request(
    name: &str,
    caps: &[usize],
    natives: &[usize],
    certification: bool,
    root: &Path,
) -> ScaffoldRequest {
    let mut request = ScaffoldRequest::new(name)
        .root(root)
        .include_certification(certification);
    let (runtime, native) = (runtime_requests(), native_requests());
    for &c in caps {
        request = request.capability(runtime[c].as_str());
    }
    for &n in natives {
        request = request.native_capability(native[n]);
    }
    request
}

/// Builds the pre-existing entries under `dir`; entries that collide are skipped.
fn plant(dir: &Path, outside: &Path, entries: &[(Vec<usize>, Pre)]) {
    for (parts, kind) in entries {
        let path: PathBuf = parts.iter().map(|&i| PARTS[i]).collect();
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            if fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        if fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let _ = match kind {
            Pre::File(bytes) => fs::write(&path, bytes),
            Pre::Dir => fs::create_dir(&path),
            Pre::LinkOutside => std::os::unix::fs::symlink(outside, &path),
        };
    }
}

fn outside_package(tree: &BTreeMap<PathBuf, Node>, package: &Path) -> BTreeMap<PathBuf, Node> {
    tree.iter()
        .filter(|(p, _)| !p.starts_with(package))
        .map(|(p, n)| (p.clone(), n.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn any_write_is_safe_and_deterministic(
        name in "[a-zA-Z0-9 ._ÄÖÜß日-]{0,24}",
        caps in prop::collection::vec(0..runtime_requests().len(), 0..4),
        natives in prop::collection::vec(0..native_requests().len(), 0..4),
        certification in any::<bool>(),
        existing in prop::option::of(prop::collection::vec(pre_entry(), 0..12)),
        force in any::<bool>(),
        dry_run in any::<bool>(),
        durable in any::<bool>(),
    ) {
        let base = scratch();
        let root = base.path().join("root");
        let outside = base.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("victim.txt"), "precious").unwrap();
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("sibling.txt"), "mine").unwrap();

        let req = request(&name, &caps, &natives, certification, &root);
        let invalid = !name.chars().any(|c| c.is_ascii_alphanumeric())
            || caps.iter().any(|&c| runtime_requests()[c] == "nope");
        let planned = plan_package(&req);
        prop_assert_eq!(planned.is_err(), invalid);
        // An invalid request never reaches the writer.
        let Ok(plan) = planned else { return Ok(()) };
        // Deterministic: the same request renders the same bytes.
        prop_assert_eq!(&plan_package(&req).unwrap().files, &plan.files);

        let package = plan.package_dir();
        let package_rel = package.strip_prefix(base.path()).unwrap().to_path_buf();
        if let Some(entries) = &existing {
            fs::create_dir_all(&package).unwrap();
            plant(&package, &outside, entries);
        }
        let before = snapshot(base.path());
        let options = WriteOptions { force, dry_run, durable };
        let result = write_package_with(&FaultFs::new(), &package, &plan.files, &options);
        let after = snapshot(base.path());

        prop_assert!(leftovers(&after).iter().all(|p| before.contains_key(p)), "{:?}", leftovers(&after));
        prop_assert_eq!(outside_package(&after, &package_rel), outside_package(&before, &package_rel));
        let generated: Vec<PathBuf> = plan.files.iter().map(|f| package_rel.join(&f.path)).collect();
        for (path, node) in &before {
            let owned = generated.contains(path) || generated.iter().any(|g| g.starts_with(path));
            if !owned {
                prop_assert_eq!(after.get(path), Some(node), "{:?} is not the generator's", path);
            }
        }
        match result {
            Err(err) => {
                let message = err.to_string();
                prop_assert!(!message.contains('\n'));
                prop_assert_eq!(&after, &before, "a failed write changed something: {}", message);
            }
            Ok(report) => {
                if dry_run || !report.conflicts.is_empty() {
                    prop_assert_eq!(&after, &before);
                } else {
                    for file in &plan.files {
                        let node = after.get(&package_rel.join(&file.path));
                        prop_assert_eq!(node, Some(&Node::File(file.contents.clone().into_bytes())));
                    }
                    // And a second identical run changes nothing.
                    let again = write_package_with(&FaultFs::new(), &package, &plan.files, &options).unwrap();
                    prop_assert!(again.created.is_empty() && again.overwritten.is_empty());
                    prop_assert_eq!(snapshot(base.path()), after);
                }
            }
        }
    }
}
