//! Markdown to [`Document`] in one pass over pulldown-cmark's events.

use super::directives::parse_comment;
use super::*;
use pulldown_cmark::Options;

/// The pulldown-cmark extensions crisislint parses with (the benchmark's parse-only floor uses
/// the same).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

static COMMENT: LazyLock<CompiledRegex> = LazyLock::new(|| CompiledRegex::fixed(r"(?s)<!--.*?(?:-->|\z)"));
static LEADING_NUMBER: LazyLock<CompiledRegex> =
    LazyLock::new(|| CompiledRegex::fixed(r"^(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)]|[IVXivx]+\.)\s+"));

impl Document {
    /// Parses Markdown into a document. Never fails: any text is a document.
    ///
    /// # Panics
    ///
    /// When the text is longer than [`MAX_DOCUMENT_BYTES`]; the engine refuses such texts first.
    pub fn parse(path: &str, source: String) -> Document {
        Self::parse_in_pieces(path, source, super::chunks::PIECE_BYTES)
    }

    /// Compiles the patterns that parsing most documents uses, so that a thread with nothing
    /// else to do compiles them while the configuration is read. The others (comments with
    /// directives, shortcodes, Pelican front matter) are compiled by the first document that
    /// may need them: compiling a pattern that no line uses cost a one-file run about 80 page
    /// faults of fresh memory for the regex compiler's tables.
    pub fn warm_up() {
        LazyLock::force(&LEADING_NUMBER);
        super::mask::warm_up();
    }

    /// [`parse`](Self::parse) with pieces of about `piece_bytes` (tests compare sizes).
    #[doc(hidden)]
    pub fn parse_in_pieces(path: &str, source: String, piece_bytes: usize) -> Document {
        assert!(
            source.len() <= MAX_DOCUMENT_BYTES,
            "a document is at most {MAX_DOCUMENT_BYTES} bytes"
        );
        let front_matter = front_matter::read(&source);
        // pulldown-cmark sees the body after the BOM and front matter; a BOM blanked to spaces
        // would indent the first line.
        let hidden_until = front_matter
            .span
            .map_or(if source.starts_with('\u{feff}') { 3 } else { 0 }, |s| s.end);
        let (mask, mut b) = super::chunks::run(&source, hidden_until, piece_bytes).finish();

        let mask = mask.finish();
        b.code_spans.shrink_to_fit();
        b.links.shrink_to_fit();
        let mut doc = Document {
            path: path.to_string(),
            lines: LineIndex::default(),
            mask,
            front_matter,
            title: None,
            headings: Vec::new(),
            sections: Vec::new(),
            blocks: Vec::new(),
            sentences: Vec::new(),
            units: Vec::new(),
            code_spans: b.code_spans,
            links: b.links,
            directives: Vec::new(),
            labels: Vec::new(),
            word_index: std::sync::OnceLock::new(),
            source,
        };
        doc.directives = find_directives(&doc.source, hidden_until, &b.code_ranges);
        // In source order already; sorted so that each block finds its own by binary search.
        b.hard_breaks.sort_unstable();
        doc.build_structure(b.blocks, b.block_unit_is_block, b.block_wholes, &b.hard_breaks);
        drop(b.code_ranges);
        doc.find_labels(&b.labels);
        doc.find_title();
        // Last, once the collected blocks are gone: a big file's peak is that much lower.
        doc.lines = LineIndex::new(&doc.source);
        doc
    }

    /// Bold labels: a strong element opening its block whose text ends with `:` or is
    /// followed by one (`**Impact:** ...`, `**Impact**: ...`).
    fn find_labels(&mut self, candidates: &[Span]) {
        for &strong in candidates {
            // Blocks are in source order; the label's block is the first that ends after it.
            let first = self.blocks.partition_point(|b| b.span().end <= strong.start);
            let Some(block) = self.blocks.get(first).map(Block::span) else {
                continue;
            };
            let inner = trim_span(&self.mask, strong).unwrap_or(Span::empty(strong.start));
            let text = self.prose(inner).trim_end();
            let after = self.source[strong.end..].trim_start_matches([' ', '\t']);
            if !(text.ends_with(':') || after.starts_with(':')) || text.split_whitespace().count() > 8 {
                continue;
            }
            let body_start = if after.starts_with(':') {
                self.source.len() - after.len() + 1
            } else {
                strong.end
            };
            let body = Span::new(body_start, block.end.max(body_start));
            self.labels.push(BoldLabel {
                span: strong,
                text_span: inner,
                normalized: normalize_heading(text),
                body,
            });
        }
    }

