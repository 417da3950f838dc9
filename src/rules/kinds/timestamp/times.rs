//! Clock times (RULES.md §5, CL3xx shapes T1–T6) on the prose mask, each with the zone token
//! attached to it, if any. Shared by the CL3xx rules.
//!
//! The scan walks the mask once, stopping at each run of digits; every test after that
//! (`super::candidate`) looks at a bounded window around the candidate, so the whole scan is
//! linear in the text.

use super::candidate::Scan;
use super::text::next_digit;
use super::zones::{ZoneKind, ZoneLexicon, ZoneToken};
use crate::diagnostic::Span;
use crate::document::{compact, Block, CompactSpan, Document};

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
///
/// Its span and zone index are kept in 32 bits: a 50 MB document has 200,000 times, and all of
/// them are kept while the CL3xx rules run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockTime {
    span: CompactSpan,
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
    zone: Option<u32>,
}

impl ClockTime {
    /// A time found at `span`, with no zone attached yet.
    pub(super) fn new(
        span: Span,
        hour: u8,
        minutes: Minutes,
        seconds: Option<u8>,
        meridiem: Option<Meridiem>,
        shape: Shape,
        iso: bool,
    ) -> Self {
        ClockTime {
            span: CompactSpan::new(span),
            hour,
            minutes,
            seconds,
            meridiem,
            shape,
            iso,
            zone: None,
        }
    }

    /// The time with its am/pm (for T6 the clock part after `T`).
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// Index into [`ClockScan::zones`] of the zone attached to it (right after or right before).
    pub fn zone(&self) -> Option<usize> {
        self.zone.map(|z| z as usize)
    }

    fn attach(&mut self, zone: usize) {
        self.zone = Some(compact(zone));
    }
}

/// Every clock time and zone token of a document.
#[derive(Debug, Clone, Default)]
pub struct ClockScan {
    /// Clock times in source order.
    pub times: Vec<ClockTime>,
    /// Zone tokens in source order (lexicon tokens and offsets glued to times).
    pub zones: Vec<ZoneToken>,
}

/// The time and zone scanner. The zone lexicon it reads is compiled on first use, not when
/// the rules are: configuration is read before any thread can share the work.
#[derive(Debug)]
pub struct ClockScanner;

impl Default for ClockScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl ClockScanner {
    /// A scanner reading the process's zone lexicon.
    pub fn new() -> Self {
        ClockScanner
    }

    /// The zone lexicon it uses.
    pub fn lexicon(&self) -> &ZoneLexicon {
        ZoneLexicon::shared()
    }

    /// Every clock time and zone token in the document's prose.
    pub fn clock_times(&self, doc: &Document) -> ClockScan {
        self.scan_text(&doc.mask, &doc.source, &doc.blocks)
    }

    /// Scans a prose mask (`source` is the text it masks; `blocks` its blocks, in order).
    pub fn scan_text(&self, mask: &str, source: &str, blocks: &[Block]) -> ClockScan {
        let zones = self.lexicon().scan(mask);
        let scanner = Scan {
            mask,
            source,
            zones: &zones,
            blocks,
        };
        let bytes = mask.as_bytes();
        let mut times: Vec<ClockTime> = Vec::new();
        // (time index, zone start) for the times with a zone right after them.
        let mut zoned_after: Vec<(u32, u32)> = Vec::new();
        let mut offsets = Vec::new();
        let mut i = 0;
        while let Some(start) = next_digit(bytes, i) {
            i = start;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let previous_end = times.last().map(|t| t.span().end);
            if let Some(candidate) = scanner.time_at(start, i, previous_end) {
                if let Some(offset) = candidate.offset {
                    offsets.push(offset);
                }
                i = i.max(candidate.consumed);
                if let Some(zone) = candidate.zone {
                    zoned_after.push((compact(times.len()), compact(zone.start)));
                }
                times.push(candidate.time);
            }
        }
        attach(zones, offsets, times, &zoned_after, mask, source)
    }
}

/// Merges glued offsets into the zone list and links times and zones both ways; then attaches
/// a zone that stands right before a time that has none after it (`UTC 05:13`).
fn attach(
    zones: Vec<ZoneToken>,
    offsets: Vec<ZoneToken>,
    mut times: Vec<ClockTime>,
    zoned_after: &[(u32, u32)],
    mask: &str,
    source: &str,
) -> ClockScan {
    let mut zones = merge_by_start(zones, offsets);
    zones.shrink_to_fit();
    times.shrink_to_fit();
    for &(index, zone_start) in zoned_after {
        let index = index as usize;
        if let Ok(z) = zones.binary_search_by_key(&(zone_start as usize), |z| z.span().start) {
            zones[z].attach(index);
            times[index].attach(z);
        }
    }
    for (index, time) in times.iter_mut().enumerate() {
        if time.zone.is_some() {
            continue;
        }
        let z = zones.partition_point(|z| z.span().end <= time.span().start);
        let Some(z) = z.checked_sub(1) else { continue };
        let zone = &zones[z];
        let gap = zone.span().end..time.span().start;
        let only_space = gap.len() <= 8
            && mask[gap.clone()]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '\u{a0}' | ')' | ']'))
            && !source[gap].contains('|');
        if only_space && zone.time().is_none() && !zone.glued && zone.kind != ZoneKind::Region {
            zones[z].attach(index);
            time.attach(z);
        }
    }
    ClockScan { times, zones }
}

/// The lexicon's zones and the glued offsets, both in source order, merged into one list of
/// exactly their size (growing the first would hold twice the zones of a big document); at
/// the same start the lexicon's comes first.
fn merge_by_start(lexicon: Vec<ZoneToken>, offsets: Vec<ZoneToken>) -> Vec<ZoneToken> {
    if offsets.is_empty() {
        return lexicon;
    }
    let mut merged = Vec::with_capacity(lexicon.len() + offsets.len());
    let mut offsets = offsets.into_iter().peekable();
    for zone in lexicon {
        while let Some(offset) = offsets.next_if(|o| o.span().start < zone.span().start) {
            merged.push(offset);
        }
        merged.push(zone);
    }
    merged.extend(offsets);
    merged
}
