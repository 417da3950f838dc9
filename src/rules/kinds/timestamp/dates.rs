//! Calendar dates on the prose mask (RULES.md §5, CL302, CL303, CL305): ISO dates
//! (`2024-03-04`), numeric dates whose day and month may swap (`03/04/2024`, `since 6/7`,
//! `4.10.2024`, `03-04-2024`) and a day with a month name (`10 November`, `8th of Nov`,
//! `November 10, 2014`).
//!
//! Numeric dates come from one walk over the runs of digits (`super::numeric_dates`), named
//! dates from one regex pass over capitalised month names; every test after that looks at a bounded window, so the scan is
//! linear in the text.

use super::numeric_dates::numeric_dates;
use super::text::{char_after, char_before};
use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::Span;

/// Month names and their 3-letter abbreviations (and `Sept`), capitalised, in month order.
const MONTHS: [&[&str]; 12] = [
    &["January", "Jan"],
    &["February", "Feb"],
    &["March", "Mar"],
    &["April", "Apr"],
    &["May"],
    &["June", "Jun"],
    &["July", "Jul"],
    &["August", "Aug"],
    &["September", "Sept", "Sep"],
    &["October", "Oct"],
    &["November", "Nov"],
    &["December", "Dec"],
];

/// English month names for messages and suggestions.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `2024-03-04` or `2024/03/04`: year, month, day.
    Iso {
        /// 1–12.
        month: u8,
        /// 1–31.
        day: u8,
    },
    /// `03/04/2024`, `6/7`, `4.10.2024`, `03-04-2024`: two numbers, either of which may be the day.
    Numeric {
        /// The first number as written.
        first: u8,
        /// The second number as written.
        second: u8,
    },
    /// A day and a month name, in either order.
    Named {
        /// 1–31.
        day: u8,
        /// 1–12.
        month: u8,
        /// True for `10 November`, false for `November 10`.
        day_first: bool,
    },
}

/// A year written with a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year {
    /// The year; a two-digit year (`3/4/24`) is read as 20YY.
    pub value: u16,
    /// False for a two-digit year.
    pub full: bool,
}

/// A calendar date in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate {
    /// The date as written; for a named date the day and month only (`8th of Nov`), without
    /// the year that may follow.
    pub span: Span,
    /// How it is written.
    pub form: DateForm,
    /// Its year, when written with it.
    pub year: Option<Year>,
    /// The date with the year written after it (`November 10, 2014`); `span` when there is none.
    pub whole: Span,
}

/// The compiled date scanner (build once per run).
#[derive(Debug)]
pub struct DateScanner {
    month: CompiledRegex,
}

impl Default for DateScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl DateScanner {
    /// Compiles the scanner.
    pub fn new() -> Self {
        let names: Vec<&str> = MONTHS.iter().flat_map(|m| m.iter().copied()).collect();
        // Case-sensitive and with ASCII boundaries so the regex stays on the fast DFA path.
        let month = CompiledRegex::fixed(&format!(r"(?-u:\b)(?:{})(?-u:\b)", names.join("|")));
        DateScanner { month }
    }

    /// Every date in `text` (a prose mask or a slice of one), in order; spans are shifted by `base`.
    pub fn scan(&self, text: &str, base: usize) -> Vec<CalendarDate> {
        let mut dates = numeric_dates(text);
        for m in self.month.find_iter(text) {
            dates.extend(named_date(text, m.start(), m.end(), month_number(m.as_str())));
        }
        dates.sort_by_key(|d| d.span.start);
        for date in &mut dates {
            date.span = date.span.shift(base);
            date.whole = date.whole.shift(base);
        }
        dates
    }
}

fn month_number(name: &str) -> u8 {
    MONTHS.iter().position(|m| m.contains(&name)).map_or(0, |i| i as u8 + 1)
}

