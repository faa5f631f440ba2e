//! `stream_export`: native transfer, stream transport, export role.

use crate::capability::Fragments;
use crate::native::{CertificationTarget, NativeTransfer, NativeTransferSpec, ProfilePlan, Role};

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

/// The live conformance cases of a stream transfer, the same for every live profile.
const LIVE_CASES: &[&str] = &[
    "stream_success",
    "file_fallback",
    "source_failure",
    "sink_failure",
    "timeout",
    "checksum_mismatch",
];

/// `certify --capability native_transfer.stream`: every `stream_*` declaration must be a
/// complete contract for its role. Shared with `stream_staging_load`, the other half of a
/// stream transfer.
pub(crate) static STREAM_CERTIFICATION: CertificationTarget = CertificationTarget {
    name: "native_transfer.stream",
    transport: "stream",
    missing_blocker: "native_transfer_stream_capability_missing",
    profiles: &[
        ProfilePlan {
            profile: "static",
            cases: &["manifest_schema", "secret_redaction", "docs_contract"],
            pending_blocker: "static_profile_is_plan_only",
        },
        ProfilePlan {
            profile: "local_live",
            cases: LIVE_CASES,
            pending_blocker: "live_evidence_not_provided:local_live",
        },
        ProfilePlan {
            profile: "vendor_live",
            cases: LIVE_CASES,
            pending_blocker: "live_evidence_not_provided:vendor_live",
        },
    ],
};
