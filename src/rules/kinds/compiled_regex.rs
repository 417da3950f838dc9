//! The compiled form of a rule pattern: regex-automata's meta engine, configured for the short
//! texts rule patterns search, with the subset of `regex::Regex`'s API the rules use.
//!
//! Why not `regex::Regex`: it builds every engine and prefilter a pattern could use, which is
//! most of a one-file run's time (the built-in rules compile about 65 patterns on a 4 KB file).
//! Rule patterns mostly run on one sentence at a time, and only in sentences that
//! [`PatternSet`](super::pattern_set::PatternSet)'s word index has already shown to contain the
//! pattern's words. There, a literal prefilter finds nothing the index did not, and a full DFA
//! does not pay for its construction. A text of [`LONG_TEXT`] bytes or more (a whole big
//! document) is searched by a second engine with the prefilter, built on the first such search:
//! without it a 10 MB file took 7% longer. Matches are the same as `regex::Regex`'s, whichever
//! engine runs: leftmost-first, empty matches only at UTF-8 boundaries.

use regex_automata::meta;
use regex_automata::util::captures;
use regex_automata::util::syntax;
use regex_automata::{Input, Span};
use std::ops::Range;
use std::sync::OnceLock;

/// Texts this long are searched with a literal prefilter (see the module's docs).
pub const LONG_TEXT: usize = 64 << 10;

/// A compiled, case-insensitive rule pattern.
#[derive(Debug, Clone)]
pub struct CompiledRegex {
    pattern: String,
    size_limit: usize,
    /// The engine for texts shorter than [`LONG_TEXT`].
    short_texts: meta::Regex,
    /// The engine for longer ones, built on first use.
    long_texts: OnceLock<meta::Regex>,
}

/// Why a pattern did not compile.
#[derive(Debug)]
pub enum BuildError {
    /// Its compiled form exceeds the limit, in bytes.
    TooBig(usize),
    /// Anything else, said in the regex crate's words.
    Other(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::TooBig(limit) => write!(f, "the compiled pattern exceeds {limit} bytes"),
            BuildError::Other(message) => f.write_str(message),
        }
    }
}

impl CompiledRegex {
    /// Compiles `pattern` case-insensitively, with a compiled-size limit of `size_limit` bytes.
    pub fn new(pattern: &str, size_limit: usize) -> Result<Self, BuildError> {
        let short_texts = build(pattern, size_limit, false)?;
        Ok(CompiledRegex {
            pattern: pattern.to_string(),
            size_limit,
            short_texts,
            long_texts: OnceLock::new(),
        })
    }

    /// The engine for a text of `len` bytes.
    fn engine(&self, len: usize) -> &meta::Regex {
        if len < LONG_TEXT {
            return &self.short_texts;
        }
        self.long_texts.get_or_init(|| {
            // The same pattern and limits, which compiled once: a prefilter adds no states.
            build(&self.pattern, self.size_limit, true).unwrap_or_else(|_| self.short_texts.clone())
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.engine(haystack.len()).is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    /// The first match starting at or after `start`; look-around (`\b`) still sees the text
    /// before `start`.
    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack).range(start..);
        self.engine(haystack.len())
            .search(&input)
            .map(|m| Match::new(haystack, m.span()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + use<'r, 'h> {
        self.engine(haystack.len())
            .find_iter(haystack)
            .map(move |m| Match::new(haystack, m.span()))
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.captures_at(haystack, 0)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Captures<'h>> {
        let engine = self.engine(haystack.len());
        let mut groups = engine.create_captures();
        engine.search_captures(&Input::new(haystack).range(start..), &mut groups);
        groups.is_match().then_some(Captures { haystack, groups })
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        self.engine(haystack.len())
            .captures_iter(haystack)
            .map(move |groups| Captures { haystack, groups })
    }
}

/// Compiles `pattern` as the module's docs say, with a literal prefilter or without.
fn build(pattern: &str, size_limit: usize, prefilter: bool) -> Result<meta::Regex, BuildError> {
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(size_limit))
        .hybrid_cache_capacity(size_limit)
        .auto_prefilter(prefilter)
        .dfa(false);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().case_insensitive(true).utf8(true))
        .build(pattern)
        .map_err(|e| match e.size_limit() {
            Some(limit) => BuildError::TooBig(limit),
            None => BuildError::Other(e.to_string()),
        })
}

/// One match: a span of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, span: Span) -> Self {
        Match {
            haystack,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// A match with its capture groups.
#[derive(Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    groups: captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `index`; 0 is the whole match.
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.groups.get_group(index).map(|span| Match::new(self.haystack, span))
    }

    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.groups
            .get_group_by_name(name)
            .map(|span| Match::new(self.haystack, span))
    }

