//! Where a person's details come from when a flag does not give them: environment variables,
//! then the user config file. Flags (and batch entries) are layered over the result with
//! [`PackageDetails::or`].
//!
//! The config file is `$DPONE_CONNECTORS_CONFIG`, else `$XDG_CONFIG_HOME/dpone-connectors/config.toml`,
//! else `~/.config/dpone-connectors/config.toml`:
//!
//! ```toml
//! [scaffold]
//! author = "Ada Lovelace"
//! email = "ada@example.org"
//! license = "MIT"
//! python = "3.12"
//! ```
//!
//! A top-level `capability-path = ["/srv/dpone/packs"]` (or one string) adds directories of
//! capability packs, searched after `--capability-path` and `DPONE_CONNECTORS_CAPABILITY_PATH`.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::error::ConfigError;
use crate::model::package::PackageDetails;

/// Names an explicit config file (which must then exist).
pub const CONFIG_ENV: &str = "DPONE_CONNECTORS_CONFIG";
/// The config file's path inside the config directory.
pub const CONFIG_FILE: &str = "dpone-connectors/config.toml";
/// The environment variables, by detail.
pub const DETAIL_ENV: [(&str, &str); 5] = [
    ("author", "DPONE_CONNECTORS_AUTHOR"),
    ("email", "DPONE_CONNECTORS_EMAIL"),
    ("license", "DPONE_CONNECTORS_LICENSE"),
    ("description", "DPONE_CONNECTORS_DESCRIPTION"),
    ("python", "DPONE_CONNECTORS_PYTHON"),
];
/// A config file holds a few lines; anything larger is not one.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Directories of capability packs, searched after `--capability-path` and
    /// `DPONE_CONNECTORS_CAPABILITY_PATH`.
    #[serde(default, rename = "capability-path")]
    capability_path: Option<PathList>,
    #[serde(default)]
    scaffold: PackageDetails,
}

/// One directory, or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum PathList {
    One(String),
    Many(Vec<String>),
}

/// The config file's `capability-path` directories (a string or a list of strings); a
/// relative one is relative to the config file's directory.
pub fn config_capability_path() -> Result<Vec<PathBuf>, ConfigError> {
    let env = |name: &str| std::env::var_os(name);
    let Some((path, required)) = config_path(&env) else {
        return Ok(Vec::new());
    };
    let Some(text) = read_config_text(&path, required)? else {
        return Ok(Vec::new());
    };
    let config = parse_config_file(&text, &path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let dirs = match config.capability_path {
        None => Vec::new(),
        Some(PathList::One(dir)) => vec![dir],
        Some(PathList::Many(dirs)) => dirs,
    };
    Ok(dirs
        .into_iter()
        .filter(|dir| !dir.trim().is_empty())
        .map(|dir| base.join(dir))
        .collect())
}

/// The details from the environment, then the config file: what flags fall back to.
pub fn user_defaults() -> Result<PackageDetails, ConfigError> {
    let env = |name: &str| std::env::var_os(name);
    let details = env_details(&env)?;
    let from_config = match config_path(&env) {
        Some((path, required)) => read_config(&path, required)?,
        None => PackageDetails::default(),
    };
    Ok(details.or(from_config))
}

/// The details set by `DPONE_CONNECTORS_*` variables; an empty variable counts as unset. A
/// value that is not UTF-8 is an error naming the variable (it would otherwise be written
/// into `pyproject.toml` with U+FFFD in place of its bytes).
pub fn env_details(env: &dyn Fn(&str) -> Option<OsString>) -> Result<PackageDetails, ConfigError> {
    let get = |detail: &str| -> Result<Option<String>, ConfigError> {
        let Some((_, var)) = DETAIL_ENV.iter().find(|(name, _)| *name == detail) else {
            return Ok(None);
        };
        match env(var).map(OsString::into_string) {
            None => Ok(None),
            Some(Ok(value)) => Ok(Some(value).filter(|v| !v.trim().is_empty())),
            Some(Err(_)) => Err(ConfigError::NotUnicode(var)),
        }
    };
    Ok(PackageDetails {
        author: get("author")?,
        email: get("email")?,
        license: get("license")?,
        description: get("description")?,
        python: get("python")?,
    })
}

/// The config file to read and whether it must exist (it must when named explicitly). The
/// variables are paths, taken as the bytes they are: a home directory whose name is not
/// UTF-8 still has its config read.
pub fn config_path(env: &dyn Fn(&str) -> Option<OsString>) -> Option<(PathBuf, bool)> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(explicit) = set(CONFIG_ENV) {
        return Some((PathBuf::from(explicit), true));
    }
    let dir = set("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some((dir.join(CONFIG_FILE), false))
}

/// Reads a config file: a regular file of at most 64 KiB, TOML with an optional
/// `[scaffold]` table of details. A missing file gives no details unless `required`.
pub fn read_config(path: &Path, required: bool) -> Result<PackageDetails, ConfigError> {
    match read_config_text(path, required)? {
        Some(text) => parse_config(&text, path),
        None => Ok(PackageDetails::default()),
    }
}

/// The config file's text; `None` when it is missing and not `required`.
fn read_config_text(path: &Path, required: bool) -> Result<Option<String>, ConfigError> {
    let unusable = |reason| ConfigError::Unusable {
        path: path.to_path_buf(),
        reason,
    };
    let read_error = |source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(err) => return Err(read_error(err)),
    };
    if !meta.is_file() {
        return Err(unusable("not a regular file"));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CONFIG_BYTES + 1).read_to_string(&mut text))
        .map_err(read_error)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(unusable("larger than 64 KiB"));
    }
    Ok(Some(text))
}

