//! crisislint's byte spans to LSP's positions (0-based lines, UTF-16 code units), and findings
//! to LSP diagnostics and quick fixes.
//!
//! Columns count from the start of the line as the editor holds it: a BOM the editor sent is
//! one code unit of the first line, an emoji two, a CJK character one, a tab one.

use crate::diagnostic::{Applicability, Diagnostic, Severity, Span};
use crate::document::LineIndex;
use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// Where the rules' documentation lives.
const DOCS: &str = "https://github.com/crisislint/crisislint";

/// Byte offsets of one text to LSP positions.
pub struct LspPositions<'a> {
    source: &'a str,
    lines: LineIndex,
}

impl<'a> LspPositions<'a> {
    /// Indexes the lines of `source`.
    pub fn new(source: &'a str) -> Self {
        LspPositions {
            source,
            lines: LineIndex::new(source),
        }
    }

    /// The LSP position of a byte offset (clamped, snapped back to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let character = self.source[start..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    /// The LSP range of a span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }
}

/// A finding as an LSP diagnostic; the help follows the message on its own line.
pub fn diagnostic(uri: &Url, positions: &LspPositions<'_>, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), positions.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: positions.range(d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description: Url::parse(&format!("{DOCS}#{}", d.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("crisislint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({"rule": d.rule})),
    }
}

/// True when two ranges share a position (an empty range touching another counts).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Quick fixes for the suggestions of findings whose range meets `range`.
pub fn code_actions(uri: &Url, source: &str, findings: &[Diagnostic], range: Range) -> Vec<CodeAction> {
    let positions = LspPositions::new(source);
    findings
        .iter()
        .filter(|d| overlaps(positions.range(d.primary.span), range))
        .filter_map(|d| {
            let s = d.suggestion.as_ref()?;
            let old = &source[s.span.start.min(source.len())..s.span.end.min(source.len())];
            let title = match (old.is_empty(), s.replacement.is_empty()) {
                (true, _) => format!("Insert `{}` ({})", s.replacement, d.code),
                (false, true) => format!("Delete `{old}` ({})", d.code),
                (false, false) => format!("Replace `{old}` with `{}` ({})", s.replacement, d.code),
            };
            let edit = TextEdit::new(positions.range(s.span), s.replacement.clone());
            Some(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(uri, &positions, d)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(s.applicability == Applicability::MachineApplicable),
                ..CodeAction::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_from_the_line_start() {
        let src = "\u{feff}a\r\n😀 漢 x\n";
        let p = LspPositions::new(src);
        assert_eq!(p.position(3), Position::new(0, 1)); // after the BOM the editor sent
        let x = src.find('x').unwrap();
        assert_eq!(p.position(x), Position::new(1, 5)); // emoji 2, space, CJK 1, space
        assert_eq!(p.position(src.len()), Position::new(2, 0));
        assert_eq!(p.position(x - 1), Position::new(1, 4));
    }
}
