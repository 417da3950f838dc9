//! `kind = "forbid"`: phrases a team does not want in its announcements, each with an optional
//! replacement that becomes the finding's suggestion.
//!
//! The rule file's `[check]` table:
//!
//! | key | meaning |
//! |---|---|
//! | `phrases` | patterns, or `{ pattern, replacement, help }` tables; matched in prose, case-insensitive, at word boundaries, read as the presence rules read theirs (a space is any whitespace) |
//! | `message` | the finding's message; `{phrase}` stands for the text found (default ``"{phrase}" is on the list of phrases to avoid``) |
//! | `machine-applicable` | `true` when every replacement is safe to apply unseen: `--fix` then applies them (default `false`) |
//! | `case-sensitive` | match case as written (default `false`) |
//!
//! A replacement may use the pattern's groups (`$1`, `${name}`); when the phrase found starts
//! with a capital and the replacement does not, the replacement gets one. Configuration
//! (`[rules.<name>]`) may add phrases with `extra-phrases`.

use super::presence::pattern::compile_bounded;
use super::{Check, CheckContext};
use crate::diagnostic::{Applicability, Finding, Span};
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// The forbidden phrases.
    pub phrases: Vec<Phrase>,
    /// The message; `{phrase}` stands for the text found.
    #[serde(default)]
    pub message: Option<String>,
    /// Whether `--fix` may apply the replacements.
    #[serde(default)]
    pub machine_applicable: bool,
    /// Match case as written.
    #[serde(default)]
    pub case_sensitive: bool,
}

/// A forbidden phrase: a pattern, or a pattern with its replacement and help.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Phrase {
    /// A pattern without replacement.
    Pattern(String),
    /// A pattern with a replacement and help.
    Full(PhraseDef),
}

/// `{ pattern = "...", replacement = "...", help = "..." }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PhraseDef {
    /// The regex.
    pub pattern: String,
    /// What to write instead (the suggestion).
    #[serde(default)]
    pub replacement: Option<String>,
    /// The finding's help; default `write "<replacement>" instead`, else the rule file's help.
    #[serde(default)]
    pub help: Option<String>,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// More phrases, in the rule file's format.
    #[serde(default)]
    pub extra_phrases: Vec<Phrase>,
}

#[derive(Debug)]
struct Compiled {
    regex: LazyRegex,
    replacement: Option<String>,
    help: Option<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Forbid {
    phrases: Vec<Compiled>,
    message: String,
    applicability: Applicability,
}

impl Forbid {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let compile = |key: &str, phrase: &Phrase| -> Result<Compiled, String> {
            let (pattern, replacement, help) = match phrase {
                Phrase::Pattern(p) => (p, None, None),
                Phrase::Full(d) => (&d.pattern, d.replacement.clone(), d.help.clone()),
            };
            let regex = if params.case_sensitive {
                compile_bounded(&format!("(?-i:{pattern})"))
            } else {
                compile_bounded(pattern)
            };
            let regex = regex.map_err(|e| format!("in `{key}`: {e}"))?;
            Ok(Compiled {
                regex,
                replacement,
                help,
            })
        };
        if params.phrases.is_empty() {
            return Err("`phrases` is empty: list at least one phrase".to_string());
        }
        let mut phrases = Vec::new();
        for phrase in &params.phrases {
            phrases.push(compile("phrases", phrase)?);
        }
        for phrase in &options.extra_phrases {
            phrases.push(compile("extra-phrases", phrase)?);
        }
        Ok(Forbid {
            phrases,
            message: params
                .message
                .clone()
                .unwrap_or_else(|| "\"{phrase}\" is on the list of phrases to avoid".to_string()),
            applicability: if params.machine_applicable {
                Applicability::MachineApplicable
            } else {
                Applicability::MaybeIncorrect
            },
        })
    }
}

