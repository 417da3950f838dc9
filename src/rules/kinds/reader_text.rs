//! The source a reader sees around the prose: addresses, URLs, link destinations and inline
//! HTML, which the prose mask blanks. CL105, CL106 and CL109 read them here.
//!
//! A prose block's span is trimmed on the mask, so it stops before a trailing URL, autolink or
//! tag (`Email us at <help@example.com>`). Widening each block to its whole lines gives the
//! text around it back; code blocks, HTML blocks and front matter never share a line with a
//! prose block, so they stay out. Inline code does share lines and is skipped by [`in_code`].

use crate::diagnostic::Span;
use crate::document::{BlockKind, Document};

/// The lines of every prose block, merged, in source order (line breaks excluded). Produced as
/// the blocks are walked: a big document has half a million blocks.
pub fn reader_lines(doc: &Document) -> impl Iterator<Item = Span> + '_ {
    let mut blocks = doc.blocks.iter().map(|block| {
        Span::new(
            line_start(&doc.source, block.span().start),
            line_end(&doc.source, block.span().end),
        )
    });
    let mut pending = blocks.next();
    std::iter::from_fn(move || {
        let mut line = pending.take()?;
        for span in blocks.by_ref() {
            if span.start <= line.end {
                line.end = line.end.max(span.end);
            } else {
                pending = Some(span);
                break;
            }
        }
        Some(line)
    })
}

/// Where the text that follows a block's last sentence ends: the end of its line, or for a
/// table cell the next cell border.
pub fn block_tail_end(doc: &Document, block_index: usize) -> usize {
    let block = &doc.blocks[block_index];
    let end = line_end(&doc.source, block.span().end);
    match block.kind() {
        BlockKind::TableCell { .. } => doc.source[block.span().end..end]
            .find('|')
            .map_or(end, |i| block.span().end + i),
        _ => end,
    }
}

/// True when the offset lies inside an inline code span.
pub fn in_code(doc: &Document, offset: usize) -> bool {
    let after = doc.code_spans.partition_point(|c| c.end <= offset);
    doc.code_spans.get(after).is_some_and(|c| c.contains_offset(offset))
}

/// True when the offset lies in a link's destination part (`(...)` of `[text](...)`), which
/// is an address, not text.
pub fn in_link_destination(doc: &Document, offset: usize) -> bool {
    doc.links
        .iter()
        .any(|l| l.span.contains_offset(offset) && !l.text_span.contains_offset(offset) && offset >= l.text_span.end)
}

fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(source: &str, offset: usize) -> usize {
    let end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
    if source[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse("t.md", text.to_string())
    }

    #[test]
    fn a_trailing_autolink_is_back_on_its_line() {
        let d = doc("# T\n\nEmail us at <help@example.com>\n\n```\nmail root@example.com\n```\n");
        let texts: Vec<_> = reader_lines(&d).map(|s| d.text(s)).collect();
        assert_eq!(texts, ["# T", "Email us at <help@example.com>"]);
    }

    #[test]
    fn inline_code_and_destinations_are_told_apart() {
        let d = doc("Run `mail x` or see [docs](https://example.com/help).\n");
        assert!(in_code(&d, d.source.find("mail").unwrap()));
        assert!(!in_code(&d, d.source.find("Run").unwrap()));
        assert!(in_link_destination(&d, d.source.find("https").unwrap()));
        assert!(!in_link_destination(&d, d.source.find("docs").unwrap()));
    }

    #[test]
    fn a_table_cell_tail_stops_at_the_border() {
        let d = doc("| a | b |\n|---|---|\n| write to us at | x |\n");
        let cell = d
            .blocks
            .iter()
            .position(|b| d.text(b.span()) == "write to us at")
            .unwrap();
        assert_eq!(&d.source[d.blocks[cell].span().end..block_tail_end(&d, cell)], " ");
    }
}
