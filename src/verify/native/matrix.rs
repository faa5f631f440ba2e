//! Which transport a transfer between two declared capabilities would use: a stream when the
//! source exports a stream, the sink loads one through staging and both speak the codec;
//! otherwise the file (or object) fallback, with the reasons. The reference's
//! `TransportCapabilityMatrix.from_capabilities`, without runtime IO.

use serde::Serialize;

use super::manifest::Declaration;
use crate::model::capability::{Capability, CapabilityKind};
use crate::model::native_transfer::{NativeTransferSpec, Role, TransferPath};
use crate::model::registry::registry;

/// The transport choice for one source, sink and codec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransportMatrix {
    /// `stream`, `file` or `object`.
    pub selected_transport: String,
    /// Whether the source exports a stream.
    pub source_supported: bool,
    /// Whether the sink loads a stream through staging.
    pub sink_supported: bool,
    /// Whether both sides declare the codec format.
    pub codec_supported: bool,
    /// Why the stream was not chosen, as one code; `None` for a stream.
    pub fallback_reason: Option<String>,
    /// Every reason the stream was not chosen, for people.
    pub reasons: Vec<String>,
}

/// The registered native capabilities with their specs, in registry order.
fn native_specs() -> Vec<(&'static dyn Capability, NativeTransferSpec)> {
    registry()
        .map(|r| {
            r.of_kind(CapabilityKind::NativeTransfer)
                .filter_map(|c| Some((c, c.native_transfer()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The direct path: the first transport in registry order whose modules declare it
/// `Direct` both ways, with the names of its export and its staging load (`stream`,
/// `stream_export`, `stream_staging_load`).
struct DirectPath {
    transport: &'static str,
    export: &'static str,
    staging_load: &'static str,
}

fn direct_path(specs: &[(&'static dyn Capability, NativeTransferSpec)]) -> Option<DirectPath> {
    let named = |transport: &str, role: Role| {
        specs
            .iter()
            .find(|(_, spec)| {
                spec.path == TransferPath::Direct
                    && spec.transport == transport
                    && spec.role == role
            })
            .map(|(c, _)| c.name())
    };
    specs
        .iter()
        .filter(|(_, spec)| spec.path == TransferPath::Direct)
        .find_map(|(_, spec)| {
            Some(DirectPath {
                transport: spec.transport,
                export: named(spec.transport, Role::Export)?,
                staging_load: named(spec.transport, Role::StagingLoad)?,
            })
        })
}

/// Where a transfer from a source of `transport` goes when it cannot take the direct path:
/// its own transport if a module declares it keeps its own, else the shared fallback.
///
/// A transport is a usable shared fallback only when the registry can both export and load
/// through it (data has to leave the source and reach the sink); the first such transport in
/// registry order is the one. A module that declares `SharedFallback` for a transport with
/// only one side registered (a new `table_export`, say) changes nothing here.
fn fallback_for(
    specs: &[(&'static dyn Capability, NativeTransferSpec)],
    transport: &str,
) -> String {
    let keeps_own = specs
        .iter()
        .any(|(_, spec)| spec.transport == transport && spec.path == TransferPath::OwnFallback);
    if keeps_own {
        return transport.to_owned();
    }
    let carries_both_ways = |fallback: &str| {
        Role::ALL.iter().all(|role| {
            specs.iter().any(|(_, spec)| {
                spec.transport == fallback
                    && spec.role == *role
                    && spec.path == TransferPath::SharedFallback
            })
        })
    };
    specs
        .iter()
        .map(|(_, spec)| spec)
        .find(|spec| spec.path == TransferPath::SharedFallback && carries_both_ways(spec.transport))
        .map_or_else(|| transport.to_owned(), |spec| spec.transport.to_owned())
}

/// Chooses the transport for a transfer from `source` to `sink` in `codec_format`.
///
/// ```
/// use dpone_connector_sdk::verify::native::matrix::select_transport;
/// use dpone_connector_sdk::verify::native::presets::preset;
/// let source = preset("stream_export", None).unwrap();
/// let sink = preset("stream_staging_load", None).unwrap();
/// assert_eq!(select_transport(&source, &sink, "jsonl").selected_transport, "stream");
/// let matrix = select_transport(&source, &sink, "parquet");
/// assert_eq!(matrix.selected_transport, "file");
/// assert_eq!(matrix.fallback_reason.as_deref(), Some("native_transfer_codec_not_stream_safe"));
/// ```
pub fn select_transport(
    source: &Declaration,
    sink: &Declaration,
    codec_format: &str,
) -> TransportMatrix {
    let specs = native_specs();
    let direct = direct_path(&specs);
    // Like the reference, the direct path is recognized by the declaration's name.
    let source_supported = direct.as_ref().is_some_and(|d| source.name == d.export);
    let sink_supported = direct.as_ref().is_some_and(|d| sink.name == d.staging_load);
    let speaks = |d: &Declaration| d.formats.iter().any(|f| f == codec_format);
    let codec_supported = speaks(source) && speaks(sink);
    let mut reasons = Vec::new();
    if !source_supported {
        let name = direct.as_ref().map_or("a direct export", |d| d.export);
        reasons.push(format!("source lacks {name}"));
    }
    if !sink_supported {
        let name = direct
            .as_ref()
            .map_or("a direct staging load", |d| d.staging_load);
        reasons.push(format!("sink lacks {name}"));
    }
    if !codec_supported {
        reasons.push("codec is not stream safe for declared formats".to_owned());
    }
    // The first failing side names the fallback: a file-only source, then a file-only sink,
    // then the codec.
    let fallback_reason = if reasons.is_empty() {
        None
    } else if !source_supported {
        Some("native_transfer_stream_fallback_file_only_source")
    } else if !sink_supported {
        Some("native_transfer_stream_fallback_file_only_sink")
    } else {
        Some("native_transfer_codec_not_stream_safe")
    };
    let selected_transport = match (fallback_reason, &direct) {
        (None, Some(direct)) => direct.transport.to_owned(),
        _ => fallback_for(&specs, &source.transport),
    };
    TransportMatrix {
        selected_transport,
        source_supported,
        sink_supported,
        codec_supported,
        fallback_reason: fallback_reason.map(str::to_owned),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::native::presets::preset;
    use rstest::rstest;

    fn declared(name: &str, formats: &[&str]) -> Declaration {
        let formats = formats.iter().map(|f| f.to_string()).collect();
        Declaration::with_flags(name, formats, |_| true)
    }

    #[test]
    fn a_stream_pair_with_a_shared_codec_streams() {
        let source = preset("stream_export", None).unwrap();
        let sink = preset("stream_staging_load", None).unwrap();
        let matrix = select_transport(&source, &sink, "tabseparated");
        assert_eq!(
            matrix,
            TransportMatrix {
                selected_transport: "stream".to_owned(),
                source_supported: true,
                sink_supported: true,
                codec_supported: true,
                fallback_reason: None,
                reasons: vec![],
            }
        );
    }

    #[rstest]
    #[case(
        "file_export",
        "stream_staging_load",
        "jsonl",
        "file",
        "native_transfer_stream_fallback_file_only_source",
        1
    )]
    #[case(
        "object_export",
        "file_staging_load",
        "jsonl",
        "object",
        "native_transfer_stream_fallback_file_only_source",
        2
    )]
    #[case(
        "stream_export",
        "object_staging_load",
        "jsonl",
        "file",
        "native_transfer_stream_fallback_file_only_sink",
        1
    )]
    #[case(
        "stream_export",
        "stream_staging_load",
        "csv",
        "file",
        "native_transfer_codec_not_stream_safe",
        1
    )]
    #[case(
        "file_export",
        "file_staging_load",
        "csv",
        "file",
        "native_transfer_stream_fallback_file_only_source",
        3
    )]
    fn anything_else_falls_back_with_its_reasons(
        #[case] source: &str,
        #[case] sink: &str,
        #[case] codec: &str,
        #[case] selected: &str,
        #[case] fallback: &str,
        #[case] reasons: usize,
    ) {
        let matrix = select_transport(
            &declared(source, &["jsonl"]),
            &declared(sink, &["jsonl"]),
            codec,
        );
        assert_eq!(matrix.selected_transport, selected);
        assert_eq!(matrix.fallback_reason.as_deref(), Some(fallback));
        assert_eq!(matrix.reasons.len(), reasons, "{:?}", matrix.reasons);
    }
}
