//! `kind = "contact"`: no way to reach the publisher (CL105 missing-contact); and, in
//! [`empty`], `kind = "empty-contact"`: a contact phrase whose channel is empty (CL106).
//!
//! A channel is any of: an email address in the text around the prose or in a link
//! destination; a link (or bare URL) whose destination or text names a support channel; a
//! phone number in a sentence with a contact verb; a contact verb followed in its sentence by
//! a channel named in words (`open a ticket in the support portal`); a phrase that is a channel
//! by itself (`reply to this email`). Addresses in code do not count: readers do not see them
//! as a way to write to anyone. Where CL106 finds an empty channel, this rule stays silent: the
//! writer meant to give one, and CL106 says where.

pub mod empty;
#[cfg(test)]
mod tests;

use super::ascii_bounded::compile_list;
use super::reader_text::{in_code, reader_lines};
use super::{compile_regex, Check, CheckContext};
use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::{Finding, Label, Span};
use crate::document::{may_hold_url, Document};
use crate::rules::kinds::pattern_set::PatternSet;
use empty::EmptyContact;
use serde::Deserialize;
use std::sync::LazyLock;

/// Secondary labels shown at most; more add noise, not guidance.
const MAX_NEAR_MISSES: usize = 3;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// A link (or bare URL) whose destination matches one of these reaches the publisher.
    pub link_destinations: Vec<String>,
    /// A link whose text matches one of these reaches the publisher.
    pub link_texts: Vec<String>,
    /// Verbs that invite contact; a phone number or a named channel counts in their sentence.
    pub contact_verbs: Vec<String>,
    /// Channels named in words, counted after a contact verb in the same sentence.
    pub named_channels: Vec<String>,
    /// Phrases that are a channel by themselves.
    #[serde(default)]
    pub channel_phrases: Vec<String>,
    /// Digits a phone number needs.
    pub phone_digits: usize,
    /// Invitations to get in touch: a link after one in its sentence is a channel; without a
    /// channel anywhere they are shown as near misses.
    #[serde(default)]
    pub invitations: Vec<String>,
    /// The finding's message.
    pub message: String,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// More channels named in words (`the community forum`).
    #[serde(default)]
    pub extra_named_channels: Vec<String>,
    /// More phrases that are a channel by themselves.
    #[serde(default)]
    pub extra_channel_phrases: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct MissingContact {
    link_destinations: PatternSet,
    link_texts: PatternSet,
    contact_verbs: PatternSet,
    named_channels: PatternSet,
    channel_phrases: PatternSet,
    phone_digits: usize,
    invitations: PatternSet,
    message: String,
    empty: EmptyContact,
}

/// An e-mail address. Its word boundaries are ASCII's, so that one glued to CJK text is found
/// (see `document::mask`'s `URL`).
static EMAIL: LazyLock<CompiledRegex> = LazyLock::new(|| {
    CompiledRegex::fixed(
        r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)",
    )
});

