//! `file_export`: native transfer, file transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};

/// The `file_export` capability.
pub static FILE_EXPORT: NativeTransfer = NativeTransfer {
    name: "file_export",
    rank: 11,
    spec: NativeTransferSpec {
        transport: "file",
        role: Role::Export,
        certification: None,
        path: TransferPath::SharedFallback,
        preset: Preset::Only { takes_formats: false,
        flags: &["supports_cleanup"] },
    },
    summary: "exports files for a file-based transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `file_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\n`dpone-connectors certify` scores the stream transport; this file declaration is carried for route planning.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(FILE_EXPORT);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_a_file_export_that_certify_does_not_score() {
        assert_eq!(
            (FILE_EXPORT.spec.transport, FILE_EXPORT.spec.role),
            ("file", Role::Export)
        );
        assert_eq!(FILE_EXPORT.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nbounded: true\nsupports_checksum: true\nsupports_cleanup: true\n");
        assert!(FILE_EXPORT.spec.certification.is_none());
    }
}
