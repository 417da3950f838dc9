//! `kind = "placeholder"`: template text left in an announcement (CL109 template-placeholder).
//!
//! Three sources, because the prose mask hides two of them:
//! - the rule file's `patterns` over the prose mask (`TODO`, `[insert …]`, `[DATE]`,
//!   `lorem ipsum`); a bracketed text that is a link has its brackets blanked by the mask, so
//!   `[STATUS](https://…)` never matches, and a front matter title is read from the source;
//! - inline HTML whose tag names no HTML element (`<component name>`), read in the source
//!   around the prose (the mask blanks HTML), never in code or a link destination;
//! - clock times with placeholder minutes (`22:XX`), from the shared clock scanner.

pub mod html;
#[cfg(test)]
mod tests;

use super::presence::pattern::widen;
use super::reader_text::{in_code, in_link_destination, reader_lines};
use super::timestamp::times::{ClockScanner, Minutes};
use super::{compile_regex, Check, CheckContext};
use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::{Finding, Span};
use crate::document::{Document, TitleSource};
use crate::rules::kinds::pattern_set::PatternSet;
use serde::Deserialize;
use std::sync::LazyLock;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Placeholder patterns over the prose, case-insensitive unless they say `(?-i)`; a space
    /// stands for any whitespace, as in presence patterns.
    pub patterns: Vec<String>,
    /// Texts a pattern may match that are labels, not slots (`[RESOLVED]`), compared
    /// case-insensitively with the whole match.
    #[serde(default)]
    pub not_placeholders: Vec<String>,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Tag names that are the team's own components, not placeholders (`Callout`).
    #[serde(default)]
    pub allow_tags: Vec<String>,
    /// More placeholder patterns.
    #[serde(default)]
    pub extra_patterns: Vec<String>,
    /// More labels that are not placeholders.
    #[serde(default)]
    pub extra_not_placeholders: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Placeholder {
    patterns: PatternSet,
    not_placeholders: Vec<String>,
    allow_tags: Vec<String>,
    scanner: ClockScanner,
}

/// A digit before `:XX`: only then is the clock scan worth running.
static PLACEHOLDER_MINUTES: LazyLock<CompiledRegex> = LazyLock::new(|| CompiledRegex::fixed(r"\d:[Xx]{2}"));

/// [`PLACEHOLDER_MINUTES`] in `text`. The regex has no literal to search for ahead of its
/// digit, so it is only run where a `:XX` is, which few documents have.
fn has_placeholder_minutes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let xx = |colon: usize| {
        bytes
            .get(colon + 1..colon + 3)
            .is_some_and(|x| x.eq_ignore_ascii_case(b"xx"))
    };
    text.match_indices(':').any(|(colon, _)| xx(colon)) && PLACEHOLDER_MINUTES.is_match(text)
}

impl Placeholder {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let patterns: Vec<&String> = params.patterns.iter().chain(&options.extra_patterns).collect();
        let patterns =
            PatternSet::compile(&patterns, |p| compile_regex(&widen(p))).map_err(|e| format!("in `patterns`: {e}"))?;
        let lower = |v: &String| v.trim().to_lowercase();
        Ok(Placeholder {
            patterns,
            not_placeholders: params
                .not_placeholders
                .iter()
                .chain(&options.extra_not_placeholders)
                .map(lower)
                .collect(),
            allow_tags: options.allow_tags.iter().map(lower).collect(),
            scanner: ClockScanner::new(),
        })
    }

    /// Every placeholder in the document, in source order, overlaps removed.
    pub fn find(&self, doc: &Document) -> Vec<Span> {
        let mut found = self.in_text(&doc.mask, 0);
        if let Some(title) = doc
            .title
            .as_ref()
            .filter(|t| matches!(t.source, TitleSource::FrontMatter | TitleSource::Pelican))
        {
            found.extend(self.in_text(doc.text(title.span), title.span.start));
        }
        found.extend(self.tags(doc));
        if has_placeholder_minutes(&doc.mask) {
            let scan = self.scanner.clock_times(doc);
            found.extend(
                scan.times
                    .iter()
                    .filter(|t| t.minutes == Minutes::Placeholder)
                    .map(|t| t.span()),
            );
        }
        found.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut kept: Vec<Span> = Vec::with_capacity(found.len());
        for span in found {
            if kept.last().is_none_or(|last| span.start >= last.end) {
                kept.push(span);
            }
        }
        kept
    }

    /// Pattern matches in a text that starts at `offset` in the source.
    fn in_text(&self, text: &str, offset: usize) -> Vec<Span> {
        let mut found = Vec::new();
        for (_, re) in self.patterns.candidates(text) {
            for m in re.find_iter(text) {
                let written = m
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                if !self.not_placeholders.contains(&written) {
                    found.push(Span::new(m.start(), m.end()).shift(offset));
                }
            }
        }
        found
    }

    /// Inline tags that name no HTML element and no allowed component.
    fn tags(&self, doc: &Document) -> Vec<Span> {
        let mut found = Vec::new();
        for line in reader_lines(doc) {
            let text = doc.text(line);
            for (i, _) in text.match_indices('<') {
                // Glued to a word it is a type parameter written without backticks (`Vec<T>`).
                if text[..i].ends_with(|c: char| c.is_alphanumeric()) {
                    continue;
                }
                let at = line.start + i;
                let Some(len) = html::tag_at(&text[i..]) else { continue };
                let tag = &text[i..i + len];
                let allowed = html::tag_name(tag).is_some_and(|n| self.allow_tags.contains(&n.to_lowercase()));
                if !allowed && html::is_placeholder_tag(tag) && !in_code(doc, at) && !in_link_destination(doc, at) {
                    found.push(Span::new(at, at + len));
                }
            }
        }
        found
    }
}

impl Check for Placeholder {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        for span in self.find(cx.doc) {
            let written = cx.doc.text(span).split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(Finding::new(
                span,
                format!("template placeholder \"{written}\" left in the text"),
            ));
        }
    }
}
