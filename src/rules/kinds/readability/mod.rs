//! `kind = "readability"`: leaf sections whose Flesch–Kincaid grade is above the audience's
//! limit (RULES.md CL204 hard-to-read).
//!
//! One pass over the non-heading sentences, in order, adds each sentence's words and syllables
//! to its leaf section and keeps the section's two longest sentences; inline code spans are
//! walked alongside. Linear in the document, with no allocation per sentence.

mod syllables;

use super::audience_limit::{PerAudience, PerAudienceChange};
use super::{Check, CheckContext};
use crate::diagnostic::{Finding, Span};
use crate::document::Document;
use serde::Deserialize;
use std::ops::ControlFlow;
use syllables::{syllables_at, Counts};

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// The highest grade a section may read at, per audience.
    pub max_grade: PerAudience<f64>,
    /// Sections with fewer words are not graded (the formula is noise on short text).
    pub min_words: usize,
}

/// Options from the configuration's `[rules.hard-to-read]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// `max-grade = { customers = 8 }`: a field left out keeps the rule file's value.
    #[serde(default)]
    pub max_grade: Option<PerAudienceChange<f64>>,
    /// Sections with fewer words are not graded.
    #[serde(default)]
    pub min_words: Option<usize>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Readability {
    max_grade: PerAudience<f64>,
    min_words: usize,
}

impl Readability {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let max_grade = params.max_grade.with(options.max_grade);
        max_grade.validate("max-grade", |g| {
            (!g.is_finite()).then(|| "must be a number".to_string())
        })?;
        let min_words = options.min_words.unwrap_or(params.min_words);
        if min_words == 0 {
            return Err("`min-words` must be at least 1".to_string());
        }
        Ok(Readability { max_grade, min_words })
    }
}

/// What one leaf section adds up to.
#[derive(Debug, Clone, Copy, Default)]
struct SectionTally {
    counts: Counts,
    first_sentence: Option<Span>,
    /// The two longest sentences as (words, span), longest first; ties keep the earlier.
    longest: [Option<(usize, Span)>; 2],
}

impl SectionTally {
    fn add(&mut self, span: Span, words: usize, syllables: usize) {
        self.counts.words += words;
        self.counts.syllables += syllables;
        self.counts.sentences += 1;
        self.first_sentence.get_or_insert(span);
        let entry = Some((words, span));
        match self.longest {
            [Some((top, _)), _] if words <= top => {
                if self.longest[1].is_none_or(|(second, _)| words > second) {
                    self.longest[1] = entry;
                }
            }
            _ => self.longest = [entry, self.longest[0]],
        }
    }
}

impl Check for Readability {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let limit = self.max_grade.get(cx.audience);
        tally_sections(doc, |heading, tally| {
            if tally.counts.words < self.min_words {
                return;
            }
            let Some(grade) = tally.counts.grade().filter(|g| *g > limit) else {
                return;
            };
            let anchor = match (heading, tally.first_sentence) {
                (Some(h), _) => doc.headings[h].text_span(),
                (None, Some(first)) => first,
                (None, None) => return,
            };
            let mut longest: Vec<(usize, Span)> = tally.longest.iter().flatten().copied().collect();
            longest.sort_by_key(|(_, span)| span.start);
            let mut finding = Finding::new(
                anchor,
                format!("section reads at grade {grade:.1} (limit {limit} for {})", cx.audience),
            )
            .with_label(format!(
                "{} words in {} sentences",
                tally.counts.words, tally.counts.sentences
            ));
            for (words, span) in longest {
                finding = finding.with_secondary(span, format!("{words}-word sentence"));
            }
            out.push(finding);
        });
    }
}

/// Words, syllables and sentences of each leaf section with a sentence, handed to `report` in
/// order as the section ends: one section is tallied at a time, not a table of every section
/// (9 MB on a 52 MB file). A masked inline code span is one word of one syllable: its
/// prose-mask text is blank, and a word with no letter left has one.
fn tally_sections(doc: &Document, mut report: impl FnMut(Option<usize>, &SectionTally)) {
    let mut sections = doc.leaf_sections();
    let mut section = sections.next();
    let mut tally = SectionTally::default();
    let mut code = 0;
    for sentence in doc.body_sentences() {
        let span = sentence.span();
        while let Some((heading, _)) = section.filter(|(_, body)| body.end <= span.start) {
            if tally.counts.sentences > 0 {
                report(heading, &tally);
            }
            tally = SectionTally::default();
            section = sections.next();
        }
        let Some((_, body)) = section else {
            break;
        };
        if !body.contains_offset(span.start) {
            continue;
        }
        let (mut words, mut syllable_count) = (0, 0);
        let _: ControlFlow<()> = doc.try_for_each_word(span, |word| {
            words += 1;
            syllable_count += syllables_at(&doc.mask, word.start..word.end);
            ControlFlow::Continue(())
        });
        while code < doc.code_spans.len() && doc.code_spans[code].start < span.start {
            code += 1;
        }
        while code < doc.code_spans.len() && doc.code_spans[code].end <= span.end {
            words += 1;
            syllable_count += 1;
            code += 1;
        }
        tally.add(span, words, syllable_count);
    }
    if let Some((heading, _)) = section.filter(|_| tally.counts.sentences > 0) {
        report(heading, &tally);
    }
}

#[cfg(test)]
mod tests;
