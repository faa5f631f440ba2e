//! `dpone-connectors man`: the manual page, rendered from the same clap definition as the
//! parser, `--help` and the completions, so the three can never disagree.

use clap::Args;

use super::{print_error, write_stdout, Failure, EXIT_OK, EXIT_REFUSED};

/// Print the manual page (roff) of the command or of one subcommand.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dpone-connectors man > ~/.local/share/man/man1/dpone-connectors.1
  dpone-connectors man scaffold > ~/.local/share/man/man1/dpone-connectors-scaffold.1")]
pub struct ManArgs {
    /// The subcommand whose page to print (its page is `dpone-connectors-COMMAND(1)`);
    /// without it, the page of `dpone-connectors` itself.
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

pub fn run(args: ManArgs, mut command: clap::Command) -> u8 {
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let found = command
                .get_subcommands()
                .find(|sub| sub.get_name() == name && !sub.is_hide_set());
            match found {
                // The page's name is the one `man` finds it by: `dpone-connectors-scaffold`.
                Some(sub) => sub
                    .clone()
                    .name(format!("{}-{name}", command.get_name()))
                    .version(command.get_version().unwrap_or_default().to_owned()),
                None => {
                    let mut known: Vec<&str> = command
                        .get_subcommands()
                        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
                        .map(clap::Command::get_name)
                        .collect();
                    known.sort_unstable();
                    print_error(Failure::usage(format_args!(
                        "no manual page for `{name}`; the commands are: {}",
                        known.join(", ")
                    )));
                    return EXIT_REFUSED;
                }
            }
        }
    };
    let mut roff = Vec::new();
    if let Err(err) = clap_mangen::Man::new(page).render(&mut roff) {
        print_error(Failure::new("output", err));
        return EXIT_REFUSED;
    }
    write_stdout(&String::from_utf8_lossy(&roff));
    EXIT_OK
}
