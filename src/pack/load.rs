//! Reading one pack directory: bounded reads of regular files that stay inside the pack,
//! `capability.toml` checked against the schema, every template checked for placeholders
//! the engine would not replace. Nothing in a pack runs: it is text and data.

use std::borrow::Cow;
use std::path::{Component, Path};

use super::error::PackError;
use super::format::{Manifest, SchemaOnly, MANIFEST, SCHEMA_VERSION};
use crate::model::pack_origin::{PackFile, PackOrigin};
use crate::model::registry::is_valid_name;
use crate::scaffold::vars::CAPABILITY_PLACEHOLDERS;
use crate::text::digest::hex;
use crate::yaml::Node;

/// `capability.toml` is a page or two.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024;
/// One template file.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;
/// Every file of one pack together.
pub const MAX_PACK_BYTES: u64 = 8 * 1024 * 1024;
/// Generated files of one pack.
pub const MAX_FILES: usize = 64;
/// The longest summary, required-test sentence or version.
const MAX_LINE: usize = 300;

/// A pack as read and checked, before it becomes a capability.
#[derive(Debug)]
pub struct PackData {
    pub(crate) name: String,
    pub(crate) rank: u32,
    pub(crate) summary: String,
    pub(crate) certification: Node,
    pub(crate) required_tests: Vec<(String, String)>,
    pub(crate) proven_by_scaffold: Vec<String>,
    /// (path template, template text).
    pub(crate) files: Vec<(String, String)>,
    pub(crate) readme: String,
    pub(crate) docs: String,
    pub(crate) tests: String,
    pub(crate) test_imports: String,
    pub(crate) origin: PackOrigin,
}

/// The package files every connector gets; a pack may not generate any of them (they are
/// the shared files its fragments add to, and the contract files).
const SHARED_FILES: &[&str] = &[
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "dpone_connector_manifest.json",
    "docs/{{connector}}.md",
    "tests/test_{{connector}}_contract.py",
    "src/{{import_package}}/__init__.py",
    "src/{{import_package}}/connector.py",
    "src/{{import_package}}/py.typed",
    "certification/certification.yaml",
    "certification/run_certification.py",
    ".github/workflows/certification.yml",
];

