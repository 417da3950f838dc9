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

/// A place found by [`LineIndex::place`]: a character boundary, its 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Byte offset.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
}

/// Start offsets of every line.
///
/// Offsets are kept in 32 bits (a 52 MB file has 860,000 lines): the text indexed is at most
/// [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES) long, as a document's is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<u32>,
    bom: bool,
    /// Column counts at points inside long lines, in offset order, so that positions in a
    /// line of megabytes cost a short count instead of one from the line's start (a 1 MB
    /// line with 75,000 findings took 17 s to print).
    checkpoints: Vec<Checkpoint>,
}

/// Lines longer than this get [`Checkpoint`]s every this many bytes.
const CHECKPOINT_STRIDE: usize = 4096;

/// Counts from the start of a line (after the BOM on line 1) to `offset`, a char boundary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Checkpoint {
    offset: u32,
    chars: u32,
    utf16: u32,
}

impl LineIndex {
    /// Indexes `source`.
    ///
    /// # Panics
    ///
    /// When `source` is longer than [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES).
    pub fn new(source: &str) -> Self {
        assert!(
            source.len() <= super::MAX_DOCUMENT_BYTES,
            "a line index covers at most {} bytes",
            super::MAX_DOCUMENT_BYTES
        );
        // Counted first so that the vector is exact: 3.4 MB for a file of 860,000 lines.
        let newlines = || memchr::memchr_iter(b'\n', source.as_bytes());
        let mut starts = Vec::with_capacity(1 + newlines().count());
        starts.push(0);
        starts.extend(newlines().map(|i| super::compact(i + 1)));
        let bom = source.starts_with('\u{feff}');
        let mut index = LineIndex {
            starts,
            bom,
            checkpoints: Vec::new(),
        };
        for line in 0..index.starts.len() {
            let range = index.text_span(source, line);
            if range.len() > CHECKPOINT_STRIDE {
                index.add_checkpoints(source, range);
            }
        }
        index
    }

    /// Checkpoints every [`CHECKPOINT_STRIDE`] bytes of one long line's text.
    fn add_checkpoints(&mut self, source: &str, range: std::ops::Range<usize>) {
        let (mut at, mut chars, mut utf16) = (range.start, 0, 0);
        loop {
            let mut next = at + CHECKPOINT_STRIDE;
            if next >= range.end {
                break;
            }
            while !source.is_char_boundary(next) {
                next += 1;
            }
            let (c, u) = counts(&source[at..next]);
            (at, chars, utf16) = (next, chars + c, utf16 + u);
            self.checkpoints.push(Checkpoint {
                offset: super::compact(at),
                chars: super::compact(chars),
                utf16: super::compact(utf16),
            });
        }
    }

    /// The text of a 0-based line: without its `\n`, and without the BOM on the first line.
    fn text_span(&self, source: &str, line: usize) -> std::ops::Range<usize> {
        let mut range = self.line_span(source, line);
        if line == 0 && self.bom {
            range.start = 3;
        }
        range
    }

    /// The last checkpoint at or before `offset` that lies in the line starting at `start`.
    fn checkpoint_before(&self, start: usize, offset: usize) -> Checkpoint {
        let i = self.checkpoints.partition_point(|c| c.offset() <= offset);
        match i.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some(c) if c.offset() >= start => c,
            _ => Checkpoint::line_start(start),
        }
    }

    /// Number of lines (a trailing newline opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number of an offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s as usize <= offset) - 1
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line] as usize
    }

    /// Byte range of a 0-based line, without its `\n` (a `\r` before it is included).
    pub fn line_span(&self, source: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let end = self
            .starts
            .get(line + 1)
            .map_or(source.len(), |&next| next as usize - 1);
        start..end
    }

    /// Line and column of a byte offset (clamped to the source, snapped back to a character
    /// boundary).
    pub fn line_col(&self, source: &str, offset: usize) -> LineCol {
        let (offset, line, from) = self.count_from(source, offset);
        let (chars, utf16) = counts(&source[from.offset()..offset]);
        LineCol {
            line: line + 1,
            column: from.chars as usize + chars + 1,
            utf16_column: from.utf16 as usize + utf16,
        }
    }

    /// Line and column as [`line_col`](Self::line_col) gives them, without the UTF-16 column,
    /// counted on from `near` (a place given before) when it lies on the same line between
    /// the point a count would start from and `offset`. The JSON output asks for the places of
    /// a file's findings by start, each end just after its start: counted from the line's
    /// start every time, they took 1.7% of the 2,000-file benchmark's instructions.
    pub fn place(&self, source: &str, offset: usize, near: Option<Place>) -> Place {
        let (offset, line, from) = self.count_from(source, offset);
        let (from_offset, from_column) = match near {
            Some(near) if near.line == line + 1 && (from.offset()..=offset).contains(&near.offset) => {
                (near.offset, near.column - 1)
            }
            _ => (from.offset(), from.chars as usize),
        };
        Place {
            offset,
            line: line + 1,
            column: from_column + source[from_offset..offset].chars().count() + 1,
        }
    }

    /// `offset` clamped to the source and snapped back to a character boundary, its 0-based
    /// line, and the point its column is counted from: the line's start (after the BOM on
    /// line 1) or the last checkpoint before it.
    fn count_from(&self, source: &str, offset: usize) -> (usize, usize, Checkpoint) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let mut start = self.line_start(line);
        if line == 0 && self.bom && offset >= 3 {
            start = 3;
        }
        let start = start.min(offset);
        (offset, line, self.checkpoint_before(start, offset))
    }

    /// The byte offset of a 1-based line and 1-based scalar-value column (the inverse of
    /// [`line_col`](Self::line_col)); `None` when out of range.
    pub fn offset(&self, source: &str, line: usize, column: usize) -> Option<usize> {
        let line0 = line.checked_sub(1).filter(|&l| l < self.starts.len())?;
        let range = self.text_span(source, line0);
        let col0 = column.checked_sub(1)?;
        // The last checkpoint of this line at or before the column, else the line's start.
        let first = self.checkpoints.partition_point(|c| c.offset() < range.start);
        let last = self.checkpoints.partition_point(|c| c.offset() < range.end);
        let in_line = &self.checkpoints[first..last];
        let from = in_line[..in_line.partition_point(|c| c.chars as usize <= col0)]
            .last()
            .copied()
            .unwrap_or(Checkpoint::line_start(range.start));
        let rest = col0 - from.chars as usize;
        let from_offset = from.offset();
        let mut chars = source[from_offset..range.end]
            .char_indices()
            .map(|(i, _)| from_offset + i);
        chars.nth(rest).or_else(|| {
            // One past the last character is the line's end.
            (source[from_offset..range.end].chars().count() == rest).then_some(range.end)
        })
    }
}

