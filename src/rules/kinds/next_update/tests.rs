//! Resolution, next-update statements and their times, on the built-in rule file.

use super::*;
use crate::rules::kinds::CheckSpec;
use std::sync::LazyLock;

static RULE: LazyLock<NextUpdate> = LazyLock::new(|| {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "missing-next-update")
        .expect("built-in missing-next-update");
    match &def.check {
        CheckSpec::NextUpdate(params) => NextUpdate::compile(params, Options::default()).expect("compiles"),
        _ => panic!("missing-next-update is a next-update rule"),
    }
});

/// The verdict on a document, with the spans turned into their text.
fn verdict(text: &str) -> (&'static str, Vec<String>) {
    let d = Document::parse("t.md", text.to_string());
    match RULE.assess(&d) {
        Verdict::Resolved(s) => ("resolved", vec![d.text(s).to_string()]),
        Verdict::Timed(s) => ("timed", vec![d.text(s).to_string()]),
        Verdict::Timeless(v) => ("timeless", v.into_iter().map(|s| d.text(s).to_string()).collect()),
        Verdict::Missing => ("missing", Vec::new()),
    }
}

fn kind_of(text: &str) -> &'static str {
    verdict(text).0
}

#[test]
fn resolution_is_stated_in_a_sentence_a_heading_or_a_bold_label() {
    assert_eq!(kind_of("# Logins\n\nThe issue has been resolved.\n"), "resolved");
    assert_eq!(kind_of("# Logins\n\nAll systems are operational.\n"), "resolved");
    assert_eq!(kind_of("# Logins\n\n## Resolved\n\nLogins work.\n"), "resolved");
    assert_eq!(kind_of("# Logins\n\n**Resolved** - logins work.\n"), "resolved");
    assert_eq!(kind_of("# Logins\n\n__Completed:__ the migration.\n"), "resolved");
    assert_eq!(
        kind_of("---\ntitle: \"[Resolved] Logins\"\n---\n\nLogins work.\n"),
        "resolved"
    );
    assert_eq!(kind_of("# Login incident resolved\n\nAll good.\n"), "resolved");
}

#[test]
fn a_resolution_inside_a_condition_or_negated_does_not_count() {
    assert_eq!(
        kind_of("# Logins\n\nWe will post updates until the issue is resolved.\n"),
        "timeless"
    );
    assert_eq!(kind_of("# Logins\n\nWe expect this to be fixed soon.\n"), "missing");
    assert_eq!(kind_of("# Logins\n\nThe issue has not been resolved yet.\n"), "missing");
    assert_eq!(kind_of("# Logins\n\n## Unresolved questions\n\nMany.\n"), "missing");
}

#[test]
fn a_statement_has_a_time_when_its_sentence_has_a_clock_time_date_or_duration() {
    for text in [
        "Next update by 14:30 UTC.",
        "Next update at 2pm.",
        "We will post another update within 30 minutes.",
        "We will keep you posted every 30 minutes.",
        "We will share more updates hourly.",
        "Next update in about an hour.",
        "Next update on Tuesday.",
        "Next update on 4 March.",
        "We will update this page within the hour.",
    ] {
        assert_eq!(
            kind_of(&format!("# Logins\n\nWe are investigating. {text}\n")),
            "timed",
            "{text}"
        );
    }
}

#[test]
fn statements_without_a_time_are_each_reported_unless_one_has_a_time() {
    let (kind, spans) = verdict("# Logins\n\nWe will keep you posted. Next update soon.\n");
    assert_eq!(kind, "timeless");
    assert_eq!(spans, ["We will keep you posted.", "Next update soon."]);
    assert_eq!(
        kind_of("# Logins\n\nWe will keep you posted. Next update at 15:00 UTC.\n"),
        "timed"
    );
}

#[test]
fn without_a_statement_the_document_is_missing_one() {
    assert_eq!(kind_of("# Logins\n\nWe are investigating failed logins.\n"), "missing");
    assert_eq!(kind_of("# Logins\n\nUpdates in the `next update` field.\n"), "missing");
}

#[test]
fn resolution_in_other_words() {
    assert_eq!(
        kind_of("# Logins\n\nThe login service has fully recovered.\n"),
        "resolved"
    );
    assert_eq!(
        kind_of("# Logins\n\nSign-in is working as expected again.\n"),
        "resolved"
    );
    assert_eq!(kind_of("# Logins\n\nWe've resolved the issue.\n"), "resolved");
    assert_eq!(
        kind_of("# Logins\n\nA fix is in place and we are monitoring the results.\n"),
        "missing"
    );
}
