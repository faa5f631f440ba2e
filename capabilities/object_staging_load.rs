//! `object_staging_load`: native transfer, object transport, staging load role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};

crate::register_capability!(NativeTransfer {
    name: "object_staging_load",
    rank: 15,
    spec: NativeTransferSpec { transport: "object", role: Role::StagingLoad, certification: None },
    summary: "loads objects from object storage into staging",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `object_staging_load`\n\nDeclared in `certification/certification.yaml`: it loads `tabseparated` or `jsonl` data into a staging area that is safe to abort and idempotent by key.\n`dpone-connectors certify` scores the stream transport; this object declaration is carried for route planning.\n",
        tests: "",
    },
});
