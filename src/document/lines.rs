//! Byte offsets to 1-based lines and columns (RULES.md §1 "Positions").
//!
//! Columns count Unicode scalar values (a tab is one column, an emoji one, a CJK character
//! one); a UTF-8 BOM counts in offsets, not in columns. Lines end at `\n`; a `\r` before it
//! belongs to the line it ends. UTF-16 columns are offered for LSP and SARIF consumers.

use serde::Serialize;

/// A position for people and tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// 0-based column in UTF-16 code units (LSP's default unit).
    #[serde(skip)]
    pub utf16_column: usize,
}

/// Start offsets of every line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    bom: bool,
}

impl LineIndex {
    /// Indexes `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            bom: source.starts_with('\u{feff}'),
        }
    }

    /// Number of lines (a trailing newline opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number of an offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    /// Byte range of a 0-based line, without its `\n` (a `\r` before it is included).
    pub fn line_span(&self, source: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(source.len(), |next| next - 1);
        start..end
    }

    /// Line and column of a byte offset (clamped to the source, snapped back to a character
    /// boundary).
    pub fn line_col(&self, source: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if line == 0 && self.bom && offset >= 3 {
            start = 3;
        }
        let before = &source[start.min(offset)..offset];
        LineCol {
            line: line + 1,
            column: before.chars().count() + 1,
            utf16_column: before.encode_utf16().count(),
        }
    }

    /// The byte offset of a 1-based line and 1-based scalar-value column (the inverse of
    /// [`line_col`](Self::line_col)); `None` when out of range.
    pub fn offset(&self, source: &str, line: usize, column: usize) -> Option<usize> {
        let line0 = line.checked_sub(1)?;
        let range = self.line_span(source, *self.starts.get(line0).map(|_| &line0)?);
        let mut start = range.start;
        if line0 == 0 && self.bom {
            start = 3;
        }
        let text = &source[start..range.end];
        let col0 = column.checked_sub(1)?;
        if col0 == text.chars().count() {
            return Some(range.end);
        }
        text.char_indices().nth(col0).map(|(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_and_skip_the_bom() {
        let src = "\u{feff}a\tb\r\n😀 漢字 x\n";
        let idx = LineIndex::new(src);
        assert_eq!(
            idx.line_col(src, 3),
            LineCol {
                line: 1,
                column: 1,
                utf16_column: 0
            }
        );
        assert_eq!(idx.line_col(src, 5).column, 3); // b after the tab
        let x = src.find('x').unwrap();
        let pos = idx.line_col(src, x);
        assert_eq!((pos.line, pos.column, pos.utf16_column), (2, 6, 6)); // the emoji is two UTF-16 units
        assert_eq!(idx.offset(src, 2, 6), Some(x));
        assert_eq!(idx.offset(src, 1, 1), Some(3));
    }
}
