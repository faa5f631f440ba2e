//! The pack cache: every pack a package was made with, kept by digest under the user's cache
//! directory (`$XDG_CACHE_HOME/dpone-connectors/packs/<hex>/`, else `~/.cache/...`), so a
//! later `update` has the pack as it was as the base of its three-way merge, even after the
//! team changed the pack on the path.

use std::path::{Path, PathBuf};

use super::error::PackError;
use crate::model::capability::Capability;
use crate::model::pack_origin::{PackChange, PackOrigin};
use crate::model::registry::Registry;

/// Names the cache directory explicitly (tests, CI).
pub const CACHE_ENV: &str = "DPONE_CONNECTORS_CACHE_DIR";

/// The cache root: `$DPONE_CONNECTORS_CACHE_DIR`, else `$XDG_CACHE_HOME/dpone-connectors`,
/// else `~/.cache/dpone-connectors`; `None` without a home.
pub fn cache_root() -> Option<PathBuf> {
    let set = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(explicit) = set(CACHE_ENV) {
        return Some(explicit);
    }
    let base = set("XDG_CACHE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|home| home.join(".cache")))?;
    Some(base.join("dpone-connectors"))
}

/// Where the pack of `digest` (`sha256:<hex>`) is kept, whether or not it is there.
pub fn pack_dir(root: &Path, digest: &str) -> PathBuf {
    root.join("packs")
        .join(digest.strip_prefix("sha256:").unwrap_or(digest))
}

/// The hook `update` merges from: the registry as it was when a package was made, `current`
/// with each changed pack replaced by the copy kept under its recorded digest. `None` when
/// one of them is not in the cache (then every file that differs is a conflict).
pub fn base_registry(
    current: &'static Registry,
    changes: &[PackChange],
) -> Result<Option<&'static Registry>, PackError> {
    match cache_root() {
        Some(root) => base_registry_in(&root, current, changes),
        None if changes.is_empty() => Ok(Some(current)),
        None => Ok(None),
    }
}

fn base_registry_in(
    root: &Path,
    current: &'static Registry,
    changes: &[PackChange],
) -> Result<Option<&'static Registry>, PackError> {
    if changes.is_empty() {
        return Ok(Some(current));
    }
    let mut kept = Vec::with_capacity(changes.len());
    for change in changes {
        let dir = pack_dir(root, &change.recorded_digest);
        if !dir.join(super::format::MANIFEST).is_file() {
            return Ok(None);
        }
        let pack = super::load(&dir)?;
        // A cache entry whose files are not the ones its name says is no base at all.
        if pack.pack().digest != change.recorded_digest || pack.name() != change.name {
            return Ok(None);
        }
        kept.push(pack);
    }
    let capabilities = current
        .all()
        .iter()
        .copied()
        .filter(|c| !changes.iter().any(|change| change.name == c.name()))
        .chain(kept.into_iter().map(|p| p as &'static dyn Capability))
        .collect();
    let registry = Registry::from_capabilities(capabilities)?;
    Ok(Some(Box::leak(Box::new(registry))))
}

/// Keeps the packs of `capabilities` (those that came from one) in the cache. A pack
/// already kept is left as it is: the digest names its content.
pub fn keep_packs<'a>(
    capabilities: impl IntoIterator<Item = &'a dyn Capability>,
) -> Result<(), PackError> {
    let Some(root) = cache_root() else {
        return Ok(());
    };
    for capability in capabilities {
        if let Some(origin) = capability.origin() {
            keep(&root, origin)?;
        }
    }
    Ok(())
}

/// [`keep_packs`] for the capabilities of the registry in effect named `names` (a package's
/// capabilities, as a result lists them).
pub fn keep_named(names: &[String]) -> Result<(), PackError> {
    let registry = crate::model::registry::registry()?;
    keep_packs(names.iter().filter_map(|name| registry.get(name)))
}

/// Writes one pack's files under `root`, into a staging directory renamed into place.
pub fn keep(root: &Path, origin: &PackOrigin) -> Result<(), PackError> {
    let dir = pack_dir(root, &origin.digest);
    if dir.exists() {
        return Ok(());
    }
    let staging = dir.with_extension(format!("tmp-{}", std::process::id()));
    let files = origin
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()));
    match super::write_staged(&staging, &dir, files) {
        // Another process kept the same pack meanwhile: same digest, same files.
        Err(_) if dir.join(super::format::MANIFEST).is_file() => Ok(()),
        outcome => outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pack_origin::PackFile;

    #[test]
    fn the_base_of_a_changed_pack_is_its_kept_copy() {
        let root = tempfile::tempdir().unwrap();
        let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/packs");
        let current = super::super::registry_with(std::slice::from_ref(&packs)).unwrap();
        let pack = super::super::load(&packs.join("example_pack")).unwrap();
        let change = PackChange {
            name: "example_pack".to_owned(),
            recorded_version: "1.0.0".to_owned(),
            recorded_digest: pack.pack().digest.clone(),
            version: "1.0.1".to_owned(),
            digest: "sha256:0000".to_owned(),
            dir: packs.join("example_pack"),
        };
        let changes = std::slice::from_ref(&change);
        let unchanged = base_registry_in(root.path(), current, &[])
            .unwrap()
            .unwrap();
        assert!(std::ptr::eq(unchanged, current));
        // Not kept: no base.
        assert!(base_registry_in(root.path(), current, changes)
            .unwrap()
            .is_none());
        // Kept: the registry as recorded, the pack read back from the cache.
        keep(root.path(), pack.pack()).unwrap();
        let base = base_registry_in(root.path(), current, changes)
            .unwrap()
            .unwrap();
        let origin = base.get("example_pack").unwrap().origin().unwrap();
        assert_eq!(origin.dir, pack_dir(root.path(), &change.recorded_digest));
        assert_eq!(origin.digest, change.recorded_digest);
        assert_eq!(base.all().len(), current.all().len());
        // A kept copy that was edited is no base.
        std::fs::write(origin.dir.join("templates/example_pack.py"), "x = 1\n").unwrap();
        assert!(base_registry_in(root.path(), current, changes)
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_pack_is_kept_once_by_digest() {
        let root = tempfile::tempdir().unwrap();
        let origin = PackOrigin {
            dir: PathBuf::from("/packs/lookup"),
            version: "1.0.0".to_owned(),
            digest: "sha256:abc".to_owned(),
            files: vec![PackFile {
                path: "templates/x.py".to_owned(),
                bytes: b"x = 1\n".to_vec(),
            }],
        };
        keep(root.path(), &origin).unwrap();
        let kept = pack_dir(root.path(), "sha256:abc").join("templates/x.py");
        assert_eq!(std::fs::read(&kept).unwrap(), b"x = 1\n");
        std::fs::write(&kept, "edited").unwrap();
        keep(root.path(), &origin).unwrap();
        assert_eq!(std::fs::read(&kept).unwrap(), b"edited");
    }
}
