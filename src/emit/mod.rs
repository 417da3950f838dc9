//! Output formats: one small printer per format, all fed the same reports in the same order.
//!
//! Reports arrive sorted by path (discovery sorts the files); each printer sorts a file's
//! diagnostics by start offset, then rule, so the output is identical for every `--threads`.

pub mod github;
pub mod human;
pub mod json;
mod pretty;
pub mod sarif;
pub mod short;
pub mod summary;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{LineIndex, Place};
use crate::engine::FileReport;
use crate::rules::RuleDef;
use serde::Serialize;
use std::cell::Cell;
use std::io::{self, Write};
use std::sync::Arc;

/// The output format chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-like diagnostics with the text underlined, for people.
    #[default]
    Human,
    /// One line per finding, `path:line:col: severity: message [rule]`, for editors and grep.
    Short,
    /// One JSON array of findings, for tools.
    Json,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// A Markdown table of findings per file, for `$GITHUB_STEP_SUMMARY`.
    Summary,
}

/// A place in a file: 1-based line, 1-based column in Unicode scalar values, byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values (a BOM is not counted).
    pub column: usize,
    /// Byte offset into the file as read.
    pub offset: usize,
}

/// Turns byte offsets of one file into [`Position`]s.
pub struct Positions<'a> {
    source: &'a str,
    index: LineIndex,
    /// The place of the last position given, from which the next one on its line is counted.
    last: Cell<Option<Place>>,
}

impl<'a> Positions<'a> {
    /// Indexes the lines of `source`.
    pub fn new(source: &'a str) -> Self {
        Positions {
            source,
            index: LineIndex::new(source),
            last: Cell::new(None),
        }
    }

    /// The position of a byte offset.
    pub fn at(&self, offset: usize) -> Position {
        let place = self.index.place(self.source, offset, self.last.get());
        self.last.set(Some(place));
        Position {
            line: place.line,
            column: place.column,
            offset,
        }
    }
}

/// A file's diagnostics in output order: start offset, then rule, then end offset.
pub fn ordered(report: &FileReport) -> Vec<&Diagnostic> {
    let mut diagnostics: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, &a.rule, a.primary.span.end).cmp(&(b.primary.span.start, &b.rule, b.primary.span.end))
    });
    diagnostics
}

/// Writes every report's diagnostics to `out` in `format`; `color` only affects `human`.
pub fn emit(format: Format, reports: &[FileReport], out: &mut dyn Write, color: bool) -> io::Result<()> {
    emit_with_rules(format, reports, crate::config::builtin_rules(), out, color)
}

/// As [`emit`], naming every rule of the run (SARIF lists them all, the team's included).
pub fn emit_with_rules(
    format: Format,
    reports: &[FileReport],
    rules: &[Arc<RuleDef>],
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Sarif => sarif::write(reports, rules, out),
        Format::Summary => summary::write(reports, out),
        Format::Human | Format::Short | Format::Json | Format::Github => {
            let mut stream = Stream::new(format, color).expect("a format written file by file");
            stream.write(reports, out)?;
            stream.finish(out)
        }
    }
}

/// Output written as reports come, batch after batch, for the formats that allow it: SARIF and
/// the summary describe every file at once.
pub struct Stream {
    format: Format,
    color: bool,
    /// Files with findings written so far (the JSON array's separators depend on it).
    files_written: usize,
}

impl Stream {
    /// A stream of `format`; `None` for the formats that need every report at once.
    pub fn new(format: Format, color: bool) -> Option<Stream> {
        match format {
            Format::Human | Format::Short | Format::Json | Format::Github => Some(Stream {
                format,
                color,
                files_written: 0,
            }),
            Format::Sarif | Format::Summary => None,
        }
    }

    /// Writes the next reports, as they would be among all of them.
    pub fn write(&mut self, reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Human => human::write(reports, out, self.color),
            Format::Short => short::write(reports, out),
            Format::Github => github::write(reports, out),
            Format::Json => json::write_batch(reports, &mut self.files_written, out),
            Format::Sarif | Format::Summary => unreachable!("not a streamed format"),
        }
    }

    /// What renders reports for this stream, on any thread.
    pub fn renderer(&self) -> Renderer {
        Renderer {
            format: self.format,
            color: self.color,
        }
    }

    /// Writes a report's output that its [`Renderer`] gave, after those written so far.
    pub fn write_rendered(&mut self, rendered: &Rendered, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Json if rendered.0.is_empty() => Ok(()),
            Format::Json => json::write_file(&rendered.0, &mut self.files_written, out),
            _ => out.write_all(&rendered.0),
        }
    }

    /// Ends the output (the JSON array's closing bracket).
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Json => json::finish(self.files_written, out),
            _ => Ok(()),
        }
    }
}

