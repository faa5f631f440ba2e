//! The writer on real broken file systems: a tmpfs that fills up at every possible point, and
//! one remounted read-only. These need permission to mount (root, as CI runs); without it
//! they fail, unless `DPONE_TEST_ALLOW_SKIP=mounts` allows the skip (it is printed).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{demo_scaffold, leftovers, scratch, snapshot, LARGER_DEMO};

const PKG: &str = "dpone-connector-demo";

/// A tmpfs mounted on a scratch directory, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None` (with the reason printed) when this environment may not mount.
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => Some(Tmpfs { dir }),
            other => {
                common::cannot_run(
                    common::Missing::Mounts,
                    &format!("cannot mount a tmpfs here ({other:?}); needs root or CAP_SYS_ADMIN"),
                );
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount {mode}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn scaffold(root: &Path, extra: &[&str]) -> (i32, String) {
    let output = demo_scaffold(root, LARGER_DEMO)
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn expected_package() -> std::collections::BTreeMap<PathBuf, common::Node> {
    let base = scratch();
    assert_eq!(scaffold(base.path(), &[]).0, 0);
    snapshot(&base.path().join(PKG))
}

fn fill(dir: &Path, bytes: usize) {
    if bytes > 0 {
        // May itself run out of space: what matters is how full the disk is afterwards.
        let _ = fs::write(dir.join("filler"), vec![b'x'; bytes]);
    }
}

#[test]
fn a_filling_disk_never_leaves_a_partial_package() {
    let expected = expected_package();
    let (mut failed, mut written) = (0, 0);
    for kib in (0..=256).step_by(8) {
        let Some(tmpfs) = Tmpfs::mount("256k") else {
            return;
        };
        fill(tmpfs.path(), kib * 1024);
        let (code, stderr) = scaffold(tmpfs.path(), &[]);
        let package = tmpfs.path().join(PKG);
        let tree = snapshot(tmpfs.path());
        assert!(leftovers(&tree).is_empty(), "{kib}k: {tree:?}");
        if code == 0 {
            written += 1;
            assert_eq!(snapshot(&package), expected, "{kib}k");
        } else {
            failed += 1;
            assert_eq!(code, 2, "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("No space left on device"), "{stderr}");
            assert!(
                stderr.contains(&*tmpfs.path().to_string_lossy()),
                "{stderr}"
            );
            assert!(!package.exists(), "{kib}k: a partial package was left");
        }
    }
    assert!(
        failed > 0 && written > 0,
        "{failed} failed, {written} written"
    );
}

#[test]
fn a_filling_disk_never_half_updates_a_package() {
    let expected = expected_package();
    let mut failed = 0;
    for kib in (0..=256).step_by(8) {
        let Some(tmpfs) = Tmpfs::mount("512k") else {
            return;
        };
        assert_eq!(scaffold(tmpfs.path(), &[]).0, 0);
        let dir = tmpfs.path().join(PKG);
        fs::write(dir.join("README.md"), "# mine\n").unwrap();
        fs::remove_file(dir.join("docs/demo.md")).unwrap();
        fs::remove_dir_all(dir.join("examples")).unwrap();
        // Fill what is left, minus a margin that grows each round.
        let stat = nix_free_bytes(tmpfs.path());
        fill(tmpfs.path(), stat.saturating_sub(kib * 1024));
        let before = snapshot(tmpfs.path());
        let (code, stderr) = scaffold(tmpfs.path(), &["--force"]);
        if code != 0 {
            failed += 1;
            assert_eq!(code, 2, "{stderr}");
            assert!(stderr.contains("No space left on device"), "{stderr}");
            assert_eq!(snapshot(tmpfs.path()), before, "{kib}k: {stderr}");
            // With room again, the same command completes the package.
            fs::remove_file(tmpfs.path().join("filler")).unwrap();
            assert_eq!(scaffold(tmpfs.path(), &["--force"]).0, 0);
        }
        assert_eq!(snapshot(&dir), expected, "{kib}k");
    }
    assert!(failed > 0, "the disk never filled up");
}

/// Free bytes of the file system holding `path`.
fn nix_free_bytes(path: &Path) -> usize {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a zeroed statvfs is a valid out-parameter; the path is NUL-terminated.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::statvfs(c.as_ptr(), &mut stat) }, 0);
    (stat.f_bavail as usize) * (stat.f_frsize as usize)
}

#[test]
fn a_read_only_file_system_is_refused_cleanly_and_a_rerun_still_reports() {
    let Some(tmpfs) = Tmpfs::mount("1m") else {
        return;
    };
    fs::create_dir(tmpfs.path().join("empty")).unwrap();
    assert_eq!(scaffold(tmpfs.path(), &[]).0, 0);
    let dir = tmpfs.path().join(PKG);
    fs::write(dir.join("README.md"), "# mine\n").unwrap();
    fs::remove_file(dir.join("docs/demo.md")).unwrap();
    tmpfs.remount("ro");
    let before = snapshot(tmpfs.path());

    // A new package in a read-only root.
    let root = tmpfs.path().join("empty");
    let (code, stderr) = scaffold(&root, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert!(stderr.contains(&*root.to_string_lossy()), "{stderr}");

    // An update with --force.
    let (code, stderr) = scaffold(tmpfs.path(), &["--force"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");

    // Without --force it is refused for the conflict, before anything is attempted.
    let (code, stderr) = scaffold(tmpfs.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("README.md"), "{stderr}");

    // A dry run works on a read-only file system.
    assert_eq!(scaffold(tmpfs.path(), &["--dry-run", "--force"]).0, 0);
    assert_eq!(snapshot(tmpfs.path()), before);

    tmpfs.remount("rw");
    assert_eq!(scaffold(tmpfs.path(), &["--force"]).0, 0);
    assert_eq!(snapshot(&dir), expected_package());
}

#[test]
fn an_up_to_date_package_on_a_read_only_file_system_is_a_clean_no_op() {
    let Some(tmpfs) = Tmpfs::mount("1m") else {
        return;
    };
    assert_eq!(scaffold(tmpfs.path(), &[]).0, 0);
    tmpfs.remount("ro");
    let (code, stderr) = scaffold(tmpfs.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
}
