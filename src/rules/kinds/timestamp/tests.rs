//! Behaviour of the time scanner and the zoning tests on plain text.

use super::times::{ClockScanner, Meridiem, Minutes, Shape};
use super::*;
use crate::document::Document;

/// The text of every clock time found in `text` (scanned as if it were all prose).
fn times(text: &str) -> Vec<String> {
    let scan = ClockScanner::new().scan_text(text, text, &[]);
    scan.times
        .iter()
        .map(|t| text[t.span().start..t.span().end].to_string())
        .collect()
}

/// The times of `text` and whether each is attached to a zone.
fn attached(text: &str) -> Vec<(String, bool)> {
    let scan = ClockScanner::new().scan_text(text, text, &[]);
    scan.times
        .iter()
        .map(|t| (text[t.span().start..t.span().end].to_string(), t.zone().is_some()))
        .collect()
}

fn check() -> Timestamp {
    let params = Params {
        declaration: r"\b(?:times?|timestamps?|time ?zones?|timeline|all events|all dates|clock)\b".to_string(),
        not_zoned_after: r"(?:local|their|your|our)\s+time".to_string(),
    };
    Timestamp::compile(&params, Options::default()).expect("compiles")
}

/// The unzoned times the check reports for a document.
fn unzoned(text: &str) -> Vec<String> {
    let doc = Document::parse("test.md", text.to_string());
    let check = check();
    let scan = check.scanner.clock_times(&doc);
    let zoning = check.zoning.zone_times(&doc, &scan);
    scan.times
        .iter()
        .zip(zoning)
        .filter(|(_, z)| z.zone().is_none())
        .map(|(t, _)| text[t.span().start..t.span().end].to_string())
        .collect()
}

#[test]
fn finds_the_six_shapes() {
    assert_eq!(times("At 6.15pm and 9.00 am"), ["6.15pm", "9.00 am"]);
    assert_eq!(
        times("from 10:30 to 22:20:00.5 and 7:09 AM"),
        ["10:30", "22:20:00.5", "7:09 AM"]
    );
    assert_eq!(
        times("around 6pm, 11 AM or 1AM, 3 p.m. too"),
        ["6pm", "11 AM", "1AM", "3 p.m."]
    );
    assert_eq!(times("at 8UTC or at 5 PST"), ["8", "5"]);
    assert_eq!(times("stamp 2024-03-04T10:30:00Z"), ["10:30:00"]);
    assert_eq!(times("slot 22:XX"), ["22:XX"]);
    assert_eq!(times("Update 11:31: all done"), ["11:31"]);
    assert_eq!(
        times("from 10:30am-11:15am and 6pm-7pm"),
        ["10:30am", "11:15am", "6pm", "7pm"]
    );
}

#[test]
fn records_hour_minutes_and_meridiem() {
    let scan = ClockScanner::new().scan_text("at 6.15pm, 22:XX and 8UTC", "at 6.15pm, 22:XX and 8UTC", &[]);
    let t = &scan.times;
    assert_eq!(
        (t[0].hour, t[0].minutes, t[0].meridiem, t[0].shape),
        (6, Minutes::Written(15), Some(Meridiem::Pm), Shape::DotMeridiem)
    );
    assert_eq!((t[1].hour, t[1].minutes), (22, Minutes::Placeholder));
    assert_eq!(
        (t[2].hour, t[2].minutes, t[2].shape),
        (8, Minutes::Absent, Shape::HourZone)
    );
}

#[test]
fn rejects_numbers_that_are_not_times() {
    for text in [
        "a 3:1 ratio",
        "they won 21:17 last night",
        "a 16:9 screen",
        "Python 3.12 is out",
        "it took 1.5 seconds",
        "version 4.10.2",
        "localhost:8080 and port :80",
        "it lasted 1:30 hours",
        "45minutes, 1h 19m",
        "costs $10:30",
        "issue #12:30",
        "offset UTC+10:00 and us-east-1",
        "used 12.50% of 14.20 GB",
        "10.0.0.1 and 192.168.1.12",
        "at noon, midnight UTC, this afternoon, --:--",
        "lap 1:23.456",
        "release 10.30",
        "grew by 1.25 percent",
        "zone UTC-05:00 or GMT-5",
    ] {
        assert!(times(text).is_empty(), "{text:?} gave {:?}", times(text));
    }
}

#[test]
fn admits_dotted_times_only_in_context() {
    assert_eq!(times("Update 21.48 – fixed"), ["21.48"]);
    assert_eq!(times("21.48 fixed\nthen 22.10"), ["21.48"]);
    assert_eq!(times("it ran 14.30 CET"), ["14.30"]);
    assert_eq!(times("from 9.30 to 10.45"), ["9.30", "10.45"]);
    assert!(times("grew 14.30 points").is_empty());
}