impl Checkpoint {
    /// Nothing counted yet, at a line's start.
    fn line_start(offset: usize) -> Self {
        Checkpoint {
            offset: super::compact(offset),
            ..Checkpoint::default()
        }
    }

    fn offset(self) -> usize {
        self.offset as usize
    }
}

/// Unicode scalar values and UTF-16 code units in `text` (a 4-byte character, whose first
/// byte is 0xF0 or more, is two units). The 4-byte starts are summed in bytes, 255 at a time,
/// which the compiler vectorizes: counted one by one they took 6 instructions a byte, and
/// every position of the JSON output is counted from its line's start.
fn counts(text: &str) -> (usize, usize) {
    let chars = text.chars().count();
    let astral: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b >= 0xF0))))
        .sum();
    (chars, chars + astral)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A place found near any other gives the line and column counted from the line's start
    /// (or checkpoint): across a BOM, CRLF, tabs, emoji, CJK, offsets inside a character, and a
    /// line long enough for checkpoints.
    #[test]
    fn places_found_near_another_are_exact() {
        let long_line = "a😀b漢".repeat(1500);
        let sources = [
            "\u{feff}a\tb\r\n😀 漢字 x\n\nlast".to_string(),
            format!("x\n{long_line}\ny"),
        ];
        for src in &sources {
            let idx = LineIndex::new(src);
            let expected = |offset: usize| {
                let pos = idx.line_col(src, offset);
                (pos.line, pos.column)
            };
            let offsets: Vec<usize> = (0..=src.len() + 1)
                .step_by(if src.len() > 1000 { 997 } else { 1 })
                .collect();
            for &offset in &offsets {
                let alone = idx.place(src, offset, None);
                assert_eq!((alone.line, alone.column), expected(offset), "{offset}");
                for &other in &offsets {
                    let near = idx.place(src, other, None);
                    let place = idx.place(src, offset, Some(near));
                    assert_eq!((place.line, place.column), expected(offset), "{other} -> {offset}");
                }
            }
        }
    }

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

    #[test]
    fn utf16_units_count_every_character_outside_the_bmp_across_chunks() {
        for text in ["", "plain", &"😀".repeat(300), &"a😀é漢\u{10FFFF}".repeat(97)] {
            let chars = text.chars().count();
            let units: usize = text.chars().map(char::len_utf16).sum();
            assert_eq!(counts(text), (chars, units), "{text:?}");
        }
    }

    #[test]
    fn long_lines_give_the_same_positions_as_counting_from_the_line_start() {
        let line = "aé😀漢 ".repeat(3000);
        let src = format!("\u{feff}{line}\nshort\n{line}");
        let idx = LineIndex::new(&src);
        assert!(!idx.checkpoints.is_empty());
        for offset in (0..=src.len()).filter(|&o| src.is_char_boundary(o)).step_by(7) {
            let pos = idx.line_col(&src, offset);
            let start = idx.line_start(pos.line - 1).max(if pos.line == 1 { 3 } else { 0 });
            let before = &src[start.min(offset)..offset];
            assert_eq!(pos.column, before.chars().count() + 1, "offset {offset}");
            assert_eq!(pos.utf16_column, before.encode_utf16().count(), "offset {offset}");
            if offset >= 3 {
                assert_eq!(idx.offset(&src, pos.line, pos.column), Some(offset), "offset {offset}");
            }
        }
        assert_eq!(idx.offset(&src, 1, line.chars().count() + 2), None);
        assert_eq!(idx.offset(&src, 4, 1), None);
    }
}
