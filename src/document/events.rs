//! pulldown-cmark's events to the prose mask and the raw structure (blocks, code, links,
//! labels), one event at a time.

use super::mask::MaskBuilder;
use super::{Block, BlockKind, Link, Span};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// A block-level container whose inline content forms a prose block.
#[derive(Clone, Copy)]
enum Container {
    Paragraph,
    Item,
    Heading(u8),
    Cell { row: u32, header: bool },
}

/// Inline content being collected for the current block.
struct Run {
    kind: BlockKind,
    span: Span,
    in_quote: bool,
    in_list: bool,
    unit_is_block: bool,
    /// For a heading, the whole heading element (markers included).
    whole: Option<Span>,
}

/// What the events leave besides the mask, in source order.
#[derive(Default)]
pub(super) struct Builder {
    pub(super) blocks: Vec<Block>,
    pub(super) block_unit_is_block: Vec<bool>,
    /// (block index, whole heading) for the blocks that have one: only headings do.
    pub(super) block_wholes: Vec<(usize, Span)>,
    heading_start: Option<Span>,
    /// A strong element that opened its block, while it is open: (start, nesting).
    label_open: Option<usize>,
    /// Strong elements that open their block (bold label candidates).
    pub(super) labels: Vec<Span>,
    pub(super) code_spans: Vec<Span>,
    pub(super) code_ranges: Vec<Span>,
    pub(super) links: Vec<Link>,
    pub(super) hard_breaks: Vec<usize>,
    run: Option<Run>,
}

impl Builder {
    fn close_run(&mut self) {
        if let Some(run) = self.run.take() {
            self.blocks
                .push(Block::new(run.kind, run.span, run.in_quote, run.in_list));
            self.block_unit_is_block.push(run.unit_is_block);
            if let Some(whole) = run.whole {
                self.block_wholes.push((self.blocks.len() - 1, whole));
            }
        }
    }
}

/// The state of one pass over pulldown-cmark's events: the mask being revealed and the
/// structure being collected. The events may come from several parser runs over pieces of the
/// document (see `chunks`), in source order, with source offsets.
pub(super) struct Sink<'s> {
    mask: MaskBuilder<'s>,
    b: Builder,
    stack: Vec<Container>,
    quote_depth: usize,
    list_depth: usize,
    code_depth: usize,
    image_depth: usize,
    autolink_depth: usize,
    row: u32,
    in_head: bool,
    code_block_start: usize,
    open_links: Vec<(Span, String, bool, Option<Span>)>,
    /// Labels of the footnote definitions met, when asked to keep them.
    pub(super) footnote_labels: Option<Vec<String>>,
}

impl<'s> Sink<'s> {
    pub(super) fn new(source: &'s str) -> Self {
        Sink {
            mask: MaskBuilder::new(source),
            b: Builder::default(),
            stack: Vec::new(),
            quote_depth: 0,
            list_depth: 0,
            code_depth: 0,
            image_depth: 0,
            autolink_depth: 0,
            row: 0,
            in_head: false,
            code_block_start: 0,
            open_links: Vec::new(),
            footnote_labels: None,
        }
    }

    /// The mask (before URLs are blanked) and the structure, the last block closed.
    pub(super) fn finish(mut self) -> (MaskBuilder<'s>, Builder) {
        self.b.close_run();
        (self.mask, self.b)
    }

