//! Clock times (RULES.md §5, CL3xx shapes T1–T6) on the prose mask, each with the zone token
//! attached to it, if any. Shared by the CL3xx rules.
//!
//! The scan walks the mask once, stopping at each run of digits; every test after that
//! ([`super::candidate`]) looks at a bounded window around the candidate, so the whole scan is
//! linear in the text.

use super::candidate::Scan;
use super::zones::{ZoneKind, ZoneLexicon, ZoneToken};
use crate::diagnostic::Span;
use crate::document::Document;

/// Morning or afternoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    /// `am`, `AM`, `a.m.`
    Am,
    /// `pm`, `PM`, `p.m.`
    Pm,
}

/// The minutes of a clock time as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minutes {
    /// Two digits, 00–59.
    Written(u8),
    /// A template placeholder: `22:XX`.
    Placeholder,
    /// No minutes: `6pm`, `8UTC`.
    Absent,
}

/// Which shape of RULES.md §5 a time has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// T1 (and T6 with `iso`): `H:MM`, `HH:MM:SS(.f)`, with or without am/pm.
    Colon,
    /// T2: `H.MM` with am/pm (`6.15pm`).
    DotMeridiem,
    /// T3: `H.MM` without am/pm, admitted by its context (`Update 21.48`).
    Dot,
    /// T4: an hour with am/pm (`6pm`, `11 AM`).
    HourMeridiem,
    /// T5: an hour with a zone (`8UTC`, `at 5 PST`).
    HourZone,
}

/// A clock time in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockTime {
    /// The time with its am/pm (for T6 the clock part after `T`).
    pub span: Span,
    /// Hour as written, 0–24.
    pub hour: u8,
    /// Minutes as written.
    pub minutes: Minutes,
    /// Seconds, when written.
    pub seconds: Option<u8>,
    /// am/pm, when written.
    pub meridiem: Option<Meridiem>,
    /// The shape it was found as.
    pub shape: Shape,
    /// True for the clock part of an ISO 8601 date-time (T6).
    pub iso: bool,
    /// Index into [`ClockScan::zones`] of the zone attached to it (right after or right before).
    pub zone: Option<usize>,
}

/// Every clock time and zone token of a document.
#[derive(Debug, Clone, Default)]
pub struct ClockScan {
    /// Clock times in source order.
    pub times: Vec<ClockTime>,
    /// Zone tokens in source order (lexicon tokens and offsets glued to times).
    pub zones: Vec<ZoneToken>,
}

/// The time and zone scanner.
#[derive(Debug)]
pub struct ClockScanner {
    lexicon: &'static ZoneLexicon,
}

impl Default for ClockScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl ClockScanner {
    /// A scanner reading the process's zone lexicon.
    pub fn new() -> Self {
        ClockScanner {
            lexicon: ZoneLexicon::shared(),
        }
    }

    /// The zone lexicon it uses.
    pub fn lexicon(&self) -> &ZoneLexicon {
        self.lexicon
    }

    /// Every clock time and zone token in the document's prose.
    pub fn clock_times(&self, doc: &Document) -> ClockScan {
        let block_starts: Vec<usize> = doc.blocks.iter().map(|b| b.span().start).collect();
        self.scan_text(&doc.mask, &doc.source, &block_starts)
    }

    /// Scans a prose mask (`source` is the text it masks; `block_starts` sorted block starts).
    pub fn scan_text(&self, mask: &str, source: &str, block_starts: &[usize]) -> ClockScan {
        let zones = self.lexicon.scan(mask);
        let scanner = Scan {
            mask,
            source,
            zones: &zones,
            block_starts,
        };
        let bytes = mask.as_bytes();
        let mut found: Vec<(ClockTime, Option<Span>)> = Vec::new();
        let mut offsets = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let previous_end = found.last().map(|(t, _)| t.span.end);
            if let Some(candidate) = scanner.time_at(start, i, previous_end) {
                if let Some(offset) = candidate.offset {
                    offsets.push(offset);
                }
                i = i.max(candidate.consumed);
                found.push((candidate.time, candidate.zone));
            }
        }
        attach(zones, offsets, found, mask, source)
    }
}

/// Merges glued offsets into the zone list and links times and zones both ways; then attaches
/// a zone that stands right before a time that has none after it (`UTC 05:13`).
fn attach(
    mut zones: Vec<ZoneToken>,
    offsets: Vec<ZoneToken>,
    found: Vec<(ClockTime, Option<Span>)>,
    mask: &str,
    source: &str,
) -> ClockScan {
    if !offsets.is_empty() {
        zones.extend(offsets);
        zones.sort_by_key(|z| z.span.start);
    }
    let mut times = Vec::with_capacity(found.len());
    for (index, (mut time, zone)) in found.into_iter().enumerate() {
        if let Some(span) = zone {
            if let Ok(z) = zones.binary_search_by_key(&span.start, |z| z.span.start) {
                zones[z].time = Some(index);
                time.zone = Some(z);
            }
        }
        times.push(time);
    }
    for (index, time) in times.iter_mut().enumerate() {
        if time.zone.is_some() {
            continue;
        }
        let z = zones.partition_point(|z| z.span.end <= time.span.start);
        let Some(z) = z.checked_sub(1) else { continue };
        let zone = &zones[z];
        let gap = zone.span.end..time.span.start;
        let only_space = gap.len() <= 8
            && mask[gap.clone()]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '\u{a0}' | ')' | ']'))
            && !source[gap].contains('|');
        if only_space && zone.time.is_none() && !zone.glued && zone.kind != ZoneKind::Region {
            zones[z].time = Some(index);
            time.zone = Some(z);
        }
    }
    ClockScan { times, zones }
}