    /// Headings, sections, sentences and units from the collected blocks. The blocks kept are
    /// written over the collected ones, in place: a second vector of blocks would cost 21 MB on
    /// a 52 MB file.
    fn build_structure(
        &mut self,
        mut blocks: Vec<Block>,
        unit_is_block: Vec<bool>,
        wholes: Vec<(usize, Span)>,
        hard_breaks: &[usize],
    ) {
        let mut kept = 0;
        let mut wholes = wholes.into_iter().peekable();
        let mut last_row: Option<(u32, usize)> = None; // (row, unit index)
        for (i, whole_unit) in unit_is_block.into_iter().enumerate() {
            let block = blocks[i];
            let raw_span = block.span();
            let whole_heading = wholes.next_if(|(at, _)| *at == i).map(|(_, whole)| whole);
            let span = trim_span(&self.mask, raw_span);
            if let BlockKind::Heading(level) = block.kind() {
                // Headings are kept even when their text is all code or markup.
                let heading_span = self.heading_extent(whole_heading.unwrap_or(raw_span));
                let text_span = span.unwrap_or(Span::empty(raw_span.start));
                self.headings.push(Heading {
                    level,
                    span: CompactSpan::new(heading_span),
                    text_span: CompactSpan::new(text_span),
                    normalized: normalize_heading(self.prose(text_span)),
                    is_title: false,
                });
            }
            let Some(span) = span else { continue };
            let is_heading = matches!(block.kind(), BlockKind::Heading(_));
            // Inline code counts as a word (RULES.md §1) but is blank in the mask: a paragraph
            // that starts or ends with it keeps it, and so do its first and last sentences.
            let span = if is_heading {
                span
            } else {
                self.with_edge_code(raw_span, span)
            };
            let block = Block {
                span: CompactSpan::new(span),
                ..block
            };
            let index = kept;
            blocks[index] = block;
            kept += 1;
            let mut pieces = super::sentences::split(&self.mask, span, hard_breaks);
            if !is_heading {
                if let Some(first) = pieces.first_mut() {
                    first.start = span.start;
                }
                if let Some(last) = pieces.last_mut() {
                    last.end = span.end;
                }
            }
            let unit = match block.kind() {
                BlockKind::TableCell { row, .. } => match last_row {
                    Some((r, u)) if r == row => {
                        self.units[u].end = compact(span.end);
                        Some(u)
                    }
                    _ => None,
                },
                _ => None,
            };
            let whole = whole_unit
                || matches!(
                    block.kind(),
                    BlockKind::ListItem | BlockKind::Heading(_) | BlockKind::TableCell { .. }
                );
            let shared_unit = unit.or_else(|| {
                whole.then(|| {
                    self.units.push(CompactSpan::new(span));
                    self.units.len() - 1
                })
            });
            if let BlockKind::TableCell { row, .. } = block.kind() {
                last_row = shared_unit.map(|u| (row, u));
            }
            for piece in pieces {
                let unit = shared_unit.unwrap_or_else(|| {
                    self.units.push(CompactSpan::new(piece));
                    self.units.len() - 1
                });
                self.sentences.push(Sentence {
                    span: CompactSpan::new(piece),
                    block: compact(index),
                    unit: compact(unit),
                });
            }
        }
        blocks.truncate(kept);
        blocks.shrink_to_fit();
        self.blocks = blocks;
        self.sentences.shrink_to_fit();
        self.units.shrink_to_fit();
        self.headings.shrink_to_fit();

        let len = self.source.len();
        // Where the next heading of each level starts, filled walking backwards: a section ends
        // at the next heading of its level or above without a scan per heading (a long
        // document has thousands).
        let mut next_at_level = [len; 7];
        let mut ends = vec![len; self.headings.len()];
        for (i, h) in self.headings.iter().enumerate().rev() {
            let level = usize::from(h.level).clamp(1, 6);
            ends[i] = next_at_level[1..=level].iter().copied().min().unwrap_or(len);
            next_at_level[level] = h.span().start;
        }
        self.sections.reserve_exact(self.headings.len());
        for (i, h) in self.headings.iter().enumerate() {
            let next_any = self.headings.get(i + 1).map_or(len, |n| n.span().start);
            let start = h.span().end.min(next_any);
            self.sections.push(Section {
                heading: compact(i),
                body: CompactSpan::new(Span::new(start, ends[i])),
                leaf_body: CompactSpan::new(Span::new(start, next_any)),
            });
        }
    }

