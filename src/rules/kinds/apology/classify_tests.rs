//! The classification on plain sentences, with the built-in lexicon of `missing-apology.toml`.

use super::super::BUILTIN;
use super::{ApologyClass, Reason};

const GENUINE: ApologyClass = ApologyClass::Genuine;
const HEDGED: ApologyClass = ApologyClass::Hedged;

fn not(reason: Reason) -> ApologyClass {
    ApologyClass::NotAnApology(reason)
}

fn classes_with(text: &str, in_heading: bool, organization: &[&str]) -> Vec<ApologyClass> {
    let organization: Vec<String> = organization.iter().map(|s| s.to_string()).collect();
    BUILTIN
        .1
        .classify_sentence(text, in_heading, &organization)
        .into_iter()
        .map(|c| c.class)
        .collect()
}

fn classes(text: &str) -> Vec<ApologyClass> {
    classes_with(text, false, &[])
}

fn hedge(text: &str) -> Option<&str> {
    let found = BUILTIN.1.classify_sentence(text, false, &[]);
    found.first().and_then(|c| c.hedge).map(|(s, e)| &text[s..e])
}

#[test]
fn first_person_apologies_are_genuine() {
    assert_eq!(classes("We're sorry that invoices went out twice."), [GENUINE]);
    assert_eq!(classes("We’re sorry that invoices went out twice."), [GENUINE]);
    assert_eq!(classes("I apologise for the outage."), [GENUINE]);
    assert_eq!(classes("We regret the disruption this caused."), [GENUINE]);
    assert_eq!(classes("Please accept our apologies."), [GENUINE]);
    assert_eq!(classes("Please accept my sincere apologies."), [GENUINE]);
    assert_eq!(classes("Let us apologize once more."), [GENUINE]);
}

#[test]
fn sentence_opening_apologies_are_genuine() {
    assert_eq!(classes("Sorry for the trouble."), [GENUINE]);
    assert_eq!(classes("Apologies, this was our fault."), [GENUINE]);
    assert_eq!(classes("Once again, sorry about the delays."), [GENUINE]);
    assert_eq!(classes("Sincere apologies to all of you."), [GENUINE]);
    assert_eq!(classes("The export broke, sorry about that."), [GENUINE]);
    assert_eq!(classes("Thanks for your patience and sorry for the delay."), [GENUINE]);
    assert_eq!(classes("The vendor paused and apologized."), [not(Reason::ThirdPerson)]);
}

#[test]
fn wishing_to_apologize_is_genuine() {
    assert_eq!(
        classes("We'd like to take this opportunity to sincerely apologize"),
        [GENUINE]
    );
    assert_eq!(classes("I want to apologize to every customer."), [GENUINE]);
    assert_eq!(classes("We cannot apologize enough."), [GENUINE]);
}

#[test]
fn negated_keywords_are_not_apologies() {
    assert_eq!(classes("We are not sorry we paused signups."), [not(Reason::Negated)]);
    assert_eq!(classes("We aren’t sorry about that."), [not(Reason::Negated)]);
    assert_eq!(classes("We owe no apology for the pause."), [not(Reason::Negated)]);
    assert_eq!(
        classes("We won't apologize for protecting accounts."),
        [not(Reason::Negated)]
    );
    assert_eq!(classes("We do not apologise for that."), [not(Reason::Negated)]);
}

#[test]
fn the_news_formula_is_not_an_apology() {
    assert_eq!(
        classes("We're sorry to announce that the beta ends in May."),
        [not(Reason::NewsFormula)]
    );
    assert_eq!(
        classes("We regret to inform you of a breach."),
        [not(Reason::NewsFormula)]
    );
}

#[test]
fn someone_else_apologizing_is_not_an_apology() {
    assert_eq!(
        classes("Our card processor apologised to us."),
        [not(Reason::ThirdPerson)]
    );
    assert_eq!(
        classes("The provider apologized for the outage."),
        [not(Reason::ThirdPerson)]
    );
    assert_eq!(classes("It is with regret that we write."), [not(Reason::ThirdPerson)]);
    assert_eq!(
        classes("We restored service; the vendor has apologized."),
        [not(Reason::ThirdPerson)]
    );
    assert_eq!(
        classes("We restored service, but the vendor has apologized."),
        [not(Reason::ThirdPerson)]
    );
}

