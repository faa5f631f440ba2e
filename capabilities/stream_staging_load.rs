//! `stream_staging_load`: native transfer, stream transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};
use crate::model::transfer_targets::STREAM_CERTIFICATION;

crate::register_capability!(NativeTransfer {
    name: "stream_staging_load",
    rank: 13,
    spec: NativeTransferSpec { transport: "stream", role: Role::StagingLoad, certification: Some(&STREAM_CERTIFICATION) },
    summary: "loads a stream into staging, abortable and idempotent",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `stream_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\nCheck it with `dpone-connectors certify --capability native_transfer.stream`.\n",
        tests: "",
    },
});
