//! Capability packs: a team's own runtime capability as data, loaded beside the built-ins.
//!
//! A pack is a directory holding `capability.toml` (see [`format`]) and the template files
//! it names. Directories of packs (one pack per subdirectory, as `PATH` holds programs) come
//! from `--capability-path`, then `DPONE_CONNECTORS_CAPABILITY_PATH`, then the config file's
//! `capability-path`. Loaded packs become [`PackCapability`] trait objects in one
//! [`Registry`] with the built-ins, sorted the same way; the front end runs its call inside
//! [`with_registry`](crate::model::registry::with_registry). No code in a pack ever runs:
//! templates use the `{{placeholder}}` engine of the built-ins and nothing else.

pub mod cache;
mod capability;
pub mod error;
pub mod export;
pub mod format;
pub mod load;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use capability::PackCapability;
pub use error::PackError;

use crate::model::capability::Capability;
use crate::model::registry::{builtin_registry, Registry};
use crate::scaffold::user_defaults::config_capability_path;
use format::MANIFEST;

/// The environment variable of the capability path (directories separated as in `PATH`).
pub const CAPABILITY_PATH_ENV: &str = "DPONE_CONNECTORS_CAPABILITY_PATH";
/// Packs in one directory of the capability path, at most.
const MAX_PACKS_PER_DIR: usize = 1000;

/// The capability path: `flags` (from `--capability-path` or `capability_path=`), then the
/// environment variable's directories, then the config file's.
pub fn capability_path(flags: &[PathBuf]) -> Result<Vec<PathBuf>, PackError> {
    let mut dirs: Vec<PathBuf> = flags.to_vec();
    if let Some(value) = std::env::var_os(CAPABILITY_PATH_ENV) {
        dirs.extend(std::env::split_paths(&value).filter(|d| !d.as_os_str().is_empty()));
    }
    dirs.extend(config_capability_path()?);
    let mut unique: Vec<PathBuf> = Vec::with_capacity(dirs.len());
    for dir in dirs {
        if !unique.contains(&dir) {
            unique.push(dir);
        }
    }
    Ok(unique)
}

/// The registry of the built-ins and the packs on the capability path of `flags` (see
/// [`capability_path`]); the built-in registry when there are none.
pub fn registry_for(flags: &[PathBuf]) -> Result<&'static Registry, PackError> {
    registry_with(&capability_path(flags)?)
}

/// The registry of the built-ins and the packs in `dirs`, built once per distinct set of
/// packs for the life of the process.
pub fn registry_with(dirs: &[PathBuf]) -> Result<&'static Registry, PackError> {
    let builtins = builtin_registry()?;
    let packs = packs_in(dirs)?;
    if packs.is_empty() {
        return Ok(builtins);
    }
    for (i, pack) in packs.iter().enumerate() {
        let path = pack.pack().dir.join(MANIFEST);
        if builtins.get(pack.name()).is_some() {
            return Err(PackError::Duplicate {
                path,
                name: pack.name().to_owned(),
                other: "the built-in capability".to_owned(),
            });
        }
        for earlier in &packs[..i] {
            let other = earlier.pack().dir.join(MANIFEST).display().to_string();
            if earlier.name() == pack.name() {
                return Err(PackError::Duplicate {
                    path,
                    name: pack.name().to_owned(),
                    other,
                });
            }
            if let Some(file) = pack
                .files()
                .iter()
                .find(|f| earlier.files().iter().any(|e| e.path == f.path))
            {
                return Err(PackError::SameFile {
                    path,
                    file: file.path.to_owned(),
                    other,
                });
            }
        }
    }
    static MADE: Mutex<Vec<(Vec<usize>, &'static Registry)>> = Mutex::new(Vec::new());
    let key: Vec<usize> = packs.iter().map(|p| *p as *const _ as usize).collect();
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, registry)) = made.iter().find(|(k, _)| *k == key) {
        return Ok(registry);
    }
    let mut all: Vec<&'static dyn Capability> = builtins.all().to_vec();
    all.extend(packs.iter().map(|p| *p as &'static dyn Capability));
    let registry: &'static Registry = Box::leak(Box::new(Registry::from_capabilities(all)?));
    made.push((key, registry));
    Ok(registry)
}

/// The packs in `dirs`, in path order, each directory's in name order.
pub fn packs_in(dirs: &[PathBuf]) -> Result<Vec<&'static PackCapability>, PackError> {
    let mut packs = Vec::new();
    for dir in dirs {
        for pack_dir in pack_dirs(dir)? {
            packs.push(load(&pack_dir)?);
        }
    }
    Ok(packs)
}

/// The subdirectories of `dir` holding a `capability.toml`, sorted. A symlinked pack
/// directory is refused: a pack is read where it lies.
fn pack_dirs(dir: &Path) -> Result<Vec<PathBuf>, PackError> {
    if !dir.is_dir() {
        return Err(PackError::NotADirectory(dir.to_path_buf()));
    }
    let read_error = |source| PackError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let has_manifest = std::fs::symlink_metadata(path.join(MANIFEST)).is_ok();
        if kind.is_symlink() && has_manifest {
            return Err(PackError::refused(
                &path,
                "is a symlink; put the pack directory itself on the capability path",
            ));
        }
        if kind.is_dir() && has_manifest {
            found.push(path);
            if found.len() > MAX_PACKS_PER_DIR {
                return Err(PackError::refused(
                    dir,
                    format!("holds more than {MAX_PACKS_PER_DIR} packs"),
                ));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Loads the pack in `dir`. The same content at the same place gives the same capability,
/// so repeated calls (a Python program calling the API in a loop) do not grow memory.
pub fn load(dir: &Path) -> Result<&'static PackCapability, PackError> {
    let data = load::load_pack(dir)?;
    static MADE: Mutex<Vec<&'static PackCapability>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = made
        .iter()
        .find(|p| p.pack().dir == data.origin.dir && p.pack().digest == data.origin.digest)
    {
        return Ok(found);
    }
    let capability = PackCapability::leak(data);
    made.push(capability);
    Ok(capability)
}

/// Writes `files` (`/`-separated paths inside the new directory, and their bytes) into
/// `staging`, then renames it to `dir`: the directory appears whole or not at all. On
/// failure `staging` is removed; the error names the path that failed. A rename that fails
/// because `dir` appeared meanwhile is the caller's to judge (`Err` with `dir`).
pub(crate) fn write_staged<'a>(
    staging: &Path,
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), PackError> {
    let write_error = |path: &Path, source| PackError::Write {
        path: path.to_path_buf(),
        source,
    };
    let written = (|| {
        for (relative, bytes) in files {
            let path = staging.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| write_error(&path, e))?;
        }
        std::fs::rename(staging, dir).map_err(|e| write_error(dir, e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(staging);
    }
    written
}
