//! `kind = "template"`: sections by meaning (RULES.md "Templates", CL110-CL112).
//!
//! A section id (`impact`, `timeline`, ...) names a kind of section by its heading patterns
//! ([`sections`]); a kind's template lists required and optional ids and whether the required
//! ones are ordered. One kind serves three rules, chosen by `report`:
//!
//! | `report` | finding |
//! |---|---|
//! | `missing-section` | once per required id with no heading or bold label, at the title |
//! | `section-order` | when `ordered`, at the later heading of each pair of required sections in the wrong order |
//! | `empty-section` | at a heading of any id whose section has fewer than `min-section-words` prose words |
//!
//! Other keys of the rule file's `[check]` table: `with-template` (the level a configured
//! template gives the rule for a kind where it is off), `defer-to` (rules whose near-miss labels
//! already name a heading: the finding there is dropped), `min-section-words` (default 5;
//! `[rules.<name>] min-section-words` overrides it).

pub mod sections;
#[cfg(test)]
mod tests;

use super::{Check, CheckContext};
use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::{Finding, Level, Span};
use crate::document::Document;
use sections::{Place, Template, Templates};
use serde::Deserialize;
use std::ops::ControlFlow;
use std::sync::{Arc, LazyLock};

/// Which of the three template findings a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Report {
    /// CL110: a required section is missing.
    MissingSection,
    /// CL111: required sections are out of order.
    SectionOrder,
    /// CL112: a recognised section has (almost) no prose.
    EmptySection,
}

/// Parameters of the rule file's `[check]` table (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Which finding this rule reports.
    pub report: Report,
    /// The level a configured template gives this rule for a kind where its default is off.
    #[serde(default)]
    pub with_template: Option<Level>,
    /// Rules (names or codes) whose near-miss labels take precedence over this rule's finding.
    #[serde(default)]
    pub defer_to: Vec<String>,
    /// Prose words a section needs not to be empty.
    #[serde(default = "default_min_section_words")]
    pub min_section_words: usize,
}

fn default_min_section_words() -> usize {
    5
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Replaces `min-section-words` (empty-section only).
    pub min_section_words: Option<usize>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TemplateCheck {
    report: Report,
    templates: Arc<Templates>,
    defer_to: Vec<String>,
    min_section_words: usize,
}

impl TemplateCheck {
    /// Compiles the rule with the configuration's options and section templates.
    pub fn compile(params: &Params, options: Options, templates: Arc<Templates>) -> Result<Self, String> {
        if options.min_section_words.is_some() && params.report != Report::EmptySection {
            return Err("`min-section-words` applies only to empty-section".to_string());
        }
        Ok(TemplateCheck {
            report: params.report,
            templates,
            defer_to: params.defer_to.clone(),
            min_section_words: options.min_section_words.unwrap_or(params.min_section_words),
        })
    }

    fn missing(&self, doc: &Document, template: &Template, found: &[Vec<Place>], out: &mut Vec<Finding>) {
        for (position, &id) in template.required.iter().enumerate() {
            if !found[id].is_empty() {
                continue;
            }
            let section = &self.templates.sections[id];
            let first_place = |&i: &usize| found[i].first().copied();
            let before = template.required[..position].iter().rev().find_map(first_place);
            let after = template.required[position + 1..].iter().find_map(first_place);
            let (level, place) = match (before, after) {
                (Some(p), _) => (
                    heading_level(doc, Some(p)),
                    format!("after the \"{}\" section", shown(doc, p.span)),
                ),
                (None, Some(p)) => (
                    heading_level(doc, Some(p)),
                    format!("before the \"{}\" section", shown(doc, p.span)),
                ),
                (None, None) => (heading_level(doc, None), "after the title".to_string()),
            };
            let marks = "#".repeat(level.into());
            let help = format!("add a \"{marks} {}\" section {place}", section.title);
            out.push(
                Finding::new(
                    doc.title_anchor(),
                    format!("required section \"{}\" is missing", section.id),
                )
                .with_label("announcement starts here")
                .with_help(help),
            );
        }
    }

    fn order(&self, doc: &Document, template: &Template, found: &[Vec<Place>], out: &mut Vec<Finding>) {
        // (template position, first place) of each present required section, in document order.
        let mut present: Vec<(usize, Place)> = template
            .required
            .iter()
            .enumerate()
            .filter_map(|(rank, &id)| Some((rank, *found[id].first()?)))
            .collect();
        present.sort_by_key(|(_, p)| p.span.start);
        let in_order = longest_ordered(&present.iter().map(|(rank, _)| *rank).collect::<Vec<_>>());
        // (earlier, later, misplaced) in document order.
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &(rank, _)) in present.iter().enumerate() {
            if in_order[i] {
                continue;
            }
            // The nearest well-placed section this one is inverted with (one always exists, or
            // the ordered run would not be the longest).
            let partner = (0..present.len())
                .filter(|&j| in_order[j] && (j < i) == (present[j].0 > rank))
                .min_by_key(|&j| j.abs_diff(i));
            if let Some(j) = partner {
                if !pairs.iter().any(|p| (p.0, p.1) == (i.min(j), i.max(j))) {
                    pairs.push((i.min(j), i.max(j), i));
                }
            }
        }
        pairs.sort_unstable();
        let id = |k: usize| &self.templates.sections[template.required[present[k].0]].id;
        for (earlier, later, misplaced) in pairs {
            // Where the misplaced section belongs: after the last well-placed section the
            // template puts before it, else before the first.
            let rank = present[misplaced].0;
            let after = (0..present.len()).rev().find(|&j| in_order[j] && present[j].0 < rank);
            let target = match after {
                Some(j) => format!("after the \"{}\" section", shown(doc, present[j].1.span)),
                None => {
                    let before = (0..present.len()).find(|&j| in_order[j] && present[j].0 > rank);
                    before.map_or_else(String::new, |j| {
                        format!("before the \"{}\" section", shown(doc, present[j].1.span))
                    })
                }
            };
            out.push(
                Finding::new(
                    present[later].1.span,
                    format!("section \"{}\" comes after \"{}\"", id(later), id(earlier)),
                )
                .with_secondary(
                    present[earlier].1.span,
                    format!("the template puts \"{}\" after \"{}\"", id(earlier), id(later)),
                )
                .with_help(format!(
                    "move the \"{}\" section {target}, where the template puts it",
                    shown(doc, present[misplaced].1.span)
                )),
            );
        }
    }

    fn empty(&self, doc: &Document, found: &[Vec<Place>], out: &mut Vec<Finding>) {
        let mut headings: Vec<usize> = found.iter().flatten().filter_map(|p| p.heading).collect();
        headings.sort_unstable();
        headings.dedup();
        for index in headings {
            let Some(section) = doc.section_of(index) else {
                continue;
            };
            // A long section is not empty: counting its first words settles it.
            let mut words = 0;
            let long = self.min_section_words == 0
                || doc
                    .try_for_each_word(section.body(), |_| {
                        words += 1;
                        match words >= self.min_section_words {
                            true => ControlFlow::Break(()),
                            false => ControlFlow::Continue(()),
                        }
                    })
                    .is_break();
            if long {
                continue;
            }
            let words = doc.word_count(section.body());
            if words >= self.min_section_words || has_other_content(doc, section.body()) {
                continue;
            }
            let heading = &doc.headings[index];
            let mut finding = Finding::new(
                heading.text_span(),
                format!("section \"{}\" is empty", shown(doc, heading.text_span())),
            );
            if words > 0 {
                let noun = if words == 1 { "word" } else { "words" };
                finding = finding.with_label(format!("only {words} {noun} of prose"));
            }
            out.push(finding);
        }
    }
}

