//! Leaf sections (RULES.md §1: a heading up to the next heading of any level; the text before
//! the first heading belongs to the title), their word counts, and the threshold test.

use crate::diagnostic::Span;
use crate::document::Document;
use serde::Deserialize;

/// When a leaf section has too many technical terms.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Threshold {
    /// At least this many distinct terms ...
    pub distinct: usize,
    /// ... and at least this many uses per 100 prose words.
    pub per_100_words: f64,
}

impl Threshold {
    /// This threshold with a configuration's changes; `audience` names it in errors.
    pub fn with(self, change: Option<super::ThresholdOption>, audience: &str) -> Result<Threshold, String> {
        let change = change.unwrap_or_default();
        let threshold = Threshold {
            distinct: change.distinct.unwrap_or(self.distinct),
            per_100_words: change.per_100_words.unwrap_or(self.per_100_words),
        };
        if threshold.distinct == 0 {
            return Err(format!("`thresholds.{audience}.distinct` must be at least 1"));
        }
        if !threshold.per_100_words.is_finite() || threshold.per_100_words < 0.0 {
            return Err(format!(
                "`thresholds.{audience}.per-100-words` must be a number of at least 0, not {}",
                threshold.per_100_words
            ));
        }
        Ok(threshold)
    }

    /// True when `uses` of `distinct` terms in `words` prose words reach the threshold.
    pub fn exceeded(&self, distinct: usize, uses: usize, words: usize) -> bool {
        words > 0 && distinct >= self.distinct && uses as f64 * 100.0 >= self.per_100_words * words as f64
    }
}

/// The document's leaf sections, in order and disjoint.
pub struct LeafSections {
    /// The prose each section counts.
    bodies: Vec<Span>,
    /// Where its secondary label goes: the heading text, or the title for the opening text.
    anchors: Vec<Span>,
}

/// The leaf sections of `doc` (`Document::leaf_sections`: the text before the first heading,
/// a first-line title included, then each heading's leaf body) with their label anchors.
pub fn leaf_sections(doc: &Document) -> LeafSections {
    let (bodies, anchors) = doc
        .leaf_sections()
        .map(|(heading, body)| {
            let anchor = heading.map_or_else(|| doc.title_anchor(), |h| doc.headings[h].text_span());
            (body, anchor)
        })
        .unzip();
    LeafSections { bodies, anchors }
}

impl LeafSections {
    /// True when the document has no section at all.
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    /// The section whose body contains `offset`; `None` in a heading line.
    pub fn index_of(&self, offset: usize) -> Option<usize> {
        let after = self.bodies.partition_point(|body| body.start <= offset);
        let index = after.checked_sub(1)?;
        self.bodies[index].contains_offset(offset).then_some(index)
    }

    /// Where section `index`'s secondary label goes.
    pub fn anchor(&self, index: usize) -> Span {
        self.anchors[index]
    }

    /// Prose words of section `index`, as `Document::word_count` counts them (an inline code
    /// span is one word), the code spans found by binary search.
    pub fn word_count(&self, doc: &Document, index: usize) -> usize {
        let body = self.bodies[index];
        let first = doc.code_spans.partition_point(|c| c.start < body.start);
        let code = doc.code_spans[first..]
            .iter()
            .take_while(|c| c.start < body.end)
            .filter(|c| c.end <= body.end)
            .count();
        doc.prose_word_count(body) + code
    }
}
