//! `kind = "ambiguous-date"` (CL302): a numeric date whose day and month can swap.

use super::written;
use crate::diagnostic::{Applicability, Finding, Span};
use crate::rules::kinds::timestamp::dates::{CalendarDate, DateForm, MONTH_NAMES};
use crate::rules::kinds::timestamp::shared::document_dates;
use crate::rules::kinds::{Analysis, Check, CheckContext};
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table: none, the date forms are the shared scanner's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {}

/// Options from the configuration's `[rules.<name>]` table: none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct AmbiguousDate;

impl AmbiguousDate {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(_params: &Params, _options: Options) -> Result<Self, String> {
        Ok(AmbiguousDate)
    }
}

/// Which number comes first in the document's numeric dates, and the date that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Order {
    day_first: bool,
    evidence: Span,
}

/// The order the document's unambiguous numeric dates use (`25/03/2024` puts the day first),
/// when they all agree.
fn document_order(dates: &[CalendarDate]) -> Option<Order> {
    let mut found: Option<Order> = None;
    for date in dates {
        let DateForm::Numeric { first, second } = date.form else {
            continue;
        };
        let day_first = match (first > 12, second > 12) {
            (true, false) => true,
            (false, true) => false,
            _ => continue,
        };
        match found {
            None => {
                found = Some(Order {
                    day_first,
                    evidence: date.span,
                })
            }
            Some(order) if order.day_first != day_first => return None,
            Some(_) => {}
        }
    }
    found
}

impl Check for AmbiguousDate {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Dates]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let dates = document_dates(cx);
        let mut order = None;
        for date in dates {
            let DateForm::Numeric { first, second } = date.form else {
                continue;
            };
            if first > 12 || second > 12 || first == second {
                continue;
            }
            let month = |n: u8| MONTH_NAMES[usize::from(n) - 1];
            let message = format!(
                "date `{}` reads as {first} {} or {second} {}",
                written(cx.doc.text(date.span)),
                month(second),
                month(first)
            );
            let mut finding = Finding::new(date.span, message);
            let order = *order.get_or_insert_with(|| document_order(dates));
            if let (Some(order), Some(year)) = (order, date.year) {
                let (day, month) = if order.day_first {
                    (first, second)
                } else {
                    (second, first)
                };
                let iso = format!("{:04}-{month:02}-{day:02}", year.value);
                let label = if order.day_first {
                    "this date puts the day first"
                } else {
                    "this date puts the month first"
                };
                finding = finding.with_secondary(order.evidence, label).with_suggestion(
                    date.span,
                    iso,
                    Applicability::MaybeIncorrect,
                );
            }
            out.push(finding);
        }
    }
}
