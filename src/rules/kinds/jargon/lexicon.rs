//! The lexicon: term entries from the rule file and the configuration, compiled into one regex
//! so a document is scanned once, in linear time. Which entry a match belongs to is then read
//! from a set of anchored patterns, once per distinct matched text (capture groups over a
//! hundred alternatives would cost more than the scan itself).

use crate::rules::kinds::{compile_regex, matches_empty};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// One `[[check.terms]]` entry: a term and all its variants (`rollback`, `rolled back`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TermDef {
    /// A regex, case-insensitive except for all-caps alternatives, matched at word boundaries.
    pub pattern: String,
    /// Everyday words a customer understands, used in the help (`say "delay", ...`).
    #[serde(default)]
    pub plain: Option<String>,
    /// A whole help text, for entries whose plain hint is advice rather than words.
    #[serde(default)]
    pub help: Option<String>,
    /// The plain words can replace the term as they stand, so a suggestion is offered.
    #[serde(default)]
    pub drop_in: bool,
    /// Overrides the all-caps rule for the whole pattern.
    #[serde(default)]
    pub case_sensitive: Option<bool>,
}

/// One `[[check.identifiers]]` entry: names from code or systems (`web-03`, `--force`).
/// Each distinct text is its own term; matching is case-sensitive.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct IdentifierDef {
    /// A regex for the identifier itself.
    pub pattern: String,
    /// What must come before it.
    #[serde(default)]
    pub boundary: Boundary,
    /// Help for this sort of identifier; the rule file's help when absent.
    #[serde(default)]
    pub help: Option<String>,
}

/// What must surround a match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// An ASCII word boundary on both sides.
    #[default]
    Word,
    /// The start of a line, whitespace or an opening bracket or quote before it (paths, flags).
    Space,
}

/// What a compiled entry reports.
#[derive(Debug, Clone)]
pub struct Term {
    /// A `not-terms` phrase: matched only so that no term is found inside it.
    pub ignored: bool,
    /// Each distinct matched text is a term of its own (identifiers).
    pub per_text: bool,
    /// The help for this term; `None` takes the rule file's.
    pub help: Option<String>,
    /// The replacement offered as a suggestion (`drop-in = true` only).
    pub replacement: Option<String>,
    /// Matched with the character before it (`Boundary::Space`), which is not part of the term.
    space_bounded: bool,
}

/// Every entry in one regex, and each entry alone (`entries[i]` is `terms[i]`, anchored).
#[derive(Debug)]
pub struct Lexicon {
    regex: regex::Regex,
    entries: regex::RegexSet,
    terms: Vec<Term>,
    /// Matched texts (lowercased) that never count (config `allow`).
    allowed_texts: HashSet<String>,
}

/// How an entry's help reads when it gives plain words.
fn plain_help(plain: &str) -> String {
    format!("say \"{plain}\", or explain the term the first time you use it")
}

