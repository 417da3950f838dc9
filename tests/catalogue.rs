//! Meta-tests over the rule catalogue: unique names and codes, documentation headings,
//! message style, fixtures for every rule, and every `[[examples]]` entry behaving as it says.

mod common;

use crisislint::rules::builtin_defs;
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn names_and_codes_are_unique_and_well_formed() {
    let defs = builtin_defs();
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for def in &defs {
        assert!(names.insert(def.name.clone()), "duplicate name {}", def.name);
        assert!(codes.insert(def.code.clone()), "duplicate code {}", def.code);
        assert!(
            def.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: name is not kebab-case",
            def.name
        );
        assert!(
            def.code.len() == 5 && def.code.starts_with("CL"),
            "{}: code {} is not CLnnn",
            def.name,
            def.code
        );
    }
}

#[test]
fn every_builtin_pattern_compiles_eagerly() {
    // Settings defer compiling built-in patterns to first use; this is what makes that safe.
    for def in builtin_defs() {
        if let Err(e) = def.check.compile(None) {
            panic!("{}: {e}", def.name);
        }
    }
}

#[test]
fn every_rule_is_documented_under_the_fixed_headings() {
    for def in builtin_defs() {
        for heading in ["## What it does", "## Why is this bad", "## Example"] {
            assert!(def.docs.contains(heading), "{}: docs lack `{heading}`", def.name);
        }
        assert!(
            def.summary.starts_with(|c: char| c.is_lowercase())
                && !def.summary.ends_with('.')
                && !def.summary.contains('\n'),
            "{}: summary must be one line, lowercase start, no final period",
            def.name
        );
    }
}

#[test]
fn every_rule_has_a_must_fire_and_a_must_not_fire_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for def in builtin_defs().iter().filter(|d| d.name != "internal-error") {
        let dir = root.join(&def.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{}: no fixtures/{}/", def.name, def.name))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("bad-") && n.ends_with(".md")),
            "{}: no bad-*.md fixture",
            def.name
        );
        assert!(
            names.iter().any(|n| n.starts_with("ok-") && n.ends_with(".md")),
            "{}: no ok-*.md fixture",
            def.name
        );
    }
}

#[test]
fn every_example_behaves_as_it_says() {
    let mut failures = Vec::new();
    for def in builtin_defs() {
        for example in &def.examples {
            let found = common::lint(&example.text, example.kind, example.audience)
                .into_iter()
                .filter(|d| d.rule == def.name)
                .collect::<Vec<_>>();
            if found.len() != example.findings {
                failures.push(format!(
                    "{}: expected {} finding(s), got {} in {:?}\n{}",
                    def.name,
                    example.findings,
                    found.len(),
                    example.text,
                    common::render(&example.text, &found)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn messages_start_lowercase_without_a_final_period() {
    let mut failures = Vec::new();
    for def in builtin_defs() {
        for example in &def.examples {
            for d in common::lint(&example.text, example.kind, example.audience) {
                let first = d.message.chars().next().unwrap_or(' ');
                if first.is_uppercase() || d.message.ends_with('.') {
                    failures.push(format!("{}: message {:?}", d.rule, d.message));
                }
                if d.help.as_deref().is_some_and(|h| h.ends_with('.')) {
                    failures.push(format!("{}: help ends with a period: {:?}", d.rule, d.help));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
