//! Rules as data: each rule is a `rules/<name>.toml` file, compiled into the binary, naming one
//! of a closed set of check kinds implemented in Rust (`kinds/`).

pub mod kinds;
pub mod team;

use crate::diagnostic::Level;
use crate::kind::DocKind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The built-in rule files, in code order. Adding a rule means adding its file here.
pub const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
    (
        "invalid-directive.toml",
        include_str!("../../rules/invalid-directive.toml"),
    ),
    ("internal-error.toml", include_str!("../../rules/internal-error.toml")),
    ("missing-apology.toml", include_str!("../../rules/missing-apology.toml")),
    (
        "missing-explanation.toml",
        include_str!("../../rules/missing-explanation.toml"),
    ),
    (
        "missing-remediation.toml",
        include_str!("../../rules/missing-remediation.toml"),
    ),
    ("missing-impact.toml", include_str!("../../rules/missing-impact.toml")),
    ("missing-contact.toml", include_str!("../../rules/missing-contact.toml")),
    ("empty-contact.toml", include_str!("../../rules/empty-contact.toml")),
    (
        "missing-next-update.toml",
        include_str!("../../rules/missing-next-update.toml"),
    ),
    (
        "missing-user-action.toml",
        include_str!("../../rules/missing-user-action.toml"),
    ),
    (
        "template-placeholder.toml",
        include_str!("../../rules/template-placeholder.toml"),
    ),
    (
        "technical-jargon.toml",
        include_str!("../../rules/technical-jargon.toml"),
    ),
    (
        "missing-timezone.toml",
        include_str!("../../rules/missing-timezone.toml"),
    ),
    ("ambiguous-date.toml", include_str!("../../rules/ambiguous-date.toml")),
    ("relative-date.toml", include_str!("../../rules/relative-date.toml")),
    (
        "inconsistent-timezone.toml",
        include_str!("../../rules/inconsistent-timezone.toml"),
    ),
    ("missing-year.toml", include_str!("../../rules/missing-year.toml")),
    ("malformed-time.toml", include_str!("../../rules/malformed-time.toml")),
    ("non-apology.toml", include_str!("../../rules/non-apology.toml")),
    ("blame-shifting.toml", include_str!("../../rules/blame-shifting.toml")),
    (
        "absolute-promise.toml",
        include_str!("../../rules/absolute-promise.toml"),
    ),
    (
        "minimizing-language.toml",
        include_str!("../../rules/minimizing-language.toml"),
    ),
    ("passive-evasion.toml", include_str!("../../rules/passive-evasion.toml")),
    (
        "undefined-acronym.toml",
        include_str!("../../rules/undefined-acronym.toml"),
    ),
    ("long-sentence.toml", include_str!("../../rules/long-sentence.toml")),
    ("hard-to-read.toml", include_str!("../../rules/hard-to-read.toml")),
    ("missing-section.toml", include_str!("../../rules/missing-section.toml")),
    ("section-order.toml", include_str!("../../rules/section-order.toml")),
    ("empty-section.toml", include_str!("../../rules/empty-section.toml")),
];

/// Severity of a rule per document kind: one level for all kinds, or one per kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SeverityByKind {
    /// The same level for every kind.
    All(Level),
    /// One level per kind (RULES.md §4).
    PerKind(KindLevels),
}

/// One level per document kind; every kind must be given.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct KindLevels {
    /// For `status-update`.
    pub status_update: Level,
    /// For `incident-report`.
    pub incident_report: Level,
    /// For `postmortem`.
    pub postmortem: Level,
    /// For `security-disclosure`.
    pub security_disclosure: Level,
}

impl SeverityByKind {
    /// The level for one kind.
    pub fn for_kind(&self, kind: DocKind) -> Level {
        match self {
            SeverityByKind::All(level) => *level,
            SeverityByKind::PerKind(levels) => match kind {
                DocKind::StatusUpdate => levels.status_update,
                DocKind::IncidentReport => levels.incident_report,
                DocKind::Postmortem => levels.postmortem,
                DocKind::SecurityDisclosure => levels.security_disclosure,
            },
        }
    }
}

