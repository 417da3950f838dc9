//! `kind = "jargon"`: technical terms, counted per leaf section against a threshold that
//! depends on the audience (RULES.md CL201).
//!
//! The lexicon finds every occurrence in the prose mask; occurrences that a definition
//! explains (and every later one of the same term) are dropped; a section is over its threshold
//! when it has enough distinct terms and enough uses per 100 words; each term is then reported
//! once per document, at its first occurrence inside an over-threshold section.

mod definition;
pub mod lexicon;
mod sections;

use super::{Check, CheckContext};
use crate::diagnostic::{Applicability, Finding, Span};
use crate::kind::Audience;
use definition::Definitions;
use lexicon::{IdentifierDef, Lexicon, TermDef};
use sections::{leaf_sections, LeafSections, Threshold};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Phrases that are never terms although a term occurs inside them (`for instance`).
    #[serde(default)]
    pub not_terms: Vec<String>,
    /// The default lexicon; one entry per term, its variants included.
    pub terms: Vec<TermDef>,
    /// Names from code and systems that count as terms (no plain hint).
    #[serde(default)]
    pub identifiers: Vec<IdentifierDef>,
    /// A regex for what, right after a term, explains it (anchored at the term's end).
    pub definition_follows: String,
    /// A regex for what looks like `definition-follows` but is a remark (anchored likewise).
    #[serde(default)]
    pub definition_follows_unless: Option<String>,
    /// A regex for what, right before a term, introduces it as a name (anchored at its start).
    pub definition_precedes: String,
    /// When a leaf section has too many terms, per audience.
    pub thresholds: Thresholds,
}

/// A threshold per audience.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Thresholds {
    /// For customers (the default audience of most kinds).
    pub customers: Threshold,
    /// For engineers (postmortems).
    pub engineers: Threshold,
}

/// Options from the configuration's `[rules.technical-jargon]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Terms the team's readers would not know, on top of the default lexicon.
    #[serde(default)]
    pub extra_terms: Vec<ExtraTerm>,
    /// Terms that never count (`"API"` also allows `APIs`).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Threshold changes per audience; a field left out keeps the rule file's value.
    #[serde(default)]
    pub thresholds: ThresholdOptions,
}

/// One `extra-terms` entry: `{ term = "BGP", plain = "internet routing" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExtraTerm {
    /// The term as written (matched literally, at word boundaries).
    #[serde(default)]
    pub term: Option<String>,
    /// Or a regex, for a term with variants.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Everyday words to use instead.
    #[serde(default)]
    pub plain: Option<String>,
    /// The plain words can replace the term as they stand (offered as a suggestion).
    #[serde(default)]
    pub drop_in: bool,
    /// Overrides the all-caps rule.
    #[serde(default)]
    pub case_sensitive: Option<bool>,
}

/// `thresholds.customers` and `thresholds.engineers` in the configuration.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThresholdOptions {
    /// Changes for customers.
    #[serde(default)]
    pub customers: Option<ThresholdOption>,
    /// Changes for engineers.
    #[serde(default)]
    pub engineers: Option<ThresholdOption>,
}

/// `{ distinct = 2, per-100-words = 2.0 }`, either field optional.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThresholdOption {
    /// Distinct terms a section needs.
    #[serde(default)]
    pub distinct: Option<usize>,
    /// Uses per 100 words a section needs.
    #[serde(default)]
    pub per_100_words: Option<f64>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Jargon {
    lexicon: Lexicon,
    definitions: Definitions,
    customers: Threshold,
    engineers: Threshold,
}

impl Jargon {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        // Configured terms come first, so they win over a built-in entry matching the same text.
        let mut terms = options
            .extra_terms
            .iter()
            .map(extra_term_def)
            .collect::<Result<Vec<_>, _>>()?;
        terms.extend(params.terms.iter().cloned());
        Ok(Jargon {
            lexicon: Lexicon::compile(&params.not_terms, &terms, &params.identifiers, &options.allow)?,
            definitions: Definitions::compile(
                &params.definition_follows,
                params.definition_follows_unless.as_deref(),
                &params.definition_precedes,
            )?,
            customers: params
                .thresholds
                .customers
                .with(options.thresholds.customers, "customers")?,
            engineers: params
                .thresholds
                .engineers
                .with(options.thresholds.engineers, "engineers")?,
        })
    }
}

/// An `extra-terms` entry as a lexicon entry; exactly one of `term` and `pattern`.
fn extra_term_def(extra: &ExtraTerm) -> Result<TermDef, String> {
    let pattern = match (&extra.term, &extra.pattern) {
        (Some(term), None) if !term.trim().is_empty() => literal_pattern(term.trim()),
        (None, Some(pattern)) if !pattern.is_empty() => pattern.clone(),
        (Some(_), Some(_)) => return Err("an `extra-terms` entry takes `term` or `pattern`, not both".into()),
        _ => return Err("an `extra-terms` entry needs a non-empty `term` (or `pattern`)".into()),
    };
    Ok(TermDef {
        pattern,
        plain: extra.plain.clone(),
        help: None,
        drop_in: extra.drop_in,
        case_sensitive: extra.case_sensitive,
    })
}