/// Reads and checks the pack in `dir`.
pub fn load_pack(dir: &Path) -> Result<PackData, PackError> {
    let manifest_path = dir.join(MANIFEST);
    let mut reader = PackReader::new(dir);
    let text = reader.read(MANIFEST, MAX_MANIFEST_BYTES)?;
    let manifest = parse_manifest(&manifest_path, &text)?;
    let refuse = |reason: String| PackError::refused(&manifest_path, reason);

    if !is_valid_name(&manifest.name) {
        return Err(refuse(format!(
            "name `{}` is not an identifier (lowercase letters, digits and _, starting with a letter)",
            manifest.name
        )));
    }
    if manifest.kind != "runtime" {
        return Err(refuse(format!(
            "kind `{}` is not one a pack can be (only `runtime`)",
            manifest.kind
        )));
    }
    check_version(&manifest.version).map_err(|r| refuse(r.to_owned()))?;
    check_line("summary", &manifest.summary).map_err(refuse)?;

    let mut required_tests: Vec<(String, String)> = Vec::new();
    for test in &manifest.required_tests {
        if !is_valid_name(&test.name) {
            return Err(refuse(format!(
                "required test `{}` is not an identifier",
                test.name
            )));
        }
        if required_tests.iter().any(|(name, _)| *name == test.name) {
            return Err(refuse(format!(
                "required test `{}` is listed twice",
                test.name
            )));
        }
        check_line(
            &format!("required test `{}`: proves", test.name),
            &test.proves,
        )
        .map_err(refuse)?;
        required_tests.push((test.name.clone(), test.proves.clone()));
    }
    for proven in &manifest.proven_by_scaffold {
        if !required_tests.iter().any(|(name, _)| name == proven) {
            return Err(refuse(format!(
                "proven_by_scaffold names `{proven}`, which is not a required test"
            )));
        }
    }
    let certification = certification_node(&manifest, &required_tests).map_err(refuse)?;

    if manifest.files.len() > MAX_FILES {
        return Err(refuse(format!("more than {MAX_FILES} files")));
    }
    let mut files: Vec<(String, String)> = Vec::with_capacity(manifest.files.len());
    for file in &manifest.files {
        check_output_path(&file.path).map_err(refuse)?;
        // The capability's name is known here: paths are compared (and later rendered)
        // with it in place.
        let path = file.path.replace("{{capability}}", &manifest.name);
        if files.iter().any(|(earlier, _)| *earlier == path) {
            return Err(refuse(format!("generates {path} twice")));
        }
        let body = reader.template(&file.template)?;
        files.push((path, body));
    }
    let module = format!("src/{{{{import_package}}}}/{}.py", manifest.name);
    if !files.iter().any(|(path, _)| *path == module) {
        return Err(refuse(format!(
            "no [[files]] entry generates the capability's module {module} (every package's \
             contract tests look for src/<package>/<capability>.py; \
             `src/{{{{import_package}}}}/{{{{capability}}}}.py` follows the name)"
        )));
    }
    let fragment = |reader: &mut PackReader<'_>, file: &Option<String>| match file {
        Some(file) => reader.template(file),
        None => Ok(String::new()),
    };
    let readme = fragment(&mut reader, &manifest.fragments.readme)?;
    let docs = fragment(&mut reader, &manifest.fragments.docs)?;
    let tests = fragment(&mut reader, &manifest.fragments.tests)?;
    let test_imports = fragment(&mut reader, &manifest.fragments.test_imports)?;
    check_test_imports(&test_imports).map_err(|reason| {
        let path = dir.join(
            manifest
                .fragments
                .test_imports
                .as_deref()
                .unwrap_or_default(),
        );
        PackError::refused(&path, reason)
    })?;

    let origin = reader.finish(manifest.version.clone());
    Ok(PackData {
        name: manifest.name,
        rank: manifest.rank,
        summary: manifest.summary,
        certification,
        required_tests,
        proven_by_scaffold: manifest.proven_by_scaffold,
        files,
        readme,
        docs,
        tests,
        test_imports,
        origin,
    })
}

/// Parses `capability.toml`: its schema version first, then the whole schema. Errors name
/// the file and line.
fn parse_manifest(path: &Path, text: &str) -> Result<Manifest, PackError> {
    let syntax = |err: toml::de::Error| PackError::Syntax {
        path: path.to_path_buf(),
        line: err
            .span()
            .map(|span| line_of(text, span.start))
            .unwrap_or(1),
        message: err.message().replace('\n', " "),
    };
    let schema = toml::from_str::<SchemaOnly>(text).map_err(syntax)?.schema;
    match schema {
        Some(toml::Value::Integer(SCHEMA_VERSION)) => {}
        Some(other) => {
            return Err(PackError::refused(
                path,
                format!(
                "schema {other} is not one this version reads (it reads schema {SCHEMA_VERSION})"
            ),
            ))
        }
        None => {
            return Err(PackError::refused(
                path,
                format!("`schema` is missing (this version reads schema = {SCHEMA_VERSION})"),
            ))
        }
    }
    toml::from_str::<Manifest>(text).map_err(syntax)
}

/// The 1-based line holding byte `offset` of `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn check_version(version: &str) -> Result<(), &'static str> {
    let ok = !version.is_empty()
        && version.len() <= 64
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if ok {
        Ok(())
    } else {
        Err("version must be letters, digits and . - + _ (at most 64), e.g. \"1.0.0\"")
    }
}

fn check_line(what: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{what} is empty"))
    } else if value.chars().any(char::is_control) {
        Err(format!("{what} must be one line of plain text"))
    } else if value.chars().count() > MAX_LINE {
        Err(format!("{what} is longer than {MAX_LINE} characters"))
    } else {
        Ok(())
    }
}

