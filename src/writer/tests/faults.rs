//! Every single step of a write fails in turn (each directory creation, file creation, write,
//! flush, link, rename and removal), with several errnos. Afterwards the tree is exactly what
//! it was (bytes and mtimes) or the complete package, never anything in between, and no
//! staging directory, temporary file, backup or journal is left.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::fault_fs::FaultFs;
use super::fixtures::{demo_plan, leftovers, scratch, snapshot, snapshot_with_mtimes, Node};
use crate::writer::{write_package, write_package_with, WriteOptions};

const ERRNOS: &[i32] = &[
    libc::ENOSPC,
    libc::EROFS,
    libc::EACCES,
    libc::EIO,
    libc::ENAMETOOLONG,
    libc::EDQUOT,
];

fn force() -> WriteOptions {
    WriteOptions {
        force: true,
        ..WriteOptions::default()
    }
}

/// A scenario: builds the starting tree under a base directory and names the package root.
struct Scenario {
    root: &'static str,
    setup: fn(&Path),
    options: WriteOptions,
}

fn package_dir(base: &Path, scenario: &Scenario) -> PathBuf {
    let plan = demo_plan(&base.join(scenario.root));
    plan.package_dir()
}

fn run(fs: &FaultFs, base: &Path, scenario: &Scenario) -> Result<(), String> {
    let plan = demo_plan(&base.join(scenario.root));
    write_package_with(fs, &plan.package_dir(), &plan.files, &scenario.options)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn without_mtimes(tree: &BTreeMap<PathBuf, (Node, i128)>) -> BTreeMap<PathBuf, Node> {
    tree.iter()
        .map(|(p, (n, _))| (p.clone(), n.clone()))
        .collect()
}

/// The tree after a successful write, and how many steps that write takes.
fn complete_tree(scenario: &Scenario) -> (BTreeMap<PathBuf, Node>, usize) {
    let base = scratch();
    (scenario.setup)(base.path());
    let fs = FaultFs::new();
    run(&fs, base.path(), scenario).unwrap();
    (snapshot(base.path()), fs.steps())
}

fn fail_every_step(scenario: &Scenario) {
    let (complete, total) = complete_tree(scenario);
    assert!(total >= 10, "a write takes more steps than {total}");
    for step in 1..=total {
        for &errno in ERRNOS {
            let base = scratch();
            (scenario.setup)(base.path());
            let before = snapshot_with_mtimes(base.path());
            let fs = FaultFs::fail_at(step, errno);
            let result = run(&fs, base.path(), scenario);
            assert!(fs.fired(), "step {step} was not reached: {:?}", fs.log());
            let after = snapshot_with_mtimes(base.path());
            let context = format!("step {step}, errno {errno}, log {:#?}", fs.log());
            match result {
                Err(message) => {
                    let reason = io::Error::from_raw_os_error(errno).to_string();
                    assert!(!message.contains('\n'), "{message}");
                    assert!(message.contains(&reason), "{message} lacks {reason}");
                    assert!(
                        message.contains(&*base.path().to_string_lossy()),
                        "{message} names no path"
                    );
                    // The person's files, never the writer's own (journal, temporaries).
                    assert!(
                        !message.contains("/.dpone-"),
                        "{message} names an internal path"
                    );
                    assert_eq!(after, before, "tree changed after error: {context}");
                }
                Ok(()) => {
                    // Only a clean-up after the commit point can fail without failing the
                    // write; what it leaves is recognisable and the next run removes it.
                    let mut tree = without_mtimes(&after);
                    let extra = leftovers(&tree);
                    for path in &extra {
                        tree.remove(path);
                    }
                    assert_eq!(tree, complete, "not the complete package: {context}");
                    if !extra.is_empty() {
                        let failed = fs.log().into_iter().find(|l| l.ends_with("(failed)"));
                        assert!(
                            failed
                                .as_deref()
                                .is_some_and(|l| l.contains(" remove_file ")),
                            "{extra:?} left by {failed:?}"
                        );
                        run(&FaultFs::new(), base.path(), scenario).unwrap();
                        assert_eq!(snapshot(base.path()), complete, "{context}");
                    }
                }
            }
        }
    }
}

fn unrelated_files(base: &Path) {
    fs::create_dir_all(base.join("root/project")).unwrap();
    fs::write(base.join("root/keep.txt"), "mine\n").unwrap();
    fs::write(base.join("root/project/notes.md"), "notes\n").unwrap();
}

/// A complete package a person then worked in: an edited generated file, a deleted one, a
/// deleted directory, and files of their own.
fn edited_package(base: &Path) {
    let root = base.join("root");
    let plan = demo_plan(&root);
    let dir = plan.package_dir();
    write_package(&dir, &plan.files, &WriteOptions::default()).unwrap();
    let mut readme = fs::read_to_string(dir.join("README.md")).unwrap();
    readme.push_str("\nMy own notes.\n");
    fs::write(dir.join("README.md"), readme).unwrap();
    fs::write(dir.join("pyproject.toml"), "[project]\nname = \"edited\"\n").unwrap();
    fs::remove_file(dir.join("docs/demo.md")).unwrap();
    fs::remove_dir_all(dir.join("examples")).unwrap();
    fs::write(dir.join("notes.txt"), "not generated\n").unwrap();
    fs::write(dir.join("src/dpone_connector_demo/custom.py"), "x = 1\n").unwrap();
}

#[test]
fn a_fresh_package_is_all_or_nothing() {
    fail_every_step(&Scenario {
        root: "root",
        setup: unrelated_files,
        options: WriteOptions::default(),
    });
}

#[test]
fn a_fresh_package_under_a_missing_root_leaves_no_empty_root_behind() {
    fail_every_step(&Scenario {
        root: "new/nested/root",
        setup: |base| fs::write(base.join("keep.txt"), "mine\n").unwrap(),
        options: WriteOptions::default(),
    });
}

#[test]
fn an_update_with_force_is_all_or_nothing() {
    fail_every_step(&Scenario {
        root: "root",
        setup: edited_package,
        options: force(),
    });
}

#[test]
fn an_update_adding_missing_files_is_all_or_nothing() {
    fail_every_step(&Scenario {
        root: "root",
        setup: |base| {
            edited_package(base);
            // Undo the edits: only missing files remain to add.
            let plan = demo_plan(&base.join("root"));
            for file in &plan.files {
                let path = plan.package_dir().join(&file.path);
                if path.exists() {
                    fs::write(path, &file.contents).unwrap();
                }
            }
        },
        options: WriteOptions::default(),
    });
}

/// From step N on, everything fails (a disk that went read-only): even the write's own
/// undo fails. No file may be truncated, and the next run must restore the previous state
/// exactly (or find the complete package) and leave nothing behind.
#[test]
fn a_disk_failing_for_good_mid_update_is_repaired_by_the_next_run() {
    let scenario = Scenario {
        root: "root",
        setup: edited_package,
        options: force(),
    };
    let (complete, total) = complete_tree(&scenario);
    for step in 1..=total {
        let base = scratch();
        edited_package(base.path());
        let before = snapshot(base.path());
        let fs = FaultFs::fail_at(step, libc::EROFS).sticky();
        let _ = run(&fs, base.path(), &scenario);
        let context = format!("step {step}, log {:#?}", fs.log());
        let after = snapshot(base.path());
        for (path, node) in &after {
            if leftovers(&after).contains(path) {
                continue;
            }
            let known = before.get(path) == Some(node) || complete.get(path) == Some(node);
            assert!(known, "{path:?} is neither old nor new: {context}");
        }
        // The next run, without --force: it first undoes the interrupted write.
        let plan = demo_plan(&base.path().join("root"));
        let report = write_package(&plan.package_dir(), &plan.files, &WriteOptions::default())
            .unwrap_or_else(|e| panic!("{e}: {context}"));
        let repaired = snapshot(base.path());
        assert!(leftovers(&repaired).is_empty(), "{repaired:#?}: {context}");
        if report.conflicts.is_empty() {
            assert_eq!(repaired, complete, "{context}");
        } else {
            assert_eq!(repaired, before, "{context}");
        }
    }
}

/// The same for a fresh package: whatever a dead disk left, the next run completes it.
#[test]
fn a_disk_failing_for_good_mid_create_is_repaired_by_the_next_run() {
    let scenario = Scenario {
        root: "root",
        setup: unrelated_files,
        options: WriteOptions::default(),
    };
    let (complete, total) = complete_tree(&scenario);
    for step in 1..=total {
        let base = scratch();
        unrelated_files(base.path());
        let fs = FaultFs::fail_at(step, libc::ENOSPC).sticky();
        assert!(run(&fs, base.path(), &scenario).is_err(), "step {step}");
        assert!(
            !package_dir(base.path(), &scenario).exists(),
            "a package appeared although the write failed at step {step}"
        );
        run(&FaultFs::new(), base.path(), &scenario).unwrap();
        assert_eq!(snapshot(base.path()), complete, "step {step}");
    }
}

/// Durability flushes exactly what a write touched: a new package flushes each of its staged
/// entries (bounded by the package, never the whole file system), an update flushes the file
/// system once, and a batch write (durable off) never flushes.
#[test]
fn a_durable_write_flushes_what_it_wrote_and_a_batch_write_never() {
    let flushes = |fs: &FaultFs| fs.log().iter().filter(|l| l.contains(" flush ")).count();
    let fsyncs = |fs: &FaultFs| fs.log().iter().filter(|l| l.contains(" fsync ")).count();
    for (scenario, name) in [
        (
            Scenario {
                root: "root",
                setup: unrelated_files,
                options: WriteOptions::default(),
            },
            "fresh",
        ),
        (
            Scenario {
                root: "root",
                setup: edited_package,
                options: force(),
            },
            "update",
        ),
    ] {
        let base = scratch();
        (scenario.setup)(base.path());
        let fs = FaultFs::new();
        run(&fs, base.path(), &scenario).unwrap();
        let writes = fs.log().iter().filter(|l| l.contains(" write ")).count();
        assert!(writes >= 3, "{name}: {writes} writes");
        if name == "fresh" {
            // Every staged file and directory, plus the staging directory itself, and never
            // the whole file system.
            let plan = demo_plan(&base.path().join(scenario.root));
            let dirs: std::collections::BTreeSet<&str> = plan
                .files
                .iter()
                .flat_map(|f| f.path.match_indices('/').map(|(i, _)| &f.path[..i]))
                .collect();
            assert_eq!(
                fsyncs(&fs),
                plan.files.len() + dirs.len() + 1,
                "{:#?}",
                fs.log()
            );
            assert_eq!(flushes(&fs), 0, "{:#?}", fs.log());
        } else {
            assert_eq!(flushes(&fs), 1, "{name}: {:#?}", fs.log());
        }

        let base = scratch();
        (scenario.setup)(base.path());
        let fs = FaultFs::new();
        let batch = Scenario {
            options: WriteOptions {
                durable: false,
                ..scenario.options
            },
            ..scenario
        };
        run(&fs, base.path(), &batch).unwrap();
        assert_eq!(flushes(&fs) + fsyncs(&fs), 0, "{name}: {:#?}", fs.log());
    }
}
