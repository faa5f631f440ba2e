//! `file_export`: native transfer, file transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};

crate::register_capability!(NativeTransfer {
    name: "file_export",
    rank: 11,
    spec: NativeTransferSpec { transport: "file", role: Role::Export, certification: None },
    summary: "exports files for a file-based transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `file_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\n`dpone-connectors certify` scores the stream transport; this file declaration is carried for route planning.\n",
        tests: "",
    },
});
