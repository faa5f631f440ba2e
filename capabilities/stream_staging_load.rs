//! `stream_staging_load`: native transfer, stream transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};
use crate::model::transfer_targets::STREAM_CERTIFICATION;

/// The `stream_staging_load` capability.
pub static STREAM_STAGING_LOAD: NativeTransfer = NativeTransfer {
    name: "stream_staging_load",
    rank: 13,
    spec: NativeTransferSpec {
        transport: "stream",
        role: Role::StagingLoad,
        certification: Some(&STREAM_CERTIFICATION),
        path: TransferPath::Direct,
        preset: Preset::AsDeclared,
    },
    summary: "loads a stream into staging, abortable and idempotent",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `stream_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\nCheck it with `dpone-connectors certify --capability native_transfer.stream`.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(STREAM_STAGING_LOAD);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_an_abortable_staging_load_scored_by_the_shared_stream_target() {
        assert_eq!(
            (
                STREAM_STAGING_LOAD.spec.transport,
                STREAM_STAGING_LOAD.spec.role
            ),
            ("stream", Role::StagingLoad)
        );
        assert_eq!(STREAM_STAGING_LOAD.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nstaging_safe: true\nsupports_abort: true\nsupports_idempotency_key: true\n");
        assert!(std::ptr::eq(
            STREAM_STAGING_LOAD.spec.certification.unwrap(),
            &STREAM_CERTIFICATION
        ));
    }
}