#[test]
fn attaches_zones_after_and_before() {
    // The mask blanks markup: `**22:20:00** UTC` reads as below.
    for text in [
        "10:30 UTC",
        "10:30 (UTC)",
        "  22:20:00   UTC",
        "14:00Z",
        "2:30UTC",
        "UTC 05:13",
        "7:09 AM Eastern",
    ] {
        assert!(attached(text)[0].1, "{text}");
    }
    assert!(attached("2024-03-04T10:30+01:00")[0].1);
    assert!(!attached("2024-03-04T10:30")[0].1);
    assert_eq!(
        attached("8:20-8:24"),
        [("8:20".to_string(), false), ("8:24".to_string(), false)]
    );
    assert_eq!(
        attached("10:00 UTC 11:00"),
        [("10:00".to_string(), true), ("11:00".to_string(), false)]
    );
}

#[test]
fn keeps_positions_after_multi_byte_text_and_crlf() {
    let text = "Zürich — ünïcödé\r\nat 10:30 we 🚀 at 6pm";
    let scan = ClockScanner::new().scan_text(text, text, &[]);
    let spans: Vec<&str> = scan.times.iter().map(|t| &text[t.span().start..t.span().end]).collect();
    assert_eq!(spans, ["10:30", "6pm"]);
}

#[test]
fn zones_shared_runs_units_and_declarations() {
    assert_eq!(unzoned("between 6:30 pm and 7:15 pm"), ["6:30 pm", "7:15 pm"]);
    assert!(unzoned("between 6:30 pm and 7:15 pm (UTC)").is_empty());
    assert!(unzoned("10:00, 10:15 and 10:30 CET").is_empty());
    assert!(unzoned("open from 10:30am-11:15am ET").is_empty());
    assert_eq!(unzoned("We began at 10:00 and finished at 11:30 UTC."), ["10:00"]);
    assert!(unzoned("In UTC terms, it began at 10:00.").is_empty());
    assert!(unzoned("All times in this post are CET.\n\nLater, at 10:30, it broke.").is_empty());
    assert_eq!(unzoned("All times UTC.\n\nIt hit at 11pm their time."), ["11pm"]);
    assert_eq!(
        unzoned("Around 6pm it broke.\n\n## Timeline\n\nAll times in PST.\n\n10:00 fixed"),
        ["6pm"]
    );
}

#[test]
fn suggests_the_single_zone_family_or_the_assumed_zone() {
    let doc = Document::parse("t.md", "At 9:00 UTC it began; at 6.15pm it ended.".to_string());
    let cx_check = check();
    let scan = cx_check.scanner.clock_times(&doc);
    let zoning = cx_check.zoning.zone_times(&doc, &scan);
    assert_eq!(single_family(&doc.mask, &scan, &zoning).as_deref(), Some("UTC"));
    let doc = Document::parse("t.md", "At 9:00 UTC and 10:00 CET; 6.15pm.".to_string());
    let scan = cx_check.scanner.clock_times(&doc);
    let zoning = cx_check.zoning.zone_times(&doc, &scan);
    assert_eq!(single_family(&doc.mask, &scan, &zoning), None);
    let params = Params {
        declaration: "times".to_string(),
        not_zoned_after: "local time".to_string(),
    };
    let bad = Options {
        assume: Some("nowhere".to_string()),
    };
    assert!(Timestamp::compile(&params, bad).is_err());
}

/// Findings of a compiled check on a document.
fn findings(check: &Timestamp, text: &str) -> Vec<Finding> {
    crate::rules::kinds::run_check(check, text, crate::kind::Audience::Customers).1
}

#[test]
fn an_assumed_zone_makes_the_suggestion_machine_applicable() {
    let params = Params {
        declaration: r"\btimes?\b".to_string(),
        not_zoned_after: r"local\s+time".to_string(),
    };
    let options = Options {
        assume: Some("CET".to_string()),
    };
    let check = Timestamp::compile(&params, options).expect("compiles");
    let text = "At 9:00 UTC it began; at 6.15pm it ended, 20:00 local time.";
    let found = findings(&check, text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].message, "clock time `6.15pm` has no timezone");
    let suggestion = found[0].suggestion.as_ref().expect("a suggestion");
    assert_eq!(suggestion.replacement, " CET");
    assert_eq!(suggestion.applicability, Applicability::MachineApplicable);
    assert_eq!(&text[..suggestion.span.start], "At 9:00 UTC it began; at 6.15pm");
    assert!(
        found[1].suggestion.is_none(),
        "a time in local time gets no zone inserted"
    );
}
