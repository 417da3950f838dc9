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
use std::io::{self, Write};
use std::ops::Range;

/// Writes every diagnostic of every report, colored when `color` is set.
pub fn write(reports: &[FileReport], out: &mut dyn Write, color: bool) -> io::Result<()> {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    for report in reports {
        for diagnostic in ordered(report) {
            let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
            render(&config, &report.path, &report.source, diagnostic, &mut buffer)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

/// Renders one diagnostic into a string without color (for tests and snapshots).
pub fn render_to_string(path: &str, source: &str, diagnostic: &Diagnostic) -> String {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut buffer = Buffer::no_color();
    render(&config, path, source, diagnostic, &mut buffer).expect("writing to memory");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn render(config: &Config, path: &str, source: &str, d: &Diagnostic, out: &mut Buffer) -> io::Result<()> {
    let mut files = SourceFiles::default();
    let file = files.add(path, source.to_string());
    let severity = codespan_severity(d.severity);

    write_header(out, severity, d)?;
    let mut labels = vec![cs::Label::new(
        LabelStyle::Primary,
        file,
        clamp(source, d.primary.span.start, d.primary.span.end),
    )
    .with_message(&d.primary.message)];
    labels.extend(d.secondary.iter().map(|l| {
        cs::Label::new(LabelStyle::Secondary, file, clamp(source, l.span.start, l.span.end)).with_message(&l.message)
    }));
    let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
    let body = cs::Diagnostic::new(severity).with_labels(labels).with_notes(notes);
    emit_without_header(out, config, &files, &body)?;

    if let Some(suggestion) = &d.suggestion {
        let (patched, new_span) = apply(source, suggestion);
        let patched_file = files.add(path, patched);
        let help = cs::Diagnostic::help()
            .with_message(suggestion_title(source, suggestion))
            .with_label(
                cs::Label::primary(patched_file, new_span).with_message(match suggestion.applicability {
                    Applicability::MachineApplicable => "",
                    Applicability::MaybeIncorrect => "check this before applying it",
                }),
            );
        term::emit_to_write_style(out, config, &files, &help).map_err(io::Error::other)?;
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
) -> io::Result<()> {
    let mut scratch = if out.supports_color() {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    term::emit_to_write_style(&mut scratch, config, files, diagnostic).map_err(io::Error::other)?;
    // The header was rendered from an empty message, so its line holds no newline but its own.
    let bytes = scratch.as_slice();
    let body = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes, |i| &bytes[i + 1..]);
    out.write_all(body)
}

fn codespan_severity(severity: Severity) -> cs::Severity {
    match severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    }
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

/// The source with the suggestion applied, and where the new text sits in it.
fn apply(source: &str, s: &Suggestion) -> (String, Range<usize>) {
    let range = clamp(source, s.span.start, s.span.end);
    let mut patched = String::with_capacity(source.len() + s.replacement.len());
    patched.push_str(&source[..range.start]);
    patched.push_str(&s.replacement);
    patched.push_str(&source[range.end..]);
    (patched, range.start..range.start + s.replacement.len())
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

/// Sources for codespan, positioned with our [`LineIndex`] so columns follow RULES.md §1
/// (Unicode scalar values, a BOM not counted) in every format.
#[derive(Default)]
struct SourceFiles {
    files: Vec<(String, String, LineIndex)>,
}

impl SourceFiles {
    fn add(&mut self, name: &str, source: String) -> usize {
        let index = LineIndex::new(&source);
        self.files.push((name.to_string(), source, index));
        self.files.len() - 1
    }

    fn get(&self, id: usize) -> Result<&(String, String, LineIndex), FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for SourceFiles {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.0)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.1)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let (_, source, index) = self.get(id)?;
        Ok(index.line_of(byte_index.min(source.len())))
    }

    fn column_number(&'a self, id: usize, _line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let (_, source, index) = self.get(id)?;
        Ok(index.line_col(source, byte_index).column)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let (_, source, index) = self.get(id)?;
        let count = index.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            });
        }
        let start = index.line_start(line_index);
        let end = if line_index + 1 < count {
            index.line_start(line_index + 1)
        } else {
            source.len()
        };
        Ok(start..end)
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
        assert!(out.contains("help: insert ` UTC`"), "{out}");
        assert!(out.contains("Fixed at 6.15pm UTC today."), "{out}");
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
