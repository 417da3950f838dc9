//! Finding trigger phrases in one sentence, with the language tests RULES.md's tone rules share:
//! negation a few words before, hedges earlier in the clause, exceptions earlier in the
//! sentence, words that must (or must not) follow, and quotation.
//!
//! Works on a sentence's prose text with offsets relative to it, so it is tested on strings.

use super::{ClassParams, NegationParams};
use crate::document::words::count_words;
use crate::rules::kinds::compile_regex;
use crate::rules::kinds::pattern_set::{PatternSet, WordFilter};
use crate::rules::kinds::presence::pattern::{compile_anchored, compile_bounded, widen};
use crate::rules::kinds::LazyRegex;

/// Where a clause ends (RULES.md §1: `;` `:` `—` `, but`; a spaced dash too).
pub const DEFAULT_CLAUSE_BREAKS: &str = r"[;—]|:(?:\s|$)|\s[–-]{1,2}\s|,\s+but\b";

/// Punctuation that ends the reach of a negation: `no data loss, only 2%` negates nothing.
const NEGATION_STOPS: &[char] = &[',', ';', ':', '—', '(', ')', '.', '!', '?'];

/// One compiled class of triggers (first class wins where triggers overlap).
#[derive(Debug)]
pub struct Class {
    /// Must match later in the trigger's clause; the phrase then extends to its end.
    pub then_in_clause: Option<LazyRegex>,
    /// Only words such as `some` may come before the trigger in its clause (RULES.md CL405).
    pub clause_initial: Option<LazyRegex>,
    /// Whether the rule's negation test applies.
    pub negatable: bool,
    /// The trigger does not count when the text right after it starts with one of these.
    pub not_followed_by: Vec<LazyRegex>,
    /// The trigger does not count when the text right before it ends with one of these (`to`:
    /// a purpose clause has no finite verb and promises nothing).
    pub not_preceded_by: Vec<LazyRegex>,
}

impl Class {
    /// Compiles a class's tests and its trigger patterns; errors name the pattern.
    pub fn compile(params: &ClassParams) -> Result<(Self, Vec<LazyRegex>), String> {
        let triggers = params
            .patterns
            .iter()
            .map(|p| compile_phrase(p))
            .collect::<Result<_, _>>()?;
        let class = Class {
            then_in_clause: params.then_in_clause.as_deref().map(compile_bounded).transpose()?,
            clause_initial: params
                .clause_initial
                .as_deref()
                .map(|p| compile_regex(&format!(r"^[\W_]*(?:(?:{p})[\W_]+)?$")))
                .transpose()?,
            negatable: params.negatable,
            not_followed_by: params
                .not_followed_by
                .iter()
                .map(|p| compile_anchored(&format!(r"{p}\b")))
                .collect::<Result<_, _>>()?,
            not_preceded_by: params
                .not_preceded_by
                .iter()
                .map(|p| compile_regex(&format!(r"\b(?:{})\s*$", widen(p))))
                .collect::<Result<_, _>>()?,
        };
        Ok((class, triggers))
    }
}

/// The compiled negation test: a negator at most `within` words before the trigger, with no
/// punctuation between.
#[derive(Debug)]
pub struct Negation {
    words: LazyRegex,
    within: usize,
}

impl Negation {
    /// Compiles the negator pattern.
    pub fn compile(params: &NegationParams) -> Result<Self, String> {
        Ok(Negation {
            words: compile_bounded(&params.words)?,
            within: params.within,
        })
    }

