//! `sarif`: one SARIF 2.1.0 log for GitHub code scanning and SARIF viewers.
//!
//! Regions use the SARIF default `columnKind` `utf16CodeUnits`, declared on the run: columns are
//! 1-based UTF-16 code units (an emoji counts two, a CJK character one, a tab one), a UTF-8 BOM
//! is not counted, and `endColumn` is the column just after the text. Every rule of the run is
//! listed in `tool.driver.rules`; results carry `partialFingerprints` from the finding's rule and
//! text (see [`crate::baseline`]), so they survive edits elsewhere in the file.

use super::ordered;
use crate::baseline::fingerprints;
use crate::diagnostic::{Applicability, Level, Severity, Span};
use crate::document::LineIndex;
use crate::engine::FileReport;
use crate::kind::DocKind;
use crate::rules::RuleDef;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

/// Where the rules' documentation lives.
pub const INFORMATION_URI: &str = "https://github.com/crisislint/crisislint";

/// The SARIF 2.1.0 schema.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the log, pretty-printed, with a final newline.
pub fn write(reports: &[FileReport], rules: &[Arc<RuleDef>], out: &mut dyn Write) -> io::Result<()> {
    super::pretty::write(&mut *out, &log(reports, rules))?;
    writeln!(out)
}

/// The SARIF log of `reports`; `rules` are every rule the run knew.
pub fn log(reports: &[FileReport], rules: &[Arc<RuleDef>]) -> Value {
    let mut defs: Vec<&RuleDef> = rules.iter().map(|r| r.as_ref()).collect();
    defs.sort_by(|a, b| a.code.cmp(&b.code));
    defs.dedup_by(|a, b| a.name == b.name);
    let mut index: BTreeMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
    let mut descriptors: Vec<Value> = defs.iter().map(|d| descriptor(d)).collect();
    // A rule the list does not know (none in practice) still gets a descriptor.
    for report in reports {
        for d in &report.diagnostics {
            if !index.contains_key(d.rule.as_str()) {
                index.insert(&d.rule, descriptors.len());
                descriptors.push(json!({"id": d.code, "name": d.rule,
                    "shortDescription": {"text": d.rule}, "fullDescription": {"text": d.rule}}));
            }
        }
    }

    let mut results = Vec::new();
    for report in reports {
        let lines = LineIndex::new(&report.source);
        let diagnostics = ordered(report);
        let prints = fingerprints(report, &diagnostics);
        for (d, print) in diagnostics.into_iter().zip(prints) {
            let primary = region(&report.source, &lines, d.primary.span);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index[d.rule.as_str()],
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&report.path)},
                    "region": primary,
                }}],
                "partialFingerprints": {"crisislint/v1": print},
            });
            if !d.secondary.is_empty() {
                result["relatedLocations"] = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({"id": i + 1, "message": {"text": l.message}, "physicalLocation": {
                            "artifactLocation": {"uri": uri(&report.path)},
                            "region": region(&report.source, &lines, l.span),
                        }})
                    })
                    .collect();
            }
            if let Some(s) = &d.suggestion {
                let what = match s.applicability {
                    Applicability::MachineApplicable => "apply the fix",
                    Applicability::MaybeIncorrect => "apply the suggestion (check it reads right)",
                };
                let replacement = if s.replacement.is_empty() {
                    json!({"deletedRegion": region(&report.source, &lines, s.span)})
                } else {
                    json!({"deletedRegion": region(&report.source, &lines, s.span),
                        "insertedContent": {"text": s.replacement}})
                };
                result["fixes"] = json!([{
                    "description": {"text": what},
                    "artifactChanges": [{"artifactLocation": {"uri": uri(&report.path)}, "replacements": [replacement]}],
                }]);
            }
            results.push(result);
        }
    }

    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "crisislint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}

/// A rule as a SARIF `reportingDescriptor`; its default level is the one for incident reports
/// (the default kind), and the level for every kind is kept in `properties`.
fn descriptor(def: &RuleDef) -> Value {
    let default = def.severity.for_kind(DocKind::default());
    let help = def.help.clone().unwrap_or_else(|| def.summary.clone());
    let per_kind: BTreeMap<&str, &str> = DocKind::ALL
        .iter()
        .map(|k| (k.as_str(), def.severity.for_kind(*k).as_str()))
        .collect();
    let mut configuration = json!({"level": match default.severity() {
        Some(s) => level(s),
        None => "none",
    }});
    if default == Level::Off {
        configuration["enabled"] = json!(false);
    }
    json!({
        "id": def.code,
        "name": pascal_case(&def.name),
        "shortDescription": {"text": sentence(&def.summary)},
        "fullDescription": {"text": first_paragraph(&def.docs), "markdown": def.docs.trim()},
        "help": {"text": sentence(&help), "markdown": sentence(&help)},
        "helpUri": format!("{INFORMATION_URI}#{}", def.name),
        "defaultConfiguration": configuration,
        "properties": {"crisislint-name": def.name, "severity-by-kind": per_kind, "tags": ["documentation"]},
    })
}

/// Every rule of the configurations in use, each once (built-in rules and the teams' own).
pub fn rules_of(settings: &[crate::config::Settings]) -> Vec<Arc<RuleDef>> {
    let mut rules: Vec<Arc<RuleDef>> = Vec::new();
    for rule in settings.iter().flat_map(|s| &s.rules) {
        if !rules.iter().any(|r| r.name == rule.def.name) {
            rules.push(rule.def.clone());
        }
    }
    rules
}

/// SARIF's `level` for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `missing-timezone` → `MissingTimezone`: SARIF wants a rule name to be an identifier.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect()
}

/// A sentence for a SARIF message: a capital start and a final period (the SARIF guidance).
fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The first paragraph of a rule's docs under its first heading, as plain text.
fn first_paragraph(docs: &str) -> String {
    let body = docs
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or(docs.trim());
    sentence(&body.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A SARIF region: 1-based lines, 1-based UTF-16 columns, exclusive end.
fn region(source: &str, lines: &LineIndex, span: Span) -> Value {
    let start = lines.line_col(source, span.start);
    let end = lines.line_col(source, span.end);
    json!({
        "startLine": start.line,
        "startColumn": start.utf16_column + 1,
        "endLine": end.line,
        "endColumn": end.utf16_column + 1,
    })
}

/// A relative path as a URI reference: `/`-separated, everything but unreserved characters and
/// `/` percent-encoded; an absolute path becomes a `file://` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_uris_and_sentences() {
        assert_eq!(pascal_case("missing-timezone"), "MissingTimezone");
        assert_eq!(uri("./docs/a b,c.md"), "docs/a%20b%2Cc.md");
        assert_eq!(uri("/tmp/ü.md"), "file:///tmp/%C3%BC.md");
        assert_eq!(sentence("add a zone"), "Add a zone.");
        assert_eq!(
            first_paragraph("## What it does\n\nFinds\ntimes.\n\nMore."),
            "Finds times."
        );
    }
}
