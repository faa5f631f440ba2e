//! The writer through the real command: re-runs, conflicts, --force, --dry-run, symbolic
//! links, unusable roots and leftovers of killed runs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{demo_scaffold, scratch, snapshot, snapshot_with_mtimes, Node};
use serde_json::Value;

const PKG: &str = "dpone-connector-demo";

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

fn scaffold(root: &Path, extra: &[&str]) -> Run {
    let output = demo_scaffold(root, &["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    Run {
        code: output.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn list(json: &Value, key: &str) -> Vec<String> {
    json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {json}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn shown(root: &Path, relative: &str) -> String {
    format!("{}/{PKG}/{relative}", root.display())
}

/// Sets every file's and directory's mtime far in the past, so any rewrite is visible whatever the
/// file system's timestamp granularity.
fn age(dir: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for (path, node) in snapshot(dir) {
        let path = dir.join(path);
        let handle = match node {
            Node::File(_) => fs::File::options().write(true).open(path).unwrap(),
            Node::Dir => fs::File::open(path).unwrap(),
            Node::Link(_) => continue,
        };
        handle.set_modified(old).unwrap();
    }
}

fn assert_one_error_line(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    // These runs ask for `--format json`, so the error is a JSON object.
    let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let message = error["error"]["message"].as_str().unwrap();
    for needle in needles {
        assert!(message.contains(needle), "{message} lacks {needle}");
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// A scratch base with a package in `base/root`, files aged.
fn with_package() -> (tempfile::TempDir, PathBuf) {
    let base = scratch();
    let root = base.path().join("root");
    let first = scaffold(&root, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    age(base.path());
    (base, root)
}

#[test]
fn an_identical_rerun_rewrites_nothing() {
    let (base, root) = with_package();
    let before = snapshot_with_mtimes(base.path());
    let dirs_before = common::dir_mtimes(base.path());
    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(list(&run.json, "unchanged"), list(&run.json, "files"));
    for key in ["created", "overwritten", "conflicts"] {
        assert!(list(&run.json, key).is_empty(), "{key}");
    }
    assert_eq!(
        snapshot_with_mtimes(base.path()),
        before,
        "bytes or mtimes changed"
    );
    // Not even a temporary entry came and went.
    assert_eq!(common::dir_mtimes(base.path()), dirs_before);
}

#[test]
fn a_deleted_file_is_recreated_and_nothing_else_touched() {
    let (base, root) = with_package();
    fs::remove_file(root.join(PKG).join("docs/demo.md")).unwrap();
    fs::remove_dir_all(root.join(PKG).join("examples")).unwrap();
    let before = snapshot_with_mtimes(base.path());
    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut created = list(&run.json, "created");
    created.sort();
    let mut expected = vec![
        shown(&root, "docs/demo.md"),
        shown(&root, "examples/demo_to_postgres.yaml"),
        shown(&root, "examples/postgres_to_demo.yaml"),
    ];
    expected.sort();
    assert_eq!(created, expected);
    let after = snapshot_with_mtimes(base.path());
    for (path, entry) in &before {
        assert_eq!(after.get(path), Some(entry), "{path:?} changed");
    }
    assert_eq!(after.len(), before.len() + 4, "three files and examples/");
}

#[test]
fn an_edited_file_is_a_conflict_that_changes_nothing() {
    let (base, root) = with_package();
    let readme = root.join(PKG).join("README.md");
    fs::write(&readme, "# my own readme\n").unwrap();
    fs::remove_file(root.join(PKG).join("docs/demo.md")).unwrap();
    let before = snapshot_with_mtimes(base.path());
    let run = scaffold(&root, &[]);
    assert_one_error_line(&run, &[&shown(&root, "README.md"), "--force"]);
    assert_eq!(list(&run.json, "conflicts"), [shown(&root, "README.md")]);
    assert_eq!(
        snapshot_with_mtimes(base.path()),
        before,
        "a refused run changed the tree (the missing doc must not be added either)"
    );
}

#[test]
fn force_replaces_exactly_the_conflicts_and_never_touches_other_files() {
    let (base, root) = with_package();
    let dir = root.join(PKG);
    fs::write(dir.join("README.md"), "# my own readme\n").unwrap();
    fs::remove_file(dir.join("docs/demo.md")).unwrap();
    fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    fs::create_dir(dir.join("data")).unwrap();
    fs::write(dir.join("data/rows.csv"), "a,b\n").unwrap();
    fs::write(dir.join("src/dpone_connector_demo/custom.py"), "x = 1\n").unwrap();
    age(base.path());
    let before = snapshot_with_mtimes(base.path());
    let run = scaffold(&root, &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(list(&run.json, "overwritten"), [shown(&root, "README.md")]);
    assert_eq!(list(&run.json, "created"), [shown(&root, "docs/demo.md")]);
    assert!(list(&run.json, "conflicts").is_empty());
    let after = snapshot_with_mtimes(base.path());
    let touched = [
        Path::new("root").join(PKG).join("README.md"),
        Path::new("root").join(PKG).join("docs/demo.md"),
    ];
    for (path, entry) in &before {
        if !touched.contains(path) {
            assert_eq!(after.get(path), Some(entry), "{path:?} was touched");
        }
    }
    let fresh = scratch();
    scaffold(fresh.path(), &[]);
    assert_eq!(
        fs::read(dir.join("README.md")).unwrap(),
        fs::read(fresh.path().join(PKG).join("README.md")).unwrap()
    );
}

#[test]
fn dry_run_prints_the_same_report_and_changes_nothing() {
    // A package with a conflict, a missing file and the rest unchanged.
    let (base, root) = with_package();
    let dir = root.join(PKG);
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    fs::remove_file(dir.join("docs/demo.md")).unwrap();
    for flags in [&[][..], &["--force"][..]] {
        let before = snapshot_with_mtimes(base.path());
        let dry = scaffold(&root, &[&["--dry-run"][..], flags].concat());
        assert_eq!(snapshot_with_mtimes(base.path()), before, "{flags:?}");
        assert_eq!(dry.json["dry_run"], Value::Bool(true));
        let copy = scratch();
        common::copy_tree(base.path(), copy.path());
        let real = scaffold(&copy.path().join("root"), flags);
        assert_eq!(dry.code, real.code, "{flags:?}");
        for key in ["created", "unchanged", "overwritten", "conflicts"] {
            let relative = |run: &Run, root: &Path| -> Vec<String> {
                let prefix = format!("{}/", root.display());
                list(&run.json, key)
                    .iter()
                    .map(|p| p.strip_prefix(&prefix).unwrap().to_owned())
                    .collect()
            };
            assert_eq!(
                relative(&dry, &root),
                relative(&real, &copy.path().join("root")),
                "{key} {flags:?}"
            );
        }
    }
}

#[test]
fn dry_run_of_a_new_package_creates_not_even_the_root() {
    let base = scratch();
    let root = base.path().join("a/b");
    let run = scaffold(&root, &["--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(list(&run.json, "created"), list(&run.json, "files"));
    assert!(snapshot(base.path()).is_empty());
}

/// Every way a symbolic link can sit where the package would write, pointing at a
/// directory or file outside that must stay untouched.
#[test]
fn symbolic_links_are_refused_and_never_followed() {
    type Plant = fn(&Path, &Path);
    let cases: [(&str, &str, Plant); 5] = [
        ("package directory", PKG, |pkg, outside| {
            std::os::unix::fs::symlink(outside, pkg).unwrap()
        }),
        ("subdirectory", "src", |pkg, outside| {
            fs::remove_dir_all(pkg.join("src")).unwrap();
            std::os::unix::fs::symlink(outside, pkg.join("src")).unwrap();
        }),
        ("missing subdirectory", "examples", |pkg, outside| {
            fs::remove_dir_all(pkg.join("examples")).unwrap();
            std::os::unix::fs::symlink(outside, pkg.join("examples")).unwrap();
        }),
        ("file", "README.md", |pkg, outside| {
            fs::remove_file(pkg.join("README.md")).unwrap();
            std::os::unix::fs::symlink(outside.join("victim.txt"), pkg.join("README.md")).unwrap();
        }),
        ("dangling file link", "pyproject.toml", |pkg, outside| {
            fs::remove_file(pkg.join("pyproject.toml")).unwrap();
            std::os::unix::fs::symlink(outside.join("new.txt"), pkg.join("pyproject.toml"))
                .unwrap();
        }),
    ];
    for (what, link, plant) in cases {
        for flags in [&[][..], &["--force"][..], &["--dry-run"][..]] {
            let base = scratch();
            let root = base.path().join("root");
            let outside = base.path().join("outside");
            fs::create_dir_all(&outside).unwrap();
            fs::write(outside.join("victim.txt"), "precious\n").unwrap();
            if what == "package directory" {
                fs::create_dir_all(&root).unwrap();
            } else {
                assert_eq!(scaffold(&root, &[]).code, 0);
            }
            plant(&root.join(PKG), &outside);
            let before = snapshot_with_mtimes(base.path());
            let run = scaffold(&root, flags);
            let context = format!("{what} {flags:?}");
            assert_one_error_line(&run, &["symbolic link", link]);
            assert_eq!(snapshot_with_mtimes(base.path()), before, "{context}");
        }
    }
}

#[test]
fn unusable_roots_get_one_clear_error_and_nothing_is_written() {
    let base = scratch();
    fs::write(base.path().join("file"), "x").unwrap();
    std::os::unix::fs::symlink(base.path().join("nowhere"), base.path().join("dangling")).unwrap();
    std::os::unix::fs::symlink(base.path().join("file"), base.path().join("to-file")).unwrap();
    let cases = [
        ("file", "exists and is not a directory"),
        ("dangling", "No such file or directory"),
        ("to-file", "is not a directory"),
        ("file/sub", "Not a directory"),
    ];
    let before = snapshot_with_mtimes(base.path());
    for (root, reason) in cases {
        let path = base.path().join(root);
        let run = scaffold(&path, &[]);
        assert_one_error_line(&run, &[&path.display().to_string(), reason]);
        assert_eq!(snapshot_with_mtimes(base.path()), before, "{root}");
    }
}

#[test]
fn a_root_that_is_a_link_to_a_directory_is_fine() {
    let base = scratch();
    fs::create_dir(base.path().join("real")).unwrap();
    std::os::unix::fs::symlink(base.path().join("real"), base.path().join("link")).unwrap();
    let run = scaffold(&base.path().join("link"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(base
        .path()
        .join("real")
        .join(PKG)
        .join("README.md")
        .is_file());
}

/// Holds the exclusive lock on `dir` as a writer does on its staging directory.
fn hold_lock(dir: &Path) -> fs::File {
    use std::os::fd::AsRawFd;
    let file = fs::File::open(dir).unwrap();
    // SAFETY: the descriptor is open for the duration of the call.
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
    file
}

/// Writers in other pid namespaces (two containers sharing a volume): a process id says
/// nothing about them. Their live staging directory must survive even when its pid is dead
/// here, and their dead one must go even when its pid is alive here.
#[test]
fn staging_ownership_is_a_lock_not_a_process_id() {
    let base = scratch();
    let root = base.path().join("root");
    let dead = dead_pid();
    let live_elsewhere = root.join(format!(".dpone-staging-{dead}-77-0"));
    fs::create_dir_all(live_elsewhere.join("src")).unwrap();
    fs::write(live_elsewhere.join("src/half.py"), "being written").unwrap();
    let _other_container = hold_lock(&live_elsewhere);
    let dead_elsewhere = root.join(".dpone-staging-1-78-0");
    fs::create_dir_all(&dead_elsewhere).unwrap();

    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(live_elsewhere.join("src/half.py")).unwrap(),
        "being written",
        "another namespace's live staging directory was touched"
    );
    assert!(
        !dead_elsewhere.exists(),
        "a dead writer's staging directory was kept"
    );
}

/// Inside a package the writer holds the package lock, so any temporary file or backup it
/// finds is a dead writer's, whatever pid its name carries.
#[test]
fn leftovers_inside_a_locked_package_are_dead_whatever_their_pid() {
    let base = scratch();
    let root = base.path().join("root");
    assert_eq!(scaffold(&root, &[]).code, 0);
    let src = root.join(PKG).join("src/dpone_connector_demo");
    // pid 1 is alive here, but no writer holds the package: this is another namespace's
    // killed update.
    let temp = src.join(".dpone-tmp-1-3d-0-2");
    fs::write(&temp, "half a fi").unwrap();
    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!temp.exists(), "a dead writer's temporary file was kept");
}

fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_and_live_ones_left_alone() {
    let base = scratch();
    let root = base.path().join("root");
    let dead = dead_pid();
    let stale = root.join(format!(".dpone-staging-{dead}-1f-0"));
    fs::create_dir_all(stale.join("src")).unwrap();
    fs::write(stale.join("src/half.py"), "trunc").unwrap();
    // A live writer holds the lock on its staging directory, however old it is.
    let live = root.join(".dpone-staging-1-2a-0");
    fs::create_dir_all(&live).unwrap();
    let _live_writer = hold_lock(&live);
    // Look-alikes that are not the writer's are someone's files.
    fs::write(root.join(".dpone-staging-notes"), "mine").unwrap();
    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!stale.exists(), "stale staging directory kept");
    assert!(
        live.exists(),
        "a live process's staging directory was removed"
    );
    assert!(root.join(".dpone-staging-notes").exists());

    // Inside an existing package: a killed update's temporary file and backup.
    let src = root.join(PKG).join("src/dpone_connector_demo");
    let temp = src.join(format!(".dpone-tmp-{dead}-3c-0-2"));
    let backup = root.join(PKG).join(format!(".dpone-bak-{dead}-3c-0-0"));
    fs::write(&temp, "half a fi").unwrap();
    fs::write(&backup, "old").unwrap();
    fs::write(src.join(".dpone-tmp-mine"), "mine").unwrap();
    let run = scaffold(&root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(list(&run.json, "created").is_empty());
    assert!(!temp.exists() && !backup.exists(), "stale files kept");
    assert!(src.join(".dpone-tmp-mine").exists());
}

#[test]
fn a_killed_update_is_undone_by_the_next_run() {
    // What a run killed right after renaming the new README into place leaves: the journal,
    // the backup of the old README, the new README, and a staged file not yet renamed.
    let (base, root) = with_package();
    let dir = root.join(PKG);
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    fs::remove_file(dir.join("docs/demo.md")).unwrap();
    let before = snapshot(base.path());
    let generated = {
        let fresh = scratch();
        scaffold(fresh.path(), &[]);
        (
            fs::read(fresh.path().join(PKG).join("README.md")).unwrap(),
            fs::read(fresh.path().join(PKG).join("docs/demo.md")).unwrap(),
        )
    };
    let token = format!("{}-ab-0", dead_pid());
    let sha = |b: &[u8]| {
        use sha2::Digest;
        sha2::Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    let journal = format!(
        "dpone-journal 1 {token}\nr 0 {} README.md\nc 1 {} docs/demo.md\nend\n",
        sha(&generated.0),
        sha(&generated.1)
    );
    fs::write(dir.join(format!(".dpone-journal-{token}")), journal).unwrap();
    fs::hard_link(
        dir.join("README.md"),
        dir.join(format!(".dpone-bak-{token}-0")),
    )
    .unwrap();
    fs::write(dir.join(format!(".dpone-tmp-{token}-0")), &generated.0).unwrap();
    fs::rename(
        dir.join(format!(".dpone-tmp-{token}-0")),
        dir.join("README.md"),
    )
    .unwrap();
    fs::write(dir.join(format!("docs/.dpone-tmp-{token}-1")), &generated.1).unwrap();

    let run = scaffold(&root, &[]);
    // Undone first, so the README is the person's again and still a conflict.
    assert_one_error_line(&run, &["README.md"]);
    assert_eq!(snapshot(base.path()), before);
}