    /// True when `before` (the text up to a phrase) ends with a negator and at most `within`
    /// words, not crossing punctuation.
    pub fn negates(&self, before: &str) -> bool {
        // Past the stop character, whose width varies (`—` is three bytes).
        let reach = before
            .char_indices()
            .rev()
            .find(|(_, c)| NEGATION_STOPS.contains(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scope = &before[reach..];
        self.words
            .find_iter(scope)
            .last()
            .is_some_and(|m| count_words(&scope[m.end()..]) <= self.within)
    }
}

/// Byte offsets `(start, end)` in a sentence's text.
type Range = (usize, usize);

/// One trigger found in a sentence, offsets relative to the sentence text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the first class among those whose triggers make up the phrase.
    pub class: usize,
    /// The phrase, overlapping triggers merged.
    pub start: usize,
    /// End of the phrase.
    pub end: usize,
}

/// Everything needed to find the triggers of one rule in a sentence.
#[derive(Debug)]
pub struct Scanner {
    /// The classes, in priority order.
    classes: Vec<Class>,
    /// Every class's trigger patterns, searched together, in class order.
    triggers: PatternSet,
    /// The class of each trigger pattern.
    trigger_class: Vec<usize>,
    /// The negation test, if the rule has one.
    negation: Option<Negation>,
    /// A hedge earlier in the trigger's clause cancels it.
    hedges: PatternSet,
    /// A match earlier in the sentence cancels a trigger (`cannot promise ... will never`).
    not_after: PatternSet,
    /// Clause breaks.
    clause_breaks: LazyRegex,
}

impl Scanner {
    /// A scanner of `classes` (each with its trigger patterns), in priority order.
    pub fn new(
        classes: Vec<(Class, Vec<LazyRegex>)>,
        negation: Option<Negation>,
        hedges: PatternSet,
        not_after: PatternSet,
        clause_breaks: LazyRegex,
    ) -> Self {
        let mut triggers = Vec::new();
        let mut trigger_class = Vec::new();
        let classes = classes
            .into_iter()
            .enumerate()
            .map(|(index, (class, patterns))| {
                trigger_class.extend(std::iter::repeat_n(index, patterns.len()));
                triggers.extend(patterns);
                class
            })
            .collect();
        Scanner {
            classes,
            triggers: PatternSet::new(triggers),
            trigger_class,
            negation,
            hedges,
            not_after,
            clause_breaks,
        }
    }

    /// A filter of the texts (parts of the document's prose mask) in which no trigger can
    /// match, so that [`hits`](Self::hits) would find nothing (see [`PatternSet::word_filter`]).
    pub fn trigger_filter(&self) -> WordFilter<'_> {
        self.triggers.word_filter()
    }

    /// Every trigger of `text` that counts; overlapping ones merged into one phrase. `quoted`
    /// gives the spans (relative to `text`) inside quotation marks, where nothing counts; it is
    /// only asked when a trigger is found. A pattern's group named `t`, when it takes part, is
    /// the trigger (the words around it are context); a group named `org` must be the start of
    /// one of the `organization` names.
    pub fn hits(&self, text: &str, quoted: impl FnOnce() -> Vec<(usize, usize)>, organization: &[String]) -> Vec<Hit> {
        // Quotation marks and clause breaks are looked for once a trigger matches, which few
        // sentences have.
        let mut context: Option<(Vec<Range>, Vec<Range>)> = None;
        let mut quoted = Some(quoted);
        let mut found = Vec::new();
        for (member, re) in self.triggers.candidates(text) {
            let index = self.trigger_class[member];
            let class = &self.classes[index];
            for caps in re.captures_iter(text) {
                let Some(m) = caps.name("t").or_else(|| caps.get(0)) else {
                    continue;
                };
                if !ends_a_word(text, caps.get(0).map_or(0, |w| w.end())) {
                    continue;
                }
                let (quoted, breaks) = context.get_or_insert_with(|| {
                    let quoted = quoted.take().map_or_else(Vec::new, |f| f());
                    let breaks = self
                        .clause_breaks
                        .find_iter(text)
                        .map(|m| (m.start(), m.end()))
                        .collect();
                    (quoted, breaks)
                });
                if quoted.iter().any(|q| q.0 <= m.start() && m.start() < q.1) {
                    continue;
                }
                let mut trigger_end = m.end();
                if let Some(org) = caps.name("org") {
                    // The slot holds the start of a name; a phrase ending in it takes the whole name.
                    let Some(len) = name_at(&text[org.start()..], organization) else {
                        continue;
                    };
                    if org.end() == m.end() {
                        trigger_end = trigger_end.max(org.start() + len);
                    }
                }
                if let Some(end) = self.counts(text, class, breaks, m.start(), trigger_end) {
                    found.push(Hit {
                        class: index,
                        start: m.start(),
                        end,
                    });
                }
            }
        }
        merge(found)
    }

