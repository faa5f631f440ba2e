//! The person's details on the command line: `--author`, `--email`, `--license`,
//! `--description`, `--python`. They win over environment variables and the user config file.

use crate::model::error::ConfigError;
use crate::model::package::PackageDetails;
use crate::scaffold::user_defaults::user_defaults;
use clap::Args;

/// Defaults: `DPONE_CONNECTORS_<FLAG>` environment variables, then the `[scaffold]` table of
/// `$XDG_CONFIG_HOME/dpone-connectors/config.toml` (or `$DPONE_CONNECTORS_CONFIG`).
#[derive(Debug, Args)]
pub struct DetailsArgs {
    /// Author's name, for `[project] authors` and the copyright line.
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    /// Author's e-mail address.
    #[arg(long, value_name = "ADDRESS")]
    email: Option<String>,
    /// License as an SPDX id: Apache-2.0 (default), MIT or BSD-3-Clause; writes LICENSE.
    #[arg(long, value_name = "SPDX")]
    license: Option<String>,
    /// One-sentence package description (default names the connector and its type).
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// Lowest supported Python version, 3.11 (default) or later.
    #[arg(long, value_name = "3.N")]
    python: Option<String>,
}

impl DetailsArgs {
    /// The flags given, layered over the environment and the user config file.
    pub fn resolve(self) -> Result<PackageDetails, ConfigError> {
        let flags = PackageDetails {
            author: self.author,
            email: self.email,
            license: self.license,
            description: self.description,
            python: self.python,
        };
        Ok(flags.or(user_defaults()?))
    }
}
