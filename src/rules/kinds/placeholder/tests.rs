//! Placeholders in prose, titles and inline HTML, on the built-in rule file.

use super::*;
use crate::rules::kinds::CheckSpec;
use std::sync::LazyLock;

fn compile(options: Options) -> Placeholder {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "template-placeholder")
        .expect("built-in template-placeholder");
    match &def.check {
        CheckSpec::Placeholder(params) => Placeholder::compile(params, options).expect("compiles"),
        _ => panic!("template-placeholder is a placeholder rule"),
    }
}

static RULE: LazyLock<Placeholder> = LazyLock::new(|| compile(Options::default()));

fn found_with(rule: &Placeholder, text: &str) -> Vec<String> {
    let d = Document::parse("t.md", text.to_string());
    rule.find(&d).into_iter().map(|s| d.text(s).to_string()).collect()
}

fn found(text: &str) -> Vec<String> {
    found_with(&RULE, text)
}

#[test]
fn marker_words_are_whole_words_in_capitals() {
    assert_eq!(
        found("Between [TIME] and [TIME], TODO.\n"),
        ["[TIME]", "[TIME]", "TODO"]
    );
    assert_eq!(found("Root cause: TBD. Owner: FIXME, XXX.\n"), ["TBD", "FIXME", "XXX"]);
    assert!(found("We have a todo list and a TODOs page; tbd later; card XXXX.\n").is_empty());
}

#[test]
fn code_comments_and_links_are_not_prose() {
    assert!(found("Search for `TODO` in the code.\n").is_empty());
    assert!(found("```\nTODO: fix\n```\n").is_empty());
    assert!(found("Fixed. <!-- TODO: add numbers -->\n").is_empty());
    assert!(found("See [STATUS](https://example.com/status) and [status](https://example.com).\n").is_empty());
    assert!(found("See [DOCS].\n\n[DOCS]: https://example.com/docs\n").is_empty());
}

#[test]
fn brackets_insert_and_lorem_ipsum() {
    assert_eq!(found("Affected: [insert region here].\n"), ["[insert region here]"]);
    assert_eq!(found("Signed, [CUSTOMER NAME].\n"), ["[CUSTOMER NAME]"]);
    assert_eq!(found("Signed, [your name].\n"), ["[your name]"]);
    assert_eq!(found("Lorem\nipsum dolor sit amet.\n"), ["Lorem\nipsum"]);
    assert!(found("[RESOLVED] Logins work. [A] and [CVE-2024-1234] stay.\n").is_empty());
}

#[test]
fn inline_tags_that_are_no_html_element() {
    assert_eq!(found("Thanks, <component name>.\n"), ["<component name>"]);
    assert_eq!(found("It began at <start time> and ended.\n"), ["<start time>"]);
    assert!(found("Line one<br>line two, <b>bold</b>, <a href=\"x\">link</a>.\n").is_empty());
    assert!(found("Write to <help@example.com> or <https://example.com>.\n").is_empty());
    assert!(found("Use `<placeholder>` in code.\n").is_empty());
    assert!(found("See [x](<my page.html>).\n").is_empty());
    assert!(found("It returned Option<Token> instead.\n").is_empty());
}

#[test]
fn allowed_tags_are_the_teams_components() {
    let rule = compile(Options {
        allow_tags: vec!["Callout".to_string()],
        ..Options::default()
    });
    assert!(found_with(&rule, "Note: <Callout kind> here.\n").is_empty());
    assert_eq!(found("Note: <Callout kind> here.\n"), ["<Callout kind>"]);
}

#[test]
fn placeholder_clocks_and_titles() {
    assert_eq!(found("It started at 22:XX UTC.\n"), ["22:XX"]);
    assert_eq!(found("It started at XX:XX UTC.\n"), ["XX:XX"]);
    assert_eq!(found("---\ntitle: \"Outage on [DATE]\"\n---\n\nText.\n"), ["[DATE]"]);
}

#[test]
fn overlapping_matches_are_reported_once() {
    assert_eq!(found("Region: [insert TODO].\n"), ["[insert TODO]"]);
}
