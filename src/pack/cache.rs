//! The pack cache: every pack a package was made with, kept by digest under the user's cache
//! directory (`$XDG_CACHE_HOME/dpone-connectors/packs/<hex>/`, else `~/.cache/...`), so a
//! later `update` has the pack as it was as the base of its three-way merge, even after the
//! team changed the pack on the path.

use std::path::{Path, PathBuf};

use super::error::PackError;
use crate::model::capability::Capability;
use crate::model::pack_origin::PackOrigin;

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

/// The kept copy of the pack with `digest`, if there is one: the base `update` merges from.
pub fn cached_pack(digest: &str) -> Option<PathBuf> {
    let dir = pack_dir(&cache_root()?, digest);
    dir.join(super::format::MANIFEST).is_file().then_some(dir)
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
