//! The lexicon: term entries from the rule file and the configuration, each its own pattern in
//! a [`PatternSet`], so that a document's word search tells which few entries can occur in it
//! and only those are compiled and run. Identifiers (`web-03`, `settings.yaml`) hold no word to
//! search for, so they are one regex run on every text, a capture group per entry. The matches
//! are merged as one alternation of every entry would find them (leftmost first, the earlier
//! entry where two start at the same place), and each keeps the entry it belongs to.
//!
//! Entry by entry costs a search call per entry and text; one regex of every entry scans a
//! text in one pass but takes milliseconds to compile. An entry searches a document's prose
//! only where the word search places its matches ([`Within`]: at its starting words, or
//! around its words when its matches are short), or else where its first letters occur (see
//! `compiled_regex`), so entry by entry is the cheaper way for short texts and for any text the
//! word index covers. Long texts it does not cover (the prose of a document too big to index)
//! are searched entry by entry until they add up to `COMBINE_AFTER`, and then with the one
//! regex. Both ways find the same matches (a test compares them).

use crate::compiled_regex;
use crate::rules::kinds::pattern_set::{PatternSet, Within};
use crate::rules::kinds::{compile_regex, compiling_lazily, matches_empty, LazyRegex};
use regex_syntax::hir::Look;
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Text of long texts (see [`LONG_TEXT`]) outside the word index that a lexicon scans entry by
/// entry before it builds its one regex, whose building costs about 60 M instructions. Without
/// the index each entry whose words occur reads all of such a text; with it, an entry reads
/// only around its words, so an indexed text is never searched with the one regex (the peers'
/// 1 MB document took 620 M instructions with it and 524 M entry by entry, and a 10 MB
/// document, not indexed, 10% more time entry by entry).
const COMBINE_AFTER: usize = 1 << 20;

/// Texts shorter than this are always searched entry by entry, and do not count towards
/// [`COMBINE_AFTER`]: only the entries whose words the text holds search it, each only where
/// its literal prefixes occur, which mostly costs less than one regex of every entry reading
/// all of it. With 1 KiB here (the one regex was then built after about 250 of the
/// benchmark's 4 KB files), 300 files took 7% more instructions, 1,000 files 1% more and
/// 2,000 files 0.6% less. It is where an entry's own search turns to a `meta::Regex`.
const LONG_TEXT: usize = compiled_regex::LONG_TEXT;

/// One `[[check.terms]]` entry: a term and all its variants (`rollback`, `rolled back`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TermDef {
    /// A regex, case-insensitive except for all-caps alternatives, matched at word boundaries.
    pub pattern: String,
    /// Everyday words a customer understands, used in the help (`say "delay", ...`).
    #[serde(default)]
    pub plain: Option<String>,
    /// A whole help text, for entries whose plain hint is advice rather than words.
    #[serde(default)]
    pub help: Option<String>,
    /// The plain words can replace the term as they stand, so a suggestion is offered.
    #[serde(default)]
    pub drop_in: bool,
    /// Overrides the all-caps rule for the whole pattern.
    #[serde(default)]
    pub case_sensitive: Option<bool>,
}

/// One `[[check.identifiers]]` entry: names from code or systems (`web-03`, `--force`).
/// Each distinct text is its own term; matching is case-sensitive.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct IdentifierDef {
    /// A regex for the identifier itself.
    pub pattern: String,
    /// What must come before it.
    #[serde(default)]
    pub boundary: Boundary,
    /// Help for this sort of identifier; the rule file's help when absent.
    #[serde(default)]
    pub help: Option<String>,
}

/// What must surround a match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// An ASCII word boundary on both sides.
    #[default]
    Word,
    /// The start of a line, whitespace or an opening bracket or quote before it (paths, flags).
    Space,
}

/// What a compiled entry reports.
#[derive(Debug, Clone)]
pub struct Term {
    /// A `not-terms` phrase: matched only so that no term is found inside it.
    pub ignored: bool,
    /// Each distinct matched text is a term of its own (identifiers).
    pub per_text: bool,
    /// The help for this term; `None` takes the rule file's.
    pub help: Option<String>,
    /// The replacement offered as a suggestion (`drop-in = true` only).
    pub replacement: Option<String>,
    /// Matched with the character before it (`Boundary::Space`), which is not part of the term.
    space_bounded: bool,
}

