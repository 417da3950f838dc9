//! `json`: one array of findings, the stable schema documented in the README.
//!
//! ```json
//! [{"path": "a.md", "rule": "missing-timezone", "code": "CL301", "severity": "error",
//!   "message": "...", "help": "...",
//!   "start": {"line": 3, "column": 9, "offset": 40}, "end": {...},
//!   "labels": [{"start": {...}, "end": {...}, "message": "..."}],
//!   "suggestion": null | {"start": {...}, "end": {...}, "replacement": " UTC",
//!                         "applicability": "machine-applicable" | "maybe-incorrect"}}]
//! ```

use super::{ordered, Position, Positions};
use crate::diagnostic::{Applicability, Severity};
use crate::engine::FileReport;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

/// One finding in the JSON output.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// The path as given or found in the walk; `--stdin-filename` or `-` for standard input.
    pub path: &'a str,
    /// Rule name.
    pub rule: &'a str,
    /// Rule code.
    pub code: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// What is wrong.
    pub message: &'a str,
    /// What to write instead.
    pub help: Option<&'a str>,
    /// Start of the underlined text.
    pub start: Position,
    /// End of the underlined text (exclusive).
    pub end: Position,
    /// Secondary labels.
    pub labels: Vec<JsonLabel<'a>>,
    /// A replacement, when there is one.
    pub suggestion: Option<JsonSuggestion<'a>>,
}

/// A secondary label.
#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    /// Start (inclusive).
    pub start: Position,
    /// End (exclusive).
    pub end: Position,
    /// What to notice there.
    pub message: &'a str,
}

/// A suggested replacement.
#[derive(Debug, Serialize)]
pub struct JsonSuggestion<'a> {
    /// Start of the text to replace (inclusive).
    pub start: Position,
    /// End of the text to replace (exclusive); equal to `start` for an insertion.
    pub end: Position,
    /// The new text.
    pub replacement: &'a str,
    /// Whether a tool may apply it without a person checking it.
    pub applicability: Applicability,
}

/// The findings of every report, in output order.
pub fn findings(reports: &[FileReport]) -> Vec<JsonFinding<'_>> {
    let mut out = Vec::with_capacity(reports.iter().map(|r| r.diagnostics.len()).sum());
    for report in reports {
        let positions = Positions::new(&report.source);
        for d in ordered(report) {
            out.push(JsonFinding {
                path: &report.path,
                rule: &d.rule,
                code: &d.code,
                severity: d.severity,
                message: &d.message,
                help: d.help.as_deref(),
                start: positions.at(d.primary.span.start),
                end: positions.at(d.primary.span.end),
                labels: d
                    .secondary
                    .iter()
                    .map(|l| JsonLabel {
                        start: positions.at(l.span.start),
                        end: positions.at(l.span.end),
                        message: &l.message,
                    })
                    .collect(),
                suggestion: d.suggestion.as_ref().map(|s| JsonSuggestion {
                    start: positions.at(s.span.start),
                    end: positions.at(s.span.end),
                    replacement: &s.replacement,
                    applicability: s.applicability,
                }),
            });
        }
    }
    out
}

/// Writes the elements of the array for `reports`, after `files_written` files', pretty-printed;
/// [`finish`] closes the array. Each file's findings are rendered on the thread pool the caller
/// runs in (the lint's, sized by `--threads`), then joined in order: the bytes are those of
/// pretty-printing the whole array at once. Files are rendered `RENDER_PER_THREAD` per
/// thread at a time, so that the rendered text is never all in memory at once.
pub fn write_batch(reports: &[FileReport], files_written: &mut usize, out: &mut dyn Write) -> io::Result<()> {
    for batch in reports.chunks(render_chunk()) {
        let arrays: Vec<Option<Vec<u8>>> = batch.par_iter().map(render).collect::<Result<_, serde_json::Error>>()?;
        for array in arrays.iter().flatten() {
            write_file(array, files_written, out)?;
        }
    }
    Ok(())
}

/// Writes one file's array, as [`render`] gave it, as elements of the whole array after
/// `files_written` files'.
pub fn write_file(array: &[u8], files_written: &mut usize, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(if *files_written == 0 { b"[\n" } else { b",\n" })?;
    // The file's array without its brackets: `[\n` ... `\n]`.
    out.write_all(&array[2..array.len() - 2])?;
    *files_written += 1;
    Ok(())
}

