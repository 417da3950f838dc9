//! The clock rules on whole documents, with their built-in rule files.

use crate::document::Document;
use crate::rules::kinds::dates::tests::{builtin, run};
use crate::rules::kinds::SharedAnalysis;

/// The text of each finding of rule `name` in `text`.
fn found(name: &str, text: &str) -> Vec<String> {
    let doc = Document::parse("test.md", text.to_string());
    run(builtin(name).as_ref(), &doc, &SharedAnalysis::default())
        .iter()
        .map(|f| text[f.primary.span.start..f.primary.span.end].to_string())
        .collect()
}

#[test]
fn the_clock_rules_and_cl301_read_one_cached_scan() {
    let doc = Document::parse("test.md", "At 14:07 PM UTC, then 15:00 CET.\n".to_string());
    let shared = SharedAnalysis::default();
    assert_eq!(run(builtin("inconsistent-timezone").as_ref(), &doc, &shared).len(), 1);
    let cached = shared.clock.get().expect("filled").times.as_ptr();
    assert_eq!(run(builtin("malformed-time").as_ref(), &doc, &shared).len(), 1);
    assert!(run(builtin("missing-timezone").as_ref(), &doc, &shared).is_empty());
    assert_eq!(shared.clock.get().expect("still filled").times.as_ptr(), cached);
}

#[test]
fn each_other_family_is_reported_once_at_its_first_use() {
    let text = "At 08:00 UTC it failed; at 09:00 CET, 10:00 CEST and 11:00 CET it was retried.\n";
    assert_eq!(found("inconsistent-timezone", text), ["CET"]);
}

#[test]
fn a_conversion_needs_a_zoned_time_right_before_it() {
    assert!(found("inconsistent-timezone", "At 14:00 UTC (15:00 CET) it failed.\n").is_empty());
    assert!(found("inconsistent-timezone", "At 14:00 UTC, or 15:00 CET, it failed.\n").is_empty());
    // A comma alone lists two events; a parenthesis after an unzoned time converts nothing.
    assert_eq!(found("inconsistent-timezone", "At 14:00 UTC, 15:00 CET.\n"), ["CET"]);
    assert_eq!(
        found(
            "inconsistent-timezone",
            "At 9:00 UTC it began. At 14:00 (15:00 CET) it ended.\n"
        ),
        ["CET"]
    );
}

#[test]
fn a_declaration_that_covers_no_time_still_sets_the_primary_zone() {
    let text = "## Timeline (UTC)\n\n- 14:05 CET: alerts fire.\n";
    assert_eq!(found("inconsistent-timezone", text), ["CET"]);
}

#[test]
fn well_formed_times_are_left_alone() {
    let text = "From 12:00 pm to 12:59 am UTC, and at 1 AM, 11.30 p.m., 23:59 and 24:00 UTC.\n";
    assert!(found("malformed-time", text).is_empty());
    assert_eq!(
        found("malformed-time", "At 24:00:30 UTC and 00:15 AM UTC.\n"),
        ["24:00:30", "00:15 AM"]
    );
}