/// The entries: `not-terms` and terms (`patterns` member `i` is `terms[i]`, its boundaries
/// included), then identifiers (`terms[patterns.len() + i]` is capture group
/// `identifier_group(i)` of `identifiers`).
#[derive(Debug)]
pub struct Lexicon {
    patterns: PatternSet,
    identifiers: Option<LazyRegex>,
    /// The entry of the first identifier.
    first_identifier: usize,
    /// Every entry in one regex, built after [`COMBINE_AFTER`] bytes of long texts outside the
    /// word index were scanned; `None` inside when it cannot be (too large, or an entry reads
    /// past its match: see [`Lexicon::entry_at`]).
    combined: OnceLock<Option<regex::Regex>>,
    /// Bytes of long texts scanned entry by entry so far.
    scanned: AtomicUsize,
    /// Set by the thread that builds `combined`; the others go on entry by entry meanwhile
    /// rather than wait for it.
    combining: AtomicBool,
    terms: Vec<Term>,
    /// Matched texts (lowercased) that never count (config `allow`).
    allowed_texts: HashSet<String>,
}

/// How an entry's help reads when it gives plain words.
fn plain_help(plain: &str) -> String {
    format!("say \"{plain}\", or explain the term the first time you use it")
}

impl Lexicon {
    /// Compiles `not_terms` (phrases such as `for instance` that hide the terms inside them),
    /// `terms` (earlier entries win where two match at the same place) and `identifiers`,
    /// leaving out every entry that matches a whole `allow` string.
    pub fn compile(
        not_terms: &[String],
        terms: &[TermDef],
        identifiers: &[IdentifierDef],
        allow: &[String],
    ) -> Result<Self, String> {
        let mut patterns = Vec::new();
        let mut compiled = Vec::new();
        for phrase in not_terms {
            refuse_empty(phrase, || format!("not-terms pattern `{phrase}` matches empty text"))?;
            patterns.push(bounded(r"(?-u:\b)", phrase, r"(?-u:\b)")?);
            compiled.push(Term {
                ignored: true,
                per_text: false,
                help: None,
                replacement: None,
                space_bounded: false,
            });
        }
        for def in terms {
            let pattern = with_case_rule(&def.pattern, def.case_sensitive);
            refuse_empty(&pattern, || {
                format!("term pattern `{}` matches empty text", def.pattern)
            })?;
            if !allow.is_empty() {
                let whole = compile_regex(&format!("^(?:{pattern})$"))?;
                if allow.iter().any(|a| whole.is_match(a.trim())) {
                    continue;
                }
            }
            patterns.push(bounded(r"(?-u:\b)", &pattern, r"(?-u:\b)")?);
            let help = def.help.clone().or_else(|| def.plain.as_deref().map(plain_help));
            let replacement = if def.drop_in { def.plain.clone() } else { None };
            if def.drop_in && replacement.is_none() {
                return Err(format!("term `{}` is `drop-in` but has no `plain` words", def.pattern));
            }
            compiled.push(Term {
                ignored: false,
                per_text: false,
                help,
                replacement,
                space_bounded: false,
            });
        }
        let first_identifier = patterns.len();
        let words = PatternSet::new(patterns);
        // The lexicon searches whole documents: its words join the process's vocabulary now, so
        // that the first document's word index places its entries' matches too (see `Within`).
        words.learn_words();
        let mut grouped = Vec::new();
        for (i, def) in identifiers.iter().enumerate() {
            let pattern = format!("(?-i:{})", def.pattern);
            refuse_empty(&pattern, || {
                format!("identifier pattern `{}` matches empty text", def.pattern)
            })?;
            let (before, after) = match def.boundary {
                Boundary::Word => (r"(?-u:\b)", r"(?-u:\b)"),
                Boundary::Space => (r#"(?:(?m:^)|[\s(\[{"'“‘])"#, ""),
            };
            // Compiled alone first, so that an error names the entry.
            bounded(before, &pattern, after)?;
            grouped.push(format!("(?P<{}>{before}(?:{pattern}){after})", identifier_group(i)));
            compiled.push(Term {
                ignored: false,
                per_text: true,
                help: def.help.clone(),
                replacement: None,
                space_bounded: def.boundary == Boundary::Space,
            });
        }
        let identifiers = match grouped.is_empty() {
            true => None,
            false => Some(compile_regex(&grouped.join("|"))?),
        };
        let allowed_texts = allow.iter().map(|a| a.trim().to_lowercase()).collect();
        Ok(Lexicon {
            patterns: words,
            identifiers,
            first_identifier,
            combined: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            combining: AtomicBool::new(false),
            terms: compiled,
            allowed_texts,
        })
    }

    /// The compiled entry `index` of a match.
    pub fn term(&self, index: usize) -> &Term {
        &self.terms[index]
    }

    /// Every match in `text` as (entry index, byte range), in order, skipping allowed texts
    /// and `not-terms` phrases.
    pub fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, Range<usize>)> + 't {
        let found = match self.combined_for(text) {
            Some(combined) => Found::Combined {
                lexicon: self,
                combined,
                text,
                at: 0,
            },
            None => Found::EntryByEntry(self.alternation(text)),
        };
        found.filter_map(move |(index, mut range)| {
            let term = &self.terms[index];
            // A space-bounded entry matched the character before it too (none at a line start).
            if term.space_bounded {
                let first = text[range.clone()].chars().next()?;
                if first.is_whitespace() || "([{\"'“‘".contains(first) {
                    range.start += first.len_utf8();
                }
            }
            let matched = &text[range.clone()];
            let allowed = !self.allowed_texts.is_empty() && self.allowed_texts.contains(&matched.to_lowercase());
            (!allowed && !term.ignored).then_some((index, range))
        })
    }

    /// The entries that can occur in `text`, merged.
    fn alternation<'t>(&'t self, text: &'t str) -> Alternation<'t, 't> {
        let mut sources: Vec<Source<'t>> = self
            .patterns
            .candidates_within(text)
            .into_iter()
            .map(|(entry, regex, within)| Source::Entry(entry, regex, within))
            .collect();
        if let Some(regex) = &self.identifiers {
            sources.push(Source::Identifiers(self.first_identifier, regex));
        }
        Alternation::new(sources, text)
    }

    /// The one regex of every entry for `text`, when it is long and outside the word index and
    /// such texts have brought the text scanned past [`COMBINE_AFTER`].
    fn combined_for(&self, text: &str) -> Option<&regex::Regex> {
        let len = text.len();
        if len < LONG_TEXT || self.patterns.indexed(text) {
            return None;
        }
        if let Some(combined) = self.combined.get() {
            return combined.as_ref();
        }
        if self.scanned.fetch_add(len, Ordering::Relaxed) + len < COMBINE_AFTER
            || self.combining.swap(true, Ordering::AcqRel)
        {
            return None;
        }
        self.combined.get_or_init(|| self.combine()).as_ref()
    }

    fn combine(&self) -> Option<regex::Regex> {
        let patterns: Vec<&str> = self
            .patterns
            .members()
            .iter()
            .chain(&self.identifiers)
            .map(|regex| regex.pattern.as_str())
            .collect();
        if !patterns.iter().all(|p| reads_only_its_match(p)) {
            return None;
        }
        let alternation = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        regex::RegexBuilder::new(&alternation)
            .case_insensitive(true)
            .size_limit(1 << 24)
            .dfa_size_limit(1 << 24)
            .build()
            .ok()
    }

    /// The entry of a match of the combined regex: the first that matches where it starts (so
    /// the alternation took it), among the entries whose words the match holds.
    ///
    /// Each is asked about the text cut at the first byte after the match that is not an ASCII
    /// word character. An entry's assertions look no further than the next character, and only
    /// ask whether it is a word character (checked in [`reads_only_its_match`]), so each reads
    /// the cut text as the whole: an entry matches there exactly when it does in the whole
    /// text, and no search runs past the cut.
    fn entry_at(&self, text: &str, found: Range<usize>) -> Option<usize> {
        let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
        let cut = text.as_bytes()[found.end..]
            .iter()
            .position(|b| !is_word(b))
            .map_or(text.len(), |i| found.end + i);
        let cut_text = &text[..cut];
        let starts_here = |m: Option<compiled_regex::Match<'_>>| m.is_some_and(|m| m.start() == found.start);
        for (entry, regex) in self.patterns.candidates(&text[found.clone()]) {
            if starts_here(regex.find_at(cut_text, found.start)) {
                return Some(entry);
            }
        }
        Source::Identifiers(self.first_identifier, self.identifiers.as_ref()?)
            .find_at(cut_text, found.start)
            .filter(|(_, range)| range.start == found.start)
            .map(|(entry, _)| entry)
    }
}

