//! `human`: rustc-like diagnostics through codespan-reporting.
//!
//! ```text
//! warning[CL301] missing-timezone: clock time `6.15pm` has no time zone
//!   --> status.md:4:12
//!    |
//!  4 | Service resumed at 6.15pm.
//!    |                    ^^^^^^
//!    |
//!    = help: add the zone: "6.15pm UTC"
//! ```
//!
//! codespan renders `severity[code]: message`; the house header puts the rule name after the
//! code (`severity[CODE] rule-name: message`, RULES.md §1), so this printer writes the header
//! itself and lets codespan draw the rest. A suggestion follows as a `help:` with the patched
//! text, as rustc shows its suggestions.

use super::ordered;
use crate::diagnostic::{Applicability, Diagnostic, Severity, Suggestion};
use crate::document::LineIndex;
use crate::engine::FileReport;
use codespan_reporting::diagnostic::{self as cs, LabelStyle};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Chars, Config, Styles};
use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

/// Writes every diagnostic of every report, colored when `color` is set.
pub fn write(reports: &[FileReport], out: &mut dyn Write, color: bool) -> io::Result<()> {
    let config = config();
    for report in reports {
        // Indexed once per file: a large file with many findings stays linear.
        let mut files = SourceFiles::new(&report.path, &report.source);
        for diagnostic in ordered(report) {
            let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
            render(&config, &mut files, diagnostic, &mut buffer)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

/// Renders one diagnostic into a string without color (for tests and snapshots).
pub fn render_to_string(path: &str, source: &str, diagnostic: &Diagnostic) -> String {
    let mut buffer = Buffer::no_color();
    let mut files = SourceFiles::new(path, source);
    render(&config(), &mut files, diagnostic, &mut buffer).expect("writing to memory");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

fn render(config: &Config, files: &mut SourceFiles<'_>, d: &Diagnostic, out: &mut Buffer) -> io::Result<()> {
    let source = files.files[ORIGINAL].source.as_ref();
    let severity = codespan_severity(d.severity);
    write_header(out, severity, d)?;
    let mut labels = vec![cs::Label::new(
        LabelStyle::Primary,
        ORIGINAL,
        clamp(source, d.primary.span.start, d.primary.span.end),
    )
    .with_message(&d.primary.message)];
    labels.extend(d.secondary.iter().map(|l| {
        cs::Label::new(LabelStyle::Secondary, ORIGINAL, clamp(source, l.span.start, l.span.end))
            .with_message(&l.message)
    }));
    let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
    let body = cs::Diagnostic::new(severity).with_labels(labels).with_notes(notes);
    files.anchors = body
        .labels
        .iter()
        .flat_map(|l| [(l.file_id, l.range.start), (l.file_id, l.range.end)])
        .collect();
    emit_without_header(out, config, files, &body, d.suggestion.is_some())?;

    if let Some(suggestion) = &d.suggestion {
        let title = suggestion_title(source, suggestion);
        let (excerpt, new_span) = files.patched_excerpt(suggestion);
        let note = match suggestion.applicability {
            Applicability::MachineApplicable => "",
            Applicability::MaybeIncorrect => "check this before applying it",
        };
        let help = cs::Diagnostic::help()
            .with_message(title)
            .with_label(cs::Label::primary(excerpt, new_span.clone()).with_message(note));
        files.anchors = vec![(excerpt, new_span.start), (excerpt, new_span.end)];
        let written = term::emit_to_write_style(out, config, &*files, &help).map_err(io::Error::other);
        files.files.truncate(ORIGINAL + 1);
        written?;
    }
    Ok(())
}

/// `severity[CODE] rule-name: message`, styled as codespan styles its own headers.
fn write_header(out: &mut Buffer, severity: cs::Severity, d: &Diagnostic) -> io::Result<()> {
    let styles = Styles::default();
    out.set_color(styles.header(severity))?;
    write!(out, "{}[{}]", d.severity, d.code)?;
    out.set_color(&styles.header_message)?;
    write!(out, " {}: {}", d.rule, d.message.replace(['\n', '\r'], " "))?;
    out.reset()?;
    writeln!(out)
}

/// Lets codespan render a diagnostic into a scratch buffer and keeps all but its header line.
fn emit_without_header(
    out: &mut Buffer,
    config: &Config,
    files: &SourceFiles,
    diagnostic: &cs::Diagnostic<usize>,
    help_follows: bool,
) -> io::Result<()> {
    let mut scratch = if out.supports_color() {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    term::emit_to_write_style(&mut scratch, config, files, diagnostic).map_err(io::Error::other)?;
    // The header was rendered from an empty message, so its line holds no newline but its own.
    let bytes = scratch.as_slice();
    let mut body = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes, |i| &bytes[i + 1..]);
    if help_follows && body.ends_with(b"\n\n") {
        // The suggestion's `help:` belongs to this diagnostic: no blank line between them.
        body = &body[..body.len() - 1];
    }
    out.write_all(body)
}

fn codespan_severity(severity: Severity) -> cs::Severity {
    match severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    }
}

/// The nearest character boundary at or before `at` (clamped to the text).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The nearest character boundary at or after `at` (clamped to the text).
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// A span made safe for codespan: inside the source and on character boundaries.
fn clamp(source: &str, start: usize, end: usize) -> Range<usize> {
    let snap = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = snap(start);
    start..snap(end).max(start)
}

/// `replace `a` with `b``, `insert `b``, `remove `a``; short texts are quoted, long ones not.
fn suggestion_title(source: &str, s: &Suggestion) -> String {
    let range = clamp(source, s.span.start, s.span.end);
    let old = &source[range];
    let quotable = |t: &str| t.chars().count() <= 40 && !t.contains('\n');
    match (old.is_empty(), s.replacement.is_empty()) {
        (true, _) if quotable(&s.replacement) => format!("insert `{}`", s.replacement),
        (false, true) if quotable(old) => format!("remove `{old}`"),
        (false, false) if quotable(old) && quotable(&s.replacement) => {
            format!("replace `{old}` with `{}`", s.replacement)
        }
        _ => "apply this change".to_string(),
    }
}

/// The id of the linted file in [`SourceFiles`]; a suggestion's patched lines come after it.
const ORIGINAL: usize = 0;

/// A text for codespan: the linted file, or the lines a suggestion changes, patched.
struct SourceFile<'a> {
    name: &'a str,
    source: Cow<'a, str>,
    index: LineIndex,
    /// 0-based line of the linted file where this text starts (0 for the file itself).
    first_line: usize,
    /// Columns of its first line that lie before this text (an excerpt cut out of a long line).
    column_offset: usize,
}

/// Lines longer than this many bytes are shown as a window around the labels.
const LONG_LINE: usize = 400;
/// Bytes shown on each side of the labels in a long line.
const CONTEXT: usize = 120;

/// Sources for codespan, positioned with our [`LineIndex`] so columns follow RULES.md §1
/// (Unicode scalar values, a BOM not counted) in every format.
struct SourceFiles<'a> {
    files: Vec<SourceFile<'a>>,
    /// Label ends of the diagnostic being rendered, (file, offset): a long line is shown only
    /// around them, so a 20 MB line is not printed whole for every finding in it.
    anchors: Vec<(usize, usize)>,
}

impl<'a> SourceFiles<'a> {
    fn new(name: &'a str, source: &'a str) -> Self {
        SourceFiles {
            files: vec![SourceFile {
                name,
                index: LineIndex::new(source),
                source: Cow::Borrowed(source),
                first_line: 0,
                column_offset: 0,
            }],
            anchors: Vec::new(),
        }
    }

    /// Adds the lines `suggestion` touches with its replacement applied; returns the new
    /// file's id and where the replacement sits in it.
    fn patched_excerpt(&mut self, suggestion: &Suggestion) -> (usize, Range<usize>) {
        let original = &self.files[ORIGINAL];
        let source = original.source.as_ref();
        let range = clamp(source, suggestion.span.start, suggestion.span.end);
        let first_line = original.index.line_of(range.start);
        let line_start = original.index.line_start(first_line);
        let line_end = original.index.line_span(source, original.index.line_of(range.end)).end;
        // Long lines are cut around the change, as `line_range` shows them.
        let from = if range.start - line_start > LONG_LINE {
            floor_boundary(source, range.start - CONTEXT)
        } else {
            line_start
        };
        let to = if line_end - range.end > LONG_LINE {
            ceil_boundary(source, range.end + CONTEXT)
        } else {
            line_end
        };
        let column_offset = if from > line_start {
            original.index.line_col(source, from).column - 1
        } else {
            0
        };
        let mut patched = String::with_capacity(to - from + suggestion.replacement.len());
        patched.push_str(&source[from..range.start]);
        patched.push_str(&suggestion.replacement);
        patched.push_str(&source[range.end..to]);
        let at = range.start - from;
        self.files.push(SourceFile {
            name: original.name,
            index: LineIndex::new(&patched),
            source: Cow::Owned(patched),
            first_line,
            column_offset,
        });
        (self.files.len() - 1, at..at + suggestion.replacement.len())
    }

    fn get(&self, id: usize) -> Result<&SourceFile<'a>, FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'f> Files<'f> for SourceFiles<'_> {
    type FileId = usize;
    type Name = &'f str;
    type Source = &'f str;

    fn name(&'f self, id: usize) -> Result<&'f str, FilesError> {
        Ok(self.get(id)?.name)
    }

    fn source(&'f self, id: usize) -> Result<&'f str, FilesError> {
        Ok(self.get(id)?.source.as_ref())
    }

    fn line_index(&'f self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.get(id)?;
        Ok(file.index.line_of(byte_index.min(file.source.len())))
    }

    fn line_number(&'f self, id: usize, line_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id)?.first_line + line_index + 1)
    }

    fn column_number(&'f self, id: usize, line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.get(id)?;
        let offset = if line_index == 0 { file.column_offset } else { 0 };
        Ok(offset + file.index.line_col(&file.source, byte_index).column)
    }

    fn line_range(&'f self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id)?;
        let count = file.index.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            });
        }
        let start = file.index.line_start(line_index);
        let end = if line_index + 1 < count {
            file.index.line_start(line_index + 1)
        } else {
            file.source.len()
        };
        if end - start <= LONG_LINE {
            return Ok(start..end);
        }
        // A window around the labels in this line; its first bytes for a line without any.
        let source = file.source.as_ref();
        let inside = self
            .anchors
            .iter()
            .filter(|&&(f, at)| f == id && (start..=end).contains(&at));
        let (low, high) = inside.fold((usize::MAX, 0), |(lo, hi), &(_, at)| (lo.min(at), hi.max(at)));
        if low == usize::MAX {
            return Ok(start..ceil_boundary(source, start + LONG_LINE / 2));
        }
        // A label longer than the window is shown from its start (its carets run to the edge).
        let high = high.min(low + LONG_LINE);
        let from = floor_boundary(source, low.saturating_sub(CONTEXT).max(start));
        let to = ceil_boundary(source, (high + CONTEXT).min(end));
        Ok(from..to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Span};

    fn diagnostic(span: Span) -> Diagnostic {
        Diagnostic {
            rule: "missing-timezone".into(),
            code: "CL301".into(),
            severity: Severity::Error,
            message: "clock time `6.15pm` has no time zone".into(),
            primary: Label::new(span, "which zone?"),
            secondary: vec![Label::new(Span::new(0, 6), "announcement starts here")],
            help: Some("add the zone: \"6.15pm UTC\"".into()),
            suggestion: Some(Suggestion {
                span: Span::empty(span.end),
                replacement: " UTC".into(),
                applicability: Applicability::MaybeIncorrect,
            }),
        }
    }

    #[test]
    fn header_names_code_and_rule_and_body_underlines_the_text() {
        let source = "# Outage\r\n\r\nFixed at 6.15pm today.\r\n";
        let start = source.find("6.15pm").unwrap();
        let out = render_to_string("a.md", source, &diagnostic(Span::new(start, start + 6)));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "error[CL301] missing-timezone: clock time `6.15pm` has no time zone"
        );
        assert_eq!(lines[1], "  --> a.md:3:10");
        assert!(out.contains("Fixed at 6.15pm today."), "{out}");
        assert!(out.contains("^^^^^^ which zone?"), "{out}");
        assert!(out.contains("------ announcement starts here"), "{out}");
        assert!(out.contains("= help: add the zone: \"6.15pm UTC\""), "{out}");
        assert!(out.contains("\"6.15pm UTC\"\nhelp: insert ` UTC`\n"), "{out}");
        assert!(out.ends_with("check this before applying it\n\n"), "{out}");
        assert!(
            out.contains("3 | Fixed at 6.15pm UTC today."),
            "the patched line keeps its number: {out}"
        );
        assert!(out.contains("check this before applying it"), "{out}");
    }

    #[test]
    fn info_is_called_info_and_columns_skip_the_bom() {
        let source = "\u{feff}😀 x";
        let x = source.find('x').unwrap();
        let mut d = diagnostic(Span::new(x, x + 1));
        d.severity = Severity::Info;
        d.secondary.clear();
        d.suggestion = None;
        let out = render_to_string("b.md", source, &d);
        assert!(out.starts_with("info[CL301] missing-timezone: "), "{out}");
        assert!(out.contains("--> b.md:1:3"), "{out}");
    }

    #[test]
    fn an_empty_file_renders_an_empty_span() {
        let mut d = diagnostic(Span::empty(0));
        d.secondary.clear();
        d.suggestion = None;
        let out = render_to_string("c.md", "", &d);
        assert!(out.contains("--> c.md:1:1"), "{out}");
    }
}