/// One `[[examples]]` entry of a rule file: a text and how many findings of this rule it gives.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Example {
    /// The Markdown to lint.
    pub text: String,
    /// How many findings of this rule it must give (0 for an ok example).
    pub findings: usize,
    /// Lint it as this kind (default: incident-report).
    #[serde(default)]
    pub kind: Option<DocKind>,
    /// Lint it for this audience (default: the kind's).
    #[serde(default)]
    pub audience: Option<crate::kind::Audience>,
}

/// A rule file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleDef {
    /// Kebab-case name that names the problem (`missing-apology`).
    pub name: String,
    /// Stable code (`CL101`).
    pub code: String,
    /// One line for `crisislint rules`.
    pub summary: String,
    /// Default severity per kind.
    pub severity: SeverityByKind,
    /// What to write instead, used when a finding brings no help of its own.
    #[serde(default)]
    pub help: Option<String>,
    /// Markdown documentation under the headings "What it does", "Why is this bad", "Example".
    pub docs: String,
    /// Which check runs, with its parameters.
    pub check: kinds::CheckSpec,
    /// Examples that double as tests.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// The rule file of a team rule (`rule-dirs`); `None` for a built-in.
    #[serde(skip)]
    pub origin: Option<String>,
}

impl RuleDef {
    /// Parses a rule file; the error names the line and column.
    pub fn parse(file: &str, text: &str) -> Result<RuleDef, String> {
        toml::from_str::<RuleDef>(text).map_err(|e| crate::config::describe_toml_error(file, text, &e))
    }

    /// The severity used in listings: the one for the default kind.
    pub fn default_level(&self) -> Level {
        self.severity.for_kind(DocKind::default())
    }
}

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The built-in rule definitions, parsed (in parallel: this is serial start-up time) from the
/// JSON that `build.rs` wrote from each file. Panics only if a built-in file is malformed,
/// which the test suite rules out.
pub fn builtin_defs() -> Vec<RuleDef> {
    use rayon::prelude::*;
    BUILTIN_RULE_FILES
        .par_iter()
        .map(|(file, text)| {
            let json = BUILTIN_RULE_JSON.iter().find(|(name, _)| name == file);
            json.and_then(|(_, json)| serde_json::from_str(json).ok())
                .map_or_else(|| RuleDef::parse(file, text), Ok)
                .unwrap_or_else(|e| panic!("built-in rule {e}"))
        })
        .collect()
}

/// Maps names and codes to rule names; used for `--select`, suppression comments and config.
#[derive(Debug, Clone, Default)]
pub struct RuleNames {
    by_key: BTreeMap<String, String>,
}

impl RuleNames {
    /// Indexes the names and codes of `defs`.
    pub fn new<'a>(defs: impl IntoIterator<Item = &'a RuleDef>) -> Self {
        let mut by_key = BTreeMap::new();
        for def in defs {
            by_key.insert(def.name.clone(), def.name.clone());
            by_key.insert(def.code.to_ascii_lowercase(), def.name.clone());
        }
        RuleNames { by_key }
    }

    /// The rule name for a name or code (codes case-insensitive).
    pub fn resolve(&self, key: &str) -> Option<&str> {
        let key = key.trim();
        self.by_key
            .get(key)
            .or_else(|| self.by_key.get(&key.to_ascii_lowercase()))
            .map(String::as_str)
    }

    /// The closest known name or code, for "did you mean" help.
    pub fn closest(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        // An unknown code is a wrong number, not a misspelling: any guess (`CL999` → `CL109`)
        // would be arbitrary.
        if key.len() == 5 && key.starts_with("cl") && key[2..].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.by_key
            .keys()
            .map(|k| (strsim::jaro_winkler(&key, k), k))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| self.by_key[k].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_of_every_built_in_rule_gives_the_rule_its_toml_gives() {
        for (file, text) in BUILTIN_RULE_FILES {
            let (_, json) = BUILTIN_RULE_JSON
                .iter()
                .find(|(name, _)| name == file)
                .unwrap_or_else(|| panic!("{file}: no JSON written by build.rs"));
            let from_json: RuleDef = serde_json::from_str(json).unwrap_or_else(|e| panic!("{file}: {e}"));
            let from_toml = RuleDef::parse(file, text).unwrap();
            assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"), "{file}");
        }
    }
}
