//! The document-level significance test (RULES.md CL404): a rule reports only in a document
//! that shows significant impact somewhere, and points at that evidence.

use super::scan::{compile_phrase, ends_a_word, Negation};
use super::NegationParams;
use crate::diagnostic::Span;
use crate::kind::DocKind;
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::CheckContext;
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// `[check.significance]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Patterns that show significant impact.
    pub evidence: Vec<EvidencePattern>,
    /// Kinds that always count as significant (a security disclosure).
    #[serde(default)]
    pub always_for: Vec<DocKind>,
    /// The secondary label on the evidence.
    pub label: String,
}

/// A pattern, or a pattern whose group `n` must be a number of at least `at-least`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum EvidencePattern {
    /// Any match counts.
    Pattern(String),
    /// A match counts when its number is large enough.
    Measured(Measured),
}

/// `{ pattern = '(?P<n>\d+) minutes', at-least = 30 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Measured {
    /// The pattern, with a group named `n`.
    pub pattern: String,
    /// The smallest number that counts.
    pub at_least: u64,
}

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing shows significant impact.
    Insignificant,
    /// Significant; the evidence and its label, when a sentence shows it (a security disclosure
    /// counts without one).
    Significant(Option<(Span, String)>),
}

/// The compiled test.
#[derive(Debug)]
pub struct Significance {
    evidence: PatternSet,
    /// For each evidence pattern, the smallest number its group `n` must hold, if any.
    at_least: Vec<Option<u64>>,
    negation: Option<Negation>,
    always_for: Vec<DocKind>,
    label: String,
}

impl Significance {
    /// Compiles the evidence patterns; the rule's negation test applies to them too.
    pub fn compile(params: &Params, negation: Option<&NegationParams>) -> Result<Self, String> {
        let (evidence, at_least): (Vec<LazyRegex>, Vec<Option<u64>>) = params
            .evidence
            .iter()
            .map(|e| match e {
                EvidencePattern::Pattern(p) => Ok((compile_phrase(p)?, None)),
                EvidencePattern::Measured(m) => {
                    let re = compile_phrase(&m.pattern)?;
                    if !re.has_group_named("n") {
                        return Err(format!("evidence pattern `{}` has no group named `n`", m.pattern));
                    }
                    Ok((re, Some(m.at_least)))
                }
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| format!("in `significance`: {e}"))?
            .into_iter()
            .unzip();
        Ok(Significance {
            evidence: PatternSet::new(evidence),
            at_least,
            negation: negation.map(Negation::compile).transpose()?,
            always_for: params.always_for.clone(),
            label: params.label.clone(),
        })
    }

    /// The first sentence that shows significant impact (negated mentions such as `no data was
    /// lost` do not), or the document's kind.
    pub fn assess(&self, cx: &CheckContext<'_>) -> Verdict {
        let doc = cx.doc;
        for sentence in &doc.sentences {
            let text = doc.prose(sentence.span());
            if let Some((start, end)) = self.first_in(text) {
                let span = Span::new(start, end).shift(sentence.span().start);
                return Verdict::Significant(Some((span, self.label.clone())));
            }
        }
        if self.always_for.contains(&cx.kind) {
            Verdict::Significant(None)
        } else {
            Verdict::Insignificant
        }
    }

    /// The first evidence in a sentence's text that counts.
    pub fn first_in(&self, text: &str) -> Option<(usize, usize)> {
        self.evidence
            .candidates(text)
            .flat_map(|(index, re)| {
                let at_least = &self.at_least[index];
                re.captures_iter(text).filter_map(move |caps| {
                    let whole = caps.get(0).filter(|w| ends_a_word(text, w.end()))?;
                    let big_enough = match at_least {
                        None => true,
                        Some(min) => caps
                            .name("n")
                            .and_then(|n| n.as_str().replace(',', "").parse::<u64>().ok())
                            .is_some_and(|n| n >= *min),
                    };
                    big_enough.then_some((whole.start(), whole.end()))
                })
            })
            .filter(|(start, _)| !self.negation.as_ref().is_some_and(|n| n.negates(&text[..*start])))
            .min()
    }
}