/// True when a pattern's assertions look past a match only to ask whether the next character
/// is an ASCII word character (`(?-u:\b)`); look-behind of any kind is fine.
fn reads_only_its_match(pattern: &str) -> bool {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return false;
    };
    hir.properties().look_set().iter().all(|look| {
        matches!(
            look,
            Look::Start
                | Look::StartLF
                | Look::StartCRLF
                | Look::WordAscii
                | Look::WordAsciiNegate
                | Look::WordStartAscii
                | Look::WordEndAscii
                | Look::WordStartHalfAscii
                | Look::WordEndHalfAscii
        )
    })
}

/// The matches of a lexicon, found one way or the other.
enum Found<'t> {
    EntryByEntry(Alternation<'t, 't>),
    Combined {
        lexicon: &'t Lexicon,
        combined: &'t regex::Regex,
        text: &'t str,
        at: usize,
    },
}

impl Iterator for Found<'_> {
    type Item = (usize, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Found::EntryByEntry(alternation) => alternation.next(),
            Found::Combined {
                lexicon,
                combined,
                text,
                at,
            } => {
                let found = combined.find_at(text, *at)?.range();
                *at = found.end;
                // Every match of the alternation is some entry's.
                let entry = lexicon.entry_at(text, found.clone())?;
                Some((entry, found))
            }
        }
    }
}

