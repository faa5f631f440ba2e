//! The compile-time registration rules of `build.rs`, on module sources given as text: each
//! broken rule is one message naming the file, and text in comments or string literals
//! never counts as code.

#[allow(dead_code)] // `main` is the build script's entry point, not called here
#[path = "../build.rs"]
mod build_script;

use build_script::{problems, read_module};

const RUNTIME: &str = r##"
//! `audit`: mentions register_capability!(Nothing) in a comment.
pub struct Audit;
crate::register_capability!(Audit);
const TEXT: &str = r#"crate::register_capability!(Other); fn name(&self) -> &'static str { "other" }"#;
const QUOTE: char = '\'';
impl Capability for Audit {
    fn name(&self) -> &'static str {
        "audit"
    }
    fn rank(&self) -> u32 {
        3
    }
}
"##;

const NATIVE: &str = r#"
pub static TABLE_EXPORT: NativeTransfer = NativeTransfer {
    name: "table_export",
    rank: 16,
    spec: NativeTransferSpec { transport: "table", role: Role::Export },
};
crate::register_capability!(TABLE_EXPORT);
"#;

#[test]
fn a_well_formed_module_has_no_problem() {
    let modules = [
        read_module("audit", RUNTIME),
        read_module("table_export", NATIVE),
    ];
    assert_eq!(problems(&modules), Vec::<String>::new());
}

#[test]
fn registering_nothing_or_twice_names_the_file() {
    let none = read_module(
        "audit",
        &RUNTIME.replace("crate::register_capability!(Audit);", ""),
    );
    assert_eq!(
        problems(&[none]),
        ["capabilities/audit.rs registers no capability: end it with `crate::register_capability!(YourCapability);`"]
    );
    let twice = read_module(
        "audit",
        &format!("{RUNTIME}\ncrate::register_capability!(Audit);\n"),
    );
    assert_eq!(
        problems(&[twice]),
        ["capabilities/audit.rs registers 2 capabilities: a module registers exactly one, the capability its file is named after"]
    );
}

#[test]
fn a_name_other_than_the_file_s_names_both() {
    let copied = read_module("lineage", RUNTIME);
    assert_eq!(
        problems(&[copied]),
        ["capabilities/lineage.rs registers a capability named \"audit\": a capability is named after its file (\"lineage\"); rename one of them"]
    );
}

#[test]
fn two_modules_with_one_rank_name_both() {
    let modules = [
        read_module("audit", RUNTIME),
        read_module("table_export", &NATIVE.replace("rank: 16", "rank: 3")),
    ];
    assert_eq!(
        problems(&modules),
        ["capabilities/audit.rs and capabilities/table_export.rs both have rank 3: ranks order the registry and must be unique; give one of them a free rank"]
    );
}

#[test]
fn a_computed_name_or_rank_is_asked_for_as_a_literal() {
    let computed = RUNTIME
        .replace("\"audit\"\n", "NAME\n")
        .replace("        3\n", "        BASE + 1\n");
    let found = problems(&[read_module("audit", &computed)]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("must be a string literal"), "{found:?}");
    assert!(found[1].contains("must be an integer literal"), "{found:?}");
}
