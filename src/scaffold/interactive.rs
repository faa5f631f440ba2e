//! What an interactive `scaffold` may ask and when: the questions' choices come from the
//! contract and the registry; the CLI only draws them.

use crate::contract::CONNECTOR_TYPES;
use crate::model::capability::CapabilityKind;
use crate::model::registry::Registry;

/// Why `scaffold` may not ask for what is missing, or `None` when it may: never with
/// `--no-input`, never when the `CI` environment variable says so, and only when both stdin
/// and stdout are terminals (a pipe on either side means a script is driving).
pub fn why_not_prompt(
    no_input: bool,
    ci: Option<&str>,
    stdin_tty: bool,
    stdout_tty: bool,
) -> Option<&'static str> {
    let in_ci = ci.is_some_and(|v| !matches!(v.trim(), "" | "0" | "false" | "False" | "FALSE"));
    if no_input {
        Some("--no-input")
    } else if in_ci {
        Some("CI is set")
    } else if !stdin_tty {
        Some("stdin is not a terminal")
    } else if !stdout_tty {
        Some("stdout is not a terminal")
    } else {
        None
    }
}

/// One choice of a multi-select: a capability, its summary, and whether it starts selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The capability's name, as `--capability` takes it.
    pub name: &'static str,
    /// What it is for, shown beside the name.
    pub summary: &'static str,
    /// Selected before the person changes anything.
    pub selected: bool,
}

/// The connector types, in the order `--connector-type` lists them.
pub fn connector_type_choices() -> &'static [&'static str] {
    CONNECTOR_TYPES
}

/// The capabilities of `kind`, in registry order; the registry's defaults start selected.
pub fn capability_choices(registry: &Registry, kind: CapabilityKind) -> Vec<Choice> {
    registry
        .all()
        .iter()
        .filter(|c| c.kind() == kind)
        .map(|c| Choice {
            name: c.name(),
            summary: c.summary(),
            selected: c.requested_by_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registry::registry;

    #[test]
    fn prompts_only_for_a_person_at_a_terminal() {
        assert_eq!(why_not_prompt(false, None, true, true), None);
        assert_eq!(why_not_prompt(false, Some("false"), true, true), None);
        assert_eq!(why_not_prompt(true, None, true, true), Some("--no-input"));
        assert_eq!(
            why_not_prompt(false, Some("true"), true, true),
            Some("CI is set")
        );
        assert_eq!(
            why_not_prompt(false, Some("1"), true, true),
            Some("CI is set")
        );
        assert_eq!(
            why_not_prompt(false, None, false, true),
            Some("stdin is not a terminal")
        );
        assert_eq!(
            why_not_prompt(false, None, true, false),
            Some("stdout is not a terminal")
        );
    }

    #[test]
    fn capability_choices_follow_the_registry_with_its_defaults_selected() {
        let registry = registry().unwrap();
        for kind in [CapabilityKind::Runtime, CapabilityKind::NativeTransfer] {
            let choices = capability_choices(registry, kind);
            let names: Vec<&str> = choices.iter().map(|c| c.name).collect();
            assert_eq!(names, registry.names(kind));
            for choice in &choices {
                let capability = registry.get(choice.name).unwrap();
                assert_eq!(choice.selected, capability.requested_by_default());
            }
        }
        // The reference's default: a package is a source unless asked otherwise.
        let runtime = capability_choices(registry, CapabilityKind::Runtime);
        let selected: Vec<&str> = runtime
            .iter()
            .filter(|c| c.selected)
            .map(|c| c.name)
            .collect();
        assert_eq!(selected, ["source"]);
    }
}