impl Check for TemplateCheck {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let template = self.templates.for_kind(cx.kind);
        if self.report != Report::EmptySection && template.is_none() {
            return;
        }
        let found = self.templates.locate(cx.doc);
        match (self.report, template) {
            (Report::MissingSection, Some(t)) => self.missing(cx.doc, t, &found, out),
            (Report::SectionOrder, Some(t)) if t.ordered => self.order(cx.doc, t, &found, out),
            (Report::EmptySection, _) => self.empty(cx.doc, &found, out),
            _ => {}
        }
    }

    fn defers_to(&self) -> &[String] {
        &self.defer_to
    }
}

/// A heading's or label's text as the reader sees it, on one line.
fn shown(doc: &Document, span: Span) -> String {
    let text = doc.prose(span).split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches([':', ' ']).to_string()
}

/// HTML comments (template placeholders such as `<!-- fill in -->`) and ordered-list numbers.
static NOT_CONTENT: LazyLock<CompiledRegex> =
    LazyLock::new(|| CompiledRegex::fixed(r"(?s)<!--.*?-->|(?m:^[ \t>]*\d{1,9}[.)])"));

/// True when a span holds something a reader sees besides prose: a link or bare address, an
/// image, code. It shows up as letters or digits that the prose mask blanks, other than in HTML
/// comments and list numbers.
fn has_other_content(doc: &Document, span: Span) -> bool {
    let source = doc.text(span);
    let mask = doc.prose(span).as_bytes();
    let skipped: Vec<std::ops::Range<usize>> = NOT_CONTENT.find_iter(source).map(|m| m.range()).collect();
    source
        .char_indices()
        .any(|(i, c)| c.is_alphanumeric() && mask[i] == b' ' && !skipped.iter().any(|r| r.contains(&i)))
}

/// The level for a heading to add: that of the heading it goes next to, else the most common
/// level of the document's other headings, else 2.
fn heading_level(doc: &Document, next_to: Option<Place>) -> u8 {
    if let Some(index) = next_to.and_then(|p| p.heading) {
        return doc.headings[index].level;
    }
    let mut counts = [0usize; 7];
    for (_, h) in doc.body_headings() {
        counts[usize::from(h.level.min(6))] += 1;
    }
    (1..=6u8)
        .max_by_key(|&l| (counts[usize::from(l)], std::cmp::Reverse(l)))
        .filter(|&l| counts[usize::from(l)] > 0)
        .unwrap_or(2)
}

/// Marks the members of one longest strictly increasing subsequence of `ranks`.
fn longest_ordered(ranks: &[usize]) -> Vec<bool> {
    let n = ranks.len();
    let mut length = vec![1usize; n];
    let mut previous = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if ranks[j] < ranks[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = j;
            }
        }
    }
    let mut member = vec![false; n];
    // Ties go to the run that ends earliest, so the sections moved are the later ones.
    let mut at = (0..n).max_by_key(|&i| (length[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        member[i] = true;
        at = (previous[i] != usize::MAX).then(|| previous[i]);
    }
    member
}
