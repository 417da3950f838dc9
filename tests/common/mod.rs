//! Helpers shared by the integration tests.
#![allow(dead_code)]

use crisislint::config::Settings;
use crisislint::diagnostic::Diagnostic;
use crisislint::engine::{lint_source, Overrides};
use crisislint::kind::{Audience, DocKind};
use std::path::Path;
use std::sync::LazyLock;

/// Built-in rules, no configuration; compiled once for the whole test binary.
pub static SETTINGS: LazyLock<Settings> = LazyLock::new(Settings::builtin);

/// Lints `text` with the built-in rules; `kind`/`audience` as if given on the command line.
pub fn lint(text: &str, kind: Option<DocKind>, audience: Option<Audience>) -> Vec<Diagnostic> {
    let overrides = Overrides {
        kind,
        audience,
        ..Overrides::default()
    };
    let report = lint_source(&SETTINGS, &overrides, "test.md", Path::new("test.md"), text.to_string());
    assert!(report.errors.is_empty(), "errors: {:?}", report.errors);
    report.diagnostics
}

/// A plain, reviewable rendering of diagnostics: position, severity, code, rule, message,
/// the underlined text, labels, help and suggestion.
pub fn render(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = crisislint::document::LineIndex::new(source);
    let pos = |offset: usize| {
        let p = index.line_col(source, offset);
        format!("{}:{}", p.line, p.column)
    };
    let mut out = String::new();
    for d in diagnostics {
        let span = d.primary.span;
        out.push_str(&format!(
            "{}-{} {}[{}] {}: {}\n",
            pos(span.start),
            pos(span.end),
            d.severity,
            d.code,
            d.rule,
            d.message
        ));
        out.push_str(&format!("  text: {:?}\n", &source[span.start..span.end]));
        if !d.primary.message.is_empty() {
            out.push_str(&format!("  label: {}\n", d.primary.message));
        }
        for label in &d.secondary {
            out.push_str(&format!(
                "  note {}-{}: {} ({:?})\n",
                pos(label.span.start),
                pos(label.span.end),
                label.message,
                &source[label.span.start..label.span.end]
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        if let Some(s) = &d.suggestion {
            out.push_str(&format!(
                "  suggestion {}-{} ({:?}): {:?}\n",
                pos(s.span.start),
                pos(s.span.end),
                s.applicability,
                s.replacement
            ));
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}
