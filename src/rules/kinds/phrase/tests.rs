//! The language tests of the phrase scanner on plain sentences, and the check on documents.

use super::scan::{quoted_spans, Class, Negation, Scanner, DEFAULT_CLAUSE_BREAKS};
use super::*;
use crate::document::Document;
use crate::kind::{Audience, DocKind};
use crate::rules::kinds::SharedAnalysis;

fn class(patterns: &[&str]) -> ClassParams {
    ClassParams {
        name: "test".to_string(),
        message: "\"{phrase}\" is wrong".to_string(),
        patterns: patterns.iter().map(|p| p.to_string()).collect(),
        then_in_clause: None,
        clause_initial: None,
        negatable: true,
        not_followed_by: Vec::new(),
        not_preceded_by: Vec::new(),
        suggestions: Vec::new(),
    }
}

fn scanner(params: ClassParams, hedges: &[&str]) -> Scanner {
    Scanner::new(
        vec![Class::compile(&params).unwrap()],
        Some(
            Negation::compile(&NegationParams {
                words: "not|no".to_string(),
                within: 3,
            })
            .unwrap(),
        ),
        PatternSet::compile(hedges, compile_bounded).unwrap(),
        PatternSet::default(),
        compile_regex(DEFAULT_CLAUSE_BREAKS).unwrap(),
    )
}

fn phrases(scanner: &Scanner, text: &str) -> Vec<String> {
    scanner
        .hits(text, || quoted_spans(text), &["Acme Cloud".to_string()])
        .iter()
        .map(|h| text[h.start..h.end].to_string())
        .collect()
}

#[test]
fn a_negator_reaches_three_words_but_not_across_a_comma() {
    let s = scanner(class(&["human error"]), &[]);
    assert!(phrases(&s, "It was not the result of human error.").is_empty());
    assert_eq!(
        phrases(&s, "It was not seen in time and human error followed."),
        ["human error"]
    );
    assert_eq!(phrases(&s, "There was no outage, but human error."), ["human error"]);
}

#[test]
fn a_hedge_counts_only_before_the_trigger_in_its_clause() {
    let s = scanner(class(&["will stop this"]), &["should"]);
    assert!(phrases(&s, "This should mean it will stop this.").is_empty());
    assert_eq!(phrases(&s, "It should work; it will stop this."), ["will stop this"]);
    assert_eq!(phrases(&s, "It will stop this, as it should."), ["will stop this"]);
}

#[test]
fn overlapping_triggers_make_one_phrase_and_quotes_are_skipped() {
    let s = scanner(class(&["only a small", "a small number of"]), &[]);
    assert_eq!(phrases(&s, "Only a small number of users."), ["Only a small number of"]);
    assert!(phrases(&s, "They called it \"a small number of users\".").is_empty());
    assert!(phrases(&s, "They called it “a small number of users”.").is_empty());
}

#[test]
fn a_phrase_may_end_in_a_symbol_but_not_inside_a_word() {
    let s = scanner(class(&[r"only \d+ ?%", "blips?"]), &[]);
    assert_eq!(phrases(&s, "Only 2% of users saw blips."), ["Only 2%", "blips"]);
    assert!(phrases(&s, "The blipping light.").is_empty());
}

#[test]
fn then_in_clause_extends_the_phrase_and_is_required() {
    let mut params = class(&["will make sure (this|it)"]);
    params.then_in_clause = Some("(never|not)( \\w+)?( again)?".to_string());
    let s = scanner(params, &[]);
    assert_eq!(
        phrases(&s, "We will make sure this never happens again."),
        ["will make sure this never happens again"]
    );
    assert!(phrases(&s, "We will make sure it works; it is not easy.").is_empty());
}

#[test]
fn clause_initial_allows_only_the_listed_words_before() {
    let mut params = class(&["errors occurred"]);
    params.clause_initial = Some("some|a few".to_string());
    let s = scanner(params, &[]);
    assert_eq!(phrases(&s, "Some errors occurred."), ["errors occurred"]);
    assert_eq!(phrases(&s, "Later on, errors occurred."), ["errors occurred"]);
    assert!(phrases(&s, "502 errors occurred.").is_empty());
}

#[test]
fn a_trigger_group_and_an_organization_slot() {
    let s = scanner(
        class(&[
            "(we|it) (?P<t>guarantees?)",
            r"not an issue with (?P<org>[\w.-]+( [\w.-]+){0,2}?)\b",
        ]),
        &[],
    );
    assert_eq!(phrases(&s, "It guarantees it."), ["guarantees"]);
    assert!(phrases(&s, "We do not guarantee it; we guarantee nothing.").len() == 1);
    assert_eq!(
        phrases(&s, "It was not an issue with Acme Cloud."),
        ["not an issue with Acme Cloud"]
    );
    assert!(phrases(&s, "It was not an issue with the disk.").is_empty());
}

fn run(text: &str, rule: &str, kind: DocKind) -> Vec<Finding> {
    let def = crate::config::builtin_rules().iter().find(|d| d.name == rule).unwrap();
    let check = def.check.compile(None).unwrap();
    let doc = Document::parse("t.md", text.to_string());
    let shared = SharedAnalysis::default();
    let cx = CheckContext {
        doc: &doc,
        kind,
        audience: Audience::Customers,
        organization: &[],
        shared: &shared,
    };
    let mut out = Vec::new();
    check.check(&cx, &mut out);
    out
}

#[test]
fn significance_needs_thirty_minutes_and_ignores_negated_evidence() {
    let rule = "minimizing-language";
    let kind = DocKind::IncidentReport;
    assert!(run("# X\n\nDown for 20 minutes, a brief blip.\n", rule, kind).is_empty());
    let found = run("# X\n\nDown for 45 minutes, a brief blip.\n", rule, kind);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].secondary[0].span, Span::new(14, 24));
    assert!(run("# X\n\nNo data was lost; a brief blip.\n", rule, kind).is_empty());
    assert_eq!(
        run("# X\n\nA brief blip.\n", rule, DocKind::SecurityDisclosure).len(),
        1
    );
}

#[test]
fn allowed_phrases_from_the_configuration_are_not_reported() {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "minimizing-language")
        .unwrap();
    let options: toml::Value = toml::from_str("allow = ['Blip']").unwrap();
    let check = def.check.compile(Some(&options)).unwrap();
    let text = "# X\n\nData was leaked. Blip, our app, was down.\n";
    let (_, out) = crate::rules::kinds::run_check(&*check, text, Audience::Customers);
    assert!(out.is_empty(), "{out:?}");
    let bad: toml::Value = toml::from_str("alow = ['Blip']").unwrap();
    assert!(def.check.compile(Some(&bad)).is_err());
}

/// Quotation marks pair up as written, among other punctuation that starts with the same byte
/// (`’`, `—`, `…`) and text in other scripts; an unclosed quote runs to the end.
#[test]
fn quoted_spans_pair_quotation_marks_only() {
    let text = "It’s “a glitch” — they said \"fine\"… 漢字 “open “nested” ” and \"last";
    let quoted: Vec<&str> = quoted_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect();
    assert_eq!(quoted, ["a glitch", "fine", "open “nested", "last"]);
    assert!(quoted_spans("no quotes — none’s here").is_empty());
    assert_eq!(quoted_spans("”stray close“"), [(17, 17)]);
}
