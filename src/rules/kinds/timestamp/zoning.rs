//! Which zone, if any, covers each clock time (RULES.md CL301 tests 1–4 and "never zoned").
//!
//! Every step is a pass over the times or the zones in source order, with binary searches into
//! the sorted units and tables, so the work stays linear in the document (up to a log factor).

use super::text::{floor_boundary, is_run_connector};
use super::times::ClockScan;
use super::zones::ZoneKind;
use crate::diagnostic::Span;
use crate::document::{compact, BlockKind, Document};
use crate::rules::kinds::LazyRegex;

/// How a clock time got its zone, or why it has none. Zones are indices into
/// `ClockScan::zones`, in 32 bits: there is one `Zoning` per time of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoning {
    /// Test 1: a zone right after or right before it.
    Attached(u32),
    /// Test 2: it starts a run whose last time is attached to this zone.
    Shared(u32),
    /// Test 3: a zone attached to no time stands in its unit.
    InUnit(u32),
    /// Test 4: a declaration earlier in the document (or its table's header row).
    Declared(u32),
    /// No zone; `explicit` when it is said to be in someone else's time (`11pm their time`).
    Unzoned {
        /// True after `local time`, `their time` and the like.
        explicit: bool,
    },
}

impl Zoning {
    /// The zone that covers the time, if any.
    pub fn zone(self) -> Option<usize> {
        match self {
            Zoning::Attached(z) | Zoning::Shared(z) | Zoning::InUnit(z) | Zoning::Declared(z) => Some(z as usize),
            Zoning::Unzoned { .. } => None,
        }
    }
}

/// The compiled zoning tests.
#[derive(Debug)]
pub struct ZoningRules {
    /// Declaration words (`All times are UTC`), matched anywhere in a unit.
    pub declaration: LazyRegex,
    /// Anchored at a time's end: a phrase that puts it in no stated zone (`local time`).
    pub not_zoned_after: LazyRegex,
}

/// What a unit is, for the declaration test.
#[derive(Debug, Clone, Copy, Default)]
struct UnitInfo {
    heading: bool,
    table_header: bool,
}

impl ZoningRules {
    /// Decides, for each time of `scan`, which zone covers it.
    pub fn zone_times(&self, doc: &Document, scan: &ClockScan) -> Vec<Zoning> {
        self.zone_times_and_declarations(doc, scan).0
    }

    /// [`Self::zone_times`], and the zone of every declaration (a heading with a free zone, a
    /// unit with a free zone and a declaration word, a table header row), in order, whether or
    /// not a time follows it (CL304 counts a declaration as a use of its zone).
    pub fn zone_times_and_declarations(&self, doc: &Document, scan: &ClockScan) -> (Vec<Zoning>, Vec<usize>) {
        let layout = Layout::new(doc);
        let declarations = self.declarations(doc, scan, &layout);
        let zoning = self.zone_with(doc, scan, &layout, &declarations);
        (zoning, declarations.all)
    }

    fn zone_with(
        &self,
        doc: &Document,
        scan: &ClockScan,
        layout: &Layout<'_>,
        declarations: &Declarations,
    ) -> Vec<Zoning> {
        let times = &scan.times;
        let mut shared: Vec<Option<u32>> = vec![None; times.len()];
        for i in (0..times.len().saturating_sub(1)).rev() {
            let (this, next) = (&times[i], &times[i + 1]);
            let gap = this.span().end..next.span().start;
            if this.zone().is_none() && gap.len() <= 24 && is_run_connector(&doc.mask[gap]) {
                shared[i] = next.zone().map(compact).or(shared[i + 1]);
            }
        }
        times
            .iter()
            .zip(shared)
            .map(|(time, shared)| {
                if let Some(z) = time.zone() {
                    return Zoning::Attached(compact(z));
                }
                if let Some(z) = shared {
                    return Zoning::Shared(z);
                }
                let window = &doc.mask[time.span().end..floor_boundary(&doc.mask, time.span().end + 48)];
                if self.not_zoned_after.is_match(window) {
                    return Zoning::Unzoned { explicit: true };
                }
                let unit = layout.unit_of(time.span().start).0;
                if let Ok(i) = declarations.in_unit.binary_search_by_key(&unit.start, |(u, _)| u.start) {
                    return Zoning::InUnit(compact(declarations.in_unit[i].1));
                }
                let t = declarations
                    .tables
                    .partition_point(|(s, _)| s.start <= time.span().start);
                if let Some((span, z)) = t.checked_sub(1).map(|t| declarations.tables[t]) {
                    if span.contains_offset(time.span().start) {
                        return Zoning::Declared(compact(z));
                    }
                }
                match declarations.global {
                    Some((start, z)) if start <= time.span().start => Zoning::Declared(compact(z)),
                    _ => Zoning::Unzoned { explicit: false },
                }
            })
            .collect()
    }