#[test]
fn quoted_apologies_after_a_reporting_word_are_not_apologies() {
    assert!(matches!(
        classes(r#"The vendor said "sorry for the delay"."#)[..],
        [ApologyClass::NotAnApology(_)]
    ));
    assert_eq!(
        classes(r#"We got a note that said "sorry for the delay"."#),
        [not(Reason::Quoted)]
    );
    assert_eq!(classes("We were told “sorry, it is fixed”."), [not(Reason::Quoted)]);
    assert_eq!(classes(r#"We wrote "update" and we apologize."#), [GENUINE]);
}

#[test]
fn future_and_policy_apologies_are_not_apologies() {
    assert_eq!(
        classes("We will apologize to each customer."),
        [not(Reason::FutureOrPolicy)]
    );
    assert_eq!(classes("We'll personally apologize."), [not(Reason::FutureOrPolicy)]);
    assert_eq!(
        classes("We plan to apologize in person."),
        [not(Reason::FutureOrPolicy)]
    );
    assert_eq!(
        classes("We should have apologized sooner."),
        [not(Reason::FutureOrPolicy)]
    );
}

#[test]
fn organization_names_count_as_first_person() {
    assert_eq!(
        classes_with("Acme apologizes for the outage.", false, &["Acme"]),
        [GENUINE]
    );
    assert_eq!(
        classes_with("Acmecorp apologizes for the outage.", false, &["Acme"]),
        [not(Reason::ThirdPerson)]
    );
    assert_eq!(classes("Acme apologizes for the outage."), [not(Reason::ThirdPerson)]);
}

#[test]
fn first_person_before_another_subject_does_not_count() {
    assert_eq!(
        classes("Our provider told us they were sorry."),
        [not(Reason::ThirdPerson)]
    );
    assert_eq!(classes("They waited for hours and we are sorry."), [GENUINE]);
}

#[test]
fn hedged_apologies_name_their_hedge() {
    assert_eq!(classes("Apologies for any trouble."), [HEDGED]);
    assert_eq!(hedge("Apologies for any inconvenience."), Some("for any inconvenience"));
    assert_eq!(hedge("Sorry if this caused trouble."), Some("if this"));
    assert_eq!(
        hedge("We're sorry for the disruption this may have caused."),
        Some("may have caused")
    );
    assert_eq!(hedge("If you were affected, we are sorry."), Some("If you"));
    assert_eq!(hedge("We regret any inconvenience."), Some("any inconvenience"));
    assert_eq!(hedge("Sorry for the disruption this may cause."), Some("may cause"));
    assert_eq!(
        hedge("We apologize for the potential impact."),
        Some("potential impact")
    );
}

#[test]
fn hedges_outside_the_clause_or_contact_formulas_do_not_hedge() {
    assert_eq!(
        classes("We are sorry for the outage; if you were charged twice, write to us."),
        [GENUINE]
    );
    assert_eq!(
        classes("We apologize, and if you have any questions, contact support."),
        [GENUINE]
    );
    assert_eq!(classes("We apologize for the inconvenience."), [GENUINE]);
    assert_eq!(
        classes("We are sorry for the outage and will post an update if it recurs."),
        [GENUINE]
    );
    assert_eq!(
        hedge("We apologize for any delay and will update you if it recurs."),
        Some("for any delay")
    );
    assert_eq!(
        classes("We apologize for the lost orders for any merchant affected."),
        [GENUINE]
    );
    assert_eq!(
        classes("We're sorry for the outage and any disruption to your builds."),
        [GENUINE]
    );
    assert_eq!(
        hedge("We're sorry for the outage and any disruption it may have caused."),
        Some("may have caused")
    );
    assert_eq!(
        hedge("Sorry for any users who may have been affected."),
        Some("may have been")
    );
}

#[test]
fn headings_need_first_person_or_an_object() {
    assert_eq!(classes_with("Apology", true, &[]), [not(Reason::SectionLabel)]);
    assert_eq!(
        classes_with("Apologies and next steps", true, &[]),
        [not(Reason::SectionLabel)]
    );
    assert_eq!(classes_with("Our apologies", true, &[]), [GENUINE]);
    assert_eq!(classes_with("Sorry for yesterday's outage", true, &[]), [GENUINE]);
}

#[test]
fn sentences_without_keywords_have_no_apology() {
    assert!(classes("Unfortunately, the sync failed.").is_empty());
    assert!(classes("Regrettably, the sync failed.").is_empty());
}

/// The word index rules a sentence out only when it holds no keyword, in any case or form,
/// and answers only inside the indexed document.
#[test]
fn the_word_index_rules_out_only_sentences_without_a_keyword() {
    use crate::document::Document;
    use crate::rules::kinds::pattern_set::with_document;
    let source = "# Outage\n\nWe APOLOGISE for this. Logins failed. Sorry! We regret it. The apology \
                  stands; our apologies too. Nothing here. Not sorry, they said. We apologized.\n\n\
                  Dogs, sorrel and apologists: none of these. Regrettably it broke.\n";
    let doc = Document::parse("a.md", source.to_string());
    let classifier = &BUILTIN.1;
    let mut kept = 0;
    let mut ruled_out = Vec::new();
    with_document(&doc.mask, || {
        let mut keywords = classifier.keyword_filter();
        for sentence in &doc.sentences {
            let text = doc.prose(sentence.span());
            let found = classifier.classify_sentence(text, false, &[]);
            if keywords.may_hold(text) {
                kept += 1;
            } else {
                assert!(found.is_empty(), "{text:?} holds {found:?}");
                ruled_out.push(text);
            }
        }
        // A text that is not part of the document is not answered for.
        assert!(ruled_out.contains(&"Logins failed."), "{ruled_out:?}");
        assert!(classifier.keyword_filter().may_hold("Logins failed."));
    });
    assert!(
        ruled_out.len() >= 2 && kept >= 6,
        "kept {kept}, ruled out {ruled_out:?}"
    );
    // Without an indexed document, no text is ruled out.
    let mut keywords = classifier.keyword_filter();
    assert!(ruled_out.iter().all(|text| keywords.may_hold(text)));
}
