//! A list of patterns tried on the same text, with one pass in front of them.
//!
//! Most rules hold lists of patterns (cue phrases, triggers, hedges) and ask each of them about
//! every sentence; almost all of those questions get "no". Before a member is run, one
//! aho-corasick pass over the text looks for the words a match of each member must start with,
//! read from the pattern's syntax (`\b(?:we|our) team` must start with `we` or `our`). Only
//! members whose first words occur are run, and a member is compiled on its first such run, so
//! a pattern whose words never appear costs neither time nor start-up.
//!
//! The pass is exact: a member that could match is never skipped. Its first words are extracted
//! with the same case folding the regex uses (so `k` also looks for the Kelvin sign), and a
//! member with no finite set of first words (`\w+ing`) is always run.

use super::LazyRegex;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::sync::OnceLock;

/// Patterns searched together; members keep their order (the first one found may win).
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    members: Vec<LazyRegex>,
    first_words: OnceLock<FirstWords>,
}

/// Which members can start at which words.
#[derive(Debug, Clone)]
struct FirstWords {
    /// Every distinct first word of every member, lowercased (searched ASCII-case-insensitively).
    searcher: Option<AhoCorasick>,
    /// For each word of `searcher`, the members that can start with it.
    owners: Vec<Vec<usize>>,
    /// Members that must always be run.
    always: Members,
}

impl PatternSet {
    /// A set of compiled members.
    pub fn new(members: Vec<LazyRegex>) -> Self {
        PatternSet {
            members,
            first_words: OnceLock::new(),
        }
    }

    /// Compiles each pattern with `compile`; the first error is returned.
    pub fn compile<S: AsRef<str>>(
        patterns: &[S],
        compile: impl Fn(&str) -> Result<LazyRegex, String>,
    ) -> Result<Self, String> {
        let members = patterns.iter().map(|p| compile(p.as_ref())).collect::<Result<_, _>>()?;
        Ok(PatternSet::new(members))
    }

    /// The members, in order.
    pub fn members(&self) -> &[LazyRegex] {
        &self.members
    }

    /// The members, to add to them.
    pub fn into_members(self) -> Vec<LazyRegex> {
        self.members
    }

    /// True when the set has no member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members that can match somewhere in `text`, in order, with their index.
    pub fn candidates<'s>(&'s self, text: &str) -> impl Iterator<Item = (usize, &'s LazyRegex)> + 's {
        self.candidate_members(text)
            .into_indices()
            .map(move |i| (i, &self.members[i]))
    }

    /// True when a member matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.candidates(text).any(|(_, re)| re.is_match(text))
    }

    /// True when one of the members could match in `text` (none can when this is false).
    pub fn may_match(&self, text: &str) -> bool {
        !self.candidate_members(text).is_empty()
    }

    fn candidate_members(&self, text: &str) -> Members {
        let first_words = self.first_words.get_or_init(|| FirstWords::of(&self.members));
        let mut found = first_words.always.clone();
        if let Some(searcher) = &first_words.searcher {
            for m in searcher.find_overlapping_iter(text) {
                for &member in &first_words.owners[m.pattern().as_usize()] {
                    found.insert(member);
                }
            }
        }
        found
    }
}

impl FirstWords {
    fn of(members: &[LazyRegex]) -> Self {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Members::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            match first_words(&member.pattern) {
                None => always.insert(index),
                Some(starts) => {
                    for word in starts {
                        match words.iter().position(|w| *w == word) {
                            Some(at) => owners[at].push(index),
                            None => {
                                words.push(word);
                                owners.push(vec![index]);
                            }
                        }
                    }
                }
            }
        }
        let searcher = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&words)
                .expect("a few hundred short words always build")
        });
        FirstWords {
            searcher,
            owners,
            always,
        }
    }
}

