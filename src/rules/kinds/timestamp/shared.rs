//! The CL3xx analyses of a document, computed once and cached in
//! [`SharedAnalysis`](crate::rules::kinds::SharedAnalysis): the clock times and zones (CL301,
//! CL304, CL306), which zone covers each time (CL301, CL304) and the calendar dates (CL302,
//! CL303, CL305).
//!
//! The zoning tests are those of the built-in `rules/missing-timezone.toml`, so every CL3xx rule
//! agrees with CL301 on which zone covers a time, whichever of them is switched on.

use super::dates::{CalendarDate, DateScanner};
use super::times::{ClockScan, ClockScanner};
use super::zoning::{Zoning, ZoningRules};
use super::{zoning_rules, Params};
use crate::diagnostic::Span;
use crate::document::Document;
use crate::rules::kinds::{CheckContext, CheckSpec};
use std::sync::LazyLock;

/// Which zone covers each clock time, and the document's declarations.
#[derive(Debug, Clone, Default)]
pub struct ZoningAnalysis {
    /// One entry per time of the cached [`ClockScan`], same order.
    pub zoning: Vec<Zoning>,
    /// The zone (index into `ClockScan::zones`) of every declaration, in order.
    pub declarations: Vec<usize>,
}

/// The built-in parameters and the scanners compiled from them.
struct Builtin {
    params: Params,
    clock: ClockScanner,
    zoning: ZoningRules,
    dates: DateScanner,
}

static BUILTIN: LazyLock<Builtin> = LazyLock::new(|| {
    let def = crate::config::builtin_rule("missing-timezone").expect("missing-timezone is built in");
    let CheckSpec::Timestamp(params) = def.check.clone() else {
        panic!("missing-timezone.toml: [check] must be of kind \"timestamp\"");
    };
    let zoning = zoning_rules(&params).unwrap_or_else(|e| panic!("missing-timezone.toml: {e}"));
    Builtin {
        params,
        clock: ClockScanner::new(),
        zoning,
        dates: DateScanner::new(),
    }
});

/// Compiles the scanners, which every document with a CL3xx rule on needs (all are on by
/// default), on a thread that would otherwise wait for the configuration.
pub fn warm_up() {
    BUILTIN.clock.lexicon();
}

/// The `[check]` parameters of the built-in CL301 rule.
pub fn builtin_params() -> Params {
    BUILTIN.params.clone()
}

/// Every clock time and zone token of the document, scanned on first use.
pub fn document_clock<'a>(cx: &CheckContext<'a>) -> &'a ClockScan {
    cx.shared.clock.get_or_init(|| BUILTIN.clock.clock_times(cx.doc))
}

/// Which zone covers each time of [`document_clock`], and the declarations.
pub fn document_zoning<'a>(cx: &CheckContext<'a>) -> &'a ZoningAnalysis {
    cx.shared.zoning.get_or_init(|| {
        let scan = document_clock(cx);
        let (zoning, declarations) = BUILTIN.zoning.zone_times_and_declarations(cx.doc, scan);
        ZoningAnalysis { zoning, declarations }
    })
}

/// Every calendar date in the document's prose, in order.
pub fn document_dates<'a>(cx: &CheckContext<'a>) -> &'a [CalendarDate] {
    cx.shared.dates.get_or_init(|| BUILTIN.dates.scan(&cx.doc.mask, 0))
}

/// The dates in a piece of text outside the prose mask (a front matter title), shifted to `base`.
pub fn dates_in(text: &str, base: usize) -> Vec<CalendarDate> {
    BUILTIN.dates.scan(text, base)
}

/// The unit (RULES.md §1) holding `offset`; the offset's line when no unit holds it.
pub fn unit_at(doc: &Document, offset: usize) -> Span {
    if let Some((_, unit)) = doc.unit_containing(offset) {
        return unit;
    }
    doc.lines.line_span(&doc.source, doc.lines.line_of(offset)).into()
}
