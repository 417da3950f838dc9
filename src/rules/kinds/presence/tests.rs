//! Sentence- and heading-level behaviour of the three built-in presence rules, and the
//! options a configuration may give.

use super::*;

/// The three built-in rules, compiled once for all tests (debug-mode regex compilation is slow).
static RULES: std::sync::LazyLock<Vec<(&str, Presence)>> = std::sync::LazyLock::new(|| {
    ["missing-explanation", "missing-remediation", "missing-impact"]
        .into_iter()
        .map(|name| (name, Presence::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"))))
        .collect()
});

fn rule(name: &str) -> &'static Presence {
    &RULES
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a built-in presence rule")
        .1
}

fn counts(rule: &Presence, sentence: &str) -> bool {
    matches!(rule.judge_sentence(sentence), SentenceVerdict::Counts(_))
}

fn rejection(rule: &Presence, sentence: &str) -> Option<Rejection> {
    match rule.judge_sentence(sentence) {
        SentenceVerdict::Rejected(why, _) => Some(why),
        _ => None,
    }
}

#[test]
fn explanation_cues_and_not_cues() {
    let r = rule("missing-explanation");
    assert!(counts(r, "The outage was caused by an expired certificate."));
    assert!(counts(
        r,
        "Payments failed because a settings change removed our backup processor."
    ));
    assert!(counts(r, "Orders were delayed due to a backend server issue."));
    assert!(counts(r, "Because we value your trust, we publish this."));
    assert!(counts(r, "We traced the fault back to a bad config push."));
    assert!(counts(r, "The site will be offline for scheduled maintenance."));
    assert!(matches!(
        rejection(r, "The cause is still unknown."),
        Some(Rejection::NotCue(_))
    ));
    assert!(matches!(
        rejection(r, "We are investigating the cause of the errors."),
        Some(Rejection::NotCue(_))
    ));
    assert!(matches!(
        rejection(r, "We don't yet know what caused the delay, because logs are missing."),
        Some(Rejection::NotCue(_))
    ));
    assert!(!counts(r, "This happened to be a Monday."));
    assert_eq!(r.judge_sentence("Sign-in is back."), SentenceVerdict::NoCue);
}

#[test]
fn a_cause_followed_only_by_a_generic_noun_is_circular() {
    let r = rule("missing-explanation");
    for circular in [
        "Sign-in was unavailable due to an outage.",
        "Orders were delayed due to technical difficulties.",
        "Orders were delayed due to   technical    difficulties  .",
        "Logins failed due to an unexpected error, and we are sorry.",
        "This was caused by a temporary problem",
        "Mail was slow because of issues.",
    ] {
        assert_eq!(rejection(r, circular), Some(Rejection::NotFollowedBy), "{circular}");
    }
    assert!(counts(r, "Mail was slow due to an issue with our DNS records."));
    assert!(counts(r, "Mail was slow due to an outage at the database cluster."));
}

#[test]
fn circular_cause_label_covers_the_cue_and_its_filler() {
    let r = rule("missing-explanation");
    let text = "Sign-in failed due to an outage.";
    let SentenceVerdict::Rejected(_, at) = r.judge_sentence(text) else {
        panic!("not rejected");
    };
    assert_eq!(&text[at.start..at.end], "due to an outage.");
    let text = "Because of an issue, mail was late.";
    let SentenceVerdict::Rejected(_, at) = r.judge_sentence(text) else {
        panic!("not rejected");
    };
    assert_eq!(&text[at.start..at.end], "Because of an issue,");
}

#[test]
fn cause_inside_because_is_not_a_cue() {
    let r = rule("missing-explanation");
    assert_eq!(
        r.judge_sentence("Thanks, because is a word."),
        SentenceVerdict::Counts(Span::new(8, 15))
    );
    assert_eq!(r.judge_sentence("The causeway is closed."), SentenceVerdict::NoCue);
}

#[test]
fn remediation_cues_and_containment() {
    let r = rule("missing-remediation");
    assert!(counts(r, "We added a check that blocks unsigned releases."));
    assert!(counts(r, "To prevent a repeat, renewals now alert us 30 days ahead."));
    assert!(counts(r, "A fix for the race condition is deployed."));
    assert!(counts(r, "We increased the connection limit to 500."));
    assert!(counts(r, "We added regression tests for the parser."));
    assert!(counts(r, "Rate limits reduce the risk of a repeat."));
    assert!(counts(r, "This helps prevent similar failures."));
    assert_eq!(r.judge_sentence("We restarted the servers."), SentenceVerdict::NoCue);
    assert_eq!(
        r.judge_sentence("We fixed the misconfiguration and restarted."),
        SentenceVerdict::NoCue
    );
    assert_eq!(
        r.judge_sentence("The leaked keys were revoked."),
        SentenceVerdict::NoCue
    );
    assert_eq!(
        rejection(r, "We revoked the tokens to prevent further misuse."),
        Some(Rejection::UnlessAfter)
    );
    assert_eq!(
        rejection(r, "We rolled back the release to avoid further errors."),
        Some(Rejection::UnlessAfter)
    );
    // The containment verb must come earlier: after the cue it does not cancel it.
    assert!(counts(r, "To prevent this, the job no longer restarts on its own."));
    assert!(matches!(
        rejection(r, "We are working on a fix to prevent this."),
        Some(Rejection::NotCue(_))
    ));
    assert!(matches!(
        rejection(r, "We are evaluating added monitoring."),
        Some(Rejection::NotCue(_))
    ));
}

#[test]
fn impact_cues() {
    let r = rule("missing-impact");
    assert!(counts(r, "Customers in Europe could not place orders for 25 minutes."));
    assert!(counts(r, "No customer data was accessed."));
    assert!(counts(r, "Users couldn’t sign in."));
    assert!(counts(r, "The dashboard was   unavailable  ."));
    assert!(counts(r, "Builds in the EU region failed."));
    assert!(counts(r, "There was an outage lasting two hours."));
    assert!(!counts(r, "An issue occurred with our mail system."));
    assert!(!counts(r, "The site is working again."));
}

#[test]
fn headings_match_at_word_boundaries() {
    let explanation = rule("missing-explanation");
    assert!(explanation.heading_matches("root cause"));
    assert!(explanation.heading_matches("what happened and why"));
    assert!(explanation.heading_matches("lead-up"));
    assert!(!explanation.heading_matches("because"));
    assert!(!explanation.heading_matches("faults and tolerances"));
    let remediation = rule("missing-remediation");
    assert!(remediation.heading_matches("what we’re doing about it"));
    assert!(remediation.heading_matches("what we will do"));
    assert!(remediation.heading_matches("follow-up"));
    assert!(!remediation.heading_matches("timeline"));
    let impact = rule("missing-impact");
    assert!(impact.heading_matches("customer impact"));
    assert!(impact.heading_matches("am i affected"));
    assert!(!impact.heading_matches("impactful"));
}

fn params() -> Params {
    match &crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "missing-remediation")
        .expect("rule")
        .check
    {
        CheckSpec::Presence(p) => p.as_ref().clone(),
        _ => panic!("not presence"),
    }
}

