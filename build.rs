//! Gathers every `capabilities/*.rs` file into one generated module list, so that adding a
//! capability is dropping one file into `capabilities/` and editing nothing else.
//!
//! It also holds each module to the registry's rules at compile time, with a message naming
//! the file: a module registers exactly one capability (`register_capability!`), named after
//! its file, and no two capabilities share a rank. The name and rank are read from the
//! module's source (`fn name` / `name:` and `fn rank` / `rank:` with a literal), and
//! `tests/registry.rs` checks that what was read here is what the registry holds.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// What build.rs reads from one module's source.
pub struct Module {
    stem: String,
    registrations: usize,
    name: Option<String>,
    rank: Option<u32>,
}

pub fn main() {
    let manifest_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest_dir.join("capabilities");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("the capabilities/ directory exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| path.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    let mut out = String::new();
    let mut modules = Vec::with_capacity(names.len());
    for name in &names {
        let path = dir.join(format!("{name}.rs"));
        println!("cargo:rerun-if-changed={}", path.display());
        let source = fs::read_to_string(&path).unwrap_or_default();
        modules.push(read_module(name, &source));
        writeln!(
            out,
            "#[path = {:?}]\nmod {name};",
            path.display().to_string()
        )
        .expect("write to string");
    }
    for problem in problems(&modules) {
        writeln!(out, "compile_error!({problem:?});").expect("write to string");
    }
    writeln!(
        out,
        "/// The capability module files compiled into this build, sorted."
    )
    .expect("write to string");
    writeln!(out, "pub const MODULE_FILES: &[&str] = &{names:?};").expect("write to string");
    writeln!(
        out,
        "/// (file, capability name, rank) as build.rs read them from each module's source."
    )
    .expect("write to string");
    let declared: Vec<(String, String, u32)> = modules
        .iter()
        .map(|m| {
            (
                m.stem.clone(),
                m.name.clone().unwrap_or_default(),
                m.rank.unwrap_or_default(),
            )
        })
        .collect();
    writeln!(
        out,
        "pub const MODULE_DECLARATIONS: &[(&str, &str, u32)] = &{declared:?};"
    )
    .expect("write to string");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("capability_modules.rs"), out).expect("write the generated module list");

    // One named rstest case per module, for the registry tests and the contract kit: a new
    // module is tested without editing any list.
    // `for_each_capability_module!(test_name => check_fn);` defines the test.
    let mut cases = String::from(
        "macro_rules! for_each_capability_module {\n    ($test:ident => $check:path) => {\n        #[rstest::rstest]\n",
    );
    for name in &names {
        writeln!(cases, "        #[case::{name}({name:?})]").expect("write to string");
    }
    cases.push_str("        fn $test(#[case] module: &str) {\n            $check(module);\n        }\n    };\n}\n");
    fs::write(out_dir.join("capability_cases.rs"), cases).expect("write the generated test cases");
}

/// Every broken rule, one message each, naming the file (and the other file of a rank clash).
pub fn problems(modules: &[Module]) -> Vec<String> {
    let mut problems = Vec::new();
    for m in modules {
        let file = format!("capabilities/{}.rs", m.stem);
        match m.registrations {
            0 => problems.push(format!(
                "{file} registers no capability: end it with `crate::register_capability!(YourCapability);`"
            )),
            1 => {}
            n => problems.push(format!(
                "{file} registers {n} capabilities: a module registers exactly one, the capability its file is named after"
            )),
        }
        match &m.name {
            None => problems.push(format!(
                "{file}: its capability's name must be a string literal (`fn name` returning \"{0}\", or `name: \"{0}\"`)",
                m.stem
            )),
            Some(name) if *name != m.stem => problems.push(format!(
                "{file} registers a capability named \"{name}\": a capability is named after its file (\"{}\"); rename one of them",
                m.stem
            )),
            Some(_) => {}
        }
        if m.rank.is_none() {
            problems.push(format!(
                "{file}: its capability's rank must be an integer literal (`fn rank` returning it, or `rank: N`)"
            ));
        }
    }
    for (i, a) in modules.iter().enumerate() {
        for b in &modules[i + 1..] {
            if let (Some(ra), Some(rb)) = (a.rank, b.rank) {
                if ra == rb {
                    problems.push(format!(
                        "capabilities/{}.rs and capabilities/{}.rs both have rank {ra}: ranks order the registry and must be unique; give one of them a free rank",
                        a.stem, b.stem
                    ));
                }
            }
        }
    }
    problems
}

/// A token of Rust source: comments are dropped and string literals keep only their text.
#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Number(String),
    Str(String),
    Punct(char),
}

pub fn read_module(stem: &str, source: &str) -> Module {
    let tokens = tokenize(source);
    let registrations = tokens
        .windows(2)
        .filter(|w| w[0] == Token::Ident("register_capability".into()) && w[1] == Token::Punct('!'))
        .count();
    let name = declared(&tokens, "name").and_then(|t| match t {
        Token::Str(s) => Some(s.clone()),
        _ => None,
    });
    let rank = declared(&tokens, "rank").and_then(|t| match t {
        Token::Number(n) => n.trim_end_matches("u32").replace('_', "").parse().ok(),
        _ => None,
    });
    Module {
        stem: stem.to_owned(),
        registrations,
        name,
        rank,
    }
}

/// The literal a module gives for `field`: the first token of `fn field(..) .. { <literal>`
/// or the token after `field:` in a struct literal.
fn declared<'t>(tokens: &'t [Token], field: &str) -> Option<&'t Token> {
    let ident = Token::Ident(field.to_owned());
    for (i, token) in tokens.iter().enumerate() {
        if *token != ident {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| &tokens[p]);
        if previous == Some(&Token::Ident("fn".into())) {
            let open = tokens[i..].iter().position(|t| *t == Token::Punct('{'))?;
            return tokens.get(i + open + 1);
        }
        if tokens.get(i + 1) == Some(&Token::Punct(':'))
            && tokens.get(i + 2) != Some(&Token::Punct(':'))
            && previous != Some(&Token::Punct(':'))
        {
            let value = tokens.get(i + 2)?;
            if matches!(value, Token::Str(_) | Token::Number(_)) {
                return Some(value);
            }
        }
    }
    None
}

/// A small lexer: enough of Rust to skip comments, strings (raw ones too), chars and
/// lifetimes, so that text inside a template never counts as code.
fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some((text, end)) = raw_string(&chars, i) {
            tokens.push(Token::Str(text));
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            let mut text = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    text.push(ch);
                }
                i += 1;
            }
            tokens.push(Token::Str(text));
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n') or a lifetime ('static).
            if next == Some('\\') {
                // Past the quote, the backslash and the escaped character (which may be `'`).
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Number(chars[start..i].iter().collect()));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

/// A raw string (`r"…"`, `r#"…"#`, `br#"…"#`) starting at `i`: its text and where it ends.
fn raw_string(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    if chars.get(i) == Some(&'b') {
        i += 1;
    }
    if chars.get(i) != Some(&'r') {
        return None;
    }
    // Not the tail of an identifier such as `for`.
    let mut j = i + 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    let start = j;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
            return Some((chars[start..j].iter().collect(), j + 1 + hashes));
        }
        j += 1;
    }
    Some((chars[start..].iter().collect(), chars.len()))
}
