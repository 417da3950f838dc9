//! What every fuzz input goes through, shared by `tests/fuzz_stable.rs`, `tests/properties.rs`
//! and the cargo-fuzz targets under `fuzz/`: lint a text with every rule switched on, for every
//! kind and audience, render every output format, and check the invariants that must hold
//! for any input. A broken invariant panics with the reason; the caller reports the input.
#![allow(dead_code)]

use crisislint::config::{ConfigFile, Settings};
use crisislint::diagnostic::{Diagnostic, Span};
use crisislint::emit::{self, Format};
use crisislint::engine::{lint_source, FileReport, Overrides};
use crisislint::kind::{Audience, DocKind};
use std::path::Path;
use std::sync::LazyLock;

/// Built-in rules with every rule at `warning` for every kind, so that rules off by default
/// for a kind run too.
pub static EVERY_RULE: LazyLock<Settings> = LazyLock::new(|| {
    let mut text = String::from("[severity]\n");
    for def in crisislint::config::builtin_rules() {
        text.push_str(&format!("{} = \"warning\"\n", def.name));
    }
    let file: ConfigFile = toml::from_str(&text).expect("generated configuration parses");
    Settings::compile(None, &text, file, Path::new(".")).expect("every rule compiles")
});

/// Lints `text` once per kind, the audiences alternating (each kind meets the other audience
/// than its neighbour), with every rule on; checks each report's invariants and renders it
/// in every format. Returns the reports.
pub fn lint_everything(text: &str) -> Vec<FileReport> {
    let mut reports = Vec::new();
    for (i, kind) in DocKind::ALL.into_iter().enumerate() {
        let overrides = Overrides {
            kind: Some(kind),
            audience: Some(Audience::ALL[i % Audience::ALL.len()]),
            ..Overrides::default()
        };
        let report = lint_source(
            &EVERY_RULE,
            &overrides,
            "fuzz.md",
            Path::new("fuzz.md"),
            text.to_string(),
        );
        check_report(text, &report);
        render_every_format(&report);
        reports.push(report);
    }
    reports
}

/// Spans inside the source and on character boundaries; suggestions of one document never
/// overlap; the report keeps the source unchanged.
pub fn check_report(text: &str, report: &FileReport) {
    assert_eq!(report.source, text, "the report's source is the text linted");
    for d in &report.diagnostics {
        check_span(text, d.primary.span, d, "primary span");
        for label in &d.secondary {
            check_span(text, label.span, d, "secondary label");
        }
        if let Some(s) = &d.suggestion {
            check_span(text, s.span, d, "suggestion");
        }
        assert!(!d.message.is_empty(), "empty message: {d:?}");
    }
    let mut suggestions: Vec<(Span, &Diagnostic)> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.suggestion.as_ref().map(|s| (s.span, d)))
        .collect();
    suggestions.sort_by_key(|(span, _)| (span.start, span.end));
    for pair in suggestions.windows(2) {
        let ((a, da), (b, db)) = (pair[0], pair[1]);
        // Two insertions at one place, or an insertion at the edge of a replacement, still
        // apply in a defined order; a shared byte does not.
        let overlap = a.end > b.start || (a.start == b.start && !a.is_empty() && !b.is_empty());
        assert!(!overlap, "suggestions overlap:\n{da:?}\n{db:?}");
    }
}

fn check_span(text: &str, span: Span, d: &Diagnostic, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside the source ({} bytes): {d:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on character boundaries: {d:?}"
    );
}

/// Renders `report` in every format (human with and without color); JSON and SARIF must parse
/// and hold one entry per diagnostic, GitHub one workflow command per line and finding.
pub fn render_every_format(report: &FileReport) {
    let reports = std::slice::from_ref(report);
    for (format, color) in [
        (Format::Human, false),
        (Format::Human, true),
        (Format::Short, false),
        (Format::Json, false),
        (Format::Github, false),
        (Format::Sarif, false),
        (Format::Summary, false),
    ] {
        let mut out = Vec::new();
        emit::emit(format, reports, &mut out, color).expect("writing to memory");
        let out = String::from_utf8(out).expect("output is UTF-8");
        if format == Format::Json {
            let parsed: serde_json::Value = serde_json::from_str(&out).expect("JSON output parses");
            let count = parsed.as_array().map(Vec::len);
            assert_eq!(count, Some(report.diagnostics.len()), "one JSON entry per finding");
        }
        if format == Format::Sarif {
            let parsed: serde_json::Value = serde_json::from_str(&out).expect("SARIF output parses");
            let results = parsed["runs"][0]["results"].as_array().map(Vec::len);
            assert_eq!(results, Some(report.diagnostics.len()), "one SARIF result per finding");
        }
        if format == Format::Github {
            // One workflow command per finding, each on one line.
            let commands = out.lines().filter(|l| l.starts_with("::")).count();
            assert_eq!(
                commands,
                report.diagnostics.len(),
                "one workflow command per finding:\n{out}"
            );
        }
    }
}

/// The document model's invariants: the mask has the source's length and newlines; line and
/// column of every character boundary round-trip to its offset.
pub fn check_document(text: &str) {
    let doc = crisislint::document::Document::parse("fuzz.md", text.to_string());
    assert_eq!(doc.mask.len(), text.len(), "mask length");
    for (i, (m, s)) in doc.mask.bytes().zip(text.bytes()).enumerate() {
        assert_eq!(m == b'\n', s == b'\n', "newline mismatch at byte {i}");
    }
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for offset in (bom..=text.len()).filter(|&o| text.is_char_boundary(o)) {
        let pos = doc.lines.line_col(text, offset);
        assert_eq!(
            doc.lines.offset(text, pos.line, pos.column),
            Some(offset),
            "offset {offset} -> {}:{}",
            pos.line,
            pos.column
        );
    }
    for s in &doc.sentences {
        assert!(
            s.span().end <= text.len() && text.is_char_boundary(s.span().start) && text.is_char_boundary(s.span().end)
        );
    }
}

/// A configuration text: parsed strictly and compiled, with no access to the file system
/// (`rule-dirs` is dropped); errors are fine, panics are not. Also read as a rule file.
pub fn check_config(text: &str) {
    if let Ok(mut file) = toml::from_str::<ConfigFile>(text) {
        file.rule_dirs.clear();
        if let Err(e) = Settings::compile(
            Some(Path::new("crisislint.toml")),
            text,
            file,
            Path::new("/nonexistent"),
        ) {
            assert!(e.0.starts_with("crisislint.toml:"), "error names the file: {e}");
        }
    }
    if let Ok(def) = crisislint::rules::RuleDef::parse("rule.toml", text) {
        let _ = def.check.compile(None);
    }
}