/// Closes the array [`write_batch`] wrote, or writes an empty one; then a final newline.
pub fn finish(files_written: usize, out: &mut dyn Write) -> io::Result<()> {
    match files_written {
        0 => writeln!(out, "[]"),
        _ => out.write_all(b"\n]\n"),
    }
}

/// How many files' findings each thread renders before they are written. Rendered all at once,
/// the JSON of the 2,000-file benchmark held 35 MB at the end of the run (about 8,600 page
/// faults of fresh memory). 8 files a thread (about 17 KB each) instead of 128 files in all:
/// the benchmark's peak on 2 threads 29.1 -> 28.6 MiB, its time within 1.5%.
const RENDER_PER_THREAD: usize = 8;

/// How many files are rendered at a time on the current pool.
fn render_chunk() -> usize {
    RENDER_PER_THREAD * rayon::current_num_threads()
}

/// One file's findings as a pretty-printed array; `None` when it has none.
pub fn render(report: &FileReport) -> Result<Option<Vec<u8>>, serde_json::Error> {
    let found = findings(std::slice::from_ref(report));
    if found.is_empty() {
        return Ok(None);
    }
    // More than a finding takes (728 bytes on average on the 2,000-file benchmark), so that
    // the buffer seldom grows.
    let mut array = Vec::with_capacity(found.len() * 1024);
    write_array(&mut array, &found)?;
    Ok(Some(array))
}

