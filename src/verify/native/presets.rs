//! The ready-made declarations of the Python API: the reference's
//! `NativeTransferCapability.stream_export()`, `.file_export()` and `.stream_staging_load()`,
//! and `NativeTransferCapability.preset(name)` for every registered native capability. What
//! each one holds is declared by its capability module ([`Preset`]), so a new native module
//! has a preset without a line here.

use super::manifest::Declaration;
use crate::model::capability::CapabilityKind;
use crate::model::native_transfer::{Preset, NATIVE_FORMATS};
use crate::model::registry::registry;

/// The native capabilities that have a preset (every registered one), in registry order.
pub fn preset_names() -> Vec<&'static str> {
    registry()
        .map(|r| r.names(CapabilityKind::NativeTransfer))
        .unwrap_or_default()
}

/// The preset declaration `name`, with `formats` instead of the default ones
/// (`tabseparated`, `jsonl`) where the preset takes formats; `None` for a name that is not a
/// registered native capability.
///
/// ```
/// use dpone_connector_sdk::verify::native::presets::preset;
/// let export = preset("stream_export", None).unwrap();
/// assert_eq!(export.formats, ["tabseparated", "jsonl"]);
/// assert!(export.flag("bounded") && !export.flag("staging_safe"));
/// assert!(preset("file_export", None).unwrap().formats.is_empty());
/// assert!(preset("teleport_export", None).is_none());
/// ```
pub fn preset(name: &str, formats: Option<Vec<String>>) -> Option<Declaration> {
    let capability = registry()
        .ok()?
        .find(CapabilityKind::NativeTransfer, name)?;
    let spec = capability.native_transfer()?;
    let (takes_formats, flags) = match spec.preset {
        Preset::AsDeclared => (true, spec.role.declared_flags()),
        Preset::Only {
            takes_formats,
            flags,
        } => (takes_formats, flags),
    };
    let formats = if takes_formats {
        formats.unwrap_or_else(|| NATIVE_FORMATS.iter().map(|f| f.to_string()).collect())
    } else {
        Vec::new()
    };
    Some(Declaration::with_flags(
        capability.name(),
        formats,
        |flag| flags.contains(&flag),
    ))
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
        assert!(preset("teleport_export", None).is_none());
        assert!(preset("source", None).is_none());
    }

    /// Every registered native capability has a preset; one declared `AsDeclared` holds
    /// exactly what the capability writes into a package's certification manifest.
    #[test]
    fn every_native_capability_has_a_preset() {
        let registry = crate::model::registry::registry().unwrap();
        assert_eq!(
            preset_names(),
            registry.names(CapabilityKind::NativeTransfer)
        );
        for capability in registry.of_kind(CapabilityKind::NativeTransfer) {
            let declaration = preset(capability.name(), None).unwrap();
            let spec = capability.native_transfer().unwrap();
            assert_eq!(
                declaration.transport,
                spec.transport,
                "{}",
                capability.name()
            );
            assert_eq!(declaration.role, spec.role, "{}", capability.name());
            if spec.preset == Preset::AsDeclared {
                let section = capability.certification_section().to_yaml();
                for (flag, set) in &declaration.flags {
                    assert_eq!(
                        section.contains(&format!("{flag}: true")),
                        *set,
                        "{}: {flag}",
                        capability.name()
                    );
                }
            }
        }
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