impl Check for Forbid {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let mut hits: Vec<(Span, &Compiled, Option<String>)> = Vec::new();
        for phrase in &self.phrases {
            for caps in phrase.regex.captures_iter(&doc.mask) {
                let whole = caps.get(0).expect("group 0");
                if whole.is_empty() {
                    continue;
                }
                let replacement = phrase.replacement.as_ref().map(|r| {
                    let mut expanded = String::new();
                    caps.expand(r, &mut expanded);
                    matching_capital(whole.as_str(), &expanded)
                });
                hits.push((Span::new(whole.start(), whole.end()), phrase, replacement));
            }
        }
        // One finding per stretch of text: where phrases overlap, the earliest (then longest) wins.
        hits.sort_by_key(|(span, _, _)| (span.start, std::cmp::Reverse(span.end)));
        let mut end = 0;
        for (span, phrase, replacement) in hits {
            if span.start < end {
                continue;
            }
            end = span.end;
            let found = doc.prose(span).split_whitespace().collect::<Vec<_>>().join(" ");
            let mut finding = Finding::new(span, self.message.replace("{phrase}", &found));
            let help = phrase
                .help
                .clone()
                .or_else(|| replacement.as_ref().map(|r| format!("write \"{r}\" instead")));
            if let Some(help) = help {
                finding = finding.with_help(help);
            }
            // Markup inside the phrase (`we **regret**`) would be lost by a replacement.
            if let (Some(replacement), true) = (replacement, doc.text(span) == doc.prose(span)) {
                finding = finding.with_suggestion(span, replacement, self.applicability);
            }
            out.push(finding);
        }
    }
}

/// `replacement` with a capital first letter when the phrase found starts with one.
fn matching_capital(found: &str, replacement: &str) -> String {
    let capital = found.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if capital && first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::kind::Audience;

    fn run(check: &str, text: &str) -> (Document, Vec<Finding>) {
        let params: Params = toml::from_str(check).expect("params");
        let forbid = Forbid::compile(&params, Options::default()).expect("compiles");
        let (doc, out) = crate::rules::kinds::run_check(&forbid, text, Audience::Customers);
        (doc, out)
    }

    #[test]
    fn replacements_keep_a_capital_and_use_groups() {
        let check = "phrases = [{ pattern = 'utili[sz](e|ed|es)', replacement = 'us$1' }]";
        let (_, found) = run(check, "# T\n\nUtilized widely; we utilise it.\n");
        let replaced: Vec<_> = found
            .iter()
            .map(|f| f.suggestion.as_ref().unwrap().replacement.as_str())
            .collect();
        assert_eq!(replaced, ["Used", "use"]);
        assert_eq!(found[0].message, "\"Utilized\" is on the list of phrases to avoid");
        assert_eq!(found[0].help.as_deref(), Some("write \"Used\" instead"));
        assert_eq!(
            found[0].suggestion.as_ref().unwrap().applicability,
            Applicability::MaybeIncorrect
        );
    }

    #[test]
    fn code_is_not_prose_and_markup_inside_a_phrase_blocks_the_suggestion() {
        let check = "machine-applicable = true\nphrases = [{ pattern = 'we regret', replacement = 'we are sorry' }]";
        let (doc, found) = run(check, "# T\n\n`we regret` and we **regret** it.\n");
        assert_eq!(found.len(), 1);
        assert_eq!(doc.text(found[0].primary.span), "we **regret");
        assert!(found[0].suggestion.is_none());
    }

    #[test]
    fn overlapping_phrases_give_one_finding_and_case_can_matter() {
        let (_, found) = run(
            "phrases = ['going forward', 'forward']",
            "# T\n\nGoing forward we will.\n",
        );
        assert_eq!(found.len(), 1);
        let (_, found) = run("case-sensitive = true\nphrases = ['NB']", "# T\n\nNB: nb is fine.\n");
        assert_eq!(found.len(), 1);
        let bad: Params = toml::from_str("phrases = []").unwrap();
        assert!(Forbid::compile(&bad, Options::default()).is_err());
    }
}
