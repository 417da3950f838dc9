//! The compiled form of a rule pattern: regex-automata's meta engine, configured for the short
//! texts rule patterns search, with the subset of `regex::Regex`'s API the rules use.
//!
//! Why not `regex::Regex`: it builds every engine and prefilter a pattern could use, which is
//! most of a one-file run's time (the built-in rules compile about 65 patterns on a 4 KB file).
//! Rule patterns mostly run on one sentence at a time, and only in sentences that
//! [`PatternSet`](super::pattern_set::PatternSet)'s word index has already shown to contain the
//! pattern's words. There, a literal prefilter finds nothing the index did not, and a full DFA
//! does not pay for its construction. Matches are the same as `regex::Regex`'s: leftmost-first,
//! empty matches only at UTF-8 boundaries.

use regex_automata::meta;
use regex_automata::util::captures;
use regex_automata::util::syntax;
use regex_automata::{Input, Span};
use std::ops::Range;

/// A compiled, case-insensitive rule pattern.
#[derive(Debug, Clone)]
pub struct CompiledRegex {
    meta: meta::Regex,
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
        let config = meta::Config::new()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(size_limit))
            .hybrid_cache_capacity(size_limit)
            .auto_prefilter(false)
            .dfa(false);
        meta::Builder::new()
            .configure(config)
            .syntax(syntax::Config::new().case_insensitive(true).utf8(true))
            .build(pattern)
            .map(|meta| CompiledRegex { meta })
            .map_err(|e| match e.size_limit() {
                Some(limit) => BuildError::TooBig(limit),
                None => BuildError::Other(e.to_string()),
            })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.meta.is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    /// The first match starting at or after `start`; look-around (`\b`) still sees the text
    /// before `start`.
    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack).range(start..);
        self.meta.search(&input).map(|m| Match::new(haystack, m.span()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + use<'r, 'h> {
        self.meta
            .find_iter(haystack)
            .map(move |m| Match::new(haystack, m.span()))
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.captures_at(haystack, 0)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Captures<'h>> {
        let mut groups = self.meta.create_captures();
        self.meta
            .search_captures(&Input::new(haystack).range(start..), &mut groups);
        groups.is_match().then_some(Captures { haystack, groups })
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        self.meta
            .captures_iter(haystack)
            .map(move |groups| Captures { haystack, groups })
    }
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

    #[test]
    fn reports_a_pattern_over_the_size_limit() {
        assert!(matches!(
            CompiledRegex::new(r"\p{L}{100}", 1 << 16),
            Err(BuildError::TooBig(_))
        ));
        assert!(matches!(CompiledRegex::new(r"(", 1 << 16), Err(BuildError::Other(_))));
    }
}
