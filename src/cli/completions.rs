//! `dpone-connectors completions`.

use clap::Args;
use clap_complete::Shell;

use super::{write_stdout, EXIT_OK};

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors completions bash > ~/.local/share/bash-completion/completions/dpone-connectors
  dpone-connectors completions zsh > ~/.zfunc/_dpone-connectors
  dpone-connectors completions fish > ~/.config/fish/completions/dpone-connectors.fish")]
pub struct CompletionsArgs {
    /// Shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: CompletionsArgs, mut command: clap::Command) -> u8 {
    let mut script = Vec::new();
    let name = command.get_name().to_owned();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    write_stdout(&String::from_utf8_lossy(&script));
    EXIT_OK
}
