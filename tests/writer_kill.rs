//! `kill -9` at random moments of real runs: never a truncated file, never a partial new
//! package, and the next run always finds the previous state or the complete package.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{demo_scaffold, leftovers, scratch, snapshot, Node, LARGER_DEMO};

const PKG: &str = "dpone-connector-demo";
const ROUNDS: u64 = 40;

fn command(root: &Path, extra: &[&str]) -> Command {
    let mut command = demo_scaffold(root, LARGER_DEMO);
    command
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Starts the command and kills it after `micros`; whether it was still running then (a kill
/// that lands after the exit tests nothing).
fn kill_after(root: &Path, extra: &[&str], micros: u64) -> bool {
    kill_child(command(root, extra).spawn().unwrap(), micros)
}

fn kill_child(mut child: std::process::Child, micros: u64) -> bool {
    std::thread::sleep(Duration::from_micros(micros));
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

/// The rounds must have tested something: some kills landed while the run was going, and
/// both outcomes (`[before, after]`) were seen.
fn assert_exercised(what: &str, mid_run: u32, outcomes: [u32; 2]) {
    eprintln!(
        "{what}: {mid_run} of {ROUNDS} kills mid-run; {} before, {} after",
        outcomes[0], outcomes[1]
    );
    assert!(
        mid_run > 0,
        "{what}: no kill landed while the run was going"
    );
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "{what}: one outcome never occurred: {outcomes:?}"
    );
}

fn without_leftovers(tree: &BTreeMap<PathBuf, Node>) -> BTreeMap<PathBuf, Node> {
    let extra = leftovers(tree);
    tree.iter()
        .filter(|(p, _)| !extra.contains(p))
        .map(|(p, n)| (p.clone(), n.clone()))
        .collect()
}

/// How long one uninterrupted run takes here, in microseconds.
fn run_length(root: &Path) -> u64 {
    let start = std::time::Instant::now();
    assert!(command(root, &[]).status().unwrap().success());
    u64::try_from(start.elapsed().as_micros())
        .unwrap_or(u64::MAX)
        .max(1)
}

/// Spreads kill times deterministically over twice a run's length: round 0 kills at once,
/// and about half the rounds kill after a run as long as the measured one.
fn delay(round: u64, length: u64) -> u64 {
    (round * 7919) % (2 * length)
}

#[test]
fn a_killed_create_leaves_nothing_or_everything() {
    let (complete, length) = {
        let base = scratch();
        let length = run_length(base.path());
        (snapshot(base.path()), length)
    };
    let (mut outcomes, mut mid_run) = ([0; 2], 0);
    for round in 0..ROUNDS {
        let base = scratch();
        mid_run += u32::from(kill_after(base.path(), &[], delay(round, length)));
        let tree = without_leftovers(&snapshot(base.path()));
        assert!(
            tree.is_empty() || tree == complete,
            "round {round}: partial package {tree:?}"
        );
        outcomes[usize::from(tree == complete)] += 1;
        assert!(command(base.path(), &[]).status().unwrap().success());
        assert_eq!(snapshot(base.path()), complete, "round {round}");
    }
    assert_exercised("killed creates (nothing, complete)", mid_run, outcomes);
}

#[test]
fn a_killed_forced_update_never_truncates_and_the_next_run_repairs_it() {
    let (complete, length) = {
        let base = scratch();
        let length = run_length(base.path());
        let mut tree = snapshot(base.path());
        tree.insert(
            Path::new(PKG).join("notes.txt"),
            Node::File(b"mine\n".to_vec()),
        );
        (tree, length)
    };
    let (mut outcomes, mut mid_run) = ([0; 2], 0);
    for round in 0..ROUNDS {
        let base = scratch();
        assert!(command(base.path(), &[]).status().unwrap().success());
        let dir = base.path().join(PKG);
        fs::write(dir.join("README.md"), "# mine\n").unwrap();
        fs::write(dir.join("pyproject.toml"), "[project]\n").unwrap();
        fs::remove_file(dir.join("docs/demo.md")).unwrap();
        fs::remove_dir_all(dir.join("examples")).unwrap();
        fs::write(dir.join("notes.txt"), "mine\n").unwrap();
        let before = snapshot(base.path());

        mid_run += u32::from(kill_after(base.path(), &["--force"], delay(round, length)));
        let after = snapshot(base.path());
        for (path, node) in without_leftovers(&after) {
            let known = before.get(&path) == Some(&node) || complete.get(&path) == Some(&node);
            assert!(
                known,
                "round {round}: {path:?} is neither old nor new: {node:?}"
            );
        }
        // The next run without --force: the previous state (a conflict) or the complete
        // package (all unchanged), nothing in between, nothing left over.
        let status = command(base.path(), &[]).status().unwrap();
        let repaired = snapshot(base.path());
        if status.success() {
            assert_eq!(repaired, complete, "round {round}");
        } else {
            assert_eq!(status.code(), Some(2));
            assert_eq!(repaired, before, "round {round}");
        }
        outcomes[usize::from(status.success())] += 1;
    }
    assert_exercised("killed updates (undone, complete)", mid_run, outcomes);
}

fn add_capability(package: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("dpone-connectors"));
    command
        .args(["add-capability"])
        .arg(package)
        .args([
            "--capability",
            "state",
            "--native-capability",
            "stream_staging_load",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// `add-capability` killed at any moment: the next run undoes the half-done update before it
/// reads the package, then completes it. Nothing is left over, no file is taken for a person's
/// edit, and the package has no drift.
#[test]
fn a_killed_add_capability_is_completed_by_the_next_run() {
    let base_package = |root: &Path| {
        let mut scaffold = demo_scaffold(root, &[]);
        assert!(scaffold.stdout(Stdio::null()).status().unwrap().success());
        root.join(PKG)
    };
    let (complete, length) = {
        let base = scratch();
        let package = base_package(base.path());
        let start = std::time::Instant::now();
        assert!(add_capability(&package).status().unwrap().success());
        let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
        (snapshot(base.path()), micros.max(1))
    };
    let mut mid_run = 0;
    for round in 0..ROUNDS {
        let base = scratch();
        let package = base_package(base.path());
        let child = add_capability(&package).spawn().unwrap();
        mid_run += u32::from(kill_child(child, delay(round, length)));
        let status = add_capability(&package).status().unwrap();
        assert!(
            status.success(),
            "round {round}: the run after the kill failed"
        );
        assert_eq!(snapshot(base.path()), complete, "round {round}");
    }
    eprintln!("killed add-capability runs: {mid_run} of {ROUNDS} kills mid-run");
    assert!(mid_run > 0, "no kill landed while add-capability was going");
}