    /// Takes one event; `span` is in source offsets.
    pub(super) fn event(&mut self, event: Event<'_>, span: Span) {
        let b = &mut self.b;
        let stack = &mut self.stack;
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::Paragraph
                    | Tag::Item
                    | Tag::Heading { .. }
                    | Tag::TableCell
                    | Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::List(_)
                    | Tag::FootnoteDefinition(_)
                    | Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::DefinitionList
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition => b.close_run(),
                    _ => {}
                }
                match tag {
                    Tag::Paragraph => stack.push(Container::Paragraph),
                    Tag::Item => stack.push(Container::Item),
                    Tag::Strong
                        if b.run.is_none() && matches!(stack.last(), Some(Container::Paragraph | Container::Item)) =>
                    {
                        b.label_open = Some(span.start);
                    }
                    Tag::Heading { level, .. } => {
                        stack.push(Container::Heading(heading_level(level)));
                        b.heading_start = Some(span);
                    }
                    Tag::TableHead => {
                        self.in_head = true;
                        self.row += 1;
                    }
                    Tag::TableRow => self.row += 1,
                    Tag::TableCell => stack.push(Container::Cell {
                        row: self.row,
                        header: self.in_head,
                    }),
                    Tag::BlockQuote(_) => self.quote_depth += 1,
                    Tag::List(_) => self.list_depth += 1,
                    Tag::CodeBlock(_) => {
                        self.code_depth += 1;
                        self.code_block_start = span.start;
                    }
                    Tag::Image { dest_url, .. } => {
                        self.image_depth += 1;
                        self.open_links.push((span, dest_url.to_string(), true, None));
                    }
                    Tag::Link {
                        link_type, dest_url, ..
                    } => {
                        if matches!(
                            link_type,
                            pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email
                        ) {
                            self.autolink_depth += 1;
                        }
                        self.open_links.push((span, dest_url.to_string(), false, None));
                    }
                    Tag::FootnoteDefinition(label) => {
                        if let Some(labels) = &mut self.footnote_labels {
                            labels.push(label.to_string());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) => match end {
                TagEnd::Heading(level) => {
                    let whole = b.heading_start.take().unwrap_or(span);
                    if b.run.is_none() {
                        let kind = BlockKind::Heading(heading_level(level));
                        let (in_quote, in_list) = (self.quote_depth > 0, self.list_depth > 0);
                        b.run = Some(Run {
                            kind,
                            span: Span::empty(whole.start),
                            in_quote,
                            in_list,
                            unit_is_block: true,
                            whole: None,
                        });
                    }
                    if let Some(run) = &mut b.run {
                        run.whole = Some(whole);
                    }
                    b.close_run();
                    stack.pop();
                }
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell => {
                    b.close_run();
                    stack.pop();
                }
                TagEnd::TableHead => self.in_head = false,
                TagEnd::BlockQuote(_) => {
                    b.close_run();
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                }
                TagEnd::List(_) => {
                    b.close_run();
                    self.list_depth = self.list_depth.saturating_sub(1);
                }
                TagEnd::CodeBlock => {
                    self.code_depth = self.code_depth.saturating_sub(1);
                    b.code_ranges.push(Span::new(self.code_block_start, span.end));
                }
                TagEnd::Image | TagEnd::Link => {
                    if end == TagEnd::Image {
                        self.image_depth = self.image_depth.saturating_sub(1);
                    } else if self.autolink_depth > 0 && self.open_links.last().is_some_and(|l| !l.2) {
                        self.autolink_depth = self.autolink_depth.saturating_sub(1);
                    }
                    if let Some((whole, destination, is_image, text)) = self.open_links.pop() {
                        let text_span = text.unwrap_or(Span::empty(whole.start));
                        b.links.push(Link {
                            span: whole,
                            text_span,
                            destination,
                            is_image,
                        });
                    }
                }
                // Inline ends (emphasis, strong, strikethrough) continue the block.
                TagEnd::Strong => {
                    if let Some(start) = b.label_open.take() {
                        b.labels.push(Span::new(start, span.end));
                    }
                }
                TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript => {}
                _ => b.close_run(),
            },
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {
                if self.code_depth > 0 {
                    return;
                }
                let is_text = matches!(event, Event::Text(_));
                if is_text && self.image_depth == 0 && self.autolink_depth == 0 {
                    self.mask.reveal(span);
                }
                if matches!(event, Event::Code(_)) {
                    b.code_spans.push(span);
                    b.code_ranges.push(span);
                }
                if let Some(link) = self.open_links.last_mut() {
                    link.3 = Some(link.3.map_or(span, |t| Span::new(t.start, span.end)));
                }
                extend_run(b, stack, span, self.quote_depth > 0, self.list_depth > 0);
            }
            Event::HardBreak => {
                b.hard_breaks.push(span.start);
                extend_run(b, stack, span, self.quote_depth > 0, self.list_depth > 0);
            }
            Event::SoftBreak => extend_run(b, stack, span, self.quote_depth > 0, self.list_depth > 0),
            Event::Html(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn extend_run(b: &mut Builder, stack: &[Container], span: Span, in_quote: bool, in_list: bool) {
    let (kind, unit_is_block) = match stack.last() {
        Some(Container::Paragraph) => (
            BlockKind::Paragraph,
            matches!(stack.get(stack.len().wrapping_sub(2)), Some(Container::Item)),
        ),
        Some(Container::Item) => (BlockKind::ListItem, true),
        Some(Container::Heading(level)) => (BlockKind::Heading(*level), true),
        Some(Container::Cell { row, header }) => (
            BlockKind::TableCell {
                row: *row,
                header: *header,
            },
            true,
        ),
        None => (BlockKind::Paragraph, false),
    };
    match &mut b.run {
        Some(run) => run.span.end = run.span.end.max(span.end),
        None => {
            b.run = Some(Run {
                kind,
                span,
                in_quote,
                in_list,
                unit_is_block,
                whole: None,
            })
        }
    }
}
