//! Kind, audience and severity resolution (RULES.md §2, §7) and suppression comments (§1),
//! through the library API.

mod common;

use crisislint::config::{ConfigFile, Settings};
use crisislint::diagnostic::Severity;
use crisislint::engine::{lint_source, Overrides};
use crisislint::kind::DocKind;
use std::path::Path;

const NO_APOLOGY: &str = "# Checkout outage\n\nCheckout was down for 40 minutes because a disk filled up.\n";

fn settings(toml_text: &str) -> Settings {
    let file: ConfigFile = toml::from_str(toml_text).expect("test config parses");
    Settings::compile(Some(Path::new("crisislint.toml")), toml_text, file, Path::new("")).expect("test config compiles")
}

fn severities(settings: &Settings, overrides: &Overrides, path: &str, text: &str, rule: &str) -> Vec<Severity> {
    let report = lint_source(settings, overrides, path, Path::new(path), text.to_string());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.severity)
        .collect()
}

#[test]
fn severity_follows_the_kind_table() {
    let s = Settings::builtin();
    let o = Overrides::default();
    assert_eq!(
        severities(&s, &o, "a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Error]
    );
    let status = Overrides {
        kind: Some(DocKind::StatusUpdate),
        ..Overrides::default()
    };
    assert_eq!(
        severities(&s, &status, "a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Warning]
    );
    let pm = format!("---\ncrisislint: {{kind: postmortem}}\n---\n{NO_APOLOGY}");
    assert_eq!(severities(&s, &o, "a.md", &pm, "missing-apology"), [Severity::Info]);
}

#[test]
fn kind_comes_from_flag_then_front_matter_then_glob_then_default() {
    let s = settings(
        "default-kind = \"postmortem\"\n[[kind-globs]]\nglob = \"status/**/*.md\"\nkind = \"status-update\"\n",
    );
    let o = Overrides::default();
    assert_eq!(
        severities(&s, &o, "other/a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Info],
        "config default"
    );
    assert_eq!(
        severities(&s, &o, "status/2024/a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Warning],
        "glob"
    );
    let fm = format!("---\ncrisislint: {{kind: incident-report}}\n---\n{NO_APOLOGY}");
    assert_eq!(
        severities(&s, &o, "status/a.md", &fm, "missing-apology"),
        [Severity::Error],
        "front matter beats glob"
    );
    let flag = Overrides {
        kind: Some(DocKind::Postmortem),
        ..Overrides::default()
    };
    assert_eq!(
        severities(&s, &flag, "status/a.md", &fm, "missing-apology"),
        [Severity::Info],
        "flag beats all"
    );
}

#[test]
fn severity_tables_front_matter_disable_select_and_ignore_apply_in_order() {
    let s = settings("[severity]\nmissing-apology = \"info\"\n[severity.incident-report]\nCL101 = \"warning\"\n");
    let o = Overrides::default();
    assert_eq!(
        severities(&s, &o, "a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Warning],
        "per kind wins"
    );
    let pm = Overrides {
        kind: Some(DocKind::Postmortem),
        ..Overrides::default()
    };
    assert_eq!(
        severities(&s, &pm, "a.md", NO_APOLOGY, "missing-apology"),
        [Severity::Info],
        "all kinds"
    );
    let disabled = format!("---\ncrisislint: {{disable: [CL101]}}\n---\n{NO_APOLOGY}");
    assert!(severities(&s, &o, "a.md", &disabled, "missing-apology").is_empty());
    let select = Overrides {
        select: Some(vec!["missing-impact".into()]),
        ..Overrides::default()
    };
    assert!(severities(&s, &select, "a.md", NO_APOLOGY, "missing-apology").is_empty());
    let ignore = Overrides {
        ignore: vec!["missing-apology".into()],
        ..Overrides::default()
    };
    assert!(severities(&s, &ignore, "a.md", NO_APOLOGY, "missing-apology").is_empty());
    let off = settings("[severity]\nmissing-apology = \"off\"\n");
    assert!(severities(&off, &o, "a.md", NO_APOLOGY, "missing-apology").is_empty());
}

#[test]
fn an_unknown_kind_in_front_matter_is_an_error_for_that_file() {
    let text = "---\ntitle: x\ncrisislint: {kind: post-mortem}\n---\n# x\n";
    let report = lint_source(
        &Settings::builtin(),
        &Overrides::default(),
        "a.md",
        Path::new("a.md"),
        text.into(),
    );
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].starts_with("a.md:3:20: "), "{}", report.errors[0]);
    assert!(report.errors[0].contains("unknown document kind `post-mortem`"));
    assert!(report.diagnostics.is_empty());
}

#[test]
fn config_errors_name_the_unknown_rule_and_suggest_the_closest() {
    let text = "[severity]\nmissing-apologies = \"off\"\n";
    let file: ConfigFile = toml::from_str(text).unwrap();
    let err = Settings::compile(Some(Path::new("c.toml")), text, file, Path::new("")).unwrap_err();
    assert!(
        err.0
            .starts_with("c.toml:2:1: unknown rule `missing-apologies`; did you mean `missing-apology`?"),
        "{err}"
    );
}

#[test]
fn suppression_comments_cover_the_next_line_a_range_or_the_file() {
    let time = |text: &str| {
        common::lint(text, None, None)
            .into_iter()
            .filter(|d| d.rule == "missing-timezone")
            .count()
    };
    assert_eq!(time("# T\n\nAt 10:30 it broke.\n"), 1);
    assert_eq!(
        time("# T\n\n<!-- crisislint-disable-next-line CL301 -->\n\nAt 10:30 it broke.\nAt 11:30 too.\n"),
        1
    );
    assert_eq!(time("# T\n\n<!-- crisislint-disable missing-timezone -->\nAt 10:30.\n<!-- crisislint-enable missing-timezone -->\nAt 11:30.\n"), 1);
    assert_eq!(time("# T\n\n<!-- crisislint-disable -->\nAt 10:30.\n\nAt 11:30.\n"), 0);
    assert_eq!(time("# T\n\nAt 10:30.\n\n<!-- crisislint-disable-file CL301 -->\n"), 0);
    assert_eq!(
        time("# T\n\n<!-- crisislint-disable-next-line missing-apology -->\nAt 10:30.\n"),
        1
    );
}