    /// The phrase's end when the trigger at `start..end` counts, `None` when a test cancels it.
    fn counts(&self, text: &str, class: &Class, breaks: &[(usize, usize)], start: usize, end: usize) -> Option<usize> {
        let (clause_start, clause_end) = clause_around(breaks, start, end, text.len());
        let before = &text[clause_start..start];
        if class.negatable && self.negation.as_ref().is_some_and(|n| n.negates(&text[..start])) {
            return None;
        }
        if self.hedges.is_match(before) {
            return None;
        }
        if self.not_after.is_match(&text[..start]) {
            return None;
        }
        if let Some(initial) = &class.clause_initial {
            let segment = before.rfind(',').map_or(before, |i| &before[i + 1..]);
            if !initial.is_match(segment) {
                return None;
            }
        }
        if class.not_preceded_by.iter().any(|re| re.is_match(&text[..start])) {
            return None;
        }
        let after = text[end..].trim_start();
        if class.not_followed_by.iter().any(|re| re.is_match(after)) {
            return None;
        }
        match &class.then_in_clause {
            None => Some(end),
            Some(then) => then.find(&text[end..clause_end.max(end)]).map(|m| end + m.end()),
        }
    }
}

/// Compiles a trigger pattern as RULES.md prints it, from a word boundary. Its end is checked
/// with [`ends_a_word`], as a pattern may end in a symbol (`only 2%`) where `\b` would fail.
pub fn compile_phrase(pattern: &str) -> Result<LazyRegex, String> {
    compile_regex(pattern)?;
    compile_regex(&format!(r"\b(?:{})", widen(pattern)))
}

/// True when a match ending at `end` does not stop inside a word (`blip` in `blipped`).
pub fn ends_a_word(text: &str, end: usize) -> bool {
    let last = text[..end].chars().next_back();
    let next = text[end..].chars().next();
    !matches!((last, next), (Some(a), Some(b)) if a.is_alphanumeric() && b.is_alphanumeric())
}

/// The length of the name (as whole words, any case) that `text` starts with, if any.
fn name_at(text: &str, names: &[String]) -> Option<usize> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .find_map(|name| {
            let whole = text
                .get(..name.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(name))
                && !text[name.len()..].starts_with(|c: char| c.is_alphanumeric());
            whole.then_some(name.len())
        })
}

/// The clause (between breaks) holding `start..end`.
fn clause_around(breaks: &[(usize, usize)], start: usize, end: usize, len: usize) -> (usize, usize) {
    let clause_start = breaks.iter().filter(|b| b.1 <= start).map(|b| b.1).max().unwrap_or(0);
    let clause_end = breaks.iter().filter(|b| b.0 >= end).map(|b| b.0).min().unwrap_or(len);
    (clause_start, clause_end)
}

/// Overlapping hits become one phrase, of the first class among them.
fn merge(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.start, h.end));
    let mut merged: Vec<Hit> = Vec::new();
    for hit in hits {
        match merged.last_mut() {
            Some(last) if hit.start < last.end => {
                last.end = last.end.max(hit.end);
                last.class = last.class.min(hit.class);
            }
            _ => merged.push(hit),
        }
    }
    merged
}

/// Spans inside quotation marks (`"..."` pairs, `“...”`) of a block's text; an unclosed quote
/// runs to the end. Apostrophes and single quotes are left alone: they are too often words.
pub fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    // Only quotation marks change the state: `"`, and `“` and `”`, which start with byte E2
    // (as other punctuation does). Callers ask once per sentence of a block.
    let marks =
        memchr::memchr2_iter(b'"', 0xE2, text.as_bytes()).filter_map(|at| text[at..].chars().next().map(|c| (at, c)));
    for (at, c) in marks {
        match (open, c) {
            (None, '"') => open = Some((at + 1, '"')),
            (None, '“') => open = Some((at + c.len_utf8(), '”')),
            (Some((from, close)), c) if c == close => {
                spans.push((from, at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some((from, _)) = open {
        spans.push((from, text.len()));
    }
    spans
}
