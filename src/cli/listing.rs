//! `crisislint rules` and `crisislint explain`: the catalogue, from the rule files compiled
//! into the binary (and the team's `rule-dirs`), with severities under the configuration.

use super::args::{ExplainArgs, ListFormat, RulesArgs};
use super::{print_error, ColorChoice, EXIT_ERROR, EXIT_OK};
use crate::config::{CompiledRule, Settings};
use crate::diagnostic::Level;
use crate::discover;
use crate::kind::DocKind;
use crate::rules::RuleDef;
use serde::Serialize;
use std::collections::BTreeMap;

/// Runs `rules`; returns the exit status.
pub fn rules(args: &RulesArgs) -> i32 {
    let settings = match discover::load_for_cwd(&args.config.choice()) {
        Ok(settings) => settings,
        Err(error) => {
            print_error(&error.0, ColorChoice::Auto);
            return EXIT_ERROR;
        }
    };
    let text = match args.format {
        ListFormat::Human => human_table(&settings),
        ListFormat::Markdown => markdown_table(&settings),
        ListFormat::Json => {
            serde_json::to_string_pretty(&json_rules(&settings)).expect("rule listing serializes") + "\n"
        }
    };
    print!("{text}");
    EXIT_OK
}

/// Runs `explain`; returns the exit status.
pub fn explain(args: &ExplainArgs) -> i32 {
    let settings = match discover::load_for_cwd(&args.config.choice()) {
        Ok(settings) => settings,
        Err(error) => {
            print_error(&error.0, ColorChoice::Auto);
            return EXIT_ERROR;
        }
    };
    match explanation(&settings, &args.rule) {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(message) => {
            print_error(&message, ColorChoice::Auto);
            EXIT_ERROR
        }
    }
}

/// The rules in code order (team rules from `rule-dirs` slot in by their codes).
fn by_code(settings: &Settings) -> Vec<&CompiledRule> {
    let mut rules: Vec<&CompiledRule> = settings.rules.iter().collect();
    rules.sort_by(|a, b| a.def.code.cmp(&b.def.code));
    rules
}

/// One letter per level, as in RULES.md §4: E, W, I, or – for off.
fn letter(level: Level) -> &'static str {
    match level {
        Level::Error => "E",
        Level::Warning => "W",
        Level::Info => "I",
        Level::Off => "–",
    }
}

/// The Markdown rule table of the README: code, rule, one column per kind, summary.
pub fn markdown_table(settings: &Settings) -> String {
    let mut out = String::from("| code | rule | ");
    out.push_str(&DocKind::ALL.map(DocKind::as_str).join(" | "));
    out.push_str(" | summary |\n|---|---|");
    out.push_str(&"---|".repeat(DocKind::ALL.len() + 1));
    out.push('\n');
    for rule in by_code(settings) {
        let def = &rule.def;
        let levels = DocKind::ALL.map(|k| letter(settings.level(def, k))).join(" | ");
        out.push_str(&format!(
            "| {} | `{}` | {levels} | {} |\n",
            def.code, def.name, def.summary
        ));
    }
    out
}

/// Aligned columns for a terminal, with a legend.
pub fn human_table(settings: &Settings) -> String {
    let width = settings
        .rules
        .iter()
        .map(|r| r.def.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:<6} {:<width$}  SU IR PM SD  SUMMARY\n", "CODE", "RULE");
    for rule in by_code(settings) {
        let def = &rule.def;
        let levels = DocKind::ALL
            .map(|k| format!("{:<2}", letter(settings.level(def, k))))
            .join(" ");
        out.push_str(&format!(
            "{:<6} {:<width$}  {levels}  {}\n",
            def.code, def.name, def.summary
        ));
    }
    out.push_str(
        "\nSU status-update, IR incident-report, PM postmortem, SD security-disclosure; \
         E error, W warning, I info, – off.\n`crisislint explain RULE` prints a rule's documentation.\n",
    );
    out
}

/// One rule in `crisislint rules --format json`.
#[derive(Debug, Serialize)]
pub struct JsonRule<'a> {
    /// Rule name.
    pub name: &'a str,
    /// Rule code.
    pub code: &'a str,
    /// Severity for the configuration's default kind.
    pub default_severity: Level,
    /// Severity per document kind.
    pub severity: BTreeMap<&'static str, Level>,
    /// One line.
    pub summary: &'a str,
}

fn json_rules(settings: &Settings) -> Vec<JsonRule<'_>> {
    by_code(settings)
        .into_iter()
        .map(|rule| JsonRule {
            name: &rule.def.name,
            code: &rule.def.code,
            default_severity: settings.level(&rule.def, settings.default_kind),
            severity: DocKind::ALL
                .into_iter()
                .map(|k| (k.as_str(), settings.level(&rule.def, k)))
                .collect(),
            summary: &rule.def.summary,
        })
        .collect()
}

/// A rule's documentation in Markdown: title, summary, severity per kind, docs, default help.
pub fn explanation(settings: &Settings, key: &str) -> Result<String, String> {
    let def: &RuleDef = settings
        .names
        .resolve(key)
        .and_then(|name| settings.rules.iter().find(|r| r.def.name == name))
        .map(|r| r.def.as_ref())
        .ok_or_else(|| {
            let hint = settings
                .names
                .closest(key)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            format!("unknown rule `{key}`{hint} (`crisislint rules` lists every rule)")
        })?;
    let kinds = DocKind::ALL.map(DocKind::as_str);
    let levels = DocKind::ALL.map(|k| letter(settings.level(def, k)));
    let mut out = format!("# {} {}\n\n{}.\n\n", def.code, def.name, def.summary);
    if let Some(origin) = &def.origin {
        out.push_str(&format!("Team rule, from `{origin}`.\n\n"));
    }
    out.push_str("Severity by document kind (E error, W warning, I info, – off):\n\n");
    out.push_str(&format!(
        "| {} |\n|{}\n| {} |\n\n",
        kinds.join(" | "),
        "---|".repeat(kinds.len()),
        levels.join(" | ")
    ));
    out.push_str(def.docs.trim());
    out.push('\n');
    if let Some(help) = &def.help {
        out.push_str(&format!("\nDefault help: {help}\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_list_every_rule_once() {
        let settings = Settings::builtin();
        let markdown = markdown_table(&settings);
        let human = human_table(&settings);
        for rule in &settings.rules {
            assert_eq!(markdown.matches(&format!("| `{}` |", rule.def.name)).count(), 1);
            assert!(human.contains(&rule.def.name));
        }
        assert_eq!(markdown.lines().count(), settings.rules.len() + 2);
    }

    #[test]
    fn explain_accepts_names_and_codes_and_suggests_on_a_typo() {
        let settings = Settings::builtin();
        let rule = &settings.rules[0].def;
        let by_name = explanation(&settings, &rule.name).unwrap();
        assert!(by_name.starts_with(&format!("# {} {}", rule.code, rule.name)));
        assert_eq!(
            explanation(&settings, &rule.code.to_ascii_lowercase()).unwrap(),
            by_name
        );
        let typo = format!("{}x", rule.name);
        let error = explanation(&settings, &typo).unwrap_err();
        assert!(error.contains("did you mean"), "{error}");
    }
}
