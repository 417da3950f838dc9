//! Numeric and ISO dates (`2024-03-04`, `03/04/2024`, `since 6/7`, `4.10.2024`), from one
//! walk over the runs of digits of the prose mask; each test looks at a bounded window.

use super::dates::{number_at, CalendarDate, DateForm, Year};
use super::text::{char_after, char_before, floor_boundary, is_run_connector, next_digit, previous_word};
use crate::diagnostic::Span;

/// Words right before `D/M` (no year) that make it a date rather than a fraction (`since 6/7`).
const NUMERIC_DATE_CUES: &[&str] = &[
    "on",
    "since",
    "from",
    "until",
    "till",
    "by",
    "before",
    "after",
    "between",
    "through",
    "dated",
    "starting",
    "effective",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Words right before a numeric form that make it a counter or version (`page 3/4`).
const NOT_DATE_BEFORE: &[&str] = &[
    "page", "pages", "step", "steps", "part", "parts", "chapter", "section", "question", "slide", "item", "no",
    "number", "v", "version", "release", "rule",
];

fn is_word(word: Option<&str>, list: &[&str]) -> bool {
    word.is_some_and(|w| list.iter().any(|l| l.eq_ignore_ascii_case(w)))
}

/// Numeric and ISO dates, from one walk over the runs of digits.
pub(super) fn numeric_dates(text: &str) -> Vec<CalendarDate> {
    let bytes = text.as_bytes();
    let mut out: Vec<CalendarDate> = Vec::new();
    let mut i = 0;
    while let Some(start) = next_digit(bytes, i) {
        i = start;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let previous_end = out.last().map(|d| d.span.end);
        if let Some(date) = numeric_date_at(text, start, i, previous_end) {
            i = date.span.end;
            out.push(date);
        }
    }
    out
}

/// The ISO or numeric date whose first number is `start..digits_end`, if it is one.
fn numeric_date_at(text: &str, start: usize, digits_end: usize, previous_end: Option<usize>) -> Option<CalendarDate> {
    // A slash may join two ISO dates (`2024-03-04/2024-03-06`), never two numeric ones.
    let joining = if digits_end - start == 4 {
        ".-:#@+_$€£¥,"
    } else {
        "/.-:#@+_$€£¥,"
    };
    if char_before(text, start).is_some_and(|c| c.is_alphanumeric() || joining.contains(c)) {
        return None;
    }
    let separator = char_after(text, digits_end).filter(|c| matches!(c, '/' | '.' | '-'))?;
    let sep_len = 1;
    let first_len = digits_end - start;
    let (second, second_end) = number_at(text, digits_end + sep_len, 2)?;
    let (year, end) = if char_after(text, second_end) == Some(separator) {
        let (year, end) = number_at(text, second_end + sep_len, 4)?;
        (Some((year, end - second_end - sep_len)), end)
    } else {
        (None, second_end)
    };
    // What follows must end the date: no further digit group, letter or percent sign
    // (`1/2/3/4`, `3/4th`, `1/2%`); `T` may follow an ISO date (`2024-03-04T10:30`).
    let after = char_after(text, end);
    // An ISO date may be followed by `/` and a time or another date (`2023-01-04/11:34`).
    let iso = first_len == 4;
    let joined = if iso {
        matches!(after, Some('.' | '-' | ':' | ','))
    } else {
        matches!(after, Some('/' | '.' | '-' | ':' | ','))
    };
    let continues = joined && char_after(text, end + 1).is_some_and(|c| c.is_ascii_digit());
    let iso_time = iso && after == Some('T');
    if continues || after == Some('%') || (after.is_some_and(char::is_alphanumeric) && !iso_time) {
        return None;
    }
    if is_word(previous_word(text, start), NOT_DATE_BEFORE) {
        return None;
    }
    let first: u16 = text[start..digits_end].parse().ok()?;
    let span = Span::new(start, end);
    if first_len == 4 {
        // ISO: YYYY-MM-DD (or with slashes), two digits each.
        let (day, day_len) = year?;
        let valid = separator != '.' && second_end - digits_end == 3 && day_len == 2;
        return (valid && (1..=12).contains(&second) && (1..=31).contains(&day)).then_some(CalendarDate {
            span,
            form: DateForm::Iso {
                month: second as u8,
                day: day as u8,
            },
            year: Some(Year {
                value: first,
                full: true,
            }),
            whole: span,
        });
    }
    if first_len > 2 {
        return None;
    }
    let year = match (separator, year) {
        ('/', Some((y, 2))) => Some(Year {
            value: 2000 + y,
            full: false,
        }),
        (_, Some((y, 4))) => Some(Year { value: y, full: true }),
        ('/', None) => None,
        _ => return None,
    };
    let plausible = (1..=31).contains(&first)
        && (1..=31).contains(&second)
        && ((first <= 12) || (second <= 12))
        && (first, second) != (24, 7);
    if !plausible {
        return None;
    }
    if year.is_none() && !yearless_is_date(text, start, end, previous_end) {
        return None;
    }
    Some(CalendarDate {
        span,
        form: DateForm::Numeric {
            first: first as u8,
            second: second as u8,
        },
        year,
        whole: span,
    })
}

/// `D/M` without a year is a date only after a date word (`since 6/7`, `Tuesday 6/7`) or as the
/// second date of a range, and never before `of` (`3/4 of requests`).
fn yearless_is_date(text: &str, start: usize, end: usize, previous_end: Option<usize>) -> bool {
    let rest = &text[end..floor_boundary(text, end + 8)];
    let next_is_of = rest
        .trim_start()
        .get(..3)
        .is_some_and(|w| w.eq_ignore_ascii_case("of "))
        || rest.trim() == "of";
    if next_is_of {
        return false;
    }
    let in_range = previous_end.is_some_and(|p| p <= start && start - p <= 16 && is_run_connector(&text[p..start]));
    in_range || is_word(previous_word(text, start), NUMERIC_DATE_CUES)
}
