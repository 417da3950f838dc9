//! `kind = "blame"`: CL402 `blame-shifting`. Classes 1–3 (a disclaimer, the reader's fault, a
//! person or another team) are phrase classes (`[check.phrases]`, the `phrase` kind's tests);
//! class 4, a third party blamed in a document that owns nothing, needs a document-level test:
//! no genuine apology outside block quotes (CL101's classification), no remediation (CL103's
//! presence test) and no admission (`[check.third-party].admissions`).
//!
//! The admissions are shared: CL405 `passive-evasion` (`unless-admission = true`) does not
//! report a sentence that holds one, through [`admits`].

use super::apology::{document_apologies, has_own_genuine};
use super::phrase::{self, quotes_in_sentence, PhraseCheck};
use super::presence::pattern::compile_bounded;
use super::presence::Presence;
use super::{Analysis, Check, CheckContext, CheckSpec};
use crate::diagnostic::Finding;
use crate::document::Sentence;
use crate::rules::kinds::pattern_set::PatternSet;
use serde::Deserialize;
use std::sync::LazyLock;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Classes 1–3, reported per sentence.
    pub phrases: phrase::Params,
    /// Class 4.
    pub third_party: ThirdPartyParams,
}

/// `[check.third-party]`: a third party named with a fault word, in a document owning nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThirdPartyParams {
    /// The message.
    pub message: String,
    /// Patterns naming a third party (the configuration's `third-parties` are added).
    pub parties: Vec<String>,
    /// Words that put a fault on it.
    pub fault_words: Vec<String>,
    /// Fault words inside a match of one of these do not count (`opened an issue`: a ticket).
    #[serde(default)]
    pub not_fault_words: Vec<String>,
    /// Sentences that own part of the failure.
    pub admissions: Vec<String>,
}

/// Options from the configuration's `[rules.blame-shifting]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Names of the publisher's providers (`["Cloudflare"]`), matched as whole words.
    #[serde(default)]
    pub third_parties: Vec<String>,
}

/// The built-in admissions, read from `rules/blame-shifting.toml`.
static ADMISSIONS: LazyLock<PatternSet> = LazyLock::new(|| {
    let def = crate::config::builtin_rule("blame-shifting").expect("blame-shifting is built in");
    let CheckSpec::Blame(params) = &def.check else {
        panic!("blame-shifting.toml: kind must be `blame`");
    };
    compile_all(&params.third_party.admissions).unwrap_or_else(|e| panic!("blame-shifting.toml: {e}"))
});

/// True when a sentence's prose owns part of a failure (`we should have`, `our mistake`).
pub fn admits(text: &str) -> bool {
    ADMISSIONS.is_match(text)
}

fn compile_all(patterns: &[String]) -> Result<PatternSet, String> {
    PatternSet::compile(patterns, compile_bounded)
}

/// The compiled check.
#[derive(Debug)]
pub struct Blame {
    phrases: PhraseCheck,
    message: String,
    parties: PatternSet,
    fault_words: PatternSet,
    not_fault_words: PatternSet,
    admissions: PatternSet,
    remediation: Presence,
}

impl Blame {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let third = &params.third_party;
        let mut parties = compile_all(&third.parties)
            .map_err(|e| format!("in `parties`: {e}"))?
            .into_members();
        for name in options.third_parties.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            parties.push(super::compile_regex(&format!(r"\b{}\b", regex::escape(name)))?);
        }
        let parties = PatternSet::new(parties);
        Ok(Blame {
            phrases: PhraseCheck::compile(&params.phrases, phrase::Options::default())?,
            message: third.message.clone(),
            parties,
            fault_words: compile_all(&third.fault_words).map_err(|e| format!("in `fault-words`: {e}"))?,
            not_fault_words: compile_all(&third.not_fault_words).map_err(|e| format!("in `not-fault-words`: {e}"))?,
            admissions: compile_all(&third.admissions).map_err(|e| format!("in `admissions`: {e}"))?,
            remediation: Presence::builtin("missing-remediation")?,
        })
    }

    /// True when the document owns part of the failure: a genuine apology of its own, a
    /// remediation (CL103) or an admission outside block quotes.
    fn owns_something(&self, cx: &CheckContext<'_>) -> bool {
        has_own_genuine(document_apologies(cx))
            || self
                .phrases
                .own_sentences(cx)
                .any(|s| self.admissions.is_match(cx.doc.prose(s.span())))
            || self.remediation.is_satisfied(cx.doc)
    }

    /// True when the sentence names a third party and a fault, outside quotation marks.
    fn blames_third_party(&self, cx: &CheckContext<'_>, sentence: &Sentence) -> bool {
        let text = cx.doc.prose(sentence.span());
        if !self.parties.may_match(text) || !self.fault_words.may_match(text) {
            return false;
        }
        let quoted = quotes_in_sentence(cx.doc, sentence);
        let excluded: Vec<(usize, usize)> = self
            .not_fault_words
            .candidates(text)
            .flat_map(|(_, re)| re.find_iter(text).map(|m| (m.start(), m.end())))
            .chain(quoted.iter().copied())
            .collect();
        let counts = |set: &PatternSet, skip: &[(usize, usize)]| {
            set.candidates(text).any(|(_, re)| {
                re.find_iter(text)
                    .any(|m| !skip.iter().any(|q| q.0 <= m.start() && m.start() < q.1))
            })
        };
        counts(&self.parties, &quoted) && counts(&self.fault_words, &excluded)
    }
}

impl Check for Blame {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Apologies]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let mut found = Vec::new();
        self.phrases.check(cx, &mut found);
        let flagged: Vec<_> = found.iter().map(|f| f.primary.span).collect();
        // Most sentences name no party or no fault, which the word index tells at once.
        let (mut parties, mut faults) = (self.parties.word_filter(), self.fault_words.word_filter());
        let third_party: Vec<&Sentence> = self
            .phrases
            .own_sentences(cx)
            .filter(|s| {
                let text = cx.doc.prose(s.span());
                parties.may_hold(text)
                    && faults.may_hold(text)
                    && !flagged.contains(&s.span())
                    && self.blames_third_party(cx, s)
            })
            .collect();
        if !third_party.is_empty() && !self.owns_something(cx) {
            found.extend(third_party.iter().map(|s| Finding::new(s.span(), self.message.clone())));
        }
        found.sort_by_key(|f| f.primary.span);
        out.extend(found);
    }
}

#[cfg(test)]
mod tests;