fn options(toml_text: &str) -> Options {
    toml::from_str(toml_text).expect("options")
}

#[test]
fn options_extend_and_replace() {
    let extended = Presence::compile(&params(), options(r"extra-cues = ['increased the \w+ pool']")).unwrap();
    assert!(counts(&extended, "We increased the worker pool."));
    assert!(counts(&extended, "We added monitoring."));

    let replaced = Presence::compile(&params(), options("cues = ['new runbook']")).unwrap();
    assert!(counts(&replaced, "We wrote a new runbook."));
    assert!(!counts(&replaced, "We added monitoring."));
    assert!(!counts(&replaced, "To prevent this, we wrote docs."));

    let headings = Presence::compile(&params(), options("extra-headings = ['our promise']")).unwrap();
    assert!(headings.heading_matches("our promise to you"));
    assert!(headings.heading_matches("next steps"));
    let only = Presence::compile(&params(), options("headings = ['our promise']")).unwrap();
    assert!(!only.heading_matches("next steps"));

    let no_not_cues = Presence::compile(&params(), options("not-cues = []")).unwrap();
    assert!(counts(&no_not_cues, "We are evaluating added monitoring."));
    let longer = Presence::compile(&params(), options("min-section-words = 20")).unwrap();
    assert_eq!(longer.min_section_words, 20);
}

#[test]
fn an_invalid_pattern_names_the_option_and_the_pattern() {
    let err = Presence::compile(&params(), options("extra-cues = ['(unclosed']")).unwrap_err();
    assert!(err.contains("extra-cues") && err.contains("`(unclosed`"), "{err}");
    let err = Presence::compile(&params(), options("headings = ['a[']")).unwrap_err();
    assert!(err.contains("headings") && err.contains("`a[`"), "{err}");
}

#[test]
fn unknown_options_are_rejected() {
    assert!(toml::from_str::<Options>("extra-cue = ['x']").is_err());
}

fn assess(rule_name: &str, markdown: &str) -> (Document, Assessment) {
    let doc = Document::parse("test.md", markdown.to_string());
    let assessment = rule(rule_name).assess(&doc);
    (doc, assessment)
}

fn present_at(rule_name: &str, markdown: &str) -> Option<String> {
    match assess(rule_name, markdown) {
        (doc, Assessment::Present(at)) => Some(doc.text(at).to_string()),
        (_, Assessment::Absent(_)) => None,
    }
}

