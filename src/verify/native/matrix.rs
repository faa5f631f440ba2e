//! Which transport a transfer between two declared capabilities would use: a stream when the
//! source exports a stream, the sink loads one through staging and both speak the codec;
//! otherwise the file (or object) fallback, with the reasons. The reference's
//! `TransportCapabilityMatrix.from_capabilities`, without runtime IO.

use serde::Serialize;

use super::manifest::Declaration;
use crate::model::native_transfer::Role;

/// The transport native transfer prefers.
const STREAM: &str = "stream";

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

/// The capability name of the stream transport in `role`: `stream_export`,
/// `stream_staging_load`.
fn stream_capability(role: Role) -> String {
    format!("{STREAM}_{}", role.as_str())
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
    let source_supported = source.name == stream_capability(Role::Export);
    let sink_supported = sink.name == stream_capability(Role::StagingLoad);
    let speaks = |d: &Declaration| d.formats.iter().any(|f| f == codec_format);
    let codec_supported = speaks(source) && speaks(sink);
    let mut reasons = Vec::new();
    if !source_supported {
        reasons.push(format!("source lacks {}", stream_capability(Role::Export)));
    }
    if !sink_supported {
        reasons.push(format!(
            "sink lacks {}",
            stream_capability(Role::StagingLoad)
        ));
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
    let selected_transport = match fallback_reason {
        None => STREAM,
        // An object export stays in object storage; anything else falls back to files.
        Some(_) if source.transport == "object" => "object",
        Some(_) => "file",
    };
    TransportMatrix {
        selected_transport: selected_transport.to_owned(),
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
