//! `--format`: one type and one spelling for every command.

use clap::ValueEnum;
use serde::Serialize;

use crate::text::terminal::visible;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Plain text for a terminal.
    Text,
    /// One JSON document.
    Json,
    /// Markdown, for pull requests and CI summaries (alias: markdown).
    // `markdown` is how `dpone connectors certify` spells it.
    #[value(alias = "markdown")]
    Md,
}

impl OutputFormat {
    /// Renders `value`: JSON through serde (pretty, newline-terminated), text and markdown
    /// through the command's renderers, with anything that would act on a terminal (escape
    /// sequences in a connector name, say) shown as an escape instead.
    pub fn render<T: Serialize + ?Sized>(
        self,
        value: &T,
        text: impl FnOnce(&T) -> String,
        markdown: impl FnOnce(&T) -> String,
    ) -> Result<String, serde_json::Error> {
        match self {
            OutputFormat::Text => Ok(visible(&text(value)).into_owned()),
            OutputFormat::Md => Ok(visible(&markdown(value)).into_owned()),
            OutputFormat::Json => serde_json::to_string_pretty(value).map(|json| json + "\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_an_alias_of_md() {
        assert_eq!(
            OutputFormat::from_str("markdown", false),
            Ok(OutputFormat::Md)
        );
        assert_eq!(OutputFormat::from_str("md", false), Ok(OutputFormat::Md));
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_owned())
            .collect();
        assert_eq!(names, ["text", "json", "md"]);
    }
}
