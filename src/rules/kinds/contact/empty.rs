//! `kind = "empty-contact"`: a contact phrase whose channel was never filled in (CL106).
//!
//! A phrase such as `email us at` or `chat with us via` promises a channel right after its
//! preposition. The slot is empty when what follows, after spaces and emphasis markers, is the
//! end of the sentence or block, a conjunction or punctuation (`email us on or call us on`), a
//! link that goes nowhere, or a placeholder (`[email]`, `<email>`, `TODO`). A link that goes
//! nowhere and whose text names a channel (`[email us]()`, `[chat](#)`) is empty too.
//!
//! The slot is read in the source, not the mask: the mask blanks the very addresses, URLs and
//! autolinks that fill it. CL105 reads the same test through [`EmptyContact::find`], so the
//! two rules never disagree about a phrase.

use super::super::presence::pattern;
use super::super::reader_text::block_tail_end;
use super::super::{ascii_bounded, compile_regex, Check, CheckContext, CheckSpec};
use crate::diagnostic::{Finding, Label, Span};
use crate::document::{BlockKind, Document, Link};
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::placeholder::html;
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// A contact phrase ending in the preposition that introduces the channel.
    pub phrase: String,
    /// What may follow an empty slot, after spaces: a conjunction or punctuation.
    pub empty_after: String,
    /// A placeholder standing in the slot (matched case-insensitively unless it says `(?-i)`).
    pub slot_placeholder: String,
    /// Words in a link's text that make a link without destination an empty contact link.
    pub link_words: String,
}

/// Options from the configuration's `[rules.<name>]` table. None: CL105 reads the same test,
/// and options for one rule would make the two disagree.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled test.
#[derive(Debug)]
pub struct EmptyContact {
    /// One member: a set, for its word filter (most sentences hold none of its verbs).
    phrase: PatternSet,
    empty_after: LazyRegex,
    slot_placeholder: LazyRegex,
    link_words: LazyRegex,
}

/// An empty channel found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyChannel {
    /// A contact phrase with nothing usable after it; `slot` points at what stands there
    /// instead (a link that goes nowhere, a placeholder), if anything.
    Phrase {
        /// The phrase through its preposition.
        phrase: Span,
        /// What stands in the slot.
        slot: Option<Label>,
    },
    /// A link without destination whose text names a channel.
    Link {
        /// The whole link.
        link: Span,
        /// Its text.
        text: Span,
    },
}

/// What stands right after a contact phrase.
enum Slot {
    Filled,
    Empty,
    Standin(Label),
}