impl Lexicon {
    /// Compiles `not_terms` (phrases such as `for instance` that hide the terms inside them),
    /// `terms` (earlier entries win where two match at the same place) and `identifiers`,
    /// leaving out every entry that matches a whole `allow` string.
    pub fn compile(
        not_terms: &[String],
        terms: &[TermDef],
        identifiers: &[IdentifierDef],
        allow: &[String],
    ) -> Result<Self, String> {
        let mut alternatives = Vec::new();
        let mut compiled = Vec::new();
        for phrase in not_terms {
            if matches_empty(phrase)? {
                return Err(format!("not-terms pattern `{phrase}` matches empty text"));
            }
            alternatives.push((r"(?-u:\b)", phrase.clone(), r"(?-u:\b)"));
            compiled.push(Term {
                ignored: true,
                per_text: false,
                help: None,
                replacement: None,
                space_bounded: false,
            });
        }
        for def in terms {
            let pattern = with_case_rule(&def.pattern, def.case_sensitive);
            if matches_empty(&pattern)? {
                return Err(format!("term pattern `{}` matches empty text", def.pattern));
            }
            let whole = compile_regex(&format!("^(?:{pattern})$"))?;
            if allow.iter().any(|a| whole.is_match(a.trim())) {
                continue;
            }
            alternatives.push((r"(?-u:\b)", pattern, r"(?-u:\b)"));
            let help = def.help.clone().or_else(|| def.plain.as_deref().map(plain_help));
            let replacement = if def.drop_in { def.plain.clone() } else { None };
            if def.drop_in && replacement.is_none() {
                return Err(format!("term `{}` is `drop-in` but has no `plain` words", def.pattern));
            }
            compiled.push(Term {
                ignored: false,
                per_text: false,
                help,
                replacement,
                space_bounded: false,
            });
        }
        for def in identifiers {
            let pattern = format!("(?-i:{})", def.pattern);
            if matches_empty(&pattern)? {
                return Err(format!("identifier pattern `{}` matches empty text", def.pattern));
            }
            let (before, after) = match def.boundary {
                Boundary::Word => (r"(?-u:\b)", r"(?-u:\b)"),
                Boundary::Space => (r#"(?:(?m:^)|[\s(\[{"'“‘])"#, ""),
            };
            alternatives.push((before, pattern, after));
            compiled.push(Term {
                ignored: false,
                per_text: true,
                help: def.help.clone(),
                replacement: None,
                space_bounded: def.boundary == Boundary::Space,
            });
        }
        let combined = alternatives
            .iter()
            .map(|(before, pattern, after)| format!("{before}(?:{pattern}){after}"))
            .collect::<Vec<_>>()
            .join("|");
        // An empty alternation would match everywhere; a pattern that cannot match keeps it inert.
        let combined = if alternatives.is_empty() {
            r"[^\s\S]".to_string()
        } else {
            combined
        };
        let regex = regex::RegexBuilder::new(&combined)
            .case_insensitive(true)
            .size_limit(1 << 24)
            .dfa_size_limit(1 << 24)
            .build()
            .map_err(|e| format!("the technical-jargon lexicon does not compile: {e}"))?;
        let entries =
            regex::RegexSetBuilder::new(alternatives.iter().map(|(_, pattern, _)| format!("^(?:{pattern})$")))
                .case_insensitive(true)
                .size_limit(1 << 24)
                .dfa_size_limit(1 << 24)
                .build()
                .map_err(|e| format!("the technical-jargon lexicon does not compile: {e}"))?;
        let allowed_texts = allow.iter().map(|a| a.trim().to_lowercase()).collect();
        Ok(Lexicon {
            regex,
            entries,
            terms: compiled,
            allowed_texts,
        })
    }

    /// The compiled entry `index` of a match.
    pub fn term(&self, index: usize) -> &Term {
        &self.terms[index]
    }

    /// Every match in `text` as (entry index, byte range), in order, skipping allowed texts
    /// and `not-terms` phrases.
    pub fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 't {
        let mut known: HashMap<(bool, &'t str), Option<usize>> = HashMap::new();
        self.regex.find_iter(text).filter_map(move |m| {
            let mut range = m.range();
            // A space-bounded entry matched the character before it too.
            let first = m.as_str().chars().next()?;
            let after_space = first.is_whitespace() || "([{\"'“‘".contains(first);
            if after_space {
                range.start += first.len_utf8();
            }
            let matched = &text[range.clone()];
            let index = *known
                .entry((after_space, matched))
                .or_insert_with(|| self.entry_of(matched, after_space));
            let index = index?;
            let allowed = !self.allowed_texts.is_empty() && self.allowed_texts.contains(&matched.to_lowercase());
            (!allowed && !self.terms[index].ignored).then_some((index, range))
        })
    }

    /// The entry a matched text belongs to: the first that matches it whole, as in the
    /// alternation (after a space, only the space-bounded entries could have matched).
    fn entry_of(&self, matched: &str, after_space: bool) -> Option<usize> {
        self.entries
            .matches(matched)
            .into_iter()
            .find(|&i| !after_space || self.terms[i].space_bounded)
    }
}

/// Applies RULES.md's "all-caps terms match case-sensitively": with no explicit flag, each
/// top-level alternative whose letters are all capitals is wrapped in `(?-i:...)`, so `SLA|SLO|error
/// budget` keeps `error budget` case-insensitive.
pub fn with_case_rule(pattern: &str, case_sensitive: Option<bool>) -> String {
    match case_sensitive {
        Some(true) => format!("(?-i:{pattern})"),
        Some(false) => pattern.to_string(),
        None => top_level_alternatives(pattern)
            .into_iter()
            .map(|alt| {
                if is_all_caps(alt) {
                    format!("(?-i:{alt})")
                } else {
                    alt.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// Splits a regex at the `|` that are outside groups, classes and escapes.
fn top_level_alternatives(pattern: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_class, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.saturating_sub(1),
            '|' if !in_class && depth == 0 => {
                parts.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&pattern[start..]);
    parts
}

/// True when the letters of a regex (escapes skipped) include a capital and no lowercase letter.
fn is_all_caps(pattern: &str) -> bool {
    let mut letters = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c.is_alphabetic() {
            letters.push(c);
        }
    }
    letters.iter().any(|c| c.is_uppercase()) && !letters.iter().any(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(pattern: &str, plain: &str) -> TermDef {
        TermDef {
            pattern: pattern.to_string(),
            plain: Some(plain.to_string()),
            help: None,
            drop_in: false,
            case_sensitive: None,
        }
    }

    fn found(lexicon: &Lexicon, text: &str) -> Vec<(usize, String)> {
        lexicon.matches(text).map(|(i, r)| (i, text[r].to_string())).collect()
    }

    #[test]
    fn all_caps_alternatives_are_case_sensitive_and_the_others_are_not() {
        assert_eq!(
            with_case_rule("SLA|SLO|error budget", None),
            "(?-i:SLA)|(?-i:SLO)|error budget"
        );
        assert_eq!(
            with_case_rule(r"5xx|50[0234]\s+errors?", None),
            r"5xx|50[0234]\s+errors?"
        );
        assert_eq!(with_case_rule("a(b|c)", None), "a(b|c)");
        let lexicon = Lexicon::compile(&[], &[term("SLA|error budget", "target")], &[], &[]).unwrap();
        assert_eq!(found(&lexicon, "the sla, our SLA, an Error Budget").len(), 2);
    }

    #[test]
    fn terms_match_whole_words_only() {
        let lexicon = Lexicon::compile(&[], &[term("nodes?", "servers"), term("pods?", "servers")], &[], &[]).unwrap();
        assert_eq!(
            found(&lexicon, "an iPod, nodes and a pod; tripods"),
            [(0, "nodes".into()), (1, "pod".into())]
        );
    }

    #[test]
    fn not_terms_hide_the_terms_inside_them() {
        let lexicon = Lexicon::compile(&[r"for\s+instance".into()], &[term("instances?", "server")], &[], &[]).unwrap();
        assert_eq!(
            found(&lexicon, "For instance, one instance failed"),
            [(1, "instance".into())]
        );
    }

    #[test]
    fn allow_removes_an_entry_with_all_its_variants() {
        let terms = [
            term(r"rollbacks?|roll(ed|ing)?[ -]back", "undo"),
            term("APIs?", "interface"),
        ];
        let lexicon = Lexicon::compile(&[], &terms, &[], &["rollback".into(), "api".into()]).unwrap();
        assert!(found(&lexicon, "we rolled back the rollback").is_empty());
        assert_eq!(found(&lexicon, "the API"), []);
    }

    #[test]
    fn space_bounded_identifiers_take_only_the_identifier() {
        let ids = [IdentifierDef {
            pattern: r"(?:/[A-Za-z0-9_-]+){2,}".into(),
            boundary: Boundary::Space,
            help: None,
        }];
        let lexicon = Lexicon::compile(&[], &[], &ids, &[]).unwrap();
        assert_eq!(
            found(&lexicon, "see /var/lib/x (or /etc/app) and and/or 24/7/365"),
            [(0, "/var/lib/x".into()), (0, "/etc/app".into())]
        );
    }

    #[test]
    fn bad_patterns_are_named_in_the_error() {
        let err = Lexicon::compile(&[], &[term("late(ncy", "delay")], &[], &[]).unwrap_err();
        assert!(err.contains("late(ncy"), "{err}");
        let err = Lexicon::compile(&[], &[term("x?", "y")], &[], &[]).unwrap_err();
        assert!(err.contains("matches empty text"), "{err}");
    }
}