/// Writes `findings` as serde_json's pretty printer writes the array (two spaces a level; tests
/// compare the bytes), with the schema's keys and layout written as they appear. Through
/// serde_json's serializer, rendering took 14 instructions an output byte, most of them spent
/// looking for characters to escape one byte at a time: 11.5% of the 2,000-file benchmark's
/// instructions (its output is 35 MB); written so, the benchmark takes 5.6% fewer. Strings
/// are written by [`string`].
fn write_array(out: &mut Vec<u8>, findings: &[JsonFinding<'_>]) -> serde_json::Result<()> {
    for (i, finding) in findings.iter().enumerate() {
        out.extend_from_slice(if i == 0 {
            b"[\n  {\n    \"path\": "
        } else {
            b",\n  {\n    \"path\": "
        });
        string(out, finding.path)?;
        out.extend_from_slice(b",\n    \"rule\": ");
        string(out, finding.rule)?;
        out.extend_from_slice(b",\n    \"code\": ");
        string(out, finding.code)?;
        out.extend_from_slice(b",\n    \"severity\": ");
        string(out, finding.severity.as_str())?;
        out.extend_from_slice(b",\n    \"message\": ");
        string(out, finding.message)?;
        out.extend_from_slice(b",\n    \"help\": ");
        match finding.help {
            Some(help) => string(out, help)?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\n    \"start\": ");
        start_and_end(out, (finding.start, finding.end), b",\n    \"end\": ", &KEYS_AT_6);
        out.extend_from_slice(b",\n    \"labels\": ");
        for (i, label) in finding.labels.iter().enumerate() {
            out.extend_from_slice(if i == 0 {
                b"[\n      {\n        \"start\": "
            } else {
                b",\n      {\n        \"start\": "
            });
            start_and_end(out, (label.start, label.end), b",\n        \"end\": ", &KEYS_AT_10);
            out.extend_from_slice(b",\n        \"message\": ");
            string(out, label.message)?;
            out.extend_from_slice(b"\n      }");
        }
        out.extend_from_slice(if finding.labels.is_empty() { b"[]" } else { b"\n    ]" });
        out.extend_from_slice(b",\n    \"suggestion\": ");
        match &finding.suggestion {
            None => out.extend_from_slice(b"null"),
            Some(suggestion) => {
                out.extend_from_slice(b"{\n      \"start\": ");
                start_and_end(
                    out,
                    (suggestion.start, suggestion.end),
                    b",\n      \"end\": ",
                    &KEYS_AT_8,
                );
                out.extend_from_slice(b",\n      \"replacement\": ");
                string(out, suggestion.replacement)?;
                out.extend_from_slice(b",\n      \"applicability\": ");
                string(out, suggestion.applicability.as_str())?;
                out.extend_from_slice(b"\n    }");
            }
        }
        out.extend_from_slice(b"\n  }");
    }
    out.extend_from_slice(if findings.is_empty() { b"[]" } else { b"\n]" });
    Ok(())
}

/// What comes before a position's line, column and offset, and its closing brace, for a
/// position whose keys are indented by 6 spaces (a finding's), 8 (a suggestion's) or 10 (a
/// label's).
type PositionLayout = [&'static [u8]; 4];
const KEYS_AT_6: PositionLayout = [
    b"{\n      \"line\": ",
    b",\n      \"column\": ",
    b",\n      \"offset\": ",
    b"\n    }",
];
const KEYS_AT_8: PositionLayout = [
    b"{\n        \"line\": ",
    b",\n        \"column\": ",
    b",\n        \"offset\": ",
    b"\n      }",
];
const KEYS_AT_10: PositionLayout = [
    b"{\n          \"line\": ",
    b",\n          \"column\": ",
    b",\n          \"offset\": ",
    b"\n        }",
];

/// A span's start and end positions, after the `"start": ` key: `end_key` is the line break,
/// indentation and key before the end.
#[inline(always)]
fn start_and_end(out: &mut Vec<u8>, (start, end): (Position, Position), end_key: &[u8], layout: &PositionLayout) {
    position(out, start, layout);
    out.extend_from_slice(end_key);
    position(out, end, layout);
}

/// A position as a JSON object laid out as `layout` says. Inlined where the layout is a
/// constant, so that its keys are copied by a few moves of known length rather than by a
/// `memcpy` call each (1.2 million calls on the 2,000-file benchmark: 0.6% of its instructions
/// and 1.5% of its mispredicted branches).
#[inline(always)]
fn position(out: &mut Vec<u8>, at: Position, layout: &PositionLayout) {
    let mut digits = itoa::Buffer::new();
    for (before, value) in layout.iter().zip([at.line, at.column, at.offset]) {
        out.extend_from_slice(before);
        out.extend_from_slice(digits.format(value).as_bytes());
    }
    out.extend_from_slice(layout[3]);
}

/// A string as JSON: between quotes as it is, unless it holds a character that JSON escapes.
/// Quotes and backslashes (in 15% of the strings, mostly a `help` quoting words) are escaped
/// here, the text between them copied whole: serde_json looks at one byte at a time, and
/// writing those strings through it cost the 2,000-file benchmark 11 M more instructions (of
/// 3,145 M). A string with a control character is still written by serde_json.
fn string(out: &mut Vec<u8>, text: &str) -> serde_json::Result<()> {
    let bytes = text.as_bytes();
    if !any_byte(bytes, |b| (b < 0x20) | (b == b'"') | (b == b'\\')) {
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return Ok(());
    }
    if any_byte(bytes, |b| b < 0x20) {
        return serde_json::to_writer(out, text);
    }
    out.push(b'"');
    let mut copied = 0;
    for at in memchr::memchr2_iter(b'"', b'\\', bytes) {
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(if bytes[at] == b'"' { b"\\\"" } else { b"\\\\" });
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
    Ok(())
}

/// True when a byte of `bytes` is `wanted`. Whole 16-byte chunks are checked without stopping
/// at the first such byte, so that the compiler checks each in a few vector instructions.
#[inline(always)]
fn any_byte(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    let chunks = bytes.chunks_exact(16);
    let rest = chunks.remainder();
    chunks
        .into_iter()
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | wanted(b)))
        || rest.iter().any(|&b| wanted(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::reports_of;

    /// The array of `reports`, written in two calls split at `split`.
    fn write(reports: &[FileReport], split: usize, out: &mut Vec<u8>) {
        let mut files_written = 0;
        write_batch(&reports[..split], &mut files_written, out).unwrap();
        write_batch(&reports[split..], &mut files_written, out).unwrap();
        finish(files_written, out).unwrap();
    }

    /// `write_array`'s bytes for `found` against serde_json's pretty printer's.
    fn assert_written_as_serde_json_does(found: &[JsonFinding<'_>]) {
        let mut ours = Vec::new();
        write_array(&mut ours, found).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(found).unwrap()
        );
    }

    #[test]
    fn findings_are_written_as_serde_json_writes_them() {
        let at = |line, column, offset| Position { line, column, offset };
        // Every ASCII byte, at every place around the 16-byte chunks of the escaping check,
        // and text outside ASCII.
        let mut texts: Vec<String> = vec![String::new(), "é 東 🎉 ’".into(), "\\".into(), "\"".into()];
        // Several quotes and backslashes, at either end and side by side; and with a control
        // character too.
        texts.extend(["\"say \"this\" or \\that\\\"\"".into(), "“a” \"b\"\t\\".into()]);
        for byte in 0..0x80u8 {
            for place in [0, 1, 15, 16, 17, 31, 32, 40] {
                let mut text = "x".repeat(41);
                text.replace_range(place..=place, char::from(byte).encode_utf8(&mut [0; 4]));
                texts.push(text);
            }
        }
        let finding = |i: usize, text: &'static str| JsonFinding {
            path: if i % 5 == 0 { "dir/\"quoted\".md" } else { "a.md" },
            rule: "missing-timezone",
            code: "CL301",
            severity: [Severity::Info, Severity::Warning, Severity::Error][i % 3],
            message: text,
            help: (i % 2 == 0).then_some(text),
            start: at(i + 1, 2 * i + 1, 10 * i),
            end: at(usize::MAX, usize::MAX, usize::MAX),
            labels: (0..i % 4)
                .map(|n| JsonLabel {
                    start: at(n, n, n),
                    end: at(n + 1, 1, n + 10),
                    message: text,
                })
                .collect(),
            suggestion: (i % 3 != 0).then(|| JsonSuggestion {
                start: at(1, 1, 0),
                end: at(1, 4, 3),
                replacement: text,
                applicability: [Applicability::MachineApplicable, Applicability::MaybeIncorrect][i % 2],
            }),
        };
        let texts: Vec<&'static str> = texts.into_iter().map(|t| &*t.leak()).collect();
        let found: Vec<JsonFinding<'_>> = texts.iter().enumerate().map(|(i, text)| finding(i, text)).collect();
        assert_written_as_serde_json_does(&found);
        assert_written_as_serde_json_does(&found[..1]);
        assert_written_as_serde_json_does(&[]);
    }

    #[test]
    fn every_fixtures_findings_are_written_as_serde_json_writes_them() {
        let fixtures = crate::test_support::markdown_fixtures();
        let texts: Vec<&str> = fixtures.iter().map(|(_, text)| text.as_str()).collect();
        let reports = reports_of(&texts);
        let found = findings(&reports);
        assert!(found.len() > 1_000, "{}", found.len());
        assert!(found.iter().any(|f| f.suggestion.is_some()) && found.iter().any(|f| f.labels.len() > 1));
        assert_written_as_serde_json_does(&found);
    }

    #[test]
    fn rendering_per_file_gives_the_bytes_of_the_whole_array_pretty_printed() {
        let linted = reports_of(&[
            "# Outage\n\nThe API was down from 10:00 to 11:30. Our DNS provider's BGP mistake caused it.\n",
            "# Fine\n\nWe are sorry: logins failed from 10:00 UTC to 10:20 UTC. We will add a second \
             login server by June 2025. Questions: support@example.com.\n",
            "",
            "# “Quotes” and \\ back\\slashes\n\nSorry “for any inconvenience”, it was a glitch at 9:15.\n",
        ]);
        assert!(linted.iter().filter(|r| !r.diagnostics.is_empty()).count() >= 2);
        // Enough files for three batches, every fourth one clean, written in one or two calls.
        let reports: Vec<FileReport> = linted.iter().cycle().take(2 * render_chunk() + 3).cloned().collect();
        let mut whole = serde_json::to_vec_pretty(&findings(&reports)).unwrap();
        whole.push(b'\n');
        for split in [0, 2, render_chunk() + 1, reports.len()] {
            let mut joined = Vec::new();
            write(&reports, split, &mut joined);
            assert_eq!(
                String::from_utf8(joined).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
        }

        let clean = [FileReport::default(), FileReport::default()];
        let mut empty = Vec::new();
        write(&clean, 1, &mut empty);
        assert_eq!(empty, b"[]\n");
    }
}