    /// Appends `replacement` to `dst` with `$1`/`${name}` replaced by the groups' text, as
    /// `regex::Captures::expand` does.
    pub fn expand(&self, replacement: &str, dst: &mut String) {
        self.groups.interpolate_string_into(self.haystack, replacement, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules were written against `regex::Regex`; every method here must answer as it does.
    #[test]
    fn answers_as_the_regex_crate_does() {
        let patterns = [
            r"(?-u:\b)sorry(?-u:\b)",
            r"x*",
            r"(?P<n>\d+)\s+(?P<unit>minutes?|hours?)",
            r"(?:[\p{L}'’-]+\s+){1,3}?(?P<t>down)",
            r"(?-i:BGP)|ß",
            r"^\s*",
        ];
        let haystacks = [
            "We are SORRY, sorryish, sorry.",
            "é漢字 ok 😀",
            "down for 15 minutes and 2 HOURS",
            "the site went down, the API went DOWN",
            "bgp BGP STRASSE straße",
            "",
        ];
        for pattern in patterns {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let theirs = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            for haystack in haystacks {
                let context = format!("{pattern:?} on {haystack:?}");
                assert_eq!(ours.is_match(haystack), theirs.is_match(haystack), "{context}");
                let ours_all: Vec<_> = ours.find_iter(haystack).map(|m| (m.range(), m.as_str())).collect();
                let theirs_all: Vec<_> = theirs.find_iter(haystack).map(|m| (m.range(), m.as_str())).collect();
                assert_eq!(ours_all, theirs_all, "{context}");
                for start in (0..=haystack.len()).filter(|&i| haystack.is_char_boundary(i)) {
                    let ours_at = ours.find_at(haystack, start).map(|m| m.range());
                    assert_eq!(
                        ours_at,
                        theirs.find_at(haystack, start).map(|m| m.range()),
                        "{context} at {start}"
                    );
                    let ours_caps = ours.captures_at(haystack, start);
                    let theirs_caps = theirs.captures_at(haystack, start);
                    assert_eq!(ours_caps.is_some(), theirs_caps.is_some(), "{context} at {start}");
                    if let (Some(ours_caps), Some(theirs_caps)) = (ours_caps, theirs_caps) {
                        for name in ["n", "unit", "t"] {
                            let ours_group = ours_caps.name(name).map(|m| m.range());
                            assert_eq!(
                                ours_group,
                                theirs_caps.name(name).map(|m| m.range()),
                                "{context} group {name}"
                            );
                        }
                        let (mut ours_text, mut theirs_text) = (String::new(), String::new());
                        ours_caps.expand("[$0|${n}|$t]", &mut ours_text);
                        theirs_caps.expand("[$0|${n}|$t]", &mut theirs_text);
                        assert_eq!(ours_text, theirs_text, "{context}");
                    }
                }
                let ours_groups: Vec<_> = ours
                    .captures_iter(haystack)
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                let theirs_groups: Vec<_> = theirs
                    .captures_iter(haystack)
                    .map(|c| c.get(0).map(|m| m.range()))
                    .collect();
                assert_eq!(ours_groups, theirs_groups, "{context}");
            }
        }
    }

    /// A long text goes to the engine with the prefilter, which must answer the same.
    #[test]
    fn long_texts_answer_as_short_ones_do() {
        let text =
            "We apologise: the API (our BGP edge) went down at 10:04 UTC for 15 minutes. ".repeat(LONG_TEXT / 60);
        assert!(text.len() >= LONG_TEXT);
        for pattern in [
            r"(?-u:\b)(?:apologi[sz]e|sorry)(?-u:\b)",
            r"(?P<n>\d+)\s+minutes",
            r"(?-i:BGP)",
            r"x*",
        ] {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap();
            let theirs = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .unwrap();
            let ours_all: Vec<_> = ours.find_iter(&text).map(|m| m.range()).collect();
            let theirs_all: Vec<_> = theirs.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(ours_all, theirs_all, "{pattern}");
            let ours_caps: Vec<_> = ours
                .captures_iter(&text)
                .map(|c| c.name("n").map(|m| m.range()))
                .collect();
            let theirs_caps: Vec<_> = theirs
                .captures_iter(&text)
                .map(|c| c.name("n").map(|m| m.range()))
                .collect();
            assert_eq!(ours_caps, theirs_caps, "{pattern}");
            for start in [0, 1, 5, LONG_TEXT / 2, text.len() - 3] {
                let ours_at = ours.find_at(&text, start).map(|m| m.range());
                assert_eq!(
                    ours_at,
                    theirs.find_at(&text, start).map(|m| m.range()),
                    "{pattern} at {start}"
                );
            }
            assert!(
                ours.long_texts.get().is_some(),
                "the long text used the prefiltered engine"
            );
        }
    }

    #[test]
    fn reports_a_pattern_over_the_size_limit() {
        assert!(matches!(
            CompiledRegex::new(r"\p{L}{100}", 1 << 16),
            Err(BuildError::TooBig(_))
        ));
        assert!(matches!(CompiledRegex::new(r"(", 1 << 16), Err(BuildError::Other(_))));
    }
}
