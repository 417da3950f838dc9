//! `kind = "missing-year"` (CL305): the document's first calendar date names a day and a month
//! but no year is given with it.

use super::written;
use crate::diagnostic::{Applicability, Finding, Span};
use crate::document::TitleSource;
use crate::rules::kinds::timestamp::dates::{CalendarDate, DateForm};
use crate::rules::kinds::timestamp::shared::{dates_in, document_dates, unit_at};
use crate::rules::kinds::LazyRegex;
use crate::rules::kinds::{compile_regex, Analysis, Check, CheckContext};
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// A year, anywhere in the date's unit or in front matter `date`.
    pub year: String,
}

/// Options from the configuration's `[rules.<name>]` table: none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct MissingYear {
    year: LazyRegex,
}

impl MissingYear {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        Ok(MissingYear {
            year: compile_regex(&params.year)?,
        })
    }
}

/// A date that tells the year: ISO, or with a four-digit year written after it.
fn full_year(date: &CalendarDate) -> Option<u16> {
    date.year.filter(|y| y.full).map(|y| y.value)
}

impl Check for MissingYear {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Dates]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        if doc
            .front_matter
            .date
            .as_ref()
            .is_some_and(|d| self.year.is_match(&d.value))
        {
            return;
        }
        // A title in front matter is outside the prose mask: its dates come first, its unit is
        // the title itself.
        let title_outside = doc
            .title
            .as_ref()
            .filter(|t| matches!(t.source, TitleSource::FrontMatter | TitleSource::Pelican));
        let title_dates = title_outside.map_or_else(Vec::new, |t| dates_in(doc.text(t.span), t.span.start));
        // A numeric date without a year (`since 6/7`) is CL302's concern, not a first mention.
        let mut dates = title_dates
            .iter()
            .chain(document_dates(cx))
            .filter(|d| !matches!(d.form, DateForm::Numeric { .. }) || d.year.is_some());
        let Some(first) = dates.next() else { return };
        let DateForm::Named { day_first, .. } = first.form else {
            return; // an ISO or numeric date carries its own year
        };
        let unit = match title_outside {
            Some(title) if title.span.contains(first.span) => title.span,
            _ => unit_at(doc, first.span.start),
        };
        let unit_text = if title_outside.is_some_and(|t| t.span == unit) {
            doc.text(unit)
        } else {
            doc.prose(unit)
        };
        if self.year.is_match(unit_text) {
            return;
        }
        let message = format!("date `{}` has no year", written(doc.text(first.span)));
        let mut finding = Finding::new(first.span, message);
        if let Some((source, year)) = dates.find_map(|d| full_year(d).map(|y| (d.whole, y))) {
            let insert = if day_first {
                format!(" {year}")
            } else {
                format!(", {year}")
            };
            finding = finding
                .with_secondary(source, "the next date with a year")
                .with_suggestion(Span::empty(first.span.end), insert, Applicability::MaybeIncorrect);
        }
        out.push(finding);
    }
}
