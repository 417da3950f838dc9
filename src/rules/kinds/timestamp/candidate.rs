//! One candidate clock time: the shape tests of RULES.md §5 (T1–T6) around a run of digits,
//! each looking at a bounded window of the prose mask.

use super::text::{any_word_near, char_after, char_before, floor_boundary, is_run_connector, next_word, previous_word};
use super::times::{ClockTime, Meridiem, Minutes, Shape};
use super::zones::{ZoneKind, ZoneToken};
use crate::diagnostic::Span;
use crate::document::Block;

/// Words before or after a time that make it a count, score or ratio (T1, "within three words").
const NOT_TIME_CONTEXT: &[&str] = &[
    "ratio", "odds", "score", "scored", "won", "lost", "beat", "verse", "chapter", "aspect", "scale", "vs",
];
/// Words right after a number that make it a duration (`1:30 hours`).
const DURATION_WORDS: &[&str] = &[
    "hours", "hour", "hrs", "hr", "minutes", "minute", "mins", "min", "seconds", "secs",
];
/// Words right before `H.MM` that make it a time without am/pm (T3).
const DOT_TIME_CUES: &[&str] = &[
    "at",
    "from",
    "until",
    "till",
    "by",
    "around",
    "about",
    "approximately",
    "since",
    "before",
    "after",
    "between",
    "update",
    "updated",
    "edit",
];
/// Words right before `H.MM` that make it a version number.
const VERSION_WORDS: &[&str] = &["v", "version", "release"];
/// Words right after `H.MM` that make it a quantity.
const QUANTITY_WORDS: &[&str] = &["gb", "mb", "ms", "x", "per", "times", "percent"];

/// A time found by [`Scan::time_at`] and the zone after it.
pub(super) struct Candidate {
    /// The time (its `zone` is set later, once offsets are merged into the zone list).
    pub time: ClockTime,
    /// The zone token right after it, if any.
    pub zone: Option<Span>,
    /// An offset glued to it (`Z`, `+01:00`), which the lexicon does not find.
    pub offset: Option<ZoneToken>,
    /// Where scanning goes on.
    pub consumed: usize,
}

/// One scan over a mask.
pub(super) struct Scan<'a> {
    /// The prose mask.
    pub mask: &'a str,
    /// The source it masks (for table borders, which the mask blanks).
    pub source: &'a str,
    /// The lexicon's zone tokens, sorted.
    pub zones: &'a [ZoneToken],
    /// The document's blocks, in order (T3 "first word of a block").
    pub blocks: &'a [Block],
}