    /// `trimmed` (a block's span without blank mask bytes at its ends) widened to the inline
    /// code spans that `raw` starts or ends with.
    fn with_edge_code(&self, raw: Span, trimmed: Span) -> Span {
        let first = self.code_spans.partition_point(|c| c.start < raw.start);
        let inside = self.code_spans[first..].iter().take_while(|c| c.end <= raw.end);
        inside.fold(trimmed, |span, code| {
            Span::new(span.start.min(code.start), span.end.max(code.end))
        })
    }

    /// A heading block without its trailing line break.
    fn heading_extent(&self, span: Span) -> Span {
        let text = &self.source[span.start..span.end];
        Span::new(span.start, span.start + text.trim_end().len())
    }

    /// The title (RULES.md §1).
    fn find_title(&mut self) {
        let fm = &self.front_matter;
        if let Some(t) = fm.title.as_ref().filter(|t| !t.value.trim().is_empty()) {
            let source = if fm.pelican {
                TitleSource::Pelican
            } else {
                TitleSource::FrontMatter
            };
            self.title = Some(Title {
                span: t.span,
                text: t.value.clone(),
                source,
            });
            return;
        }
        let body_start = fm
            .span
            .map_or(if self.source.starts_with('\u{feff}') { 3 } else { 0 }, |s| s.end);
        let first_h1 = self.headings.iter().position(|h| h.level == 1);
        let first_heading_first = self
            .headings
            .first()
            .filter(|h| self.source[body_start..h.span().start].trim().is_empty())
            .map(|_| 0);
        if let Some(i) = first_h1.or(first_heading_first) {
            self.headings[i].is_title = true;
            let h = &self.headings[i];
            self.title = Some(Title {
                span: h.text_span(),
                text: self.text(h.text_span()).to_string(),
                source: TitleSource::Heading(i),
            });
            return;
        }
        let body = &self.source[body_start..];
        if let Some(line) = body.lines().find(|l| !l.trim().is_empty()) {
            let at = body_start + (line.as_ptr() as usize - body.as_ptr() as usize);
            let lead = line.len() - line.trim_start().len();
            let text = line.trim();
            let span = Span::new(at + lead, at + lead + text.len());
            self.title = Some(Title {
                span,
                text: text.to_string(),
                source: TitleSource::FirstLine,
            });
        }
    }

    /// Leaf sections with the text before the first heading as a section of its own
    /// (`None`): every prose byte belongs to exactly one. In order.
    pub fn leaf_sections(&self) -> impl Iterator<Item = (Option<usize>, Span)> + '_ {
        let body_start = self.front_matter.span.map_or(0, |s| s.end);
        let first = self.headings.first().map_or(self.source.len(), |h| h.span().start);
        let opening = (first > body_start).then(|| (None, Span::new(body_start, first)));
        opening
            .into_iter()
            .chain(self.sections.iter().map(|s| (Some(s.heading()), s.leaf_body())))
    }
}

/// Trims blank mask bytes from both ends of a span; `None` when nothing is left.
fn trim_span(mask: &str, span: Span) -> Option<Span> {
    let text = &mask[span.start..span.end];
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lead = text.len() - text.trim_start().len();
    Some(Span::new(span.start + lead, span.start + lead + trimmed.len()))
}

/// RULES.md §3: markup and leading numbering removed, trailing `:`/`?` removed, lowercased.
pub fn normalize_heading(prose: &str) -> String {
    let collapsed = prose.split_whitespace().collect::<Vec<_>>().join(" ");
    // The pattern is anchored at the start: its one match, if any, is a prefix.
    let unnumbered = match LEADING_NUMBER.find(&collapsed) {
        Some(number) => &collapsed[number.end()..],
        None => &collapsed[..],
    };
    unnumbered.trim_end_matches([':', '?', ' ', '.']).to_lowercase()
}

/// Suppression comments outside code (blocks and spans) and front matter.
fn find_directives(source: &str, body_start: usize, code: &[Span]) -> Vec<Directive> {
    if !source.contains("crisislint-") {
        return Vec::new();
    }
    COMMENT
        .find_iter(source)
        .filter(|m| m.start() >= body_start && !code.iter().any(|c| c.contains_offset(m.start())))
        .filter_map(|m| parse_comment(m.as_str(), m.start()))
        .collect()
}
