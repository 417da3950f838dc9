//! `kind = "relative-date"` (CL303): `yesterday`, `next week`, a bare weekday: dates that
//! depend on when the reader sees the text, unless their unit also gives a date.

use super::{holds_date, written};
use crate::diagnostic::Finding;
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::timestamp::shared::{document_dates, unit_at};
use crate::rules::kinds::timestamp::text::floor_boundary;
use crate::rules::kinds::LazyRegex;
use crate::rules::kinds::{compile_regex, Analysis, Check, CheckContext};
use serde::Deserialize;

/// How far the weekday exceptions look on each side, in bytes.
const WINDOW: usize = 48;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Words that are relative dates (`yesterday`, `this morning`, `next week`).
    pub relative: String,
    /// Weekday names (case-sensitive inside the pattern: `Monday`, not `monday`).
    pub weekday: String,
    /// Matched against the text right before a weekday: a recurrence or a named day
    /// (`every Monday`, `Black Friday`, the first day of `Monday to Friday`).
    pub not_after: String,
    /// Matched against the text right after a weekday (`Monday to Friday`).
    pub not_before: String,
}

/// Options from the configuration's `[rules.<name>]` table: none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct RelativeDate {
    /// One member each: sets, so that a document is searched only where the word index
    /// places their words (most documents name no weekday).
    relative: PatternSet,
    weekday: PatternSet,
    not_after: LazyRegex,
    not_before: LazyRegex,
}

impl RelativeDate {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        Ok(RelativeDate {
            relative: PatternSet::new(vec![compile_regex(&params.relative)?]),
            weekday: PatternSet::new(vec![compile_regex(&params.weekday)?]),
            not_after: compile_regex(&format!(r"(?:{})\s*$", params.not_after))?,
            not_before: compile_regex(&format!(r"^\s*(?:{})", params.not_before))?,
        })
    }
}

impl Check for RelativeDate {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Dates]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let mask = doc.mask.as_str();
        let dates = document_dates(cx);
        // A section under a dated heading (`### Monday, 1 April 2024`) dates its relative words;
        // the title does not, since it names the event rather than the day being told.
        let dated_section = |start: usize| {
            let i = doc.headings.partition_point(|h| h.span().start <= start);
            let heading = i.checked_sub(1).map(|i| &doc.headings[i]);
            heading.is_some_and(|h| !h.is_title && holds_date(dates, h.span()))
        };
        let undated = |start: usize| !holds_date(dates, unit_at(doc, start)) && !dated_section(start);
        let mut found = Vec::new();
        for (_, m) in self.relative.find_all(mask) {
            if undated(m.start()) {
                let phrase = written(m.as_str()).to_lowercase();
                let message = format!("\"{phrase}\" depends on when the reader sees this");
                found.push(Finding::new(m.range().into(), message));
            }
        }
        for (_, m) in self.weekday.find_all(mask) {
            let before = &mask[floor_boundary(mask, m.start().saturating_sub(WINDOW))..m.start()];
            let after = &mask[m.end()..floor_boundary(mask, m.end() + WINDOW)];
            if self.not_after.is_match(before) || self.not_before.is_match(after) || !undated(m.start()) {
                continue;
            }
            found.push(Finding::new(
                m.range().into(),
                format!("weekday `{}` has no date", m.as_str()),
            ));
        }
        found.sort_by_key(|f| f.primary.span.start);
        out.extend(found);
    }
}