/// An error when `pattern` can match empty text (the search would never move on). The built-in
/// rule file's entries, compiled on first use, are left to the test that compiles every
/// built-in pattern eagerly: parsing each of them cost a tenth of a one-file run's start-up.
fn refuse_empty(pattern: &str, error: impl FnOnce() -> String) -> Result<(), String> {
    match !compiling_lazily() && matches_empty(pattern)? {
        true => Err(error()),
        false => Ok(()),
    }
}

/// An entry's pattern with what must surround it, compiled on first use (built-in rule files)
/// or at once (configuration), case-insensitively like every rule pattern.
fn bounded(before: &str, pattern: &str, after: &str) -> Result<LazyRegex, String> {
    compile_regex(&format!("{before}(?:{pattern}){after}"))
}

/// The capture group of identifier `i` in [`Lexicon::identifiers`].
fn identifier_group(i: usize) -> String {
    format!("{IDENTIFIER_GROUP}{i}")
}

/// The start of an identifier's group name, followed by its number.
const IDENTIFIER_GROUP: &str = "crisislint_identifier_";

/// Where [`Alternation`] finds matches.
enum Source<'e> {
    /// One entry's pattern, and where its matches can be.
    Entry(usize, &'e LazyRegex, Within),
    /// Every identifier, the first being this entry, each in its capture group.
    Identifiers(usize, &'e LazyRegex),
}

impl Source<'_> {
    /// The first match at or after `at`, and its entry.
    fn find_at(&self, text: &str, at: usize) -> Option<(usize, Range<usize>)> {
        match *self {
            Source::Entry(entry, regex, ref within) => within.find_at(regex, text, at).map(|m| (entry, m.range())),
            Source::Identifiers(first, regex) => {
                let captures = regex.captures_at(text, at)?;
                let whole = captures.get(0)?.range();
                // The group that matched says which identifier: its number, read from its name
                // (asking for each name in turn took a name built and looked up per identifier).
                let i = captures
                    .named_matches()
                    .find_map(|(name, _)| name.strip_prefix(IDENTIFIER_GROUP)?.parse::<usize>().ok())?;
                Some((first + i, whole))
            }
        }
    }
}

