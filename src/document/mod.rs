//! Markdown to [`Document`]: the source, its prose mask, structure and a line index.
//!
//! The prose mask has the source's exact byte length; everything that is not prose a reader
//! sees (code, HTML, URLs, link destinations, front matter, markup) is blanked to spaces, with
//! newlines kept. A regex match on the mask is therefore already a source span.

mod chunks;
mod directives;
mod events;
mod front_matter;
mod lines;
mod mask;
mod parse;
pub use parse::{markdown_options, normalize_heading};
mod sentences;
pub(crate) mod swar;
pub mod words;

pub use directives::{Directive, DirectiveKind};
pub use front_matter::{FrontMatter, MetaValue};
pub use lines::{LineCol, LineIndex, Place};
pub use mask::may_hold_url;

use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::Span;
use std::ops::ControlFlow;
use std::sync::{LazyLock, OnceLock};

/// A parsed announcement.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given on the command line or found in the walk (`-` for stdin).
    pub path: String,
    /// The text as read (a BOM, if any, included).
    pub source: String,
    /// Same length as `source`; non-prose blanked to spaces, newlines kept.
    pub mask: String,
    /// Byte offset to line and column.
    pub lines: LineIndex,
    /// YAML (`---`) or TOML (`+++`) front matter, or a Pelican header, when present.
    pub front_matter: FrontMatter,
    /// The title (RULES.md §1), when the document has any text.
    pub title: Option<Title>,
    /// Every heading outside code, in order (the title heading included, see `Heading::is_title`).
    pub headings: Vec<Heading>,
    /// Sections, one per heading, same order as `headings`.
    pub sections: Vec<Section>,
    /// Prose blocks: paragraphs, list items, headings, table cells, in source order.
    pub blocks: Vec<Block>,
    /// Sentences, in source order.
    pub sentences: Vec<Sentence>,
    /// Units for "same unit" tests: a sentence, or a whole list item, heading or table row; in
    /// source order (see [`Document::unit_containing`]).
    pub units: Vec<CompactSpan>,
    /// Inline code spans (masked; each counts as one word).
    pub code_spans: Vec<Span>,
    /// Links and images with their text and destination.
    pub links: Vec<Link>,
    /// Suppression comments (`<!-- crisislint-... -->`), well-formed or not.
    pub directives: Vec<Directive>,
    /// Bold labels opening a paragraph or list item, in source order.
    pub labels: Vec<BoldLabel>,
    /// Where the mask's words are, made on first need (see [`Document::words_of`]).
    pub(crate) word_index: OnceLock<Option<words::WordIndex>>,
}

/// Masks up to this long get a word index (a bit a byte: 2 MiB for 16 MiB); a longer one is
/// scanned again for each question. The limit is where the engine stops running a document's
/// rules on several threads, to keep memory down: a generated 16 MiB document peaks at 76.0
/// MiB on 2 threads and 76.5 MiB on one with its index (74.0 without), under three times its
/// size plus 30 MB. With the index the benchmark's 1 MB documents (up to 3 KB over the earlier
/// limit, 1 MiB) and its 10 MB one take 5% fewer instructions.
const WORD_INDEX_LIMIT: usize = 16 << 20;

/// Where the title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleSource {
    /// Front matter `title`.
    FrontMatter,
    /// A Pelican `Title:` header line.
    Pelican,
    /// A heading (index into `Document::headings`).
    Heading(usize),
    /// The first non-blank line of the body.
    FirstLine,
}

/// The document's title: where absence findings are anchored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The title text in the source (without `#` markers or quotes).
    pub span: Span,
    /// That text.
    pub text: String,
    /// Where it came from.
    pub source: TitleSource,
}

/// A heading outside code. Its spans are kept in 32 bits (a 50 MB document has 76,000
/// headings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    span: CompactSpan,
    text_span: CompactSpan,
    /// Normalised text (RULES.md §3): markup and leading numbering removed, trailing `:`/`?`
    /// removed, lowercased, spaces collapsed.
    pub normalized: String,
    /// True when this heading is the document's title.
    pub is_title: bool,
}

impl Heading {
    /// The whole heading, markers included.
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// The heading text, markers and surrounding space excluded.
    pub fn text_span(&self) -> Span {
        self.text_span.span()
    }
}

/// A bold label that opens a paragraph or list item (`**Impact:** ...`): templates accept it
/// where a heading is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoldLabel {
    /// The strong element, markers included.
    pub span: Span,
    /// Its text without markers.
    pub text_span: Span,
    /// Normalised like a heading (`impact`).
    pub normalized: String,
    /// The rest of its block: the label's content.
    pub body: Span,
}

/// A heading and the text it governs, in 20 bytes (one per heading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    heading: u32,
    body: CompactSpan,
    leaf_body: CompactSpan,
}

impl Section {
    /// Index into `Document::headings`.
    pub fn heading(&self) -> usize {
        self.heading as usize
    }

    /// From the end of the heading to the next heading of the same or higher level.
    pub fn body(&self) -> Span {
        self.body.span()
    }

