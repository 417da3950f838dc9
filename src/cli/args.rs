//! The command line, declared with clap's derive API.

use crate::config::FailOn;
use crate::emit::Format;
use crate::kind::{Audience, DocKind};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Lints incident announcements written in Markdown: status updates, incident reports,
/// postmortems and security disclosures.
#[derive(Debug, Parser)]
#[command(
    name = "crisislint",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "`crisislint [PATH]...` is short for `crisislint check [PATH]...`.\n\
                  Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, \
                  2 usage, configuration or I/O error."
)]
pub struct Cli {
    /// What to do; `check` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The arguments of `check`, accepted without the word `check`.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (the default command).
    Check(CheckArgs),
    /// List every rule with its code, severity per kind and summary.
    Rules(RulesArgs),
    /// Print a rule's documentation and its severity per kind.
    Explain(ExplainArgs),
    /// Write a commented crisislint.toml in the current directory (never overwrites one).
    Init(super::init::InitArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to standard output.
    Completions(super::completions::CompletionsArgs),
    /// Run the language server on standard input and output (LSP, for editors).
    Server(super::server::ServerArgs),
}

/// `crisislint check`.
#[derive(Debug, Clone, Default, Args)]
pub struct CheckArgs {
    /// Files and directories to lint; `-` reads standard input [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Name standard input in output and for configuration lookup and `[[kind-globs]]`.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Use this configuration file for every document instead of the nearest crisislint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every crisislint.toml; use the built-in defaults.
    #[arg(long)]
    pub no_config: bool,

    /// When to color the output (auto: only on a terminal and when NO_COLOR is not set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Lowest severity that makes the exit status 1 [default: the configuration's fail-on, else error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Only these rules (comma-separated names or codes).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,

    /// Skip these rules (comma-separated names or codes).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Lint with this many threads, at most 1024 [default: all cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,

    /// Print findings and errors only, no summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// Treat every document as this kind (wins over front matter and configuration).
    #[arg(long, value_name = "KIND", value_parser = kind_parser())]
    pub kind: Option<DocKind>,

    /// Treat every document as written for this audience.
    #[arg(long, value_name = "AUDIENCE", value_parser = audience_parser())]
    pub audience: Option<Audience>,

    /// Apply machine-applicable suggestions to the files, then report what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print machine-applicable suggestions as a unified diff; write nothing (exit 1 if any).
    #[arg(long)]
    pub diff: bool,
    /// Record today's findings in FILE (a JSON baseline) and report none of them.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that FILE (from --write-baseline) does not know, matched by file,
    /// rule and text, not by line.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

/// Which configuration `rules` and `explain` read (for severities and the team's own rules).
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of the nearest crisislint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every crisislint.toml; use the built-in defaults.
    #[arg(long)]
    pub no_config: bool,
}

/// `crisislint rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// `crisislint explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A rule name (`missing-timezone`) or code (`CL301`).
    #[arg(value_name = "RULE")]
    pub rule: String,
    /// Configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How `crisislint rules` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Human,
    /// A JSON array.
    Json,
    /// A Markdown table (the README's rule table).
    Markdown,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Color on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorChoice {
    /// Whether to color a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

fn kind_parser() -> impl TypedValueParser<Value = DocKind> {
    PossibleValuesParser::new(DocKind::ALL.map(DocKind::as_str))
        .map(|s| s.parse::<DocKind>().expect("every listed kind parses"))
}

fn audience_parser() -> impl TypedValueParser<Value = Audience> {
    PossibleValuesParser::new(Audience::ALL.map(Audience::as_str))
        .map(|s| s.parse::<Audience>().expect("every listed audience parses"))
}

impl ConfigArgs {
    /// The configuration choice these flags make.
    pub fn choice(&self) -> crate::discover::ConfigChoice {
        config_choice(self.config.as_ref(), self.no_config)
    }
}

impl CheckArgs {
    /// The configuration choice these flags make.
    pub fn config_choice(&self) -> crate::discover::ConfigChoice {
        config_choice(self.config.as_ref(), self.no_config)
    }
}

fn config_choice(config: Option<&PathBuf>, no_config: bool) -> crate::discover::ConfigChoice {
    use crate::discover::ConfigChoice;
    match (config, no_config) {
        (_, true) => ConfigChoice::Builtin,
        (Some(path), false) => ConfigChoice::File(path.clone()),
        (None, false) => ConfigChoice::Nearest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn check_is_the_default_command() {
        let cli = Cli::try_parse_from(["crisislint", "a.md", "--format", "json"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.paths, [PathBuf::from("a.md")]);
        assert_eq!(cli.check.format, Format::Json);
        let cli = Cli::try_parse_from(["crisislint", "rules", "--format", "json"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Rules(RulesArgs {
                format: ListFormat::Json,
                ..
            }))
        ));
    }

    #[test]
    fn lists_split_on_commas_and_zero_threads_is_refused() {
        let cli = Cli::try_parse_from(["crisislint", "--select", "CL101,missing-timezone", "--ignore", "a"]).unwrap();
        assert_eq!(cli.check.select.unwrap(), ["CL101", "missing-timezone"]);
        assert_eq!(cli.check.ignore, ["a"]);
        let error = Cli::try_parse_from(["crisislint", "--threads", "0"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        let error = Cli::try_parse_from(["crisislint", "--kind", "memo"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
    }
}
