//! Baselines: record today's findings (`--write-baseline FILE`) and later report only the new
//! ones (`--baseline FILE`).
//!
//! A finding is known by its file, its rule and its text (the underlined words, whitespace
//! collapsed), never by its line: editing another paragraph moves old findings without making
//! them new. Identical findings in one file are counted, so a second copy of a known problem is
//! still reported. The same identity gives SARIF its `partialFingerprints`.

use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The version written into baseline files; others are refused.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version, [`BASELINE_VERSION`].
    pub version: u32,
    /// Known findings, sorted by path, rule and text.
    pub findings: Vec<BaselineEntry>,
}

/// Findings of one rule with one text in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file, `/`-separated, as crisislint showed it.
    pub path: String,
    /// Rule name.
    pub rule: String,
    /// Rule code, for the reader (matching uses the name).
    pub code: String,
    /// The finding's text, whitespace collapsed.
    pub text: String,
    /// How many such findings the file had.
    pub count: usize,
}

/// The text that identifies a finding: the underlined words with whitespace collapsed; for a
/// finding that underlines nothing, its line; for an empty line, its message.
pub fn finding_text(source: &str, d: &Diagnostic) -> String {
    let span = d.primary.span;
    let clamp = |i: usize| {
        let mut i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (clamp(span.start), clamp(span.end));
    let mut text = collapse(&source[start..end]);
    if text.is_empty() {
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        text = collapse(&source[line_start..line_end]);
    }
    if text.is_empty() {
        text = d.message.clone();
    }
    text
}

fn collapse(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A path as recorded: `/`-separated, without a leading `./`.
fn normal_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

type Key = (String, String, String);

fn key(report: &FileReport, d: &Diagnostic) -> Key {
    (
        normal_path(&report.path),
        d.rule.clone(),
        finding_text(&report.source, d),
    )
}

impl Baseline {
    /// Records every finding of `reports`.
    pub fn record(reports: &[FileReport]) -> Baseline {
        let mut counts: BTreeMap<Key, (String, usize)> = BTreeMap::new();
        for report in reports {
            for d in &report.diagnostics {
                counts.entry(key(report, d)).or_insert_with(|| (d.code.clone(), 0)).1 += 1;
            }
        }
        Baseline {
            version: BASELINE_VERSION,
            findings: counts
                .into_iter()
                .map(|((path, rule, text), (code, count))| BaselineEntry {
                    path,
                    rule,
                    code,
                    text,
                    count,
                })
                .collect(),
        }
    }

    /// Removes from `reports` every finding the baseline knows, up to its count per file, rule
    /// and text (the first ones in the file are taken as the known ones); returns how many.
    pub fn filter(&self, reports: &mut [FileReport]) -> usize {
        let mut left: BTreeMap<Key, usize> = BTreeMap::new();
        for e in &self.findings {
            *left
                .entry((normal_path(&e.path), e.rule.clone(), e.text.clone()))
                .or_default() += e.count;
        }
        let mut removed = 0;
        for report in reports.iter_mut() {
            let mut diagnostics = std::mem::take(&mut report.diagnostics);
            diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
            diagnostics.retain(|d| match left.get_mut(&key(report, d)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    removed += 1;
                    false
                }
                _ => true,
            });
            report.diagnostics = diagnostics;
        }
        removed
    }

    /// Reads a baseline file; the error names the file.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a crisislint baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (this crisislint writes version {BASELINE_VERSION})",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Writes the baseline as pretty JSON with a final newline.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("a baseline serializes") + "\n";
        std::fs::write(path, text).map_err(|e| format!("{}: cannot write baseline: {e}", path.display()))
    }
}

/// A fingerprint of a finding that survives edits elsewhere in the file: rule, text and which
/// occurrence of that pair it is, hashed with FNV-1a (stable across builds and platforms).
pub fn fingerprint(rule: &str, text: &str, occurrence: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule
        .bytes()
        .chain([0])
        .chain(text.bytes())
        .chain([0])
        .chain(occurrence.to_string().into_bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// For each diagnostic of `report`, in the order given, its fingerprint.
pub fn fingerprints(report: &FileReport, diagnostics: &[&Diagnostic]) -> Vec<String> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let text = finding_text(&report.source, d);
            let n = seen.entry((d.rule.clone(), text.clone())).or_default();
            *n += 1;
            fingerprint(&d.rule, &text, *n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity, Span};

    fn diagnostic(rule: &str, span: Span) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            code: "CL301".into(),
            severity: Severity::Error,
            message: "a time has no zone".into(),
            primary: Label::new(span, ""),
            secondary: vec![],
            help: None,
            suggestion: None,
        }
    }

    fn report(source: &str, needles: &[&str]) -> FileReport {
        FileReport {
            path: "./a.md".into(),
            source: source.into(),
            diagnostics: needles
                .iter()
                .map(|n| {
                    let at = source.find(n).unwrap();
                    diagnostic("missing-timezone", Span::new(at, at + n.len()))
                })
                .collect(),
            errors: vec![],
        }
    }

    #[test]
    fn known_findings_stay_known_when_lines_move_and_copies_are_new() {
        let old = report("# T\n\nAt 14:05 it\n  broke.\n", &["14:05 it\n  broke"]);
        let baseline = Baseline::record(std::slice::from_ref(&old));
        assert_eq!(baseline.findings[0].text, "14:05 it broke");
        assert_eq!(baseline.findings[0].path, "a.md");
        let mut moved = [report(
            "# T\n\nNew paragraph.\n\nAt 14:05 it broke.\n\nAgain 14:05 it broke.\n",
            &["14:05 it broke", "14:05 it broke."],
        )];
        // The second copy sits later in the file: it is the new one.
        moved[0].diagnostics[1].primary.span = {
            let at = moved[0].source.rfind("14:05 it broke").unwrap();
            Span::new(at, at + 14)
        };
        assert_eq!(baseline.filter(&mut moved), 1);
        assert_eq!(moved[0].diagnostics.len(), 1);
        assert!(moved[0].diagnostics[0].primary.span.start > 20);
    }

    #[test]
    fn an_empty_span_is_known_by_its_line_and_fingerprints_count_occurrences() {
        let r = report("# Title\n", &[]);
        let d = diagnostic("missing-apology", Span::empty(2));
        assert_eq!(finding_text(&r.source, &d), "# Title");
        let a = fingerprints(&r, &[&d, &d]);
        assert_ne!(a[0], a[1]);
        assert_eq!(a[0], fingerprint("missing-apology", "# Title", 1));
        assert_eq!(fingerprint("r", "t", 1), fingerprint("r", "t", 1));
    }
}
