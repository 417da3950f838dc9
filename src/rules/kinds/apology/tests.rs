//! The check on whole documents: the shared cache, organization names, team lexicons.

use super::*;
use crate::document::Document;
use crate::kind::{Audience, DocKind};
use crate::rules::kinds::SharedAnalysis;

fn run(check: &ApologyCheck, doc: &Document, organization: &[String], shared: &SharedAnalysis) -> Vec<Finding> {
    let cx = CheckContext {
        doc,
        kind: DocKind::IncidentReport,
        audience: Audience::Customers,
        organization,
        shared,
    };
    let mut out = Vec::new();
    check.check(&cx, &mut out);
    out
}

fn check(report: Report, classification: Option<ClassificationParams>) -> ApologyCheck {
    let params = Params {
        report,
        classification: classification.map(Box::new),
    };
    ApologyCheck::compile(&params, Options::default()).expect("compiles")
}

#[test]
fn both_rules_read_one_cached_classification() {
    let doc = Document::parse("t.md", "# Outage\n\nApologies for any trouble.\n".to_string());
    let shared = SharedAnalysis::default();
    let missing = run(&check(Report::Missing, None), &doc, &[], &shared);
    let cached = shared.apologies.get().expect("filled by the first rule").as_ptr();
    let hedged = run(&check(Report::Hedged, None), &doc, &[], &shared);
    assert_eq!(shared.apologies.get().expect("still filled").as_ptr(), cached);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].secondary[0].message, "this apology is hedged (CL401)");
    assert_eq!(hedged.len(), 1);
    assert_eq!(hedged[0].message, "apology is hedged by \"for any trouble\"");
    assert_eq!(doc.text(hedged[0].primary.span), "Apologies for any trouble");
}

#[test]
fn the_built_in_lexicon_in_a_rule_file_uses_the_shared_cache() {
    let doc = Document::parse("t.md", "# Outage\n\nSorry.\n".to_string());
    let shared = SharedAnalysis::default();
    run(&check(Report::Missing, Some(BUILTIN.0.clone())), &doc, &[], &shared);
    assert!(shared.apologies.get().is_some());
}

#[test]
fn a_team_lexicon_classifies_on_its_own_without_touching_the_cache() {
    let doc = Document::parse("t.md", "# Outage\n\nWe are contrite about the outage.\n".to_string());
    let mut own = BUILTIN.0.clone();
    own.keyword = r"\b(?:sorry|contrite)\b".to_string();
    let shared = SharedAnalysis::default();
    assert!(run(&check(Report::Missing, Some(own)), &doc, &[], &shared).is_empty());
    assert!(shared.apologies.get().is_none());
    assert_eq!(run(&check(Report::Missing, None), &doc, &[], &shared).len(), 1);
}

#[test]
fn organization_names_from_the_configuration_are_first_person() {
    let doc = Document::parse("t.md", "# Outage\n\nAcme apologizes for the outage.\n".to_string());
    let missing = check(Report::Missing, None);
    assert_eq!(run(&missing, &doc, &[], &SharedAnalysis::default()).len(), 1);
    assert!(run(&missing, &doc, &["Acme".to_string()], &SharedAnalysis::default()).is_empty());
}

#[test]
fn block_quoted_apologies_are_marked_as_relayed() {
    let doc = Document::parse(
        "t.md",
        "# Outage\n\n> We apologise to everyone.\n\nWe are sorry.\n".to_string(),
    );
    let shared = SharedAnalysis::default();
    let cx = CheckContext {
        doc: &doc,
        kind: DocKind::IncidentReport,
        audience: Audience::Customers,
        organization: &[],
        shared: &shared,
    };
    let quoted: Vec<bool> = document_apologies(&cx).iter().map(|a| a.in_quote).collect();
    assert_eq!(quoted, [true, false]);
    assert!(has_own_genuine(document_apologies(&cx)));
}

#[test]
fn an_empty_document_is_reported_at_its_start() {
    let doc = Document::parse("t.md", String::new());
    let found = run(&check(Report::Missing, None), &doc, &[], &SharedAnalysis::default());
    assert_eq!(found[0].primary.span, Span::empty(0));
    assert_eq!(found[0].primary.message, "announcement starts here");
}
