//! `dpone-connectors completions`.

use clap::Args;
use clap_complete::Shell;

use super::{print_stdout, EXIT_OK};

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
///
/// Examples:
///   dpone-connectors completions bash > ~/.local/share/bash-completion/completions/dpone-connectors
///   dpone-connectors completions zsh > ~/.zfunc/_dpone-connectors
///   dpone-connectors completions fish > ~/.config/fish/completions/dpone-connectors.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// Shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: CompletionsArgs, mut command: clap::Command) -> u8 {
    let mut script = Vec::new();
    let name = command.get_name().to_owned();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    print_stdout(&String::from_utf8_lossy(&script));
    EXIT_OK
}