/// Renders reports one by one, on any thread, for [`Stream::write_rendered`] to write in the
/// reports' order.
#[derive(Debug, Clone, Copy)]
pub struct Renderer {
    format: Format,
    color: bool,
}

impl Renderer {
    /// One report's output.
    pub fn render(&self, report: &FileReport) -> io::Result<Rendered> {
        let reports = std::slice::from_ref(report);
        let mut bytes = Vec::new();
        match self.format {
            Format::Json => bytes = json::render(report)?.unwrap_or_default(),
            Format::Human => human::write(reports, &mut bytes, self.color)?,
            Format::Short => short::write(reports, &mut bytes)?,
            Format::Github => github::write(reports, &mut bytes)?,
            Format::Sarif | Format::Summary => unreachable!("not a streamed format"),
        }
        // It may wait for its turn: without the spare capacity of its growth (the 2,000-file
        // benchmark's 2-thread peak 0.5 MiB lower).
        bytes.shrink_to_fit();
        Ok(Rendered(bytes))
    }
}

/// One report's output, waiting for its turn to be written (see [`Renderer`]).
#[derive(Debug)]
pub struct Rendered(Vec<u8>);

/// Counts of findings by severity, and of files with findings and files checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files read and linted.
    pub files_checked: usize,
}

impl Summary {
    /// Counts the findings of `reports`; a file that could not be read is not "checked".
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        summary.add(reports);
        summary
    }

    /// Adds the counts of `reports`.
    pub fn add(&mut self, reports: &[FileReport]) {
        let summary = self;
        for report in reports {
            // The engine leaves `source` empty exactly when the file could not be read or decoded.
            let unreadable = !report.errors.is_empty() && report.source.is_empty();
            if !unreadable {
                summary.files_checked += 1;
            }
            if !report.diagnostics.is_empty() {
                summary.files_with_findings += 1;
            }
            for d in &report.diagnostics {
                match d.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
        }
    }
}

impl std::ops::AddAssign for Summary {
    fn add_assign(&mut self, other: Summary) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.files_with_findings += other.files_with_findings;
        self.files_checked += other.files_checked;
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        write!(
            f,
            "{} {}, {} {}, {} info in {} {} ({} {} checked)",
            self.errors,
            plural(self.errors, "error", "errors"),
            self.warnings,
            plural(self.warnings, "warning", "warnings"),
            self.infos,
            self.files_with_findings,
            plural(self.files_with_findings, "file", "files"),
            self.files_checked,
            plural(self.files_checked, "file", "files"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::reports_of;

    #[test]
    fn reports_rendered_one_by_one_are_written_as_a_stream_writes_them_together() {
        let reports = reports_of(&[
            "# Outage\n\nThe API was down from 10:00 to 11:30. Our DNS provider's BGP mistake caused it.\n",
            "",
            "# Fine\n\nWe are sorry: logins failed from 10:00 UTC to 10:20 UTC.\n",
            "# Again\n\nSorry for any inconvenience, it was a glitch at 9:15.\n",
        ]);
        assert!(reports.iter().filter(|r| !r.diagnostics.is_empty()).count() >= 2);
        for (format, color) in [
            (Format::Json, false),
            (Format::Human, false),
            (Format::Human, true),
            (Format::Short, false),
            (Format::Github, false),
        ] {
            let mut together = Vec::new();
            let mut stream = Stream::new(format, color).unwrap();
            stream.write(&reports, &mut together).unwrap();
            stream.finish(&mut together).unwrap();

            let mut one_by_one = Vec::new();
            let mut stream = Stream::new(format, color).unwrap();
            let rendered: Vec<Rendered> = reports.iter().map(|r| stream.renderer().render(r).unwrap()).collect();
            for r in &rendered {
                stream.write_rendered(r, &mut one_by_one).unwrap();
            }
            stream.finish(&mut one_by_one).unwrap();
            assert!(!together.is_empty());
            assert_eq!(
                String::from_utf8(one_by_one).unwrap(),
                String::from_utf8(together).unwrap(),
                "{format:?}"
            );
        }
    }
}
