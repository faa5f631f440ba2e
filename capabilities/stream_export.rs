//! `stream_export`: native transfer, stream transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};
use crate::model::transfer_targets::STREAM_CERTIFICATION;

/// The `stream_export` capability.
pub static STREAM_EXPORT: NativeTransfer = NativeTransfer {
    name: "stream_export",
    rank: 10,
    spec: NativeTransferSpec {
        transport: "stream",
        role: Role::Export,
        certification: Some(&STREAM_CERTIFICATION),
        path: TransferPath::Direct,
        preset: Preset::AsDeclared,
    },
    summary: "exports a bounded, checksummed stream for a direct transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `stream_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\nCheck it with `dpone-connectors certify --capability native_transfer.stream`.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(STREAM_EXPORT);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_a_bounded_checksummed_stream_scored_by_the_stream_target() {
        assert_eq!(
            (STREAM_EXPORT.spec.transport, STREAM_EXPORT.spec.role),
            ("stream", Role::Export)
        );
        assert_eq!(STREAM_EXPORT.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nbounded: true\nsupports_checksum: true\nsupports_cleanup: true\n");
        assert!(std::ptr::eq(
            STREAM_EXPORT.spec.certification.unwrap(),
            &STREAM_CERTIFICATION
        ));
    }
}
