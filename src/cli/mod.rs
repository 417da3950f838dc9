//! The command line: parse arguments, run a subcommand, return the exit status.
//!
//! Exit status: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 usage,
//! configuration or I/O error (other files are still linted after an I/O error).

pub mod args;
mod baseline;
mod check;
pub mod completions;
pub mod init;
pub mod listing;
pub mod server;

pub use args::{CheckArgs, Cli, ColorChoice, Command, ListFormat};

use clap::Parser;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// Nothing at or above `--fail-on`.
pub const EXIT_OK: i32 = 0;
/// Findings at or above `--fail-on`.
pub const EXIT_FINDINGS: i32 = 1;
/// Usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// Runs the command line; returns the exit status. For a process that exits next: `check`
/// leaves what it built (rules, findings, threads) for the exit to free.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    // A panic while linting a file is reported once, as that file's internal-error.
    crate::guard::install_quiet_hook();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = error.print();
            return error.exit_code();
        }
    };
    match cli.command {
        None => check::run(cli.check),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Rules(args)) => listing::rules(&args),
        Some(Command::Explain(args)) => listing::explain(&args),
        Some(Command::Init(args)) => init::run(&args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Server(args)) => server::run(&args),
    }
}

/// Prints `error: message` to stderr, `error` in bold red when stderr is a colored terminal.
pub(crate) fn print_error(message: &str, color: ColorChoice) {
    let colored = color.enabled(std::io::stderr().is_terminal());
    let mut stderr = std::io::stderr().lock();
    let _ = if colored {
        writeln!(stderr, "\x1b[1;31merror\x1b[0m: {message}")
    } else {
        writeln!(stderr, "error: {message}")
    };
}