/// The matches of `sources` as one alternation of their entries in entry order would find
/// them: the leftmost match, and of those starting at the same place the earlier entry's; the
/// search goes on after its end. Each source's next match is kept until a chosen match passes
/// its start, so a source that never matches reads the text once.
struct Alternation<'e, 't> {
    sources: Vec<Source<'e>>,
    text: &'t str,
    /// For each source, its next match at or after the position it was last searched from.
    next: Vec<Next>,
    at: usize,
}

/// What a source of an [`Alternation`] has left.
#[derive(Clone)]
enum Next {
    Unsearched,
    Match(usize, Range<usize>),
    /// No match to the end of the text.
    Done,
}

impl<'e, 't> Alternation<'e, 't> {
    fn new(sources: Vec<Source<'e>>, text: &'t str) -> Self {
        let next = vec![Next::Unsearched; sources.len()];
        Alternation {
            sources,
            text,
            next,
            at: 0,
        }
    }
}

impl Iterator for Alternation<'_, '_> {
    type Item = (usize, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let mut best: Option<(usize, &Range<usize>)> = None;
        for (next, source) in self.next.iter_mut().zip(&self.sources) {
            let stale = match next {
                Next::Unsearched => true,
                Next::Match(_, found) => found.start < self.at,
                Next::Done => false,
            };
            if stale {
                *next = match source.find_at(self.text, self.at) {
                    Some((entry, found)) => Next::Match(entry, found),
                    None => Next::Done,
                };
            }
            if let Next::Match(entry, found) = next {
                if best.is_none_or(|(b_entry, b)| (found.start, *entry) < (b.start, b_entry)) {
                    best = Some((*entry, found));
                }
            }
        }
        let (entry, range) = best.map(|(entry, found)| (entry, found.clone()))?;
        // No entry matches empty text (refused at compile time), so the search moves on.
        self.at = range.end;
        Some((entry, range))
    }
}