/// A bare URL, up to a space, a bracket or CJK punctuation (see `document::mask`'s `URL`).
static URL: LazyLock<CompiledRegex> = LazyLock::new(|| {
    CompiledRegex::fixed(r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]`\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]+")
});

/// Digit groups joined by single separators: `+1 (555) 010-0199`, `0800 123 4567`.
static PHONE: LazyLock<CompiledRegex> = LazyLock::new(|| CompiledRegex::fixed(r"\+?\(?\d+\)?(?:[ .\-/]?\(?\d+\)?)+"));

/// A date inside a run of digits is not a phone number.
static DATE: LazyLock<CompiledRegex> =
    LazyLock::new(|| CompiledRegex::fixed(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}"));

impl MissingContact {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        Ok(MissingContact {
            link_destinations: PatternSet::compile(&params.link_destinations, compile_regex)
                .map_err(|e| format!("in `link-destinations`: {e}"))?,
            link_texts: PatternSet::new(compile_list("link-texts", &params.link_texts)?),
            contact_verbs: PatternSet::new(compile_list("contact-verbs", &params.contact_verbs)?),
            named_channels: PatternSet::new(compile_list(
                "named-channels",
                params.named_channels.iter().chain(&options.extra_named_channels),
            )?),
            channel_phrases: PatternSet::new(compile_list(
                "channel-phrases",
                params.channel_phrases.iter().chain(&options.extra_channel_phrases),
            )?),
            phone_digits: params.phone_digits,
            invitations: PatternSet::new(compile_list("invitations", &params.invitations)?),
            message: params.message.clone(),
            empty: EmptyContact::builtin()?,
        })
    }

    /// The first channel in the document, if any.
    pub fn channel(&self, doc: &Document) -> Option<Span> {
        self.channel_in_text(doc)
            .or_else(|| self.channel_in_links(doc))
            .or_else(|| self.channel_in_sentences(doc))
    }

    /// An email address, or a bare URL naming a channel, in the source around the prose.
    fn channel_in_text(&self, doc: &Document) -> Option<Span> {
        for line in reader_lines(doc) {
            let text = doc.text(line);
            // Most lines hold neither: a byte search says so at a fraction of a regex search's
            // cost (a whole document's check would not do: most hold one, on one line).
            let emails = text.contains('@').then(|| EMAIL.find_iter(text));
            let urls = may_hold_url(text).then(|| URL.find_iter(text));
            let urls = urls
                .into_iter()
                .flatten()
                .filter(|m| self.is_channel_address(m.as_str()));
            for m in emails.into_iter().flatten().chain(urls) {
                if !in_code(doc, line.start + m.start()) {
                    return Some(Span::new(m.start(), m.end()).shift(line.start));
                }
            }
        }
        None
    }

    /// A link with a destination that is an address or names a channel, or whose text does.
    fn channel_in_links(&self, doc: &Document) -> Option<Span> {
        doc.links
            .iter()
            .filter(|l| !l.is_image && !matches!(l.destination.trim(), "" | "#"))
            .find(|l| {
                EMAIL.is_match(&l.destination)
                    || self.is_channel_address(&l.destination)
                    || self.link_texts.is_match(doc.prose(l.text_span))
            })
            .map(|l| l.span)
    }

    /// A phone number or a named channel after a contact verb, a link after an invitation, or
    /// a channel phrase.
    fn channel_in_sentences(&self, doc: &Document) -> Option<Span> {
        for (index, sentence) in doc.sentences.iter().enumerate() {
            let text = doc.prose(sentence.span());
            if let Some(link) = self.linked_invitation(doc, index) {
                return Some(link);
            }
            if let Some(m) = self.channel_phrases.candidates(text).find_map(|(_, re)| re.find(text)) {
                return Some(Span::new(m.start(), m.end()).shift(sentence.span().start));
            }
            let Some(verb) = self
                .contact_verbs
                .candidates(text)
                .filter_map(|(_, re)| re.find(text))
                .min_by_key(|m| m.start())
            else {
                continue;
            };
            if let Some(phone) = PHONE.find_iter(text).find(|m| self.is_phone(m.as_str())) {
                return Some(Span::new(phone.start(), phone.end()).shift(sentence.span().start));
            }
            let after = &text[verb.end()..];
            if let Some(m) = self.named_channels.candidates(after).find_map(|(_, re)| re.find(after)) {
                return Some(Span::new(m.start(), m.end()).shift(sentence.span().start + verb.end()));
            }
        }
        None
    }

    /// A link or URL after an invitation in its sentence (`contact us on [the forum](…)`):
    /// the link is the channel, whatever its address says.
    fn linked_invitation(&self, doc: &Document, index: usize) -> Option<Span> {
        let sentence = &doc.sentences[index];
        let text = doc.prose(sentence.span());
        let invitation = self
            .invitations
            .candidates(text)
            .filter_map(|(_, re)| re.find(text))
            .min_by_key(|m| m.start())?;
        let from = sentence.span().start + invitation.end();
        let to = empty::slot_end(doc, index);
        let region = Span::new(from, to.max(from));
        let link = doc
            .links
            .iter()
            .filter(|l| !l.is_image && !matches!(l.destination.trim(), "" | "#"))
            .find(|l| region.contains_offset(l.span.start))
            .map(|l| l.span);
        link.or_else(|| {
            URL.find_iter(doc.text(region))
                .map(|m| Span::new(m.start(), m.end()).shift(region.start))
                .find(|m| !in_code(doc, m.start))
        })
    }

    fn is_channel_address(&self, destination: &str) -> bool {
        let destination = destination.trim();
        self.link_destinations.is_match(destination)
    }

    fn is_phone(&self, run: &str) -> bool {
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        digits >= self.phone_digits && digits <= 15 && !DATE.is_match(run)
    }

    /// Sentences that invite contact without a channel, for the finding's secondary labels.
    fn near_misses(&self, doc: &Document) -> Vec<Label> {
        doc.sentences
            .iter()
            .filter_map(|s| {
                let text = doc.prose(s.span());
                let m = self.invitations.candidates(text).find_map(|(_, re)| re.find(text))?;
                let span = Span::new(m.start(), m.end()).shift(s.span().start);
                Some(Label::new(
                    span,
                    "this invites readers to get in touch but gives no channel",
                ))
            })
            .take(MAX_NEAR_MISSES)
            .collect()
    }
}

impl Check for MissingContact {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        if self.channel(doc).is_some() || !self.empty.find(doc).is_empty() {
            return;
        }
        let mut finding = Finding::new(doc.title_anchor(), self.message.clone()).with_label("announcement starts here");
        finding.secondary = self.near_misses(doc);
        out.push(finding);
    }
}
