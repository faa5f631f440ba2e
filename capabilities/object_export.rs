//! `object_export`: native transfer, object transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};

/// The `object_export` capability.
pub static OBJECT_EXPORT: NativeTransfer = NativeTransfer {
    name: "object_export",
    rank: 12,
    spec: NativeTransferSpec {
        transport: "object",
        role: Role::Export,
        certification: None,
        path: TransferPath::OwnFallback,
        preset: Preset::AsDeclared,
    },
    summary: "exports objects to object storage for a transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `object_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\n`dpone-connectors certify` scores the stream transport; this object declaration is carried for route planning.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(OBJECT_EXPORT);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_an_object_export_that_certify_does_not_score() {
        assert_eq!(
            (OBJECT_EXPORT.spec.transport, OBJECT_EXPORT.spec.role),
            ("object", Role::Export)
        );
        assert_eq!(OBJECT_EXPORT.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nbounded: true\nsupports_checksum: true\nsupports_cleanup: true\n");
        assert!(OBJECT_EXPORT.spec.certification.is_none());
    }
}