/// The certification section: the `[certification]` table in its order, with
/// `required_tests` listing the required tests (appended when the table does not list them,
/// checked when it does).
fn certification_node(manifest: &Manifest, required: &[(String, String)]) -> Result<Node, String> {
    let names: Vec<&str> = required.iter().map(|(name, _)| name.as_str()).collect();
    let mut entries = Vec::with_capacity(manifest.certification.len() + 1);
    let mut listed = false;
    for (key, value) in &manifest.certification {
        let node = toml_to_node(value, 0).map_err(|r| format!("certification.{key}: {r}"))?;
        if key == "required_tests" {
            let as_listed: Option<Vec<&str>> = match &node {
                Node::Seq(items) => items
                    .iter()
                    .map(|i| match i {
                        Node::Str(s) => Some(s.as_ref()),
                        _ => None,
                    })
                    .collect(),
                _ => None,
            };
            if as_listed.as_deref() != Some(names.as_slice()) {
                return Err(
                    "certification.required_tests must list the [[required_tests]] names, in order"
                        .to_owned(),
                );
            }
            listed = true;
        }
        entries.push((Cow::Owned(key.clone()), node));
    }
    if !listed {
        entries.push((
            Cow::Borrowed("required_tests"),
            Node::Seq(names.iter().map(|n| Node::str((*n).to_owned())).collect()),
        ));
    }
    Ok(Node::Map(entries))
}

