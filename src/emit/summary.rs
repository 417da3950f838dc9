//! `summary`: Markdown for a GitHub job summary (`>> "$GITHUB_STEP_SUMMARY"`): the counts, then
//! one table of findings per file.

use super::{ordered, Positions, Summary};
use crate::diagnostic::Severity;
use crate::engine::FileReport;
use std::io::{self, Write};

/// Writes the summary.
pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(reports);
    writeln!(out, "## crisislint\n")?;
    if summary.errors + summary.warnings + summary.infos == 0 {
        let files = summary.files_checked;
        writeln!(
            out,
            "No findings in {files} {}.",
            if files == 1 { "file" } else { "files" }
        )?;
        return Ok(());
    }
    writeln!(out, "**{summary}**")?;
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let positions = Positions::new(&report.source);
        writeln!(out, "\n### {}\n", escape(&report.path))?;
        writeln!(out, "| Line | Severity | Rule | Message |")?;
        writeln!(out, "| ---: | --- | --- | --- |")?;
        for d in ordered(report) {
            let start = positions.at(d.primary.span.start);
            let mut message = escape(&d.message);
            if let Some(help) = &d.help {
                message.push_str("<br>help: ");
                message.push_str(&escape(help));
            }
            writeln!(
                out,
                "| {}:{} | {} | `{}` {} | {} |",
                start.line,
                start.column,
                badge(d.severity),
                d.code,
                escape(&d.rule),
                message
            )?;
        }
    }
    Ok(())
}

fn badge(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟡 warning",
        Severity::Info => "🔵 info",
    }
}

/// Text safe inside a Markdown table cell or heading: one line, Markdown and HTML punctuation
/// backslash-escaped so a file name or message cannot open a link, a tag or a new cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_one_cell() {
        assert_eq!(escape("a|b\n<img>*x*"), r"a\|b &lt;img&gt;\*x\*");
    }
}
