//! `object_export`: native transfer, object transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};

crate::register_capability!(NativeTransfer {
    name: "object_export",
    rank: 12,
    spec: NativeTransferSpec { transport: "object", role: Role::Export, certification: None },
    summary: "exports objects to object storage for a transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `object_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\n`dpone-connectors certify` scores the stream transport; this object declaration is carried for route planning.\n",
        tests: "",
    },
});
