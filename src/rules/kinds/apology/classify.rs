//! Sorting apology keywords into not-an-apology, hedged and genuine (RULES.md §5 CL101/CL401).
//!
//! Works on one sentence of prose at a time, so it is tested on plain strings; `mod.rs` walks
//! the document's sentences and caches the result.

use super::super::compile_regex;
use crate::rules::kinds::pattern_set::{PatternSet, WordFilter};
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// The `[check.classification]` table of `missing-apology.toml`: every pattern the
/// classification uses. All are case-insensitive regexes over the prose mask.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ClassificationParams {
    /// An apology keyword (`sorry`, `apologize`, ...).
    pub keyword: String,
    /// A match that contains the keyword negates it (`not sorry`, `won't apologize`).
    pub negations: Vec<String>,
    /// A match that contains the keyword is the news formula (`sorry to announce`).
    pub news_formulas: Vec<String>,
    /// A match that contains the keyword makes it future or policy (`will apologize`).
    pub future: Vec<String>,
    /// A match that contains the keyword is a present wish to apologize (`would like to
    /// apologize`), never future or policy.
    pub intent: Vec<String>,
    /// Reporting words: a keyword inside quotation marks opened after one of these is relayed.
    pub reporting: String,
    /// First-person words (the organization names from config are added at run time).
    pub first_person: String,
    /// Third-person subjects: first person counts only when it comes after the last of these
    /// (`our provider told us they were sorry` is their apology).
    pub third_person: String,
    /// Matched against the clause text right before the keyword: `our|my`, at most one
    /// adjective, then the keyword (end-anchored).
    pub possessive: String,
    /// Matched against the text between the start of the keyword's comma-delimited segment
    /// and the keyword: words that may come first without a subject (`once again, sorry`).
    pub sentence_opener: String,
    /// Keywords that stand without a verb (`sorry`, `apologies`): after `and` they open a new
    /// part (`thanks for your patience and sorry for the delay`); a verb after `and` shares
    /// the subject before it (`the vendor paused and apologized`).
    pub interjection: String,
    /// The conjunction after which a verbless keyword opens a new part.
    pub conjunction: String,
    /// Where a clause ends (`;` `:` `—` `, but`).
    pub clause_breaks: String,
    /// Matched right after a keyword in a heading: an object that makes the heading an apology
    /// (`Sorry for ...`) rather than a section label (`Apology`).
    pub heading_object: String,
    /// Hedges (CL401): a match in the keyword's clause makes the apology hedged.
    pub hedges: Vec<String>,
    /// Phrases that look like hedges but are not (`if you have questions`); a group named
    /// `unhedged`, when present, is the only part excluded.
    pub not_hedges: Vec<String>,
}

/// Why a keyword is not an apology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `not sorry`, `won't apologize`.
    Negated,
    /// `sorry to announce`.
    NewsFormula,
    /// Someone else apologizes (`the provider apologized`).
    ThirdPerson,
    /// Quoted after `said`, `wrote`, `told`, `according to`.
    Quoted,
    /// `will apologize`, `should have apologized`.
    FutureOrPolicy,
    /// A heading that only names a section (`## Apology`).
    SectionLabel,
}

/// How an apology keyword reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApologyClass {
    /// Not an apology to the reader, and why.
    NotAnApology(Reason),
    /// An apology for what may have happened (CL401); the hedge span is in `Apology::hedge`.
    Hedged,
    /// A genuine apology.
    Genuine,
}

/// One keyword of one sentence, offsets relative to the sentence text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified {
    /// The keyword.
    pub keyword: (usize, usize),
    /// The class.
    pub class: ApologyClass,
    /// The hedge, for a hedged apology.
    pub hedge: Option<(usize, usize)>,
}

