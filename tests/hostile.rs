//! The third round of hostile trees, arguments and interruptions, through the real binary
//! (docs/safety.md): each test is one probe that once hung, crashed or wrote where it must
//! not, and must now end with a clear error and the documented status.

mod common;

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{outcome, run};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dpone-connectors")
}

/// Runs the binary with a deadline: a hang is a failure, not a stuck suite.
fn run_within(args: &[&std::ffi::OsStr], limit: Duration) -> (i32, Vec<u8>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

fn scaffold_into(root: &Path, name: &str) -> PathBuf {
    let (code, _, err) = run(&["scaffold", name, "--root", root.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{err}");
    root.join(format!("dpone-connector-{name}"))
}

fn nested_yaml() -> String {
    format!("{}x\n", "- ".repeat(10_000))
}

#[test]
fn a_spec_nested_ten_thousand_levels_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("s.yaml");
    fs::write(&spec, nested_yaml()).unwrap();
    let (code, _, err) = run(&[
        "scaffold",
        "--from",
        spec.to_str().unwrap(),
        "--root",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nest deeper than"), "{err}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_certification_manifest_nested_too_deep_is_an_invalid_package() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = scaffold_into(tmp.path(), "deep");
    scaffold_into(tmp.path(), "fine");
    fs::write(deep.join("certification/certification.yaml"), nested_yaml()).unwrap();
    let (code, _, err) = run(&["certify", deep.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nest deeper than"), "{err}");
    // From a worker thread, for every package of the listing.
    for jobs in ["1", "2"] {
        let (code, out, err) = run(&[
            "list",
            tmp.path().to_str().unwrap(),
            "--format",
            "json",
            "--jobs",
            jobs,
        ]);
        assert_eq!(code, 0, "{err}");
        let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
        let packages = listing["packages"].as_array().unwrap();
        assert_eq!(packages.len(), 2);
        assert_eq!(packages[0]["status"], "invalid");
        assert!(packages[0]["reason"]
            .as_str()
            .unwrap()
            .contains("nest deeper"));
        assert_ne!(packages[1]["status"], "invalid");
    }
}

#[test]
fn an_alias_bomb_in_a_certification_manifest_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let package = scaffold_into(tmp.path(), "bomb");
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for n in 1..10 {
        let p = n - 1;
        text.push_str(&format!(
            "a{n}: &a{n} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    fs::write(package.join("certification/certification.yaml"), text).unwrap();
    let (code, out, _) = run_within(
        &[os("list"), package.as_os_str(), os("--format"), os("json")],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(listing["packages"][0]["status"], "invalid");
}

/// A FIFO, or a link to an endless device, where `list` reads an ignore file.
#[test]
fn hostile_ignore_files_are_reported_for_their_directory() {
    for (place, kind) in [
        (".gitignore", "fifo"),
        (".ignore", "fifo"),
        (".git/info/exclude", "fifo"),
        (".gitignore", "zero"),
        (".ignore", "zero"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        scaffold_into(tmp.path(), "before");
        let hostile = tmp.path().join("sub");
        fs::create_dir_all(hostile.join(".git/info")).unwrap();
        scaffold_into(&hostile, "inside");
        scaffold_into(&tmp.path().join("z"), "after");
        let file = hostile.join(place);
        if kind == "fifo" {
            let c = std::ffi::CString::new(file.as_os_str().as_bytes()).unwrap();
            // SAFETY: a plain mkfifo(3) call on a NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        } else {
            std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
        }
        let (code, out, err) = run_within(
            &[
                os("list"),
                tmp.path().as_os_str(),
                os("--format"),
                os("json"),
            ],
            Duration::from_secs(30),
        );
        assert_eq!(code, 0, "{place} {kind}: {err}");
        let listing: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let entries: Vec<(String, String)> = listing["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["path"].as_str().unwrap().to_owned(),
                    p["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let paths: Vec<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["dpone-connector-before", "sub", "z/dpone-connector-after"],
            "{place} {kind}"
        );
        assert_eq!(entries[1].1, "invalid");
        let reason = listing["packages"][1]["reason"].as_str().unwrap();
        assert!(reason.contains("ignore file"), "{reason}");
    }
    // The root's own ignore file: the root is reported, at once.
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join(".gitignore")).unwrap();
    let (code, out, _) = run_within(
        &[
            os("list"),
            tmp.path().as_os_str(),
            os("--format"),
            os("json"),
        ],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(listing["packages"][0]["path"], ".");
    assert_eq!(listing["packages"][0]["status"], "invalid");
}

/// A hostile ignore file above the listed root (anyone may write `/tmp/.gitignore`) is
/// reported on the root's line; the tree is still listed.
#[test]
fn a_hostile_ignore_file_in_a_parent_does_not_stop_the_listing() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join(".gitignore")).unwrap();
    let root = tmp.path().join("repo");
    scaffold_into(&root, "inside");
    let (code, out, err) = run_within(
        &[os("list"), root.as_os_str(), os("--format"), os("json")],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{err}");
    let listing: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let packages = listing["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2, "{listing}");
    assert_eq!(packages[0]["path"], ".");
    assert!(packages[0]["reason"]
        .as_str()
        .unwrap()
        .contains(".gitignore"));
    assert_eq!(packages[1]["path"], "dpone-connector-inside");
    assert_eq!(packages[1]["status"], "unverified");
}

#[test]
fn ignore_files_still_exclude_and_whitelist() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["kept", "dropped", "nested/deep"] {
        scaffold_into(&tmp.path().join(name), "p");
    }
    fs::write(tmp.path().join(".gitignore"), "dropped/\nnested/\n").unwrap();
    fs::write(tmp.path().join(".ignore"), "!nested/\n").unwrap();
    let (code, out, _) = run(&["list", tmp.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = listing["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    // `.ignore` outranks `.gitignore`, as ripgrep ranks them.
    assert_eq!(
        paths,
        ["kept/dpone-connector-p", "nested/deep/dpone-connector-p"]
    );
}

#[test]
fn a_package_under_a_name_that_is_not_utf8_is_listed_and_printed_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let group = tmp.path().join(std::ffi::OsStr::from_bytes(b"grp\xff"));
    fs::create_dir(&group).unwrap();
    let (code, _, err) = outcome(
        Command::new(bin())
            .args([os("scaffold"), os("demo"), os("-q"), os("--root")])
            .arg(&group)
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(group.join("dpone-connector-demo").is_dir());
    let (code, out, err) = run_within(
        &[os("list"), tmp.path().as_os_str()],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("grp\\xff/dpone-connector-demo  unverified"),
        "{out}"
    );
}

#[test]
fn terminal_controls_in_directory_names_are_printed_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = tmp.path().join("t\u{1b}]0;owned\u{7}x\u{9b}2J");
    scaffold_into(&hostile, "demo");
    for args in [
        vec!["list"],
        vec!["list", "--format", "md"],
        vec!["list", "--matrix"],
        vec!["list", "--matrix", "--format", "md"],
    ] {
        let mut args: Vec<&str> = args;
        args.push(tmp.path().to_str().unwrap());
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'));
        assert!(out.contains("\\u{1b}]0;owned\\u{7}"), "{args:?}: {out}");
    }
    let spec = tmp.path().join("s.yaml");
    fs::write(&spec, "connectors:\n  - name: one\n  - name: two\n").unwrap();
    for format in ["text", "md"] {
        let (code, out, err) = run(&[
            "scaffold",
            "--from",
            spec.to_str().unwrap(),
            "--root",
            hostile.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
        assert!(out.contains("\\u{1b}]0;owned"), "{out}");
    }
    let (code, out, _) = run(&["scaffold", "single", "--root", hostile.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn jobs_out_of_range_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("s.yaml");
    fs::write(&spec, "connectors:\n  - name: one\n").unwrap();
    let root = tmp.path().to_str().unwrap();
    for jobs in [
        "0",
        "65",
        "-1",
        "1000000000000",
        "18446744073709551615",
        "99999999999999999999999",
        "many",
        "",
    ] {
        let (code, _, err) = run(&["list", root, "--jobs", jobs]);
        assert_eq!(code, 2, "list --jobs {jobs:?}: {err}");
        assert!(err.starts_with("error:"), "{err}");
        let (code, _, err) = run(&["scaffold", "--from", spec.to_str().unwrap(), "--jobs", jobs]);
        assert_eq!(code, 2, "scaffold --jobs {jobs:?}: {err}");
    }
    let (code, _, err) = run(&["list", root, "--jobs", "64"]);
    assert_eq!(code, 0, "{err}");
}

/// The command line refuses an empty path in every command alike (the Python functions
/// read it as the current directory, as `pathlib` does: python/tests).
#[test]
fn an_empty_path_is_refused_alike_by_every_command() {
    for args in [
        vec!["list", ""],
        vec!["check", ""],
        vec!["certify", ""],
        vec!["add-capability", "", "--capability", "sink"],
        vec!["scaffold", "x", "--root", ""],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("a value is required"), "{args:?}: {err}");
    }
}

#[test]
fn with_stderr_closed_errors_never_land_in_generated_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = String::from("connectors:\n");
    for n in 0..40 {
        if n % 3 == 0 {
            spec.push_str(&format!("  - {{name: bad{n}, connector_type: nope}}\n"));
        } else {
            spec.push_str(&format!("  - name: good{n}\n"));
        }
    }
    fs::write(tmp.path().join("s.yaml"), spec).unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" scaffold --from s.yaml --root out --format json 2>&- >&-")
        .arg(bin())
        .current_dir(tmp.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let (code, out, err) = run(&[
        "list",
        tmp.path().join("out").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listing["packages"].as_array().unwrap().len(), 26);
    for package in listing["packages"].as_array().unwrap() {
        assert_eq!(package["drift"], 0, "{package}");
        assert_ne!(package["status"], "invalid", "{package}");
    }
}

/// SIGTERM (and SIGINT) mid-batch: the batch stops between packages, says so, exits
/// 128 + the signal, and leaves every package whole or absent, with no temporary.
#[test]
fn a_signal_stops_a_batch_between_whole_packages() {
    for (signal, status) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut spec = String::from("connectors:\n");
        for n in 0..3000 {
            spec.push_str(&format!("  - name: c{n}\n"));
        }
        fs::write(tmp.path().join("s.yaml"), spec).unwrap();
        let out = tmp.path().join("out");
        let child = Command::new(bin())
            .args([
                "scaffold", "--from", "s.yaml", "--root", "out", "--jobs", "2",
            ])
            .current_dir(tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until some packages are there, then signal.
        let started = Instant::now();
        while fs::read_dir(&out).map_or(0, |d| d.count()) < 20 {
            assert!(started.elapsed() < Duration::from_secs(60), "no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: kill(2) on our own child.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let signalled = Instant::now();
        let output = child.wait_with_output().unwrap();
        assert!(signalled.elapsed() < Duration::from_secs(5));
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(status), "{err}");
        assert!(err.contains("interrupted"), "{err}");
        let names: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.len() < 3000, "the batch was not stopped");
        let expected = fs::read_dir(out.join("dpone-connector-c0"))
            .unwrap()
            .count();
        for name in &names {
            assert!(name.starts_with("dpone-connector-c"), "leftover {name}");
            assert_eq!(
                fs::read_dir(out.join(name)).unwrap().count(),
                expected,
                "{name} is partial"
            );
        }
    }
}

/// A listing whose reader stopped reading (a full pipe blocks its writes, so it never
/// reaches the check between packages) still ends on SIGTERM: after the grace period the
/// signal's default action ends it. Nothing is written by `list`, so nothing is at risk.
#[test]
fn sigterm_ends_a_listing_blocked_on_a_full_pipe() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let mut spec = String::from("connectors:\n");
    for n in 0..600 {
        spec.push_str(&format!("  - name: c{n}\n"));
    }
    fs::write(tmp.path().join("s.yaml"), spec).unwrap();
    let (code, _, err) = run(&[
        "scaffold",
        "--from",
        tmp.path().join("s.yaml").to_str().unwrap(),
        "--root",
        tmp.path().join("tree").to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut child = Command::new(bin())
        .args(["list", "--format", "json", "--jobs", "2"])
        .arg(tmp.path().join("tree"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Never read: the pipe fills and the listing blocks writing to it.
    let _unread = child.stdout.take();
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: kill(2) on our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let signalled = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.code() == Some(143) || status.signal() == Some(libc::SIGTERM),
                "{status:?}"
            );
            break;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