#[test]
fn a_matching_section_needs_enough_words_counting_subsections() {
    let long = "# T\n\n## Root cause\n\nA full disk stopped every write.\n";
    assert_eq!(present_at("missing-explanation", long).as_deref(), Some("Root cause"));
    let short = "# T\n\n## Root cause\n\nA full disk.\n\n## Timeline\n\nAt 10:00 a disk filled up.\n";
    let (doc, assessment) = assess("missing-explanation", short);
    let Assessment::Absent(near) = assessment else {
        panic!("present");
    };
    assert_eq!(near.len(), 1);
    assert_eq!(doc.text(near[0].span), "Root cause");
    assert_eq!(near[0].message, "this section has only 3 words");
    let nested = "# T\n\n## Root cause\n\n### Disk\n\nA full disk stopped every write.\n";
    assert_eq!(present_at("missing-explanation", nested).as_deref(), Some("Root cause"));
}

#[test]
fn the_title_heading_never_counts() {
    assert_eq!(
        present_at("missing-impact", "# Impact of the March outage\n\nAll is well.\n"),
        None
    );
}

#[test]
fn code_does_not_count_and_block_quotes_do() {
    let code = "# T\n\nIt broke.\n\n```\nfailed because the disk was full\n```\n\nIt works `because of the disk`.\n";
    assert_eq!(present_at("missing-explanation", code), None);
    let quote = "# T\n\nOur host wrote:\n\n> It failed because the disk was full.\n";
    assert_eq!(present_at("missing-explanation", quote).as_deref(), Some("because"));
}

#[test]
fn is_satisfied_answers_for_other_rules() {
    let remediation = rule("missing-remediation");
    let fixed = Document::parse("t.md", "# T\n\nWe added alerts for full disks.\n".to_string());
    let repaired = Document::parse("t.md", "# T\n\nWe restarted the database.\n".to_string());
    assert!(remediation.is_satisfied(&fixed));
    assert!(!remediation.is_satisfied(&repaired));
}

#[test]
fn near_misses_are_capped_and_in_source_order() {
    let text = "# T\n\nIt failed due to an issue. It failed due to an error. It failed due to a problem.\n\n\
                ## Cause\n\n## Impact\n\nAll is well now.\n";
    let (doc, Assessment::Absent(near)) = assess("missing-explanation", text) else {
        panic!("present");
    };
    let texts: Vec<_> = near.iter().map(|l| doc.text(l.span)).collect();
    assert_eq!(texts, ["due to an issue.", "due to an error.", "due to a problem."]);
}

#[test]
fn widened_language_keeps_its_limits() {
    let explanation = rule("missing-explanation");
    assert!(counts(
        explanation,
        "We discovered that a cleanup job deleted active sessions."
    ));
    assert!(counts(explanation, "The likely cause was a stale cache entry."));
    assert!(counts(explanation, "Builds were slow as the build cache had expired."));
    assert_eq!(
        explanation.judge_sentence("We apologise for the trouble this caused."),
        SentenceVerdict::NoCue
    );
    assert_eq!(
        explanation.judge_sentence("Jobs were stuck in the queue."),
        SentenceVerdict::NoCue
    );
    assert!(matches!(
        rejection(explanation, "The cause of the slowdown is still unknown."),
        Some(Rejection::NotCue(_))
    ));
    assert!(matches!(
        rejection(explanation, "It is not clear why, because the logs are gone."),
        Some(Rejection::NotCue(_))
    ));

    let impact = rule("missing-impact");
    assert_eq!(
        impact.judge_sentence("Next update in about 30 minutes."),
        SentenceVerdict::NoCue
    );
    assert_eq!(
        impact.judge_sentence("We will post an update within 30 minutes."),
        SentenceVerdict::NoCue
    );
    assert!(counts(impact, "The migration will take about 2 hours."));
    assert!(counts(impact, "The API is currently unavailable."));
    assert!(matches!(
        rejection(impact, "We are assessing the impact of this incident."),
        Some(Rejection::NotCue(_))
    ));

    let remediation = rule("missing-remediation");
    assert_eq!(
        remediation.judge_sentence("We have implemented a workaround."),
        SentenceVerdict::NoCue
    );
    assert_eq!(
        remediation.judge_sentence("We introduced a regression last week."),
        SentenceVerdict::NoCue
    );
    assert!(counts(
        remediation,
        "The vulnerability has been fixed in all supported versions."
    ));
    assert!(counts(remediation, "We will no longer deploy on Fridays."));
    assert!(matches!(
        rejection(remediation, "The bug has not been fixed yet."),
        Some(Rejection::NotCue(_))
    ));
    assert!(matches!(
        rejection(remediation, "We recommend that you add two-factor checks."),
        Some(Rejection::NotCue(_))
    ));
}

#[test]
fn a_labelled_not_cue_brings_its_own_label() {
    let r = rule("missing-remediation");
    let SentenceVerdict::Rejected(why, _) = r.judge_sentence("We recommend that you rotate your keys.") else {
        panic!("not rejected");
    };
    assert_eq!(r.rejection_label(why), "advice for readers, not a change of ours");
    let SentenceVerdict::Rejected(why, _) = r.judge_sentence("We are evaluating options.") else {
        panic!("not rejected");
    };
    assert_eq!(r.rejection_label(why), "an intention, not yet a change");
}