/// The compiled classification.
#[derive(Debug)]
pub struct Classifier {
    /// The keyword pattern, alone in a set, whose word index says which sentences cannot hold
    /// it (see [`Classifier::keyword_filter`]). It learns its words when compiled, so that a
    /// run's first document is indexed for them.
    keyword: PatternSet,
    negations: PatternSet,
    news_formulas: PatternSet,
    future: PatternSet,
    intent: PatternSet,
    reporting: LazyRegex,
    first_person: LazyRegex,
    third_person: LazyRegex,
    possessive: LazyRegex,
    sentence_opener: LazyRegex,
    interjection: LazyRegex,
    conjunction: LazyRegex,
    clause_breaks: LazyRegex,
    heading_object: LazyRegex,
    hedges: PatternSet,
    not_hedges: PatternSet,
}

fn compile_all(patterns: &[String]) -> Result<PatternSet, String> {
    PatternSet::compile(patterns, compile_regex)
}

impl Classifier {
    /// Compiles every pattern; the error names the bad one.
    pub fn compile(params: &ClassificationParams) -> Result<Self, String> {
        let keyword = PatternSet::new(vec![compile_regex(&params.keyword)?]);
        keyword.learn_words();
        Ok(Classifier {
            keyword,
            negations: compile_all(&params.negations)?,
            news_formulas: compile_all(&params.news_formulas)?,
            future: compile_all(&params.future)?,
            intent: compile_all(&params.intent)?,
            reporting: compile_regex(&params.reporting)?,
            first_person: compile_regex(&params.first_person)?,
            third_person: compile_regex(&params.third_person)?,
            possessive: compile_regex(&params.possessive)?,
            sentence_opener: compile_regex(&params.sentence_opener)?,
            interjection: compile_regex(&params.interjection)?,
            conjunction: compile_regex(&params.conjunction)?,
            clause_breaks: compile_regex(&params.clause_breaks)?,
            heading_object: compile_regex(&params.heading_object)?,
            hedges: compile_all(&params.hedges)?,
            not_hedges: compile_all(&params.not_hedges)?,
        })
    }

