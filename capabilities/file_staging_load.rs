//! `file_staging_load`: native transfer, file transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};

/// The `file_staging_load` capability.
pub static FILE_STAGING_LOAD: NativeTransfer = NativeTransfer {
    name: "file_staging_load",
    rank: 14,
    spec: NativeTransferSpec {
        transport: "file",
        role: Role::StagingLoad,
        certification: None,
        path: TransferPath::SharedFallback,
        preset: Preset::AsDeclared,
    },
    summary: "loads files into staging, abortable and idempotent",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `file_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\n`dpone-connectors certify` scores the stream transport; this file declaration is carried for route planning.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(FILE_STAGING_LOAD);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_a_file_staging_load_that_certify_does_not_score() {
        assert_eq!(
            (
                FILE_STAGING_LOAD.spec.transport,
                FILE_STAGING_LOAD.spec.role
            ),
            ("file", Role::StagingLoad)
        );
        assert_eq!(FILE_STAGING_LOAD.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nstaging_safe: true\nsupports_abort: true\nsupports_idempotency_key: true\n");
        assert!(FILE_STAGING_LOAD.spec.certification.is_none());
    }
}
