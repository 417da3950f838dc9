//! `kind = "next-update"`: a live status update that does not say when readers will hear more
//! (CL107 missing-next-update).
//!
//! A notice that states resolution needs no next update: a sentence such as `the issue has been
//! resolved` (not inside a condition: `until it is resolved`), or a heading or bold label such
//! as `Resolved`. Otherwise the notice needs a next-update statement (`next update`, `we will
//! post another update`, `keep you posted`); a statement counts fully when its sentence has a
//! time: a clock time (from the shared clock scanner), a date or weekday, or a duration
//! (`within 30 minutes`, `hourly`). When no statement has a time, each one is reported; when
//! there is none, the document is.

#[cfg(test)]
mod tests;

use super::ascii_bounded::compile_list;
use super::presence::pattern::widen;
use super::timestamp::times::ClockScanner;
use super::{compile_regex, Check, CheckContext};
use crate::diagnostic::{Finding, Span};
use crate::document::{normalize_heading, Document, TitleSource};
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Sentences that state the incident is over.
    pub resolved: Vec<String>,
    /// A resolution cue does not count when the text before it in its sentence matches this
    /// (a condition: `until the issue is resolved`).
    pub resolved_not_after: String,
    /// Headings and bold labels that state resolution, matched on the normalised text.
    pub resolved_labels: Vec<String>,
    /// Next-update statements.
    pub statements: Vec<String>,
    /// Dates and durations that give a statement its time (clock times are found without them).
    pub times: Vec<String>,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// More next-update statements.
    #[serde(default)]
    pub extra_statements: Vec<String>,
    /// More resolution cues.
    #[serde(default)]
    pub extra_resolved: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct NextUpdate {
    resolved: PatternSet,
    resolved_not_after: LazyRegex,
    resolved_labels: PatternSet,
    statements: PatternSet,
    times: PatternSet,
    scanner: ClockScanner,
}

/// What a document says about its next update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The incident is over (at this span): no next update is due.
    Resolved(Span),
    /// A next-update statement with a time (its sentence).
    Timed(Span),
    /// Statements, none with a time (their sentences).
    Timeless(Vec<Span>),
    /// No statement at all.
    Missing,
}

impl NextUpdate {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        Ok(NextUpdate {
            resolved: PatternSet::new(compile_list(
                "resolved",
                params.resolved.iter().chain(&options.extra_resolved),
            )?),
            resolved_not_after: compile_regex(&format!(r"(?:{})\s*$", params.resolved_not_after))
                .map_err(|e| format!("in `resolved-not-after`: {e}"))?,
            // Not bounded: a label may open with punctuation (`[Resolved]`), where `\b` fails.
            resolved_labels: PatternSet::compile(&params.resolved_labels, |p| compile_regex(&widen(p)))
                .map_err(|e| format!("in `resolved-labels`: {e}"))?,
            statements: PatternSet::new(compile_list(
                "statements",
                params.statements.iter().chain(&options.extra_statements),
            )?),
            times: PatternSet::new(compile_list("times", &params.times)?),
            scanner: ClockScanner::new(),
        })
    }

    /// Judges a document.
    pub fn assess(&self, doc: &Document) -> Verdict {
        if let Some(at) = self.resolution(doc) {
            return Verdict::Resolved(at);
        }
        let statements: Vec<Span> = doc
            .sentences
            .iter()
            .map(|s| s.span())
            .filter(|&span| self.statements.is_match(doc.prose(span)))
            .collect();
        if statements.is_empty() {
            return Verdict::Missing;
        }
        let clock = self.scanner.clock_times(doc);
        let has_time =
            |span: Span| clock.times.iter().any(|t| span.contains(t.span())) || self.times.is_match(doc.prose(span));
        match statements.iter().find(|&&s| has_time(s)) {
            Some(&timed) => Verdict::Timed(timed),
            None => Verdict::Timeless(statements),
        }
    }

    /// Where the document states the incident is over, if it does.
    fn resolution(&self, doc: &Document) -> Option<Span> {
        // A front matter title is not a heading, but reads as one (`title: "Resolved: ..."`).
        let title = doc
            .title
            .as_ref()
            .filter(|t| matches!(t.source, TitleSource::FrontMatter | TitleSource::Pelican))
            .map(|t| (t.span, normalize_heading(&t.text)));
        let label = doc
            .headings
            .iter()
            .map(|h| (h.text_span(), h.normalized.clone()))
            .chain(title)
            .chain(bold_openers(doc))
            .find(|(_, text)| self.resolved_labels.is_match(text));
        if let Some((span, _)) = label {
            return Some(span);
        }
        doc.sentences.iter().find_map(|s| {
            let text = doc.prose(s.span());
            self.resolved
                .candidates(text)
                .flat_map(|(_, re)| re.find_iter(text))
                .find(|m| !self.resolved_not_after.is_match(&text[..m.start()]))
                .map(|m| Span::new(m.start(), m.end()).shift(s.span().start))
        })
    }
}

/// Bold text opening a block (`**Resolved** - ...`, `__Completed__`), normalised like a
/// heading, with its span.
fn bold_openers(doc: &Document) -> impl Iterator<Item = (Span, String)> + '_ {
    doc.blocks.iter().filter_map(|block| {
        let before = &doc.source[..block.span().start];
        let marker = ["**", "__"].into_iter().find(|m| before.ends_with(m))?;
        let rest = &doc.source[block.span().start..block.span().end];
        let len = rest.find(marker)?;
        let span = Span::new(block.span().start, block.span().start + len);
        Some((span, normalize_heading(doc.prose(span))))
    })
}

impl Check for NextUpdate {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        match self.assess(doc) {
            Verdict::Resolved(_) | Verdict::Timed(_) => {}
            Verdict::Missing => out.push(
                Finding::new(doc.title_anchor(), "no time for the next update").with_label("announcement starts here"),
            ),
            Verdict::Timeless(sentences) => out.extend(sentences.into_iter().map(|s| {
                Finding::new(s, "next update is promised without a time")
                    .with_help("say when: \"next update by 15:30 UTC\" or \"within 30 minutes\"")
            })),
        }
    }
}
