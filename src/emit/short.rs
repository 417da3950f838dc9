//! `short`: one line per finding, `path:line:col: severity: message [rule]`.
//!
//! Vim's `errorformat=%f:%l:%c:\ %t%*[^:]:\ %m` reads it (`%t` takes the first letter of the
//! severity: e, w or i), as do most editors' "compile output" parsers.

use super::{ordered, Positions};
use crate::engine::FileReport;
use std::io::{self, Write};

/// Writes one line per diagnostic.
pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let positions = Positions::new(&report.source);
        for d in ordered(report) {
            let start = positions.at(d.primary.span.start);
            // A message is one line by contract; keep the format line-based even if one is not.
            let message = d.message.replace(['\n', '\r'], " ");
            writeln!(
                out,
                "{}:{}:{}: {}: {} [{}]",
                report.path, start.line, start.column, d.severity, message, d.rule
            )?;
        }
    }
    Ok(())
}