    /// A filter of the texts (parts of the document's prose mask) that hold no keyword, as the
    /// document's word index tells: most sentences hold none, and the index says so for less
    /// than a search of each (see [`PatternSet::word_filter`]).
    pub fn keyword_filter(&self) -> WordFilter<'_> {
        self.keyword.word_filter()
    }

    /// Classifies every keyword of one sentence (prose mask text). `organization` names count
    /// as first person; in a heading a subjectless keyword needs an object to count.
    pub fn classify_sentence(&self, text: &str, in_heading: bool, organization: &[String]) -> Vec<Classified> {
        let mut keywords = self.keyword.members()[0].find_iter(text).peekable();
        // Most sentences have no keyword: their clause breaks are never needed.
        if keywords.peek().is_none() {
            return Vec::new();
        }
        let breaks: Vec<(usize, usize)> = self
            .clause_breaks
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        keywords
            .map(|m| {
                let keyword = (m.start(), m.end());
                let clause = clause_around(&breaks, keyword, text.len());
                let (class, hedge) = self.classify_keyword(text, keyword, clause, in_heading, organization);
                Classified { keyword, class, hedge }
            })
            .collect()
    }

    fn classify_keyword(
        &self,
        text: &str,
        keyword: (usize, usize),
        clause: (usize, usize),
        in_heading: bool,
        organization: &[String],
    ) -> (ApologyClass, Option<(usize, usize)>) {
        let not = ApologyClass::NotAnApology;
        if any_contains(&self.negations, text, keyword) {
            return (not(Reason::Negated), None);
        }
        if any_contains(&self.news_formulas, text, keyword) {
            return (not(Reason::NewsFormula), None);
        }
        let before = &text[clause.0..keyword.0];
        let subject_area = &before[self.third_person.find_iter(before).last().map_or(0, |m| m.end())..];
        let first_person = self.first_person.is_match(subject_area)
            || self.possessive.is_match(before)
            || organization.iter().any(|name| contains_word(subject_area, name));
        let opens = self
            .sentence_opener
            .is_match(&before[self.segment_start(before, &text[keyword.0..keyword.1])..]);
        if !first_person && !opens {
            return (not(Reason::ThirdPerson), None);
        }
        if self.inside_reported_quote(text, keyword.0) {
            return (not(Reason::Quoted), None);
        }
        if any_contains(&self.future, text, keyword) && !any_contains(&self.intent, text, keyword) {
            return (not(Reason::FutureOrPolicy), None);
        }
        if in_heading && !first_person && !self.heading_object.is_match(&text[keyword.1..]) {
            return (not(Reason::SectionLabel), None);
        }
        match self.hedge_in(text, clause, keyword) {
            Some(hedge) => (ApologyClass::Hedged, Some(hedge)),
            None => (ApologyClass::Genuine, None),
        }
    }

    /// Where the part of the clause that ends right before the keyword starts: after the last
    /// comma, or after the last `and` for a verbless keyword.
    fn segment_start(&self, before: &str, keyword: &str) -> usize {
        let comma = before.rfind(',').map_or(0, |i| i + 1);
        let and = if self.interjection.is_match(keyword) {
            self.conjunction.find_iter(before).last().map_or(0, |m| m.end())
        } else {
            0
        };
        comma.max(and)
    }

    /// True when the keyword sits inside quotation marks opened after a reporting word.
    fn inside_reported_quote(&self, text: &str, at: usize) -> bool {
        let before = &text[..at];
        let straight = (before.matches('"').count() % 2 == 1)
            .then(|| before.rfind('"'))
            .flatten();
        let curly = before.rfind('“').filter(|&open| !before[open..].contains('”'));
        match straight.max(curly) {
            Some(open) => self.reporting.is_match(&text[..open]),
            None => false,
        }
    }

    /// The hedge nearest the keyword in its clause, overlapping hedge matches merged into one
    /// phrase (`for any` + `any inconvenience` = `for any inconvenience`).
    fn hedge_in(&self, text: &str, clause: (usize, usize), keyword: (usize, usize)) -> Option<(usize, usize)> {
        let clause_text = &text[clause.0..clause.1];
        let excluded: Vec<(usize, usize)> = self
            .not_hedges
            .candidates(clause_text)
            .flat_map(|(_, re)| re.captures_iter(clause_text))
            .filter_map(|c| c.name("unhedged").or_else(|| c.get(0)))
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut found: Vec<(usize, usize)> = self
            .hedges
            .candidates(clause_text)
            .flat_map(|(_, re)| re.find_iter(clause_text).map(|m| (m.start(), m.end())))
            .filter(|h| !excluded.iter().any(|x| x.0 < h.1 && h.0 < x.1))
            .map(|(s, e)| (s + clause.0, e + clause.0))
            .collect();
        found.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in found {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let distance = |h: &(usize, usize)| {
            if h.0 >= keyword.1 {
                h.0 - keyword.1
            } else {
                keyword.0.saturating_sub(h.1)
            }
        };
        merged.into_iter().min_by_key(distance)
    }
}

/// The clause (between breaks) that holds the keyword.
fn clause_around(breaks: &[(usize, usize)], keyword: (usize, usize), len: usize) -> (usize, usize) {
    let start = breaks
        .iter()
        .filter(|b| b.1 <= keyword.0)
        .map(|b| b.1)
        .max()
        .unwrap_or(0);
    let end = breaks
        .iter()
        .filter(|b| b.0 >= keyword.1)
        .map(|b| b.0)
        .min()
        .unwrap_or(len);
    (start, end)
}

/// True when some match of some pattern covers the whole keyword.
fn any_contains(patterns: &PatternSet, text: &str, keyword: (usize, usize)) -> bool {
    patterns.candidates(text).any(|(_, re)| {
        re.find_iter(text)
            .any(|m| m.start() <= keyword.0 && keyword.1 <= m.end())
    })
}

/// Case-insensitive whole-word search for an organization name (no regex per document).
fn contains_word(haystack: &str, name: &str) -> bool {
    let name = name.trim();
    if name.is_empty() {
        return false;
    }
    let lower = haystack.to_lowercase();
    let needle = name.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    lower.match_indices(&needle).any(|(i, _)| {
        let before_ok = !matches!(lower[..i].chars().next_back(), Some(c) if is_word(c));
        let after_ok = !matches!(lower[i + needle.len()..].chars().next(), Some(c) if is_word(c));
        before_ok && after_ok
    })
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