impl EmptyContact {
    /// Compiles the rule file's parameters.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        let field = |key: &str, r: Result<LazyRegex, String>| r.map_err(|e| format!("in `{key}`: {e}"));
        Ok(EmptyContact {
            phrase: PatternSet::new(vec![field("phrase", ascii_bounded::compile(&params.phrase))?]),
            empty_after: field("empty-after", pattern::compile_anchored(&params.empty_after))?,
            slot_placeholder: field("slot-placeholder", pattern::compile_anchored(&params.slot_placeholder))?,
            link_words: field("link-words", compile_regex(&params.link_words))?,
        })
    }

    /// The built-in CL106 test, for CL105 (which stays silent where CL106 reports).
    pub fn builtin() -> Result<Self, String> {
        let def = crate::config::builtin_rules()
            .iter()
            .find(|d| d.name == "empty-contact")
            .ok_or("no built-in rule `empty-contact`")?;
        match &def.check {
            CheckSpec::EmptyContact(params) => EmptyContact::compile(params, Options::default()),
            _ => Err("rule `empty-contact` is not an empty-contact rule".to_string()),
        }
    }

    /// Every empty channel in the document, in source order.
    pub fn find(&self, doc: &Document) -> Vec<EmptyChannel> {
        let mut found = Vec::new();
        let mut slot_links = Vec::new();
        // Links (not images) by start, for the link a phrase's slot may start with: a scan of
        // every link per phrase was quadratic in long documents.
        let mut links_by_start: Vec<(usize, usize)> = (doc.links.iter().enumerate())
            .filter(|(_, l)| !l.is_image)
            .map(|(i, l)| (l.span.start, i))
            .collect();
        links_by_start.sort_unstable();
        let phrase_regex = &self.phrase.members()[0];
        // Most sentences hold no contact verb, which the word index tells at once.
        let mut may_hold_phrase = self.phrase.word_filter();
        for (index, sentence) in doc.sentences.iter().enumerate() {
            let text = doc.prose(sentence.span());
            if !may_hold_phrase.may_hold(text) {
                continue;
            }
            for m in phrase_regex.find_iter(text) {
                let phrase = Span::new(m.start(), m.end()).shift(sentence.span().start);
                let end = slot_end(doc, index);
                let next_block = is_last_in_block(doc, index)
                    .then_some(sentence.block() + 1)
                    .filter(|&b| b < doc.blocks.len());
                let slot = match self.read_slot(doc, &links_by_start, phrase.end, end, next_block) {
                    Slot::Filled => continue,
                    Slot::Empty => None,
                    Slot::Standin(label) => {
                        slot_links.push(label.span);
                        Some(label)
                    }
                };
                found.push(EmptyChannel::Phrase { phrase, slot });
            }
        }
        // Sorted for a binary search per link: a long document has thousands of each.
        slot_links.sort_unstable();
        for link in doc
            .links
            .iter()
            .filter(|l| goes_nowhere(l) && slot_links.binary_search(&l.span).is_err())
        {
            if self.link_words.is_match(doc.prose(link.text_span)) {
                found.push(EmptyChannel::Link {
                    link: link.span,
                    text: link.text_span,
                });
            }
        }
        found.sort_by_key(|e| match e {
            EmptyChannel::Phrase { phrase, .. } => phrase.start,
            EmptyChannel::Link { link, .. } => link.start,
        });
        found
    }

    /// Reads what follows a phrase, up to `end` (its sentence's end, or for the last sentence
    /// of a block the end of the block's line).
    fn read_slot(
        &self,
        doc: &Document,
        links_by_start: &[(usize, usize)],
        from: usize,
        end: usize,
        next_block: Option<usize>,
    ) -> Slot {
        let (source, mask) = (doc.source.as_bytes(), doc.mask.as_bytes());
        // Spaces and emphasis markers (`email us at **...**`) are not the channel.
        let skip = |mut p: usize| {
            while p < end && (source[p].is_ascii_whitespace() || (b"*_~".contains(&source[p]) && mask[p] == b' ')) {
                p += 1;
            }
            p
        };
        let mut p = skip(from);
        if p < end && source[p] == b':' {
            // A colon announces the channel: after it on the line, or in the next block
            // (`Reach us via:` and a list of channels).
            p = skip(p + 1);
            if p >= end {
                return match next_block {
                    Some(block) if offers_channel(doc, block) => Slot::Filled,
                    _ => Slot::Empty,
                };
            }
        }
        if p >= end {
            return Slot::Empty;
        }
        let first = links_by_start.partition_point(|&(start, _)| start < p);
        let link_here = links_by_start.get(first).filter(|&&(start, _)| start == p);
        if let Some(link) = link_here.map(|&(_, i)| &doc.links[i]) {
            return if goes_nowhere(link) {
                Slot::Standin(Label::new(link.span, "this link has no destination"))
            } else {
                Slot::Filled
            };
        }
        let rest = &doc.source[p..end];
        if let Some(tag) = html::tag_at(rest) {
            return if html::is_placeholder_tag(&rest[..tag]) {
                Slot::Standin(placeholder_label(Span::new(p, p + tag)))
            } else {
                Slot::Filled
            };
        }
        if let Some(m) = self.slot_placeholder.find(rest) {
            return Slot::Standin(placeholder_label(trim_end(Span::new(p, p + m.end()), &doc.source)));
        }
        if mask[p] == b' ' {
            // Hidden from the mask but there: inline code, a bare URL, an autolink.
            return Slot::Filled;
        }
        if self.empty_after.is_match(&doc.mask[p..end]) {
            Slot::Empty
        } else {
            Slot::Filled
        }
    }
}

/// Where the text after a phrase in sentence `index` ends: the sentence's end, or for the
/// last sentence of a block the end of the block's line (the sentence is trimmed on the mask
/// and may stop before an autolink that fills the slot).
pub fn slot_end(doc: &Document, index: usize) -> usize {
    let sentence = &doc.sentences[index];
    if is_last_in_block(doc, index) {
        block_tail_end(doc, sentence.block())
    } else {
        sentence.span().end
    }
}

fn is_last_in_block(doc: &Document, index: usize) -> bool {
    let block = doc.sentences[index].block();
    doc.sentences.get(index + 1).is_none_or(|next| next.block() != block)
}

/// True when a block looks like it holds the channel a colon announced: a list item, or text
/// with an address, a URL, a link or a long run of digits.
fn offers_channel(doc: &Document, block: usize) -> bool {
    let block = &doc.blocks[block];
    let text = doc.text(block.span());
    block.kind() == BlockKind::ListItem
        || block.in_list()
        || text.contains('@')
        || text.contains("://")
        || text.contains("www.")
        || doc
            .links
            .iter()
            .any(|l| block.span().contains_offset(l.span.start) && !goes_nowhere(l))
        || text.bytes().filter(u8::is_ascii_digit).count() >= 8
}

fn placeholder_label(span: Span) -> Label {
    Label::new(span, "a placeholder stands where the channel belongs")
}

/// A link whose destination is empty or only `#`.
fn goes_nowhere(link: &Link) -> bool {
    !link.is_image && matches!(link.destination.trim(), "" | "#")
}

/// The span without trailing whitespace.
fn trim_end(span: Span, source: &str) -> Span {
    Span::new(span.start, span.start + source[span.start..span.end].trim_end().len())
}

impl Check for EmptyContact {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        for empty in self.find(doc) {
            let finding = match empty {
                EmptyChannel::Phrase { phrase, slot } => {
                    let written = doc.text(phrase).split_whitespace().collect::<Vec<_>>().join(" ");
                    let finding = Finding::new(phrase, format!("contact channel is missing after \"{written}\""));
                    match slot {
                        Some(label) => finding.with_secondary(label.span, label.message),
                        None => finding,
                    }
                }
                EmptyChannel::Link { link, text } => {
                    let written = doc.prose(text).split_whitespace().collect::<Vec<_>>().join(" ");
                    Finding::new(link, format!("contact link \"{written}\" has no destination"))
                }
            };
            out.push(finding);
        }
    }
}
