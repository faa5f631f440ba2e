//! Several writers on the same package at once end with one complete package, byte-identical
//! to a single run, and clean results or clean errors for the others: never a mix, never a
//! leftover.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Barrier};

use common::{demo_plan, demo_scaffold, leftovers, scratch, snapshot};
use dpone_connector_sdk::writer::{write_package, WriteOptions};

const PKG: &str = "dpone-connector-demo";
const PROCESSES: usize = 8;

fn spawn(root: &Path, extra: &[&str]) -> Child {
    demo_scaffold(root, extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn single_run_tree() -> std::collections::BTreeMap<std::path::PathBuf, common::Node> {
    let base = scratch();
    let status = spawn(base.path(), &[]).wait().unwrap();
    assert!(status.success());
    snapshot(base.path())
}

/// Runs PROCESSES copies at once; returns how many succeeded. Every failure must be one
/// clean `error:` line with exit 2.
fn race(root: &Path, extra: &[&str]) -> usize {
    let children: Vec<Child> = (0..PROCESSES).map(|_| spawn(root, extra)).collect();
    let mut ok = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            ok += 1;
        } else {
            assert_eq!(output.status.code(), Some(2), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.starts_with("error: "), "{stderr}");
        }
    }
    ok
}

#[test]
fn processes_racing_to_create_a_package_end_with_one_complete_package() {
    let expected = single_run_tree();
    for _ in 0..10 {
        let base = scratch();
        let ok = race(base.path(), &[]);
        // The losers find the winner's complete package: all unchanged, success.
        assert_eq!(ok, PROCESSES);
        assert_eq!(snapshot(base.path()), expected);
    }
}

#[test]
fn processes_racing_to_repair_and_force_a_package_end_with_one_complete_package() {
    let expected = single_run_tree();
    for round in 0..10 {
        let base = scratch();
        assert!(spawn(base.path(), &[]).wait().unwrap().success());
        let dir = base.path().join(PKG);
        fs::write(dir.join("README.md"), "# mine\n").unwrap();
        fs::remove_file(dir.join("docs/demo.md")).unwrap();
        fs::remove_dir_all(dir.join("examples")).unwrap();
        // Half force, half not: the ones without --force either see the conflict (exit 2)
        // or run after a forced one and find everything unchanged.
        let children: Vec<Child> = (0..PROCESSES)
            .map(|i| spawn(base.path(), if i % 2 == 0 { &["--force"] } else { &[] }))
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() || output.status.code() == Some(2),
                "{stderr}"
            );
            assert!(stderr.lines().count() <= 1, "{stderr}");
        }
        assert_eq!(snapshot(base.path()), expected, "round {round}");
    }
}

#[test]
fn threads_released_together_end_with_one_complete_package() {
    let expected = {
        let base = scratch();
        let plan = demo_plan(base.path());
        write_package(&plan.package_dir(), &plan.files, &WriteOptions::default()).unwrap();
        snapshot(base.path())
    };
    for _ in 0..20 {
        let base = scratch();
        let root = base.path().to_path_buf();
        let barrier = Arc::new(Barrier::new(PROCESSES));
        let handles: Vec<_> = (0..PROCESSES)
            .map(|_| {
                let (root, barrier) = (root.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let plan = demo_plan(&root);
                    barrier.wait();
                    write_package(&plan.package_dir(), &plan.files, &WriteOptions::default())
                })
            })
            .collect();
        let mut created = 0;
        for handle in handles {
            let report = handle.join().unwrap().unwrap();
            if !report.created.is_empty() {
                created += 1;
                assert!(report.unchanged.is_empty());
            }
        }
        assert_eq!(created, 1, "exactly one writer created the package");
        let tree = snapshot(base.path());
        assert!(leftovers(&tree).is_empty());
        assert_eq!(tree, expected);
    }
}

#[test]
fn racing_processes_leave_no_staging_behind_in_a_shared_root() {
    let base = scratch();
    assert_eq!(race(base.path(), &[]), PROCESSES);
    assert_eq!(race(base.path(), &[]), PROCESSES, "re-runs are no-ops");
    let tree = snapshot(base.path());
    assert!(leftovers(&tree).is_empty(), "{:?}", leftovers(&tree));
}
