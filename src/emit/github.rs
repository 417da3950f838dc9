//! `github`: one GitHub Actions workflow command per finding, which GitHub turns into an
//! annotation on the file and line.
//!
//! `::error file=a.md,line=3,col=9,endLine=3,endColumn=14,title=CL301 missing-timezone::message`
//! with `error`, `warning` or `notice` by severity. Lines and columns are 1-based; columns count
//! Unicode scalar values as in every other format, and `endColumn` is the column just after the
//! underlined text (as ruff writes it). GitHub accepts columns only when the finding starts and
//! ends on the same line, so a finding spanning lines carries `line` and `endLine` only.

use super::{ordered, Positions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;
use std::io::{self, Write};

/// Writes one workflow command per diagnostic.
pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let positions = Positions::new(&report.source);
        for d in ordered(report) {
            writeln!(out, "{}", command(&report.path, &positions, d))?;
        }
    }
    Ok(())
}

/// The workflow command name for a severity.
pub fn command_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One finding as a workflow command line (without the newline).
pub fn command(path: &str, positions: &Positions<'_>, d: &Diagnostic) -> String {
    let start = positions.at(d.primary.span.start);
    let end = positions.at(d.primary.span.end);
    let mut properties = vec![("file", path.to_string()), ("line", start.line.to_string())];
    if start.line == end.line {
        properties.push(("col", start.column.to_string()));
        properties.push(("endLine", end.line.to_string()));
        properties.push(("endColumn", end.column.to_string()));
    } else {
        properties.push(("endLine", end.line.to_string()));
    }
    properties.push(("title", format!("{} {}", d.code, d.rule)));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        command_name(d.severity),
        properties.join(","),
        escape_data(&message)
    )
}

/// GitHub's escaping of a command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escaping of a command's property value: the message's, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_unescapes() {
        assert_eq!(escape_data("50% down\r\nnow: a,b"), "50%25 down%0D%0Anow: a,b");
        assert_eq!(escape_property("dir,x/a:b%.md"), "dir%2Cx/a%3Ab%25.md");
        // `%` first, so an escape already in the text is not read back as one.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn a_finding_over_several_lines_has_no_columns() {
        use crate::diagnostic::{Label, Span};
        let source = "# T\n\nfirst line\nsecond line\n";
        let d = Diagnostic {
            rule: "missing-impact".into(),
            code: "CL104".into(),
            severity: Severity::Info,
            message: "50% of it".into(),
            primary: Label::new(Span::new(5, 21), ""),
            secondary: vec![],
            help: None,
            suggestion: None,
        };
        assert_eq!(
            command("a.md", &Positions::new(source), &d),
            "::notice file=a.md,line=3,endLine=4,title=CL104 missing-impact::50%25 of it"
        );
    }
}
