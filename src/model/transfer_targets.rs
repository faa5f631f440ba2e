//! The certification targets of the native transports, as data.
//!
//! A target scores every declaration of one transport, so both halves of a transfer (its
//! export and its staging load) point at the same one. It lives here, in the model, so that
//! neither capability module depends on the other: either can be removed alone.

use super::native_transfer::{CertificationTarget, ProfilePlan};

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
/// complete contract for its role.
pub static STREAM_CERTIFICATION: CertificationTarget = CertificationTarget {
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
