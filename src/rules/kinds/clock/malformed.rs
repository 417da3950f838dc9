//! `kind = "malformed-time"` (CL306): a 24-hour time with am/pm (`14:07 PM`, `0:30 am`), or a
//! time past the end of the day (`24:30`).

use crate::diagnostic::{Applicability, Finding, Span};
use crate::rules::kinds::timestamp::shared::document_clock;
use crate::rules::kinds::timestamp::times::{ClockTime, Minutes, Shape};
use crate::rules::kinds::{Analysis, Check, CheckContext};
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Help for a time past 24:00, which the rule file's `help` (about am/pm) does not fit.
    pub past_midnight_help: String,
}

/// Options from the configuration's `[rules.<name>]` table: none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct MalformedTime {
    past_midnight_help: String,
}

impl MalformedTime {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        Ok(MalformedTime {
            past_midnight_help: params.past_midnight_help.clone(),
        })
    }
}

/// Where the am/pm of a time starts, and where the clock digits before it end.
fn meridiem_bounds(text: &str, span: Span) -> (usize, usize) {
    let written = &text[span.start..span.end];
    let clock = written.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let digits = clock.trim_end();
    (span.start + clock.len(), span.start + digits.len())
}

fn past_midnight(time: &ClockTime) -> bool {
    let minutes = matches!(time.minutes, Minutes::Written(m) if m > 0);
    time.hour == 24 && (minutes || time.seconds.is_some_and(|s| s > 0))
}

impl Check for MalformedTime {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Clock]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        for time in &document_clock(cx).times {
            let written = doc.text(time.span()).split_whitespace().collect::<Vec<_>>().join(" ");
            if time.meridiem.is_some() && (time.hour == 0 || time.hour >= 13) {
                let (meridiem_start, digits_end) = meridiem_bounds(&doc.source, time.span());
                let meridiem = &doc.source[meridiem_start..time.span().end];
                let message = format!("`{written}` mixes the 24-hour clock with {meridiem}");
                let mut finding = Finding::new(time.span(), message);
                if !past_midnight(time) {
                    // `14:07 PM` -> `14:07`; `13pm` -> `13:00`.
                    let replacement = if time.shape == Shape::HourMeridiem { ":00" } else { "" };
                    let span = Span::new(digits_end, time.span().end);
                    finding = finding.with_suggestion(span, replacement, Applicability::MaybeIncorrect);
                }
                out.push(finding);
            } else if past_midnight(time) {
                let message = format!("`{written}` is past the end of the day");
                out.push(Finding::new(time.span(), message).with_help(self.past_midnight_help.clone()));
            }
        }
    }
}