    /// From the end of the heading to the next heading of any level.
    pub fn leaf_body(&self) -> Span {
        self.leaf_body.span()
    }
}

/// What sort of block a prose block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph (also a paragraph inside a list item or block quote).
    Paragraph,
    /// The text of a tight list item.
    ListItem,
    /// A heading, with its level.
    Heading(u8),
    /// A table cell; `row` counts rows from 0 over the whole document, `header` for the head row.
    TableCell {
        /// Row number, unique in the document (fewer rows than bytes: 32 bits hold it).
        row: u32,
        /// True in the table's header row.
        header: bool,
    },
}

/// The most text a [`Document`] holds. Its per-sentence and per-block tables store offsets
/// in 32 bits (8-byte offsets cost 30 MB more on a 52 MB file); the engine refuses texts over
/// its far smaller `MAX_FILE_BYTES`.
pub const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize;

/// A [`Span`] kept in 32-bit offsets, for the document's long tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactSpan {
    start: u32,
    end: u32,
}

impl CompactSpan {
    /// A span of a document's text (at most [`MAX_DOCUMENT_BYTES`] long, so it fits).
    pub fn new(span: Span) -> Self {
        CompactSpan {
            start: compact(span.start),
            end: compact(span.end),
        }
    }

    /// As a [`Span`].
    pub fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

/// An offset into a document's text, or an index into a table of things found in it (never
/// more than its bytes), in 32 bits: `Document::parse` checked that the text is at most
/// [`MAX_DOCUMENT_BYTES`] long.
pub(crate) fn compact(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A run of inline prose in one block-level container.
///
/// Packed in 16 bytes (a 50 MB document has half a million blocks); [`Block::kind`] unpacks
/// what contains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    span: CompactSpan,
    /// The row of a table cell, 0 for other blocks.
    row: u32,
    container: Container,
    in_quote: bool,
    in_list: bool,
}

/// [`BlockKind`] without the table row, which [`Block`] keeps beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Paragraph,
    ListItem,
    Heading(u8),
    TableCell { header: bool },
}

impl Block {
    fn new(kind: BlockKind, span: Span, in_quote: bool, in_list: bool) -> Self {
        let (container, row) = match kind {
            BlockKind::Paragraph => (Container::Paragraph, 0),
            BlockKind::ListItem => (Container::ListItem, 0),
            BlockKind::Heading(level) => (Container::Heading(level), 0),
            BlockKind::TableCell { row, header } => (Container::TableCell { header }, row),
        };
        Block {
            span: CompactSpan::new(span),
            row,
            container,
            in_quote,
            in_list,
        }
    }

    /// What contains it.
    pub fn kind(&self) -> BlockKind {
        match self.container {
            Container::Paragraph => BlockKind::Paragraph,
            Container::ListItem => BlockKind::ListItem,
            Container::Heading(level) => BlockKind::Heading(level),
            Container::TableCell { header } => BlockKind::TableCell { row: self.row, header },
        }
    }

    /// From its first to its last inline byte.
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// Inside a block quote (relayed text).
    pub fn in_quote(&self) -> bool {
        self.in_quote
    }

    /// Inside a list item (any depth).
    pub fn in_list(&self) -> bool {
        self.in_list
    }
}

/// One sentence of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    span: CompactSpan,
    block: u32,
    unit: u32,
}

impl Sentence {
    /// The sentence, trimmed of surrounding space.
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// Index into `Document::blocks`.
    pub fn block(&self) -> usize {
        self.block as usize
    }

    /// Index into `Document::units`.
    pub fn unit(&self) -> usize {
        self.unit as usize
    }
}

/// A link or image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The whole link in the source.
    pub span: Span,
    /// The link text (prose for links, blanked for images).
    pub text_span: Span,
    /// The destination as written (may be empty).
    pub destination: String,
    /// True for an image.
    pub is_image: bool,
}

impl Document {
    /// The source text of a span.
    pub fn text(&self, span: Span) -> &str {
        &self.source[span.start..span.end]
    }

    /// The prose-mask text of a span.
    pub fn prose(&self, span: Span) -> &str {
        &self.mask[span.start..span.end]
    }

    /// Where an "absent content" finding points: the title text, or an empty span at the start
    /// of the body for an empty document.
    pub fn title_anchor(&self) -> Span {
        match &self.title {
            Some(title) => title.span,
            None => Span::empty(self.front_matter.span.map_or(0, |s| s.end).min(self.source.len())),
        }
    }

    /// Prose words in a span (a masked inline code span counts as one word).
    pub fn word_count(&self, span: Span) -> usize {
        let words = self.prose_word_count(span);
        // Code spans are in source order: two binary searches, not a scan per call.
        let first = self.code_spans.partition_point(|c| c.start < span.start);
        let code = self.code_spans[first..]
            .iter()
            .take_while(|c| c.end <= span.end)
            .count();
        words + code
    }

