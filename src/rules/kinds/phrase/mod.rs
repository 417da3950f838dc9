//! `kind = "phrase"`: phrases that say something the reader should not be told that way
//! (CL403 `absolute-promise`, CL404 `minimizing-language`, CL405 `passive-evasion`; CL402
//! `blame-shifting` builds on it).
//!
//! A rule lists classes of trigger patterns, read as RULES.md prints them (a space is any run of
//! whitespace, matched at word boundaries). A trigger does not count when:
//!
//! | key | test |
//! |---|---|
//! | `negation` | a negator (`not`, `no`, ...) comes at most `within` words before it, with no punctuation between (classes with `negatable = false` are exempt) |
//! | `hedges` | a hedge comes earlier in its clause (clauses split at `;` `:` `—` `, but`) |
//! | `not-after` | a pattern matches earlier in its sentence (`cannot promise`) |
//! | class `not-followed-by` | the words right after it start with one of these (`just before`) |
//! | class `not-preceded-by` | the words right before it end with one of these (`to`: a purpose clause) |
//! | class `clause-initial` | other words than these come before it in its clause or comma part |
//! | class `then-in-clause` | this pattern does not follow it in its clause (the phrase then runs to its end) |
//! | `unless-sentence` | its sentence matches one of these (an agent: `by us`) |
//! | `unless-admission` | its sentence holds one of CL402's admissions (`blame-shifting.toml`) |
//! | `skip-quotes` | it is in a block quote or inside quotation marks: someone else's words (default on) |
//! | `significance` | the document shows no significant impact (see `evidence`) |
//!
//! In a pattern, a group named `t` is the trigger itself (the rest is context that must be
//! there), and a group named `org` must start one of the configuration's `organization` names
//! (RULES.md's `ORG`); write it as `(?P<org>\w+)`.
//!
//! `span = "phrase"` reports each phrase (overlapping triggers merged, the first class's
//! message); `span = "sentence"` reports each sentence once, with the first class found.

mod evidence;
pub mod scan;
mod suggest;
#[cfg(test)]
mod tests;

use super::{compile_regex, Check, CheckContext};
use crate::diagnostic::{Finding, Span};
use crate::document::Sentence;
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::presence::pattern::compile_bounded;
use scan::{Class, Hit, Negation, Scanner};
use serde::Deserialize;

/// What a finding underlines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpanMode {
    /// The phrase itself.
    #[default]
    Phrase,
    /// The whole sentence, once per sentence.
    Sentence,
}

/// Parameters of the rule file's `[check]` table (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Trigger classes, in priority order.
    pub classes: Vec<ClassParams>,
    /// What a finding underlines.
    #[serde(default)]
    pub span: SpanMode,
    /// The negation test.
    #[serde(default)]
    pub negation: Option<NegationParams>,
    /// Hedges that cancel a later trigger in their clause.
    #[serde(default)]
    pub hedges: Vec<String>,
    /// Patterns that cancel a later trigger in their sentence.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// A sentence matching one of these has no finding.
    #[serde(default)]
    pub unless_sentence: Vec<String>,
    /// A sentence holding one of CL402's admissions has no finding.
    #[serde(default)]
    pub unless_admission: bool,
    /// Block quotes and text inside quotation marks are someone else's words.
    #[serde(default = "yes")]
    pub skip_quotes: bool,
    /// Where clauses end; RULES.md §1's breaks by default.
    #[serde(default)]
    pub clause_breaks: Option<String>,
    /// Report only in documents that show significant impact.
    #[serde(default)]
    pub significance: Option<evidence::Params>,
}

fn yes() -> bool {
    true
}

/// One class of triggers with its message.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ClassParams {
    /// A short name, for the docs and tests.
    pub name: String,
    /// The message; `{phrase}` is replaced by the phrase as written.
    pub message: String,
    /// Trigger patterns.
    pub patterns: Vec<String>,
    /// Must follow the trigger in its clause; the phrase runs to its end.
    #[serde(default)]
    pub then_in_clause: Option<String>,
    /// Words that alone may come before the trigger in its clause (none otherwise).
    #[serde(default)]
    pub clause_initial: Option<String>,
    /// Whether the rule's negation test applies to this class.
    #[serde(default = "yes")]
    pub negatable: bool,
    /// The trigger does not count when followed by one of these.
    #[serde(default)]
    pub not_followed_by: Vec<String>,
    /// The trigger does not count right after one of these (`to`: a purpose clause).
    #[serde(default)]
    pub not_preceded_by: Vec<String>,
    /// Rewrites offered for the phrase; the first whose `find` matches at its start is used.
    #[serde(default)]
    pub suggestions: Vec<SuggestionParams>,
}

/// `{ words = "not|no", within = 3 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NegationParams {
    /// The negators.
    pub words: String,
    /// At most this many words between the negator and the trigger.
    pub within: usize,
}

/// `{ find = "(?P<w>will) ", replace = "$w help " }`: matched at the start of the phrase (it
/// may reach beyond it); the matched text becomes `replace` with `$name` groups expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SuggestionParams {
    /// What to rewrite.
    pub find: String,
    /// Its replacement.
    pub replace: String,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Phrases (exact words, any case) never reported, e.g. a product called "Blip".
    #[serde(default)]
    pub allow: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct PhraseCheck {
    scanner: Scanner,
    span: SpanMode,
    messages: Vec<String>,
    suggestions: Vec<Vec<suggest::Rewrite>>,
    unless_sentence: PatternSet,
    unless_admission: bool,
    skip_quotes: bool,
    significance: Option<evidence::Significance>,
    allow: Vec<String>,
}

