//! Class 4 and the configuration: third parties and organization names.

use super::*;
use crate::document::Document;
use crate::kind::{Audience, DocKind};
use crate::rules::kinds::SharedAnalysis;

fn run(text: &str, options: &str, organization: &[String]) -> Vec<String> {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "blame-shifting")
        .unwrap();
    let options: toml::Value = toml::from_str(options).unwrap();
    let check = def.check.compile(Some(&options)).unwrap();
    let doc = Document::parse("t.md", text.to_string());
    let shared = SharedAnalysis::default();
    let cx = CheckContext {
        doc: &doc,
        kind: DocKind::IncidentReport,
        audience: Audience::Customers,
        organization,
        shared: &shared,
    };
    let mut out = Vec::new();
    check.check(&cx, &mut out);
    out.iter().map(|f| f.message.clone()).collect()
}

#[test]
fn configured_third_parties_are_providers() {
    let text = "# Outage\n\nA failure at Cloudflare took the site down.\n";
    assert!(run(text, "", &[]).is_empty());
    assert_eq!(
        run(text, "third-parties = ['Cloudflare']", &[]),
        ["blames a third party and owns no part of the failure"]
    );
}

#[test]
fn ownership_anywhere_silences_class_four_only() {
    let owned = "# Outage\n\nA failure at our hosting provider took the site down. We failed to notice it.\n";
    assert!(run(owned, "", &[]).is_empty());
    let disclaimer = "# Outage\n\nIt was beyond our control. We failed to notice it.\n";
    assert_eq!(run(disclaimer, "", &[]), ["disclaims responsibility"]);
}

#[test]
fn organization_names_stand_for_us() {
    let text = "# Outage\n\nThis was not a malfunction of Acme Cloud but of the reader's router.\n";
    assert!(run(text, "", &[]).is_empty());
    assert_eq!(run(text, "", &["Acme Cloud".to_string()]), ["disclaims responsibility"]);
}

#[test]
fn admissions_are_shared_with_passive_evasion() {
    assert!(admits("we should have caught it"));
    assert!(!admits("the vendor should have caught it"));
}

#[test]
fn an_unknown_option_is_an_error() {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "blame-shifting")
        .unwrap();
    let options: toml::Value = toml::from_str("third-party = ['X']").unwrap();
    assert!(def.check.compile(Some(&options)).is_err());
}