/// The whole config file, parsed; `path` only names the file in the error.
fn parse_config_file(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
    toml::from_str::<ConfigFile>(text).map_err(|err| ConfigError::Parse {
        path: path.to_path_buf(),
        message: err.message().replace('\n', " "),
    })
}

/// Parses config text; `path` only names the file in the error, which is one line.
pub fn parse_config(text: &str, path: &Path) -> Result<PackageDetails, ConfigError> {
    parse_config_file(text, path).map(|config| config.scaffold)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Config text parsed; the error as its one-line message.
    fn parse(text: &str) -> Result<PackageDetails, String> {
        parse_config(text, Path::new("config.toml")).map_err(|e| e.to_string())
    }
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), OsString::from(*v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn values_that_are_not_utf8_are_refused_and_paths_kept_whole() {
        use std::os::unix::ffi::OsStringExt;
        let bytes = |b: &[u8]| OsString::from_vec(b.to_vec());
        let author = |name: &str| (name == "DPONE_CONNECTORS_AUTHOR").then(|| bytes(b"Jos\xe9"));
        let err = env_details(&author).unwrap_err().to_string();
        assert!(err.contains("DPONE_CONNECTORS_AUTHOR"), "{err}");
        let home = |name: &str| (name == "HOME").then(|| bytes(b"/home/jos\xe9"));
        let (path, required) = config_path(&home).unwrap();
        assert!(!required);
        assert_eq!(
            path.as_os_str(),
            bytes(b"/home/jos\xe9/.config/dpone-connectors/config.toml")
        );
    }

    #[test]
    fn the_config_file_is_found_like_xdg_says() {
        let explicit = env_of(&[(CONFIG_ENV, "/etc/x.toml"), ("HOME", "/home/a")]);
        assert_eq!(
            config_path(&explicit),
            Some((PathBuf::from("/etc/x.toml"), true))
        );
        let xdg = env_of(&[("XDG_CONFIG_HOME", "/cfg"), ("HOME", "/home/a")]);
        assert_eq!(
            config_path(&xdg),
            Some((PathBuf::from("/cfg/dpone-connectors/config.toml"), false))
        );
        // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
        let relative = env_of(&[("XDG_CONFIG_HOME", "cfg"), ("HOME", "/home/a")]);
        assert_eq!(
            config_path(&relative),
            Some((
                PathBuf::from("/home/a/.config/dpone-connectors/config.toml"),
                false
            ))
        );
        assert_eq!(config_path(&env_of(&[])), None);
    }

    #[test]
    fn environment_variables_set_details_and_empty_ones_do_not() {
        let env = env_of(&[
            ("DPONE_CONNECTORS_AUTHOR", "Ada"),
            ("DPONE_CONNECTORS_LICENSE", " "),
        ]);
        let details = env_details(&env).unwrap();
        assert_eq!(details.author.as_deref(), Some("Ada"));
        assert_eq!(details.license, None);
    }

    #[test]
    fn config_text_is_a_scaffold_table_with_known_keys_only() {
        let details = parse("[scaffold]\nauthor = \"Ada\"\nlicense = \"MIT\"\n").unwrap();
        assert_eq!(details.author.as_deref(), Some("Ada"));
        assert_eq!(details.license.as_deref(), Some("MIT"));
        assert_eq!(parse("").unwrap(), PackageDetails::default());
        let typo = parse("[scaffold]\nauthr = \"Ada\"\n").unwrap_err();
        assert!(typo.contains("unknown field `authr`"), "{typo}");
        assert!(parse("[scaffold\n").is_err());
        assert!(!parse("[scaffold\n").unwrap_err().contains('\n'));
    }

    proptest::proptest! {
        /// Any text is either details or a one-line error; never a panic.
        #[test]
        fn any_config_text_parses_or_fails_on_one_line(text in "(\\PC|\n){0,200}") {
            if let Err(message) = parse(&text) {
                proptest::prop_assert!(!message.contains('\n'));
            }
        }
    }

    #[test]
    fn config_files_are_bounded_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.toml");
        assert_eq!(
            read_config(&missing, false).unwrap(),
            PackageDetails::default()
        );
        assert!(read_config(&missing, true).is_err());
        let not_a_file = read_config(dir.path(), false).unwrap_err().to_string();
        assert!(not_a_file.ends_with("not a regular file"), "{not_a_file}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "#".repeat(70 * 1024)).unwrap();
        let too_big = read_config(&big, false).unwrap_err().to_string();
        assert!(too_big.ends_with("larger than 64 KiB"), "{too_big}");
    }
}
