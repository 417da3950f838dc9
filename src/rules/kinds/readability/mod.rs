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
use crate::document::words::word_ranges;
use crate::document::Document;
use serde::Deserialize;
use syllables::{syllables, Counts};

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
        let sections = doc.leaf_sections();
        let tallies = tally(doc, &sections);
        let limit = self.max_grade.get(cx.audience);
        for ((heading, _), tally) in sections.iter().zip(&tallies) {
            if tally.counts.words < self.min_words {
                continue;
            }
            let Some(grade) = tally.counts.grade().filter(|g| *g > limit) else {
                continue;
            };
            let anchor = match (heading, tally.first_sentence) {
                (Some(h), _) => doc.headings[*h].text_span,
                (None, Some(first)) => first,
                (None, None) => continue,
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
        }
    }
}

/// Words, syllables and sentences per leaf section. A masked inline code span is one word of
/// one syllable: its prose-mask text is blank, and a word with no letter left has one.
fn tally(doc: &Document, sections: &[(Option<usize>, Span)]) -> Vec<SectionTally> {
    let mut tallies = vec![SectionTally::default(); sections.len()];
    let mut section = 0;
    let mut code = 0;
    for sentence in doc.body_sentences() {
        let span = sentence.span();
        while section < sections.len() && sections[section].1.end <= span.start {
            section += 1;
        }
        let Some((_, body)) = sections.get(section) else {
            break;
        };
        if !body.contains_offset(span.start) {
            continue;
        }
        let (mut words, mut syllable_count) = (0, 0);
        let text = doc.prose(span);
        for word in word_ranges(text) {
            words += 1;
            syllable_count += syllables(&text[word]);
        }
        while code < doc.code_spans.len() && doc.code_spans[code].start < span.start {
            code += 1;
        }
        while code < doc.code_spans.len() && doc.code_spans[code].end <= span.end {
            words += 1;
            syllable_count += 1;
            code += 1;
        }
        tallies[section].add(span, words, syllable_count);
    }
    tallies
}

#[cfg(test)]
mod tests;
