//! The ready-made declarations the reference's Python API builds with
//! `NativeTransferCapability.stream_export()`, `.file_export()` and
//! `.stream_staging_load()`: what an in-process caller gets without writing a manifest.

use super::manifest::Declaration;
use crate::model::native_transfer::NATIVE_FORMATS;

/// One ready-made declaration: its name, whether it carries formats, and the flags it sets.
struct Preset {
    name: &'static str,
    takes_formats: bool,
    flags: &'static [&'static str],
}

/// The reference's presets. `file_export` is deliberately thinner than the file-export
/// section a scaffold writes (no formats, only cleanup): that is what the reference builds.
const PRESETS: &[Preset] = &[
    Preset {
        name: "stream_export",
        takes_formats: true,
        flags: &["bounded", "supports_checksum", "supports_cleanup"],
    },
    Preset {
        name: "file_export",
        takes_formats: false,
        flags: &["supports_cleanup"],
    },
    Preset {
        name: "stream_staging_load",
        takes_formats: true,
        flags: &["staging_safe", "supports_abort", "supports_idempotency_key"],
    },
];

/// The names that have a preset, in the reference's order.
pub fn preset_names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

/// The preset declaration `name`, with `formats` instead of the default ones
/// (`tabseparated`, `jsonl`) where the preset takes formats; `None` for a name without one.
///
/// ```
/// use dpone_connector_sdk::verify::native::presets::preset;
/// let export = preset("stream_export", None).unwrap();
/// assert_eq!(export.formats, ["tabseparated", "jsonl"]);
/// assert!(export.flag("bounded") && !export.flag("staging_safe"));
/// assert!(preset("file_export", None).unwrap().formats.is_empty());
/// ```
pub fn preset(name: &str, formats: Option<Vec<String>>) -> Option<Declaration> {
    let preset = PRESETS.iter().find(|p| p.name == name)?;
    let formats = if preset.takes_formats {
        formats.unwrap_or_else(|| NATIVE_FORMATS.iter().map(|f| f.to_string()).collect())
    } else {
        Vec::new()
    };
    Some(Declaration::with_flags(preset.name, formats, |flag| {
        preset.flags.contains(&flag)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::native_transfer::Role;
    use rstest::rstest;

    #[rstest]
    #[case("stream_export", "stream", Role::Export, true)]
    #[case("file_export", "file", Role::Export, false)]
    #[case("stream_staging_load", "stream", Role::StagingLoad, true)]
    fn presets_have_the_reference_shape(
        #[case] name: &str,
        #[case] transport: &str,
        #[case] role: Role,
        #[case] complete: bool,
    ) {
        let declaration = preset(name, None).unwrap();
        assert_eq!(declaration.transport, transport);
        assert_eq!(declaration.role, role);
        assert_eq!(declaration.is_complete(), complete, "{name}");
    }

    #[test]
    fn formats_can_be_replaced_where_a_preset_takes_them() {
        let jsonl = Some(vec!["jsonl".to_owned()]);
        assert_eq!(
            preset("stream_export", jsonl.clone()).unwrap().formats,
            ["jsonl"]
        );
        assert!(preset("file_export", jsonl).unwrap().formats.is_empty());
        assert!(preset("object_export", None).is_none());
    }

    #[test]
    fn every_flag_is_listed_once() {
        let declaration = preset("stream_export", None).unwrap();
        let names: Vec<&str> = declaration.flags.iter().map(|(f, _)| *f).collect();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names.len(), 6);
        assert_eq!(names, unique);
    }
}