/// A literal term as a regex; spaces match any run of whitespace (a term may wrap a line).
fn literal_pattern(term: &str) -> String {
    term.split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// A term's identity: an entry, or for identifiers the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum TermKey<'a> {
    Entry(usize),
    Text(&'a str),
}

/// An occurrence that counts: not allowed, not defined.
struct Occurrence<'a> {
    key: TermKey<'a>,
    entry: usize,
    span: Span,
    section: usize,
}

impl Check for Jargon {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let sections = leaf_sections(doc);
        if sections.is_empty() {
            return;
        }
        let threshold = match cx.audience {
            Audience::Customers => self.customers,
            Audience::Engineers => self.engineers,
        };
        // Ordered sets rather than hashed: a document has a few dozen terms, found in a few
        // comparisons each, where hashing one and growing the table cost the 2,000-file
        // benchmark 0.6% of its instructions.
        let mut defined = BTreeSet::new();
        let mut reported = BTreeSet::new();
        // Matches come in source order and sections are in order and disjoint: a section's
        // occurrences are complete at the first match past it, and only one section's are
        // kept (every occurrence of a 50 MB document took 22 MB).
        let mut in_section: Vec<Occurrence<'_>> = Vec::new();
        for (entry, range) in self.lexicon.matches(&doc.mask) {
            let Some(section) = sections.index_of(range.start) else {
                continue;
            };
            if in_section.last().is_some_and(|o| o.section != section) {
                self.report_section(cx, &sections, threshold, &in_section, &mut reported, out);
                in_section.clear();
            }
            let key = match self.lexicon.term(entry).per_text {
                true => TermKey::Text(&doc.mask[range.clone()]),
                false => TermKey::Entry(entry),
            };
            if defined.contains(&key) {
                continue;
            }
            if self.definitions.defines(&doc.mask, range.clone()) {
                defined.insert(key);
                continue;
            }
            let span = Span::new(range.start, range.end);
            in_section.push(Occurrence {
                key,
                entry,
                span,
                section,
            });
        }
        self.report_section(cx, &sections, threshold, &in_section, &mut reported, out);
    }
}

impl Jargon {
    /// Reports the terms of one section's occurrences when the section is over the threshold,
    /// each term once per document (`reported`), at its first occurrence.
    fn report_section<'a>(
        &self,
        cx: &CheckContext<'_>,
        sections: &LeafSections,
        threshold: Threshold,
        occurrences: &[Occurrence<'a>],
        reported: &mut BTreeSet<TermKey<'a>>,
        out: &mut Vec<Finding>,
    ) {
        let Some(section) = occurrences.first().map(|o| o.section) else {
            return;
        };
        // Sorted rather than hashed: a section has a few terms, and a new hash set of them for
        // each section took the 2,000 files 0.2% more instructions.
        let mut keys: Vec<TermKey<'_>> = occurrences.iter().map(|o| o.key).collect();
        keys.sort_unstable();
        keys.dedup();
        let distinct = keys.len();
        // Only a section with enough distinct terms can be over the threshold: count its words.
        if distinct < threshold.distinct {
            return;
        }
        let uses = occurrences.len();
        let words = sections.word_count(cx.doc, section);
        if !threshold.exceeded(distinct, uses, words) {
            return;
        }
        let note = usage_note(uses, distinct, words);
        for occurrence in occurrences {
            if reported.insert(occurrence.key) {
                out.push(self.finding(cx, occurrence, sections.anchor(section), &note));
            }
        }
    }
}

impl Jargon {
    fn finding(&self, cx: &CheckContext<'_>, occurrence: &Occurrence<'_>, anchor: Span, note: &str) -> Finding {
        let term = self.lexicon.term(occurrence.entry);
        let shown = cx
            .doc
            .text(occurrence.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut finding = Finding::new(
            occurrence.span,
            format!("technical term `{shown}` in text written for {}", cx.audience),
        )
        .with_secondary(anchor, note);
        if let Some(help) = &term.help {
            finding = finding.with_help(help);
        }
        if let Some(replacement) = &term.replacement {
            let replacement = matching_capital(&shown, replacement);
            finding = finding.with_suggestion(occurrence.span, replacement, Applicability::MaybeIncorrect);
        }
        finding
    }
}

/// `replacement` with a capital first letter when `term` starts a sentence with one
/// (`Anycast` -> `Nearest server`); an all-caps term (`BGP`) says nothing about the sentence.
fn matching_capital(term: &str, replacement: &str) -> String {
    let capitalised = term.chars().next().is_some_and(char::is_uppercase) && term.chars().any(char::is_lowercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if capitalised => first.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

/// `4 uses of 3 technical terms in 120 words`.
fn usage_note(uses: usize, distinct: usize, words: usize) -> String {
    let plural = |n: usize, one, many| if n == 1 { one } else { many };
    format!(
        "{uses} {} of {distinct} {} in {words} {}",
        plural(uses, "use", "uses"),
        plural(distinct, "technical term", "technical terms"),
        plural(words, "word", "words")
    )
}

/// The rule file's own parameters, so that tests check what ships.
#[cfg(test)]
fn shipped_params() -> Params {
    let def = crate::rules::builtin_defs()
        .into_iter()
        .find(|d| d.name == "technical-jargon")
        .expect("rule file");
    match def.check {
        super::CheckSpec::Jargon(params) => params,
        _ => panic!("technical-jargon is not a jargon check"),
    }
}

#[cfg(test)]
mod tests;