    /// Units holding a free zone, tables declared by their header row, and the first
    /// declaration for the whole document.
    fn declarations(&self, doc: &Document, scan: &ClockScan, layout: &Layout<'_>) -> Declarations {
        let mut found = Declarations::default();
        let candidates =
            scan.zones.iter().enumerate().filter(|(_, z)| {
                !z.glued && z.time().is_none() && matches!(z.kind, ZoneKind::Named | ZoneKind::Region)
            });
        let mut current: Option<(Span, UnitInfo, Option<usize>, Option<usize>)> = None;
        let finish = |unit: Option<(Span, UnitInfo, Option<usize>, Option<usize>)>, found: &mut Declarations| {
            let Some((span, info, named, region)) = unit else {
                return;
            };
            let declares_words = self.declaration.is_match(doc.prose(span));
            let zone = match (named, region) {
                (Some(z), _) => Some(z),
                (None, Some(z)) if declares_words => Some(z),
                _ => None,
            };
            let Some(zone) = zone else { return };
            found.in_unit.push((span, zone));
            if info.table_header || info.heading || declares_words {
                found.all.push(zone);
            }
            if info.table_header {
                if let Some(table) = layout.table_at(span.start) {
                    found.tables.push((table, zone));
                }
            } else if (info.heading || declares_words) && found.global.is_none() {
                found.global = Some((span.start, zone));
            }
        };
        for (index, zone) in candidates {
            let (span, info) = layout.unit_of(zone.span().start);
            let same = current.as_ref().is_some_and(|c| c.0 == span);
            if !same {
                finish(current.take(), &mut found);
                current = Some((span, info, None, None));
            }
            let unit = current.as_mut().expect("current unit");
            let slot = if zone.kind == ZoneKind::Named {
                &mut unit.2
            } else {
                &mut unit.3
            };
            slot.get_or_insert(index);
        }
        finish(current.take(), &mut found);
        found
    }
}

/// The result of the declaration pass.
#[derive(Debug, Default)]
struct Declarations {
    /// Units (sorted) with a zone attached to no time, and that zone.
    in_unit: Vec<(Span, usize)>,
    /// Tables (sorted) whose header row holds a free zone.
    tables: Vec<(Span, usize)>,
    /// Start of the first declaration for the whole document, and its zone.
    global: Option<(usize, usize)>,
    /// The zone of every declaration, in order.
    all: Vec<usize>,
}

/// Units and tables of a document, for offset lookups.
struct Layout<'a> {
    doc: &'a Document,
    info: Vec<UnitInfo>,
    tables: Vec<Span>,
}

impl<'a> Layout<'a> {
    fn new(doc: &'a Document) -> Self {
        let mut info = vec![UnitInfo::default(); doc.units.len()];
        for sentence in &doc.sentences {
            let Some(unit) = info.get_mut(sentence.unit()) else {
                continue;
            };
            match doc.blocks[sentence.block()].kind() {
                BlockKind::Heading(_) => unit.heading = true,
                BlockKind::TableCell { header: true, .. } => unit.table_header = true,
                _ => {}
            }
        }
        let mut tables: Vec<Span> = Vec::new();
        let mut open: Option<(u32, Span)> = None;
        for block in &doc.blocks {
            match (block.kind(), open.as_mut()) {
                (BlockKind::TableCell { row, header: true }, Some((r, span))) if *r == row => {
                    span.end = block.span().end
                }
                (BlockKind::TableCell { row, header: true }, _) => {
                    tables.extend(open.take().map(|o| o.1));
                    open = Some((row, block.span()));
                }
                (BlockKind::TableCell { header: false, .. }, Some((_, span))) => span.end = block.span().end,
                _ => tables.extend(open.take().map(|o| o.1)),
            }
        }
        tables.extend(open.map(|o| o.1));
        Layout { doc, info, tables }
    }

    /// The unit holding `offset` and what it is; the offset's line when no unit holds it.
    fn unit_of(&self, offset: usize) -> (Span, UnitInfo) {
        if let Some((i, unit)) = self.doc.unit_containing(offset) {
            return (unit, self.info[i]);
        }
        let line = self.doc.lines.line_of(offset);
        let span: Span = self.doc.lines.line_span(&self.doc.source, line).into();
        let heading = self.doc.source[span.start..span.end].trim_start().starts_with('#');
        (
            span,
            UnitInfo {
                heading,
                table_header: false,
            },
        )
    }

    /// The table holding `offset`.
    fn table_at(&self, offset: usize) -> Option<Span> {
        let i = self.tables.partition_point(|t| t.start <= offset);
        i.checked_sub(1)
            .map(|i| self.tables[i])
            .filter(|t| t.contains_offset(offset))
    }
}
