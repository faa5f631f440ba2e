//! `stream_export`: native transfer, stream transport, export role.

use crate::model::capability::Fragments;
use crate::model::native_capability::NativeTransfer;
use crate::model::native_transfer::{NativeTransferSpec, Role};
use crate::model::transfer_targets::STREAM_CERTIFICATION;

crate::register_capability!(NativeTransfer {
    name: "stream_export",
    rank: 10,
    spec: NativeTransferSpec { transport: "stream", role: Role::Export, certification: Some(&STREAM_CERTIFICATION) },
    summary: "exports a bounded, checksummed stream for a direct transfer",
    fragments: Fragments {
        readme: "",
        docs: "\n### Native transfer: `stream_export`\n\nDeclared in `certification/certification.yaml`: it exports data in `tabseparated` or `jsonl`, bounded in size, with checksums, and cleans up what it exported.\nCheck it with `dpone-connectors certify --capability native_transfer.stream`.\n",
        tests: "",
    },
});