impl PhraseCheck {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let all = |key: &str, patterns: &[String]| {
            PatternSet::compile(patterns, compile_bounded).map_err(|e| format!("in `{key}`: {e}"))
        };
        let classes = params
            .classes
            .iter()
            .map(|c| Class::compile(c).map_err(|e| format!("in class `{}`: {e}", c.name)))
            .collect::<Result<Vec<_>, _>>()?;
        let suggestions = params
            .classes
            .iter()
            .map(|c| c.suggestions.iter().map(suggest::Rewrite::compile).collect())
            .collect::<Result<Vec<_>, String>>()?;
        let negation = params.negation.as_ref().map(Negation::compile).transpose()?;
        let clause_breaks = compile_regex(params.clause_breaks.as_deref().unwrap_or(scan::DEFAULT_CLAUSE_BREAKS))?;
        let significance = params
            .significance
            .as_ref()
            .map(|s| evidence::Significance::compile(s, params.negation.as_ref()))
            .transpose()?;
        Ok(PhraseCheck {
            scanner: Scanner::new(
                classes,
                negation,
                all("hedges", &params.hedges)?,
                all("not-after", &params.not_after)?,
                clause_breaks,
            ),
            span: params.span,
            messages: params.classes.iter().map(|c| c.message.clone()).collect(),
            suggestions,
            unless_sentence: all("unless-sentence", &params.unless_sentence)?,
            unless_admission: params.unless_admission,
            skip_quotes: params.skip_quotes,
            significance,
            allow: options.allow.iter().map(|a| normalize(a)).collect(),
        })
    }

    /// The sentences this rule reads: block quotes are someone else's words when `skip-quotes`.
    pub fn own_sentences<'a>(&self, cx: &CheckContext<'a>) -> impl Iterator<Item = &'a Sentence> + 'a {
        let skip = self.skip_quotes;
        let doc = cx.doc;
        doc.sentences
            .iter()
            .filter(move |s| !(skip && doc.block_of(s).in_quote()))
    }

    /// The counted phrases of one sentence, offsets relative to its text.
    pub fn sentence_hits(&self, cx: &CheckContext<'_>, sentence: &Sentence) -> Vec<Hit> {
        let doc = cx.doc;
        let text = doc.prose(sentence.span());
        let quoted = || match self.skip_quotes {
            true => quotes_in_sentence(doc, sentence),
            false => Vec::new(),
        };
        let mut hits = self.scanner.hits(text, quoted, cx.organization);
        // The sentence-wide exceptions are asked only of the few sentences with a trigger.
        if hits.is_empty()
            || self.unless_sentence.is_match(text)
            || (self.unless_admission && crate::rules::kinds::blame::admits(text))
        {
            return Vec::new();
        }
        if !self.allow.is_empty() {
            hits.retain(|h| !self.allow.contains(&normalize(&text[h.start..h.end])));
        }
        hits
    }

    /// The message of a class for a phrase.
    pub fn message(&self, class: usize, phrase: &str) -> String {
        self.messages[class].replace("{phrase}", &normalize_spaces(phrase))
    }
}

impl Check for PhraseCheck {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let evidence = match &self.significance {
            None => None,
            Some(significance) => match significance.assess(cx) {
                evidence::Verdict::Insignificant => return,
                evidence::Verdict::Significant(at) => at,
            },
        };
        let doc = cx.doc;
        let mut triggers = self.scanner.trigger_filter();
        for sentence in self.own_sentences(cx) {
            if !triggers.may_hold(doc.prose(sentence.span())) {
                continue;
            }
            let hits = self.sentence_hits(cx, sentence);
            let base = sentence.span().start;
            let findings: Vec<Finding> = match self.span {
                SpanMode::Sentence => hits
                    .iter()
                    .min_by_key(|h| h.class)
                    .map(|h| Finding::new(sentence.span(), self.message(h.class, doc.prose(sentence.span()))))
                    .into_iter()
                    .collect(),
                SpanMode::Phrase => hits
                    .iter()
                    .map(|h| {
                        let span = Span::new(base + h.start, base + h.end);
                        let finding = Finding::new(span, self.message(h.class, doc.prose(span)));
                        match suggest::first(&self.suggestions[h.class], doc, span) {
                            Some((at, text)) => {
                                finding.with_suggestion(at, text, crate::diagnostic::Applicability::MaybeIncorrect)
                            }
                            None => finding,
                        }
                    })
                    .collect(),
            };
            for finding in findings {
                out.push(match &evidence {
                    Some((span, label)) => finding.with_secondary(*span, label.clone()),
                    None => finding,
                });
            }
        }
    }
}

/// Quotation-mark spans of the sentence's block, clipped to the sentence and made relative to it.
pub fn quotes_in_sentence(doc: &crate::document::Document, sentence: &Sentence) -> Vec<(usize, usize)> {
    let block = doc.block_of(sentence).span();
    let (from, to) = (sentence.span().start, sentence.span().end);
    scan::quoted_spans(doc.prose(block))
        .into_iter()
        .map(|(s, e)| (s + block.start, e + block.start))
        .filter(|&(s, e)| s < to && e > from)
        .map(|(s, e)| (s.max(from) - from, e.min(to) - from))
        .collect()
}

/// Lowercased, spaces collapsed: how allowed phrases are compared.
fn normalize(text: &str) -> String {
    normalize_spaces(text).to_lowercase()
}

/// The phrase as the reader sees it: markup blanked in the mask leaves runs of spaces.
pub fn normalize_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
