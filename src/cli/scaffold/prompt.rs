//! Asks for what `scaffold` was not given, as cargo-generate and copier do: the connector
//! name, its type and its capabilities. Only called when
//! [`why_not_prompt`](crate::scaffold::interactive::why_not_prompt) has no
//! objection.

use crate::model::capability::CapabilityKind;
use crate::model::names::connector_identifier;
use crate::model::registry::Registry;
use crate::scaffold::interactive::{capability_choices, connector_type_choices, Choice};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Input, MultiSelect, Select};

/// The answers; a field is `None` when the command line already gave it.
pub struct Answers {
    pub name: String,
    pub connector_type: Option<String>,
    pub capabilities: Option<Vec<String>>,
    pub native_capabilities: Option<Vec<String>>,
}

/// What the command line already settled, so it is not asked again.
pub struct Given {
    pub connector_type: bool,
    pub capabilities: bool,
    pub native_capabilities: bool,
}

/// Asks the questions on the terminal. Fails when the terminal does (or the person cancels).
pub fn ask(registry: &Registry, given: &Given) -> std::io::Result<Answers> {
    let theme = ColorfulTheme::default();
    let name: String = Input::with_theme(&theme)
        .with_prompt("Connector name")
        .validate_with(|input: &String| {
            connector_identifier(input)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .interact_text()
        .map_err(into_io)?;
    let connector_type = if given.connector_type {
        None
    } else {
        let types = connector_type_choices();
        let index = Select::with_theme(&theme)
            .with_prompt("Connector type")
            .items(types)
            .default(0)
            .interact()
            .map_err(into_io)?;
        Some(types[index].to_owned())
    };
    let capabilities = (!given.capabilities)
        .then(|| {
            pick(
                &theme,
                "Capabilities (space toggles, enter accepts)",
                registry,
                CapabilityKind::Runtime,
            )
        })
        .transpose()?;
    let native_capabilities = (!given.native_capabilities)
        .then(|| {
            pick(
                &theme,
                "Native transfer capabilities (optional)",
                registry,
                CapabilityKind::NativeTransfer,
            )
        })
        .transpose()?;
    Ok(Answers {
        name,
        connector_type,
        capabilities,
        native_capabilities,
    })
}

fn pick(
    theme: &ColorfulTheme,
    prompt: &str,
    registry: &Registry,
    kind: CapabilityKind,
) -> std::io::Result<Vec<String>> {
    let choices: Vec<Choice> = capability_choices(registry, kind);
    let labels: Vec<String> = choices
        .iter()
        .map(|c| format!("{} - {}", c.name, c.summary))
        .collect();
    let defaults: Vec<bool> = choices.iter().map(|c| c.selected).collect();
    let picked = MultiSelect::with_theme(theme)
        .with_prompt(prompt)
        .items(&labels)
        .defaults(&defaults)
        .interact()
        .map_err(into_io)?;
    Ok(picked
        .into_iter()
        .map(|i| choices[i].name.to_owned())
        .collect())
}

fn into_io(err: dialoguer::Error) -> std::io::Error {
    match err {
        dialoguer::Error::IO(err) => err,
    }
}
