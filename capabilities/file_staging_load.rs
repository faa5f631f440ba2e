//! `file_staging_load`: native transfer, file transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};

crate::register_capability!(NativeTransfer {
    name: "file_staging_load",
    rank: 14,
    spec: NativeTransferSpec { transport: "file", role: Role::StagingLoad, certification: None },
    summary: "loads files into staging, abortable and idempotent",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `file_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\n`dpone-connectors certify` scores the stream transport; this file declaration is carried for route planning.\n",
        tests: "",
    },
});