/// The words every match of `pattern` starts with, lowercased and distinct; `None` when they
/// are not a finite set of non-empty words (the pattern must then always be run).
fn first_words(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    // Case variants multiply (`guarantee` has 512): a generous total keeps the words long
    // enough to be telling before the extractor shortens them.
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(1024)
        .extract(&hir);
    let mut words: Vec<Vec<u8>> = Vec::new();
    for literal in seq.literals()? {
        let word = literal.as_bytes().to_ascii_lowercase();
        if word.is_empty() {
            return None;
        }
        if !words.contains(&word) {
            words.push(word);
        }
    }
    // Drop words that a shorter word already covers: `we` finds every `were`.
    words.sort_by_key(Vec::len);
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for word in words {
        if !kept.iter().any(|k| word.starts_with(k)) {
            kept.push(word);
        }
    }
    Some(kept)
}

/// A set of member indices, without allocation for the first 128.
#[derive(Debug, Clone)]
struct Members {
    low: u128,
    high: Vec<u64>,
}

impl Members {
    fn with_capacity(n: usize) -> Self {
        Members {
            low: 0,
            high: vec![0; n.saturating_sub(128).div_ceil(64)],
        }
    }

    fn insert(&mut self, i: usize) {
        if i < 128 {
            self.low |= 1 << i;
        } else {
            self.high[(i - 128) / 64] |= 1 << ((i - 128) % 64);
        }
    }

    fn is_empty(&self) -> bool {
        self.low == 0 && self.high.iter().all(|w| *w == 0)
    }

    /// The indices, in increasing order.
    fn into_indices(self) -> impl Iterator<Item = usize> {
        let low = (0..2).flat_map(move |half| ones((self.low >> (64 * half)) as u64).map(move |b| 64 * half + b));
        let high = self
            .high
            .into_iter()
            .enumerate()
            .flat_map(|(w, bits)| ones(bits).map(move |b| 128 + 64 * w + b));
        low.chain(high)
    }
}

/// The positions of the set bits of a word, lowest first.
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let at = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            at
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::kinds::compile_regex;

    fn set(patterns: &[&str]) -> PatternSet {
        PatternSet::compile(patterns, compile_regex).unwrap()
    }

    fn candidates(set: &PatternSet, text: &str) -> Vec<usize> {
        set.candidates(text).map(|(i, _)| i).collect()
    }

    #[test]
    fn only_members_whose_first_words_occur_are_candidates() {
        let s = set(&[r"\bwe will\b", r"\bguarantee\b", r"\bnever again\b"]);
        assert_eq!(candidates(&s, "We WILL fix it"), vec![0]);
        assert_eq!(candidates(&s, "never again, we promise"), vec![2]);
        assert!(candidates(&s, "never, ever again").is_empty());
        assert!(candidates(&s, "nothing here").is_empty());
    }

    #[test]
    fn case_folding_follows_the_regex() {
        // The Kelvin sign folds to `k` under the regex's Unicode case folding.
        let s = set(&["known"]);
        assert!(s.is_match("\u{212A}nown"));
        assert_eq!(candidates(&s, "\u{212A}nown"), vec![0]);
    }

    #[test]
    fn members_without_finite_first_words_always_run() {
        let s = set(&[r"\w+ing\b", r"(?:a|b)?c", r"x*"]);
        assert_eq!(candidates(&s, "zzz"), vec![0, 2]);
        assert_eq!(candidates(&s, "bc"), vec![0, 1, 2]);
    }

    #[test]
    fn candidates_agree_with_running_every_member() {
        let patterns = [
            r"\b(?:we|our team) (?:will|shall) (?P<t>never)\b",
            r"\bnot (?:our|my) fault\b",
            r"\b(?:\d{1,2}):\d\d\b",
            r"\bstrike\b",
            r"’s\b",
        ];
        let s = set(&patterns);
        let texts = [
            "We will never do it",
            "our team shall never",
            "NOT OUR FAULT",
            "at 10:30 sharp",
            "a ſtrike",
            "it’s fine",
            "",
            "nothing at all",
        ];
        for text in texts {
            for (i, re) in s.members().iter().enumerate() {
                if re.is_match(text) {
                    assert!(candidates(&s, text).contains(&i), "{text:?} member {i}");
                }
            }
        }
    }

    #[test]
    fn more_than_128_members() {
        let patterns: Vec<String> = (0..300).map(|i| format!(r"\bword{i}x\b")).collect();
        let s = PatternSet::compile(&patterns, compile_regex).unwrap();
        assert_eq!(candidates(&s, "a word7x and word299x"), vec![7, 299]);
    }
}
