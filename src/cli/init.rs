//! `crisislint init`: a commented `crisislint.toml` to start from.

use super::{print_error, ColorChoice, EXIT_ERROR, EXIT_OK};
use crate::config::CONFIG_FILE_NAME;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// `crisislint init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Directory to write crisislint.toml in.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// The file `init` writes: every setting commented, each default valid as written.
pub const TEMPLATE: &str = r#"# crisislint configuration. Each document uses the nearest crisislint.toml in its directory
# or above. `crisislint rules` lists every rule; `crisislint explain RULE` explains one.
# Lines such as `#key = value` are settings switched off: remove the `#` to use them.

# The kind of a document that no front matter or kind-globs entry classifies:
# status-update, incident-report, postmortem or security-disclosure.
default-kind = "incident-report"

# The lowest severity that makes `crisislint` exit with status 1: error, warning, info or never.
fail-on = "error"

# The names your organization writes as (they count as first person: "Acme apologizes").
#organization = ["Acme", "Acme Cloud"]

# Directories of your team's own rule files, relative to this file.
#rule-dirs = ["crisislint-rules"]

# Kind (and audience) by path, relative to this file; the first matching glob wins.
#[[kind-globs]]
#glob = "status/**/*.md"
#kind = "status-update"

#[[kind-globs]]
#glob = "postmortems/**/*.md"
#kind = "postmortem"

# Severity overrides for every kind (off, info, warning or error), by rule name or code.
#[severity]
#technical-jargon = "info"

# Severity overrides for one kind only.
#[severity.postmortem]
#missing-apology = "off"

# Options of one rule (`crisislint explain RULE` lists them).
#[rules.missing-timezone]
#assume = "UTC"
"#;

/// Writes the template; refuses to replace an existing file.
pub fn run(args: &InitArgs) -> i32 {
    let path = args.dir.join(CONFIG_FILE_NAME);
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
    let result = match file {
        Ok(mut file) => file.write_all(TEMPLATE.as_bytes()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            print_error(
                &format!("{} already exists; not overwritten", path.display()),
                ColorChoice::Auto,
            );
            return EXIT_ERROR;
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            EXIT_OK
        }
        Err(error) => {
            print_error(&format!("{}: cannot write: {error}", path.display()), ColorChoice::Auto);
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_configuration_with_and_without_its_switched_off_settings() {
        let settings = |text: &str| {
            let file: crate::config::ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
            crate::config::Settings::compile(None, text, file, std::path::Path::new(".")).map_err(|e| e.0)
        };
        settings(TEMPLATE).unwrap();
        // `rule-dirs` needs a real directory, so it stays switched off here.
        let all_on: String = TEMPLATE
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(setting) if !setting.starts_with([' ', '#']) && !setting.is_empty() => {
                    if setting.starts_with("rule-dirs") {
                        ""
                    } else {
                        setting
                    }
                }
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(all_on.contains("\n[severity.postmortem]\nmissing-apology = \"off\""));
        settings(&all_on).unwrap_or_else(|e| panic!("{e}\n---\n{all_on}"));
    }
}
