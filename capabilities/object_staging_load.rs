//! `object_staging_load`: native transfer, object transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Preset, Role, TransferPath};

/// The `object_staging_load` capability.
pub static OBJECT_STAGING_LOAD: NativeTransfer = NativeTransfer {
    name: "object_staging_load",
    rank: 15,
    spec: NativeTransferSpec {
        transport: "object",
        role: Role::StagingLoad,
        certification: None,
        path: TransferPath::OwnFallback,
        preset: Preset::AsDeclared,
    },
    summary: "loads objects from object storage into staging",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `object_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\n`dpone-connectors certify` scores the stream transport; this object declaration is carried for route planning.\n",
        tests: "",
        test_imports: "",
    },
};

crate::register_capability!(OBJECT_STAGING_LOAD);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capability::Capability;

    #[test]
    fn declares_an_object_staging_load_that_certify_does_not_score() {
        assert_eq!(
            (
                OBJECT_STAGING_LOAD.spec.transport,
                OBJECT_STAGING_LOAD.spec.role
            ),
            ("object", Role::StagingLoad)
        );
        assert_eq!(OBJECT_STAGING_LOAD.certification_section().to_yaml(), "formats:\n- tabseparated\n- jsonl\nstaging_safe: true\nsupports_abort: true\nsupports_idempotency_key: true\n");
        assert!(OBJECT_STAGING_LOAD.spec.certification.is_none());
    }
}