impl Scan<'_> {
    fn byte(&self, at: usize) -> u8 {
        self.mask.as_bytes().get(at).copied().unwrap_or(0)
    }

    fn digit(&self, at: usize) -> bool {
        self.byte(at).is_ascii_digit()
    }

    fn alnum(&self, at: usize) -> bool {
        char_after(self.mask, at).is_some_and(char::is_alphanumeric)
    }

    /// Two digits at `at` not followed by a third.
    fn two_digits(&self, at: usize) -> Option<u8> {
        (self.digit(at) && self.digit(at + 1) && !self.digit(at + 2)).then(|| {
            let b = self.mask.as_bytes();
            (b[at] - b'0') * 10 + (b[at + 1] - b'0')
        })
    }

    /// The clock time whose hour digits are `start..digits_end`, if it is one.
    pub(super) fn time_at(&self, start: usize, digits_end: usize, previous_end: Option<usize>) -> Option<Candidate> {
        if digits_end - start > 2 {
            return None;
        }
        let hour: u8 = self.mask[start..digits_end].parse().ok()?;
        if hour > 24 {
            return None;
        }
        let iso = self.allowed_after(start, previous_end)?;
        let mut pos = digits_end;
        let mut seconds = None;
        let (minutes, mut shape) = if self.byte(pos) == b':' {
            let minutes = if let Some(m) = self.two_digits(pos + 1) {
                Minutes::Written(m)
            } else if self.mask.as_bytes().get(pos + 1..pos + 3)?.eq_ignore_ascii_case(b"xx") && !self.alnum(pos + 3) {
                Minutes::Placeholder
            } else {
                return None;
            };
            pos += 3;
            if self.byte(pos) == b':' && self.digit(pos + 1) {
                seconds = Some(self.two_digits(pos + 1).filter(|s| *s <= 60)?);
                pos += 3;
                if self.byte(pos) == b'.' && self.digit(pos + 1) {
                    pos += 1;
                    while self.digit(pos) {
                        pos += 1;
                    }
                }
            }
            (minutes, Shape::Colon)
        } else if self.byte(pos) == b'.' && self.two_digits(pos + 1).is_some() {
            let minutes = self.two_digits(pos + 1)?;
            pos += 3;
            (Minutes::Written(minutes), Shape::Dot)
        } else {
            // A bare hour: T4 once am/pm follows, T5 once a zone does, otherwise no time.
            (Minutes::Absent, Shape::HourZone)
        };
        if matches!(minutes, Minutes::Written(m) if m > 59) {
            return None;
        }
        // `1:2:3:4`, `4.10.2`, `1:23.456`: part of a longer number.
        if matches!(self.byte(pos), b':' | b'.') && self.digit(pos + 1) {
            return None;
        }
        let meridiem = self.meridiem_at(pos);
        let mut end = meridiem.map_or(pos, |m| m.1);
        let mut consumed = end;
        let mut zone = None;
        let mut offset = None;
        if meridiem.is_none() && shape != Shape::HourZone {
            if let Some(token) = self.glued_offset(pos, iso || seconds.is_some()) {
                consumed = token.span().end;
                zone = Some(token.span());
                offset = Some(token);
            }
        }
        if zone.is_none() && char_after(self.mask, end).is_some_and(char::is_alphabetic) {
            // A letter glued to the time: a zone (`2:30UTC`, `8UTC`) or `h` (`10:30h`), or no time.
            if let Some(z) = self.zone_starting_at(end, true) {
                zone = Some(z.span());
            } else if shape == Shape::Colon && matches!(self.byte(end), b'h' | b'H') && !self.alnum(end + 1) {
                end += 1;
                consumed = end;
            } else {
                return None;
            }
        }
        if zone.is_none() {
            zone = self.zone_after(end).map(|z| z.span());
        }
        if shape == Shape::HourZone && meridiem.is_none() && zone.is_none() {
            return None; // a bare number, the commonest case: stop before the word lookups
        }
        let before = previous_word(self.mask, start);
        let is =
            |word: Option<&str>, list: &[&str]| word.is_some_and(|w| list.iter().any(|l| l.eq_ignore_ascii_case(w)));
        shape = match (shape, meridiem) {
            (Shape::Dot, Some(_)) => Shape::DotMeridiem,
            (Shape::HourZone, Some(_)) => Shape::HourMeridiem,
            (Shape::HourZone, None) => {
                let glued = zone.is_some_and(|z| z.start == end);
                let at_zone = is(before, &["at"]) && zone.is_some();
                let usable = self.lexicon_zone(zone).is_some_and(|z| z.kind != ZoneKind::Region);
                if !(usable && (glued || at_zone)) {
                    return None;
                }
                Shape::HourZone
            }
            (other, _) => other,
        };
        if matches!(shape, Shape::Colon | Shape::Dot | Shape::DotMeridiem) {
            if meridiem.is_none() && is(next_word(self.mask, end), DURATION_WORDS) {
                return None;
            }
            if any_word_near(self.mask, start, end, 3, |w| is(Some(w), NOT_TIME_CONTEXT)) {
                return None;
            }
        }
        if shape == Shape::Dot {
            let after = next_word(self.mask, end);
            let percent = self.mask[end..floor_boundary(self.mask, end + 3)]
                .trim_start()
                .starts_with('%');
            if is(before, VERSION_WORDS) || is(after, QUANTITY_WORDS) || percent {
                return None;
            }
            let continues_run =
                previous_end.is_some_and(|p| p <= start && start - p <= 16 && is_run_connector(&self.mask[p..start]));
            if !(zone.is_some() || is(before, DOT_TIME_CUES) || self.starts_line_or_block(start) || continues_run) {
                return None;
            }
        }
        let time = ClockTime::new(
            Span::new(start, end),
            hour,
            minutes,
            seconds,
            meridiem.map(|m| m.0),
            shape,
            iso,
        );
        Some(Candidate {
            time,
            zone,
            offset,
            consumed,
        })
    }

    /// `Some(iso)` when what stands before the hour allows a time there.
    /// `previous_end` is where the last time found ends: `6pm-7pm` is a range, `UTC-5` is not.
    fn allowed_after(&self, start: usize, previous_end: Option<usize>) -> Option<bool> {
        let Some(c) = char_before(self.mask, start) else {
            return Some(false);
        };
        let before_that = || char_before(self.mask, start - c.len_utf8());
        match c {
            'T' if before_that().is_some_and(|b| b.is_ascii_digit()) => Some(true),
            ':' | '.' | '#' | '@' | '+' | '±' | '−' | '_' => None,
            '-' if before_that().is_some_and(char::is_alphabetic) && previous_end != Some(start - 1) => None,
            c if c.is_alphanumeric() || is_currency(c) => None,
            _ => Some(false),
        }
    }

    /// `am`, `pm`, `a.m.` or `p.m.` at `pos`, after at most one space.
    fn meridiem_at(&self, pos: usize) -> Option<(Meridiem, usize)> {
        let skip = match char_after(self.mask, pos) {
            Some(c @ (' ' | '\t' | '\u{a0}' | '\u{202f}')) => c.len_utf8(),
            _ => 0,
        };
        let rest = self.mask.as_bytes().get(pos + skip..)?;
        const FORMS: [(&str, Meridiem); 6] = [
            ("a.m.", Meridiem::Am),
            ("p.m.", Meridiem::Pm),
            ("a.m", Meridiem::Am),
            ("p.m", Meridiem::Pm),
            ("am", Meridiem::Am),
            ("pm", Meridiem::Pm),
        ];
        FORMS.iter().find_map(|(form, meridiem)| {
            let end = pos + skip + form.len();
            (rest.len() >= form.len() && rest[..form.len()].eq_ignore_ascii_case(form.as_bytes()) && !self.alnum(end))
                .then_some((*meridiem, end))
        })
    }

    /// `Z`, `+HH:MM` or `+HHMM` glued to a time; `-HH:MM` only after an ISO or seconds time,
    /// since `8:20-8:24` is a range.
    fn glued_offset(&self, pos: usize, minus_allowed: bool) -> Option<ZoneToken> {
        let sign = char_after(self.mask, pos)?;
        if sign == 'Z' && !self.alnum(pos + 1) {
            return Some(ZoneToken::new(Span::new(pos, pos + 1), ZoneKind::Offset, false));
        }
        let allowed = sign == '+' || (minus_allowed && (sign == '-' || sign == '−'));
        if !allowed {
            return None;
        }
        let at = pos + sign.len_utf8();
        let hours = self.mask.get(at..at + 2)?;
        let minutes_at = if self.byte(at + 2) == b':' { at + 3 } else { at + 2 };
        let minutes = self.mask.get(minutes_at..minutes_at + 2)?;
        let valid = hours.bytes().chain(minutes.bytes()).all(|b| b.is_ascii_digit())
            && !self.digit(minutes_at + 2)
            && hours.parse::<u8>().is_ok_and(|h| h <= 14)
            && ["00", "15", "30", "45"].contains(&minutes);
        let span = Span::new(pos, minutes_at + 2);
        valid.then(|| ZoneToken::new(span, ZoneKind::Offset, false))
    }

    /// The lexicon token starting exactly at `at` (glued to a digit when `glued`).
    fn zone_starting_at(&self, at: usize, glued: bool) -> Option<&ZoneToken> {
        let i = self.zones.binary_search_by_key(&at, |z| z.span().start).ok()?;
        let zone = &self.zones[i];
        (zone.glued == glued).then_some(zone)
    }

    /// The lexicon token starting exactly at `at`, glued or not.
    fn lexicon_zone(&self, span: Option<Span>) -> Option<&ZoneToken> {
        let at = span?.start;
        let i = self.zones.binary_search_by_key(&at, |z| z.span().start).ok()?;
        Some(&self.zones[i])
    }

    /// The token right after a time: only spaces, masked markup, `(` or `[` (and at most one
    /// line break) between.
    fn zone_after(&self, end: usize) -> Option<&ZoneToken> {
        let mut at = end;
        let mut newlines = 0;
        while let Some(c) = char_after(self.mask, at) {
            match c {
                ' ' | '\t' | '\u{a0}' | '\u{202f}' | '(' | '[' | '\r' => {}
                '\n' if newlines == 0 => newlines += 1,
                _ => break,
            }
            at += c.len_utf8();
            if at - end > 16 {
                return None;
            }
        }
        if at == end || self.source[end..at].contains('|') {
            return None;
        }
        self.zone_starting_at(at, false)
    }

    /// True when only blank space stands between the start of its line or block and `start`.
    fn starts_line_or_block(&self, start: usize) -> bool {
        let before = &self.mask[..start];
        let trimmed = before.trim_end_matches([' ', '\t', '\u{a0}']);
        if trimmed.is_empty() || trimmed.ends_with('\n') {
            return true;
        }
        let i = self.blocks.partition_point(|b| b.span().start <= start);
        i > 0 && self.mask[self.blocks[i - 1].span().start..start].trim().is_empty()
    }
}

fn is_currency(c: char) -> bool {
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '€' | '₹' | '₽' | '₩' | '₺' | '₫' | '₴' | '₦' | '฿' | '₱' | '₪'
    ) || ('\u{20a0}'..='\u{20c0}').contains(&c)
}