/// A TOML value as YAML data: strings, booleans, integers, arrays and tables (in order).
fn toml_to_node(value: &toml::Value, depth: usize) -> Result<Node, String> {
    if depth > 16 {
        return Err("nested too deep".to_owned());
    }
    Ok(match value {
        toml::Value::String(s) => Node::str(s.clone()),
        toml::Value::Boolean(b) => Node::Bool(*b),
        toml::Value::Integer(i) => Node::Int(*i),
        toml::Value::Array(items) => Node::Seq(
            items
                .iter()
                .map(|i| toml_to_node(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(table) => Node::Map(
            table
                .iter()
                .map(|(k, v)| Ok((Cow::Owned(k.clone()), toml_to_node(v, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
        toml::Value::Float(_) => return Err("floats are not allowed (use a string)".to_owned()),
        toml::Value::Datetime(_) => return Err("dates are not allowed (use a string)".to_owned()),
    })
}

/// A generated file's path template: relative, `/`-separated, inside the package, with
/// known placeholders, and not one of the shared files.
fn check_output_path(path: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("file path {path:?} {why}"));
    if path.is_empty() || path.len() > 255 {
        return bad("must be 1 to 255 characters");
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return bad("must be relative and /-separated (it would leave the package)");
    }
    if path.chars().any(char::is_control) {
        return bad("has a control character");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return bad("must stay inside the package (no empty, . or .. parts)");
    }
    if let Some((name, _)) = unknown_placeholder(path) {
        return bad(&format!("uses unknown placeholder {{{{{name}}}}}"));
    }
    if SHARED_FILES.contains(&path) {
        return bad("is a file every package gets; add to it with a fragment instead");
    }
    Ok(())
}

/// Test imports are `from module import names` lines, as the built-ins write them.
fn check_test_imports(text: &str) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let ok = line.is_empty()
            || line
                .strip_prefix("from ")
                .and_then(|rest| rest.split_once(" import "))
                .is_some_and(|(module, names)| !module.is_empty() && !names.trim().is_empty());
        if !ok {
            return Err(format!(
                "line {}: test imports are `from module import names` lines",
                n + 1
            ));
        }
    }
    Ok(())
}

/// The first `{{name}}` in `text` whose name is not a capability placeholder, and its byte
/// offset. A `{{` that starts no placeholder at all counts too: the engine would leave it in
/// the generated file.
fn unknown_placeholder(text: &str) -> Option<(String, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{{") {
        let start = from + at;
        let after = &text[start + 2..];
        let name = after.find("}}").map(|end| &after[..end]);
        match name {
            Some(name) if CAPABILITY_PLACEHOLDERS.contains(&name) => {
                from = start + 2 + name.len() + 2;
            }
            Some(name) if name.len() <= 40 && !name.contains('\n') => {
                return Some((name.to_owned(), start))
            }
            _ => return Some((after.chars().take(20).collect(), start)),
        }
    }
    None
}

/// Reads the files of one pack, each once, keeping them for the digest.
struct PackReader<'a> {
    dir: &'a Path,
    files: Vec<PackFile>,
    total: u64,
}

impl<'a> PackReader<'a> {
    fn new(dir: &'a Path) -> Self {
        PackReader {
            dir,
            files: Vec::new(),
            total: 0,
        }
    }

    /// A template file: read, UTF-8, every placeholder known.
    fn template(&mut self, relative: &str) -> Result<String, PackError> {
        let text = self.read(relative, MAX_TEMPLATE_BYTES)?;
        if let Some((name, offset)) = unknown_placeholder(&text) {
            return Err(PackError::Placeholder {
                path: self.dir.join(relative),
                line: line_of(&text, offset),
                placeholder: name,
                known: CAPABILITY_PLACEHOLDERS.join(", "),
            });
        }
        Ok(text)
    }

    /// Reads `relative` (a `/`-separated path inside the pack): every part a plain name,
    /// no part a symlink, the file regular and at most `cap` bytes, UTF-8.
    fn read(&mut self, relative: &str, cap: u64) -> Result<String, PackError> {
        if let Some(file) = self.files.iter().find(|f| f.path == relative) {
            return Ok(String::from_utf8_lossy(&file.bytes).into_owned());
        }
        let shown = self.dir.join(relative);
        let refuse = |reason: &str| PackError::refused(&shown, reason);
        let parts: Vec<&str> = relative.split('/').collect();
        let plain = !relative.is_empty()
            && !relative.contains('\\')
            && Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            && parts
                .iter()
                .all(|p| !p.is_empty() && *p != "." && *p != "..");
        if !plain {
            return Err(refuse(
                "path leaves the pack (templates are relative paths inside the pack directory)",
            ));
        }
        let mut current = self.dir.to_path_buf();
        for (i, part) in parts.iter().enumerate() {
            current.push(part);
            let meta = std::fs::symlink_metadata(&current).map_err(|source| PackError::Read {
                path: current.clone(),
                source,
            })?;
            if meta.file_type().is_symlink() {
                return Err(PackError::refused(
                    &current,
                    "is a symlink (pack files must be regular files inside the pack)",
                ));
            }
            let last = i + 1 == parts.len();
            if last && !meta.is_file() {
                return Err(refuse("is not a regular file"));
            }
            if !last && !meta.is_dir() {
                return Err(PackError::refused(&current, "is not a directory"));
            }
            if last && meta.len() > cap {
                return Err(refuse(&format!("is larger than {} KiB", cap / 1024)));
            }
        }
        let bytes =
            crate::bounded::read_capped(&current, cap).map_err(|source| PackError::Read {
                path: current.clone(),
                source,
            })?;
        self.total += bytes.len() as u64;
        if self.total > MAX_PACK_BYTES {
            return Err(refuse(&format!(
                "the pack's files are larger than {} MiB together",
                MAX_PACK_BYTES / 1024 / 1024
            )));
        }
        let text = String::from_utf8(bytes.clone()).map_err(|_| refuse("is not UTF-8 text"))?;
        self.files.push(PackFile {
            path: relative.to_owned(),
            bytes,
        });
        Ok(text)
    }

    fn finish(mut self, version: String) -> PackOrigin {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        let digest = digest(&self.files);
        PackOrigin {
            dir: self.dir.to_path_buf(),
            version,
            digest,
            files: self.files,
        }
    }
}

/// `sha256:` and the hex digest of a pack's files: for each file in path order, its path,
/// a NUL, its length in decimal, a NUL and its bytes. Renaming, moving or editing any file
/// changes it; the pack's directory and modification times do not.
pub fn digest(files: &[PackFile]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.path.as_bytes());
        hasher.update([0]);
        hasher.update(file.bytes.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(&file.bytes);
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_known_or_refused() {
        assert_eq!(unknown_placeholder("{{Class}} {{connector}}"), None);
        assert_eq!(
            unknown_placeholder("a\n{{Class}} {{secret}}"),
            Some(("secret".to_owned(), 12))
        );
        assert!(unknown_placeholder("f'{{x'").is_some());
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    #[test]
    fn output_paths_stay_in_the_package() {
        assert!(check_output_path("src/{{import_package}}/lookup.py").is_ok());
        for bad in [
            "../x.py",
            "/etc/passwd",
            "src/../../x",
            "a//b",
            "a\\b",
            "C:/x",
            "pyproject.toml",
            "src/{{nope}}/x.py",
            "",
        ] {
            assert!(check_output_path(bad).is_err(), "{bad}");
        }
    }

    /// The example pack, copied into a scratch directory, with `edit` applied to its
    /// `capability.toml`; the error message of loading it.
    fn refusal(edit: impl Fn(String) -> String) -> String {
        let scratch = tempfile::tempdir().unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/packs/example_pack");
        for relative in [
            MANIFEST,
            "templates/example_pack.py",
            "fragments/README.md",
            "fragments/docs.md",
            "fragments/tests.py",
            "fragments/test_imports.txt",
        ] {
            let to = scratch.path().join(relative);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(example.join(relative), to).unwrap();
        }
        let manifest = scratch.path().join(MANIFEST);
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, edit(text)).unwrap();
        load_pack(scratch.path())
            .map(|_| "loaded".to_owned())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn the_example_pack_loads_as_declared() {
        assert_eq!(refusal(|t| t), "loaded");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/packs/example_pack");
        let pack = load_pack(&dir).unwrap();
        assert_eq!(pack.name, "example_pack");
        assert_eq!(pack.files[0].0, "src/{{import_package}}/example_pack.py");
        assert_eq!(
            pack.certification.to_yaml(),
            "counters:\n- records\n- batches\nrequired_tests:\n- import_safety\n\
             - example_pack_counts_every_record\n"
        );
        let paths: Vec<&str> = pack.origin.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths[0], "capability.toml");
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "{paths:?}");
    }

    #[test]
    fn inconsistent_declarations_are_refused_naming_the_problem() {
        let cases: [(&str, &str, &str); 7] = [
            (
                "proven_by_scaffold = [\"import_safety\"]",
                "proven_by_scaffold = [\"nope\"]",
                "proven_by_scaffold names `nope`",
            ),
            (
                "required_tests = [\"import_safety\", \"example_pack_counts_every_record\"]",
                "required_tests = [\"import_safety\"]",
                "must list the [[required_tests]] names",
            ),
            (
                "counters = [",
                "ratio = 0.5\ncounters = [",
                "floats are not allowed",
            ),
            (
                "version = \"1.0.0\"",
                "version = \"1 0\"",
                "version must be",
            ),
            ("summary = \"counts", "summary = \"\\ncounts", "one line"),
            (
                "template = \"templates/example_pack.py\"",
                "template = \"templates/missing.py\"",
                "templates/missing.py: No such file",
            ),
            (
                "path = \"src/{{import_package}}/{{capability}}.py\"",
                "path = \"src/{{import_package}}/other.py\"",
                "generates the capability's module",
            ),
        ];
        for (from, to, expected) in cases {
            let message = refusal(|t| {
                assert!(t.contains(from), "{from}");
                t.replacen(from, to, 1)
            });
            assert!(message.contains(expected), "{to}: {message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }

    proptest::proptest! {
        /// Any text is a manifest or a one-line error naming the file; never a panic.
        #[test]
        fn any_manifest_text_parses_or_fails_on_one_line(text in "(\\PC|\n){0,300}") {
            if let Err(err) = parse_manifest(Path::new("p/capability.toml"), &text) {
                let message = err.to_string();
                proptest::prop_assert!(!message.contains('\n'), "{}", message);
                proptest::prop_assert!(message.starts_with("p/capability.toml"), "{}", message);
            }
        }

        /// Placeholder scanning is linear and total: any text, no panic.
        #[test]
        fn any_template_text_is_scanned(text in "(\\PC|\\{|\\}|\n){0,300}") {
            let _ = unknown_placeholder(&text);
        }
    }

    #[test]
    fn the_digest_covers_paths_and_bytes() {
        let file = |path: &str, bytes: &[u8]| PackFile {
            path: path.to_owned(),
            bytes: bytes.to_vec(),
        };
        let a = digest(&[file("a", b"1"), file("b", b"2")]);
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64);
        assert_ne!(a, digest(&[file("a", b"1"), file("c", b"2")]));
        assert_ne!(a, digest(&[file("a", b"12"), file("b", b"")]));
        assert_eq!(a, digest(&[file("a", b"1"), file("b", b"2")]));
    }
}