/// The digits at `at` (at most `max` of them, none after): their value and end.
pub(super) fn number_at(text: &str, at: usize, max: usize) -> Option<(u16, usize)> {
    let bytes = text.as_bytes();
    let len = bytes[at.min(bytes.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 || len > max {
        return None;
    }
    Some((text[at..at + len].parse().ok()?, at + len))
}

/// `1st`, `2nd`, `3rd`, `4th` ... after a day: the end of the suffix.
fn ordinal_end(text: &str, at: usize) -> usize {
    let rest = text.as_bytes().get(at..at + 2);
    let alone = !char_after(text, at + 2).is_some_and(char::is_alphanumeric);
    match rest {
        Some(s)
            if alone
                && ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|o| s.eq_ignore_ascii_case(o.as_bytes())) =>
        {
            at + 2
        }
        _ => at,
    }
}

/// A day before (`10 November`, `8th of Nov`) or after (`November 10`, `Nov. 10th`) the month
/// name at `month_start..month_end`, with a year after it if one is written.
fn named_date(text: &str, month_start: usize, month_end: usize, month: u8) -> Option<CalendarDate> {
    if let Some(day_start) = day_before(text, month_start) {
        let day: u8 = text[day_start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .fold(0, |d, b| d * 10 + (b - b'0'));
        let after_month = if month_end - month_start <= 4 && char_after(text, month_end) == Some('.') {
            month_end + 1
        } else {
            month_end
        };
        let form = DateForm::Named {
            day,
            month,
            day_first: true,
        };
        return Some(named(
            Span::new(day_start, month_end),
            form,
            year_after(text, after_month),
        ));
    }
    let mut at = month_end;
    if month_end - month_start <= 4 && char_after(text, at) == Some('.') {
        at += 1;
    }
    let spaces = skip_spaces(text, at);
    if spaces == at || spaces - at > 3 {
        return None;
    }
    let (day, day_end) = number_at(text, spaces, 2)?;
    let end = ordinal_end(text, day_end);
    let after = char_after(text, end);
    let glued_digit = matches!(after, Some(':' | '.' | '/' | ',' | '-'))
        && char_after(text, end + 1).is_some_and(|c| c.is_ascii_digit());
    if !(1..=31).contains(&day) || glued_digit || after == Some('%') || after.is_some_and(char::is_alphanumeric) {
        return None;
    }
    let form = DateForm::Named {
        day: day as u8,
        month,
        day_first: false,
    };
    Some(named(Span::new(month_start, end), form, year_after(text, end)))
}

/// A named date with the year found after it, if any (and that year's end).
fn named(span: Span, form: DateForm, year: Option<(Year, usize)>) -> CalendarDate {
    CalendarDate {
        span,
        form,
        year: year.map(|y| y.0),
        whole: Span::new(span.start, year.map_or(span.end, |y| y.1)),
    }
}

/// Where the day of `10 November`, `8th of November` starts, looking back from the month.
fn day_before(text: &str, month_start: usize) -> Option<usize> {
    let head = &text[super::text::floor_boundary(text, month_start.saturating_sub(16))..month_start];
    let base = month_start - head.len();
    let trimmed = head.trim_end_matches([' ', '\t', '\u{a0}']);
    if trimmed.len() == head.len() {
        return None; // the month must be a separate word
    }
    let trimmed = match trimmed.strip_suffix(" of").or_else(|| trimmed.strip_suffix(" Of")) {
        Some(t) => t.trim_end_matches([' ', '\t', '\u{a0}']),
        None => trimmed,
    };
    let bytes = trimmed.as_bytes();
    let mut end = bytes.len();
    if end >= 2
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|o| bytes[end - 2..].eq_ignore_ascii_case(o.as_bytes()))
    {
        end -= 2;
    }
    let digits = bytes[..end].iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let start = end - digits;
    let day: u8 = trimmed[start..end].parse().ok()?;
    let before = char_before(trimmed, start);
    if !(1..=31).contains(&day) || before.is_some_and(|c| c.is_alphanumeric() || ":./-,".contains(c)) {
        return None;
    }
    Some(base + start)
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while let Some(c @ (' ' | '\t' | '\u{a0}')) = char_after(text, at) {
        at += c.len_utf8();
    }
    at
}

/// A four-digit year (`19xx`, `20xx`) right after a date, after an optional comma; and its end.
fn year_after(text: &str, at: usize) -> Option<(Year, usize)> {
    let mut at = at;
    if char_after(text, at) == Some(',') {
        at += 1;
    }
    let spaced = skip_spaces(text, at);
    if spaced == at || spaced - at > 3 {
        return None;
    }
    let (value, end) = number_at(text, spaced, 4)?;
    let alone = !char_after(text, end).is_some_and(char::is_alphanumeric);
    (alone && (1900..2100).contains(&value)).then_some((Year { value, full: true }, end))
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
