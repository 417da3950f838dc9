//! The calendar-date rules, over the dates of [`timestamp::dates`](super::timestamp::dates):
//! CL302 `ambiguous-date`, CL303 `relative-date`, CL305 `missing-year`.

pub mod ambiguous;
pub mod relative;
pub mod year;

#[cfg(test)]
pub(crate) mod tests;

use super::timestamp::dates::CalendarDate;
use crate::diagnostic::Span;

/// True when some date starts inside `unit` (`dates` sorted by start).
pub fn holds_date(dates: &[CalendarDate], unit: Span) -> bool {
    let i = dates.partition_point(|d| d.span.start < unit.start);
    dates.get(i).is_some_and(|d| d.span.start < unit.end)
}

/// The text of a span with its whitespace collapsed, for messages.
pub fn written(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
