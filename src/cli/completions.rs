//! `crisislint completions SHELL`: completion scripts generated from the command line itself.

use super::{Cli, EXIT_OK};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// `crisislint completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script for the shell.
pub fn run(args: &CompletionsArgs) -> i32 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "crisislint", &mut std::io::stdout());
    EXIT_OK
}
