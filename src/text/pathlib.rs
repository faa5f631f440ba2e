//! Paths printed the way Python's `pathlib` prints them: the reference reports every path
//! through `pathlib`, and the contract's JSON carries those strings.

/// Formats a path the way Python's `pathlib.PurePosixPath` prints it: repeated `/` and `.`
/// components collapse, a trailing `/` goes, and an empty path is `.`.
pub fn python_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    // POSIX keeps exactly two leading slashes; pathlib does too.
    let prefix = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if absolute {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return if prefix.is_empty() {
            ".".to_owned()
        } else {
            prefix.to_owned()
        };
    }
    format!("{prefix}{}", parts.join("/"))
}

/// A directory argument as `pathlib.Path` reads it: the empty path is the current
/// directory, in every command and function (`scaffold` always wrote there; reading
/// commands refused it).
pub fn dir_or_current(path: &std::path::Path) -> &std::path::Path {
    if path.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        path
    }
}

/// Joins `child` onto `root` the way `pathlib.PurePosixPath(root) / child` prints.
pub fn python_join(root: &str, child: &str) -> String {
    let base = python_path(root);
    match base.as_str() {
        "." => child.to_owned(),
        b if b.ends_with('/') => format!("{b}{child}"),
        b => format!("{b}/{child}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(".", "x")]
    #[case("", "x")]
    #[case("out", "out/x")]
    #[case("./out/", "out/x")]
    #[case("a//b/./c", "a/b/c/x")]
    #[case("/", "/x")]
    #[case("/tmp/", "/tmp/x")]
    #[case("../up", "../up/x")]
    fn joins_like_pathlib(#[case] root: &str, #[case] expected: &str) {
        assert_eq!(python_join(root, "x"), expected);
    }
}
