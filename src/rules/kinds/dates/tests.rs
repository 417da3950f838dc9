//! The date rules on whole documents, with their built-in rule files: the shared cache and the
//! cases the fixtures do not show one by one.

use crate::diagnostic::Finding;
use crate::document::Document;
use crate::kind::Audience;
use crate::rules::kinds::{Check, SharedAnalysis};

/// The built-in rule `name`, compiled without options.
pub(crate) fn builtin(name: &str) -> Box<dyn Check> {
    let def = crate::rules::builtin_defs()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no built-in rule {name}"));
    def.check.compile(None).expect("compiles")
}

pub(crate) fn run(check: &dyn Check, doc: &Document, shared: &SharedAnalysis) -> Vec<Finding> {
    crate::rules::kinds::run_check_on(check, doc, Audience::Customers, shared)
}

/// The text of each finding of rule `name` in `text`.
fn found(name: &str, text: &str) -> Vec<String> {
    let doc = Document::parse("test.md", text.to_string());
    run(builtin(name).as_ref(), &doc, &SharedAnalysis::default())
        .iter()
        .map(|f| text[f.primary.span.start..f.primary.span.end].to_string())
        .collect()
}

#[test]
fn the_three_date_rules_read_one_cached_scan() {
    let doc = Document::parse(
        "test.md",
        "# Outage on 3 May\n\nSince 6/7 it fails. It failed yesterday.\n".to_string(),
    );
    let shared = SharedAnalysis::default();
    assert_eq!(run(builtin("missing-year").as_ref(), &doc, &shared).len(), 1);
    let cached = shared.dates.get().expect("filled by the first rule").as_ptr();
    assert_eq!(run(builtin("ambiguous-date").as_ref(), &doc, &shared).len(), 1);
    assert_eq!(run(builtin("relative-date").as_ref(), &doc, &shared).len(), 1);
    assert_eq!(shared.dates.get().expect("still filled").as_ptr(), cached);
}

#[test]
fn a_relative_word_is_dated_by_any_date_in_its_unit() {
    assert!(found("relative-date", "- Yesterday (2024-03-04) the queue stalled.\n").is_empty());
    assert!(found("relative-date", "| Tuesday | 4 March | stalled |\n|---|---|---|\n").is_empty());
    assert!(found("relative-date", "On Tuesday 6/7 the queue stalled.\n").is_empty());
    assert_eq!(
        found("relative-date", "On Tuesday the queue stalled. It was 4 March.\n"),
        ["Tuesday"]
    );
}

#[test]
fn weekday_exceptions_look_only_at_their_neighbours() {
    assert_eq!(
        found(
            "relative-date",
            "Backups run every Monday, but on Friday they failed.\n"
        ),
        ["Friday"]
    );
    assert_eq!(
        found("relative-date", "Monday–Friday support; the Sunday release broke it.\n"),
        ["Sunday"]
    );
    assert!(found("relative-date", "Mondays and Tuesdays are busy. on monday we rest.\n").is_empty());
}

#[test]
fn only_the_first_date_decides_a_missing_year() {
    assert_eq!(
        found(
            "missing-year",
            "On 3 May the cache failed. On 4 May 2024 it recovered.\n"
        ),
        ["3 May"]
    );
    assert!(found(
        "missing-year",
        "On 3 May 2024 the cache failed; on 4 May it recovered.\n"
    )
    .is_empty());
    assert!(found("missing-year", "The 2024 review: on 3 May the cache failed.\n").is_empty());
    // A yearless numeric date is not a first mention; the named date after it is.
    assert_eq!(
        found("missing-year", "Since 6/7 and again on 9 July, logins fail.\n"),
        ["9 July"]
    );
}

#[test]
fn a_pelican_title_is_read_first() {
    let text = "Title: Outage on 3 May\nDate: soon\n\nThe cache failed on 4 May 2024.\n";
    assert_eq!(found("missing-year", text), ["3 May"]);
}

#[test]
fn an_ambiguous_date_without_a_year_gets_no_suggestion() {
    let text = "Payouts due on 25/03/2024 and since 6/7 were late.\n";
    let doc = Document::parse("test.md", text.to_string());
    let findings = run(builtin("ambiguous-date").as_ref(), &doc, &SharedAnalysis::default());
    assert_eq!(findings.len(), 1);
    assert!(findings[0].suggestion.is_none());
}