    /// Prose words in a span, inline code not included: as many as `words::count_words` finds
    /// in its text.
    pub fn prose_word_count(&self, span: Span) -> usize {
        match self.words_of(span) {
            Some(index) => index.count(span.start..span.end),
            None => words::count_words(self.prose(span)),
        }
    }

    /// Calls `f` with each word of a span, as a source span (inline code not included), in
    /// order, until it breaks.
    pub fn try_for_each_word<B>(&self, span: Span, mut f: impl FnMut(Span) -> ControlFlow<B>) -> ControlFlow<B> {
        match self.words_of(span) {
            Some(index) => index.try_for_each_word(span.start..span.end, |r| f(Span::new(r.start, r.end))),
            None => {
                words::word_ranges(self.prose(span)).try_for_each(|r| f(Span::new(r.start, r.end).shift(span.start)))
            }
        }
    }

    /// The document's word index, to read `span`'s words from, when the mask has one and no
    /// word crosses the span's ends (a span cut in a word, whose text the scan would read as
    /// other words, is scanned). Rules count the words of every sentence and section, several
    /// rules the same ones: one scan of the mask instead of one for each question took the
    /// 2,000-file benchmark 1.3% fewer instructions (its peak on 2 threads 0.4 MiB more).
    fn words_of(&self, span: Span) -> Option<&words::WordIndex> {
        let index = self
            .word_index
            .get_or_init(|| (self.mask.len() <= WORD_INDEX_LIMIT).then(|| words::WordIndex::of(&self.mask)))
            .as_ref()?;
        (!index.cuts(span.start) && !index.cuts(span.end)).then_some(index)
    }

    /// The leaf section (heading index) containing an offset; `None` before the first heading.
    pub fn leaf_section_at(&self, offset: usize) -> Option<usize> {
        self.sections.iter().position(|s| {
            s.leaf_body().contains_offset(offset) || self.headings[s.heading()].span().contains_offset(offset)
        })
    }

    /// The block containing a sentence.
    pub fn block_of(&self, sentence: &Sentence) -> &Block {
        &self.blocks[sentence.block()]
    }

    /// Sentences that are not headings.
    pub fn body_sentences(&self) -> impl Iterator<Item = &Sentence> + '_ {
        self.sentences
            .iter()
            .filter(|s| !matches!(self.block_of(s).kind(), BlockKind::Heading(_)))
    }

    /// The unit holding `offset`: its index into `units`, and its span.
    pub fn unit_containing(&self, offset: usize) -> Option<(usize, Span)> {
        let i = self.units.partition_point(|u| u.span().start <= offset);
        let i = i.checked_sub(1)?;
        let unit = self.units[i].span();
        unit.contains_offset(offset).then_some((i, unit))
    }

    /// The section under heading `heading` (one per heading, in heading order).
    pub fn section_of(&self, heading: usize) -> Option<&Section> {
        self.sections.get(heading).filter(|s| s.heading() == heading)
    }

    /// Headings other than the title.
    pub fn body_headings(&self) -> impl Iterator<Item = (usize, &Heading)> + '_ {
        self.headings.iter().enumerate().filter(|(_, h)| !h.is_title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_sentence_and_per_block_tables_stay_packed() {
        // A 50 MB document has 700,000 sentences and half a million blocks and units.
        assert_eq!(std::mem::size_of::<Sentence>(), 16);
        assert_eq!(std::mem::size_of::<Block>(), 16);
        assert_eq!(std::mem::size_of::<CompactSpan>(), 8);
        assert_eq!(std::mem::size_of::<Section>(), 20);
    }

    #[test]
    fn the_word_index_counts_what_a_scan_of_each_span_counts() {
        let source = "# État du service\n\nWe're sorry: v1.2-beta failed at 10:30, see `x.y`.\n\
                      Caf\u{e9}-au-lait \u{1F600} and 東京 down; e.g. a—b… it’s fine.\r\n- one, two-three\n";
        let doc = Document::parse("a.md", source.to_string());
        let cuts: Vec<usize> = (0..=source.len()).filter(|&i| source.is_char_boundary(i)).collect();
        for (i, &start) in cuts.iter().enumerate() {
            for &end in &cuts[i..] {
                let span = Span::new(start, end);
                let scanned: Vec<Span> = words::word_ranges(doc.prose(span))
                    .map(|r| Span::new(r.start, r.end).shift(start))
                    .collect();
                let mut found = Vec::new();
                let _ = doc.try_for_each_word(span, |word| {
                    found.push(word);
                    ControlFlow::<()>::Continue(())
                });
                assert_eq!(found, scanned, "{:?}", doc.prose(span));
                assert_eq!(doc.prose_word_count(span), scanned.len(), "{:?}", doc.prose(span));
            }
        }
        assert!(doc.word_index.get().is_some_and(Option::is_some), "the index was made");
        // A whole sentence is answered from the index.
        let sentence = doc.sentences[1].span();
        assert!(doc
            .words_of(sentence)
            .is_some_and(|index| index.count(sentence.start..sentence.end) > 3));
    }
}