/// Applies RULES.md's "all-caps terms match case-sensitively": with no explicit flag, each
/// top-level alternative whose letters are all capitals is wrapped in `(?-i:...)`, so `SLA|SLO|error
/// budget` keeps `error budget` case-insensitive.
pub fn with_case_rule(pattern: &str, case_sensitive: Option<bool>) -> String {
    match case_sensitive {
        Some(true) => format!("(?-i:{pattern})"),
        Some(false) => pattern.to_string(),
        None => top_level_alternatives(pattern)
            .into_iter()
            .map(|alt| {
                if is_all_caps(alt) {
                    format!("(?-i:{alt})")
                } else {
                    alt.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// Splits a regex at the `|` that are outside groups, classes and escapes.
fn top_level_alternatives(pattern: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_class, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.saturating_sub(1),
            '|' if !in_class && depth == 0 => {
                parts.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&pattern[start..]);
    parts
}

/// True when the letters of a regex (escapes skipped) include a capital and no lowercase letter.
fn is_all_caps(pattern: &str) -> bool {
    let mut letters = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c.is_alphabetic() {
            letters.push(c);
        }
    }
    letters.iter().any(|c| c.is_uppercase()) && !letters.iter().any(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(pattern: &str, plain: &str) -> TermDef {
        TermDef {
            pattern: pattern.to_string(),
            plain: Some(plain.to_string()),
            help: None,
            drop_in: false,
            case_sensitive: None,
        }
    }

    fn found(lexicon: &Lexicon, text: &str) -> Vec<(usize, String)> {
        lexicon.matches(text).map(|(i, r)| (i, text[r].to_string())).collect()
    }

    #[test]
    fn all_caps_alternatives_are_case_sensitive_and_the_others_are_not() {
        assert_eq!(
            with_case_rule("SLA|SLO|error budget", None),
            "(?-i:SLA)|(?-i:SLO)|error budget"
        );
        assert_eq!(
            with_case_rule(r"5xx|50[0234]\s+errors?", None),
            r"5xx|50[0234]\s+errors?"
        );
        assert_eq!(with_case_rule("a(b|c)", None), "a(b|c)");
        let lexicon = Lexicon::compile(&[], &[term("SLA|error budget", "target")], &[], &[]).unwrap();
        assert_eq!(found(&lexicon, "the sla, our SLA, an Error Budget").len(), 2);
    }

    #[test]
    fn terms_match_whole_words_only() {
        let lexicon = Lexicon::compile(&[], &[term("nodes?", "servers"), term("pods?", "servers")], &[], &[]).unwrap();
        assert_eq!(
            found(&lexicon, "an iPod, nodes and a pod; tripods"),
            [(0, "nodes".into()), (1, "pod".into())]
        );
    }

    #[test]
    fn not_terms_hide_the_terms_inside_them() {
        let lexicon = Lexicon::compile(&[r"for\s+instance".into()], &[term("instances?", "server")], &[], &[]).unwrap();
        assert_eq!(
            found(&lexicon, "For instance, one instance failed"),
            [(1, "instance".into())]
        );
    }

    #[test]
    fn allow_removes_an_entry_with_all_its_variants() {
        let terms = [
            term(r"rollbacks?|roll(ed|ing)?[ -]back", "undo"),
            term("APIs?", "interface"),
        ];
        let lexicon = Lexicon::compile(&[], &terms, &[], &["rollback".into(), "api".into()]).unwrap();
        assert!(found(&lexicon, "we rolled back the rollback").is_empty());
        assert_eq!(found(&lexicon, "the API"), []);
    }

    #[test]
    fn space_bounded_identifiers_take_only_the_identifier() {
        let ids = [IdentifierDef {
            pattern: r"(?:/[A-Za-z0-9_-]+){2,}".into(),
            boundary: Boundary::Space,
            help: None,
        }];
        let lexicon = Lexicon::compile(&[], &[], &ids, &[]).unwrap();
        assert_eq!(
            found(&lexicon, "see /var/lib/x (or /etc/app) and and/or 24/7/365"),
            [(0, "/var/lib/x".into()), (0, "/etc/app".into())]
        );
    }

    /// The shipped lexicon, identifiers included.
    fn shipped() -> Lexicon {
        let p = crate::rules::kinds::jargon::shipped_params();
        Lexicon::compile(&p.not_terms, &p.terms, &p.identifiers, &[]).unwrap()
    }

    #[test]
    fn entry_by_entry_and_the_combined_regex_find_the_same_matches() {
        let lexicon = shipped();
        let combined = lexicon.combine().expect("the shipped lexicon combines");
        let tricky = [
            "For instance, one instance failed over; we failed-over and rolled back a roll-back.",
            "node.js nodes, HTTP 503, http 503, 503 errors, 5xx, the SLA and SLO2, p99 latency",
            "web-03 and us-east-1 (see /var/lib/x, settings.yaml, --force, foo.bar(), Error::type_id)",
            "snake_case_name, camelCaseName, a cache\u{e9}, the CDN\u{2019}s cache, \u{212a}8s pods",
            "rollback\r\nconfig\ttimeouts time-out timed out\nlatency",
            "a use-after-free and a memory leak, an error budget, a re-deploy, misconfigured DNS",
        ];
        let fixtures = crate::test_support::markdown_fixtures();
        let texts = tricky
            .iter()
            .copied()
            .chain(fixtures.iter().map(|(_, text)| text.as_str()));
        let mut matches = 0;
        for text in texts {
            let by_entry: Vec<_> = lexicon.alternation(text).collect();
            let at_once: Vec<_> = Found::Combined {
                lexicon: &lexicon,
                combined: &combined,
                text,
                at: 0,
            }
            .collect();
            assert_eq!(by_entry, at_once, "{text}");
            matches += by_entry.len();
        }
        assert!(matches > 200, "{matches} matches");
    }

    /// Documents' prose is searched entry by entry, each entry only where its prefilter finds
    /// the literals its matches start with: every built-in entry finds there what the regex
    /// crate finds, in the fixtures cut into texts of a few KB.
    #[test]
    fn entries_find_in_prefiltered_texts_what_the_regex_crate_finds() {
        let lexicon = shipped();
        let fixtures = crate::test_support::markdown_fixtures();
        let mut texts = vec![String::new()];
        for (_, fixture) in &fixtures {
            let last = texts.last_mut().unwrap();
            last.push_str(fixture);
            if last.len() > 6 << 10 {
                texts.push(String::new());
            }
        }
        texts.retain(|t| (2 << 10..LONG_TEXT).contains(&t.len()));
        assert!(texts.len() >= 8, "{} texts", texts.len());
        let (mut prefiltered, mut matches) = (0, 0);
        for entry in lexicon.patterns.members() {
            let theirs = regex::RegexBuilder::new(&entry.pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            entry.prefilter_from_now();
            for text in &texts {
                let ours: Vec<_> = entry.find_iter(text).map(|m| m.range()).collect();
                let expected: Vec<_> = theirs.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours, expected, "{}", entry.pattern);
                assert_eq!(entry.is_match(text), !expected.is_empty(), "{}", entry.pattern);
                matches += expected.len();
            }
            prefiltered += usize::from(entry.has_prefilter());
        }
        // Most entries start with literals; and the texts hold many terms.
        assert!(
            prefiltered * 2 > lexicon.patterns.members().len(),
            "{prefiltered} prefiltered"
        );
        assert!(matches > 150, "{matches} matches");
    }

    #[test]
    fn an_entry_that_reads_past_its_match_keeps_the_lexicon_entry_by_entry() {
        assert!(reads_only_its_match(r"(?-u:\b)(?:(?m:^)|[\s(])foo(?-u:\b)"));
        assert!(!reads_only_its_match(r"foo$"));
        assert!(!reads_only_its_match(r"foo\b"));
        let lexicon = Lexicon::compile(
            &[],
            &[term("nodes?(?m:$)", "servers"), term("pods?", "servers")],
            &[],
            &[],
        )
        .unwrap();
        assert!(lexicon.combine().is_none());
        let many = "pods and nodes\n".repeat(COMBINE_AFTER / 15 + 1);
        assert_eq!(lexicon.matches(&many).count(), 2 * (COMBINE_AFTER / 15 + 1));
    }

    #[test]
    fn only_long_texts_outside_the_index_bring_the_combined_regex_and_they_all_find_the_same() {
        let lexicon = Lexicon::compile(&[], &[term("pods?", "servers")], &[], &[]).unwrap();
        let short = format!("pods{}", " and".repeat((LONG_TEXT - 5) / 4));
        assert!(short.len() < LONG_TEXT);
        for _ in 0..=COMBINE_AFTER / short.len() {
            assert_eq!(lexicon.matches(&short).count(), 1);
        }
        assert!(lexicon.combined.get().is_none(), "short texts counted");
        let long = "a pod\n".repeat(COMBINE_AFTER / 6 + 1);
        // Indexed, the long text is read only around its words, however often it is searched.
        let indexed = crate::rules::kinds::pattern_set::with_document(&long, || {
            (0..3).map(|_| lexicon.matches(&long).count()).collect::<Vec<_>>()
        });
        assert_eq!(indexed, [COMBINE_AFTER / 6 + 1; 3]);
        assert!(lexicon.combined.get().is_none(), "indexed texts counted");
        assert_eq!(lexicon.matches(&long).count(), COMBINE_AFTER / 6 + 1);
        assert!(lexicon.combined.get().is_some_and(Option::is_some), "not combined");
        assert_eq!(lexicon.matches(&long).count(), COMBINE_AFTER / 6 + 1);
    }

    #[test]
    fn bad_patterns_are_named_in_the_error() {
        let err = Lexicon::compile(&[], &[term("late(ncy", "delay")], &[], &[]).unwrap_err();
        assert!(err.contains("late(ncy"), "{err}");
        let err = Lexicon::compile(&[], &[term("x?", "y")], &[], &[]).unwrap_err();
        assert!(err.contains("matches empty text"), "{err}");
    }
}
