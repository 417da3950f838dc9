//! `kind = "timestamp"`: clock times without a timezone (CL301 missing-timezone).
//!
//! [`times`] finds clock times and the zone attached to each, [`zones`] is the zone lexicon,
//! [`zoning`] decides which zone covers each time; the later CL3xx rules reuse all three.

mod candidate;
pub mod dates;
mod numeric_dates;
pub mod shared;
pub mod text;
pub mod times;
pub mod zones;
pub mod zoning;

#[cfg(test)]
mod tests;

use super::{compile_regex, Analysis, Check, CheckContext};
use crate::diagnostic::{Applicability, Finding, Span};
use serde::Deserialize;
use times::{ClockScan, ClockScanner};
use zoning::{Zoning, ZoningRules};

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Words that make a unit with a free zone a declaration (`All times are UTC`).
    pub declaration: String,
    /// A phrase right after a time that puts it in no stated zone (`local time`, `their time`).
    pub not_zoned_after: String,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// The zone every unzoned time is in; makes the suggestion machine-applicable.
    pub assume: Option<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Timestamp {
    scanner: ClockScanner,
    zoning: ZoningRules,
    assume: Option<String>,
    /// True when the parameters are the built-in ones: the scan and zoning are then read from
    /// the per-document cache the other CL3xx rules share.
    shared: bool,
}

impl Timestamp {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let scanner = ClockScanner::new();
        let assume = options.assume.map(|zone| zone.trim().to_string());
        if let Some(zone) = &assume {
            if !scanner.lexicon().is_zone(zone) {
                return Err(format!(
                    "`assume` must be a timezone that stands on its own, such as \"UTC\" or \"CET\", not \"{zone}\""
                ));
            }
        }
        let zoning = zoning_rules(params)?;
        Ok(Timestamp {
            scanner,
            zoning,
            assume,
            shared: *params == shared::builtin_params(),
        })
    }
}

/// Compiles the zoning tests of a rule file's parameters.
fn zoning_rules(params: &Params) -> Result<ZoningRules, String> {
    Ok(ZoningRules {
        declaration: compile_regex(&params.declaration)?,
        not_zoned_after: compile_regex(&format!(r"^[\s(\[]*(?:{})\b", params.not_zoned_after))?,
    })
}

impl Check for Timestamp {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Clock, Analysis::Zoning]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let own;
        let (scan, zoning) = if self.shared {
            let analysis = shared::document_zoning(cx);
            (shared::document_clock(cx), analysis.zoning.as_slice())
        } else {
            let scan = self.scanner.clock_times(doc);
            let zoning = self.zoning.zone_times(doc, &scan);
            own = (scan, zoning);
            (&own.0, own.1.as_slice())
        };
        if scan.times.is_empty() {
            return;
        }
        let suggestion = match &self.assume {
            Some(zone) => Some((zone.clone(), Applicability::MachineApplicable)),
            None => single_family(&doc.mask, scan, zoning).map(|zone| (zone, Applicability::MaybeIncorrect)),
        };
        for (time, zoning) in scan.times.iter().zip(zoning) {
            let Zoning::Unzoned { explicit } = *zoning else {
                continue;
            };
            let written = doc.text(time.span()).split_whitespace().collect::<Vec<_>>().join(" ");
            let mut finding = Finding::new(time.span(), format!("clock time `{written}` has no timezone"));
            if let (Some((zone, applicability)), false) = (&suggestion, explicit) {
                finding = finding.with_suggestion(Span::empty(time.span().end), format!(" {zone}"), *applicability);
            }
            out.push(finding);
        }
    }
}

/// The zone to suggest when every zone the document uses belongs to one family (`mask` is the
/// prose mask the zones were found in).
fn single_family(mask: &str, scan: &ClockScan, zoning: &[Zoning]) -> Option<String> {
    let mut covering = vec![false; scan.zones.len()];
    for zone in zoning.iter().filter_map(|z| z.zone()) {
        covering[zone] = true;
    }
    let used = scan
        .zones
        .iter()
        .zip(covering)
        .filter(|(z, covers)| z.time().is_some() || z.is_free() || *covers)
        .map(|(z, _)| z);
    let mut first: Option<(&zones::ZoneToken, String)> = None;
    for zone in used {
        let family = zone.family(mask);
        match &first {
            None => first = Some((zone, family)),
            Some((_, f)) if *f != family => return None,
            Some(_) => {}
        }
    }
    first.map(|(z, _)| z.display(mask))
}
