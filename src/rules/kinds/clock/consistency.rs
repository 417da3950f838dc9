//! `kind = "inconsistent-timezone"` (CL304): times given in more than one zone family, other than
//! as a conversion (`14:00 UTC (15:00 CET)`).

use crate::diagnostic::Finding;
use crate::document::Document;
use crate::rules::kinds::timestamp::shared::{document_clock, document_zoning};
use crate::rules::kinds::timestamp::text::is_run_connector;
use crate::rules::kinds::timestamp::times::ClockScan;
use crate::rules::kinds::timestamp::zones::{ZoneKind, ZoneToken};
use crate::rules::kinds::timestamp::zoning::Zoning;
use crate::rules::kinds::LazyRegex;
use crate::rules::kinds::{compile_regex, Analysis, Check, CheckContext};
use serde::Deserialize;

/// The longest gap between a zoned time and a conversion of it, in bytes.
const CONVERSION_GAP: usize = 24;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// The whole text between a zoned time and the next time (spaces collapsed, markup and
    /// table borders kept as `|`) that makes the next one a conversion: `(`, `/`, `|`, `or`.
    pub conversion: String,
}

/// Options from the configuration's `[rules.<name>]` table: none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct InconsistentTimezone {
    conversion: LazyRegex,
}

impl InconsistentTimezone {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        Ok(InconsistentTimezone {
            conversion: compile_regex(&format!("^(?:{})$", params.conversion))?,
        })
    }

    /// For each time, true when it converts the zoned time before it (or continues a run that
    /// does: `(15:00 to 16:00 CET)`).
    fn conversions(&self, doc: &Document, scan: &ClockScan, zoning: &[Zoning]) -> Vec<bool> {
        let mut conversion = vec![false; scan.times.len()];
        for i in 1..scan.times.len() {
            let (previous, time) = (&scan.times[i - 1], &scan.times[i]);
            let previous_end = previous
                .zone()
                .map_or(previous.span().end, |z| scan.zones[z].span().end);
            if previous_end > time.span().start || time.span().start - previous_end > CONVERSION_GAP {
                continue;
            }
            let gap = previous_end..time.span().start;
            if conversion[i - 1] && is_run_connector(&doc.mask[gap.clone()]) {
                conversion[i] = true;
                continue;
            }
            let text = gap_text(doc, gap);
            conversion[i] = zoning[i - 1].zone().is_some() && !text.is_empty() && self.conversion.is_match(&text);
        }
        conversion
    }
}

/// The prose between two times, spaces collapsed, with table borders (blanked in the mask) kept.
fn gap_text(doc: &Document, gap: std::ops::Range<usize>) -> String {
    let bytes: Vec<u8> = doc.mask.as_bytes()[gap.clone()]
        .iter()
        .zip(&doc.source.as_bytes()[gap])
        .map(|(&m, &s)| if s == b'|' { s } else { m })
        .collect();
    String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a zone is named in a message: as written, or by its family for a glued offset (`Z`).
fn zone_name(doc: &Document, zone: &ZoneToken) -> String {
    if zone.kind == ZoneKind::Offset {
        zone.display(&doc.mask)
    } else {
        doc.text(zone.span()).split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Check for InconsistentTimezone {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Clock, Analysis::Zoning]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let scan = document_clock(cx);
        if scan.zones.is_empty() {
            return;
        }
        let analysis = document_zoning(cx);
        let conversion = self.conversions(doc, scan, &analysis.zoning);
        // A use: a zone covering a time (not as a conversion), or a declaration.
        let mut uses: Vec<usize> = analysis.declarations.clone();
        for (zoning, converts) in analysis.zoning.iter().zip(conversion) {
            let own_zone = matches!(zoning, Zoning::Attached(_) | Zoning::Shared(_));
            if !(converts && own_zone) {
                uses.extend(zoning.zone());
            }
        }
        uses.sort_by_key(|&z| scan.zones[z].span().start);
        uses.dedup();
        let Some((&primary, rest)) = uses.split_first() else {
            return;
        };
        let primary = &scan.zones[primary];
        let mut families = vec![primary.family(&doc.mask)];
        for zone in rest.iter().map(|&z| &scan.zones[z]) {
            let family = zone.family(&doc.mask);
            if families.contains(&family) {
                continue;
            }
            families.push(family);
            let message = format!(
                "time in `{}` but this document gives times in `{}`",
                zone_name(doc, zone),
                zone_name(doc, primary)
            );
            out.push(Finding::new(zone.span(), message).with_secondary(primary.span(), "the document's first zone"));
        }
    }
}
