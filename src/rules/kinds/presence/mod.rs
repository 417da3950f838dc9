//! `kind = "presence"`: content that must be somewhere in the announcement (RULES.md §3).
//!
//! Content is present when (1) a heading other than the title, normalised, contains one of
//! `headings` and its section (subsections included) has at least `min-section-words` prose
//! words, or (2) a sentence outside headings matches one of the cues and none of `not-cues`.
//! Otherwise one finding anchors on the title, with the near misses (a matching heading whose
//! section is too short, a sentence whose cue did not count) as secondary labels.
//!
//! The rule file's `[check]` table:
//!
//! | key | meaning |
//! |---|---|
//! | `headings` | heading patterns, matched in the normalised heading at word boundaries |
//! | `cues` | sentence patterns that show the content is there |
//! | `cues-unless-after` | cues that do not count when one of `unless-after` matches earlier in their sentence |
//! | `unless-after` | patterns that cancel a later `cues-unless-after` cue (CL103: containment verbs) |
//! | `not-followed-by` | a cue does not count when the rest of its sentence, from the cue's end, starts with one of these (CL102: "due to an issue.") |
//! | `not-cues` | a sentence matching one of these does not count, whatever its cues; an entry may be `{ pattern, label }` to give its own near-miss label |
//! | `min-section-words` | prose words a matching section needs (default 5) |
//! | `message` | the finding's message |
//! | `label` | the primary label (default `announcement starts here`) |
//! | `near-miss-labels` | texts for rejected sentences: `not-cue`, `not-followed-by`, `unless-after` |
//!
//! Patterns are case-insensitive regexes over the prose mask, read as RULES.md prints them
//! (see [`pattern`]): a space matches any run of whitespace, `'` also matches `’`, and cues
//! and headings match at word boundaries. A sentence matching a not-cue is a near miss even
//! without a cue (`we are looking into options`). Configuration (`[rules.<name>]`) may replace `headings`, `cues` (both cue
//! lists), `not-cues` and `min-section-words`, or extend with `extra-headings` and `extra-cues`.

pub mod pattern;
#[cfg(test)]
mod tests;

use super::pattern_set::PatternSet;
use super::LazyRegex;
use super::{Check, CheckContext, CheckSpec};
use crate::diagnostic::{Finding, Label, Span};
use crate::document::Document;
use serde::Deserialize;

/// Secondary labels shown at most per finding; more near misses add noise, not guidance.
const MAX_NEAR_MISSES: usize = 3;

/// Parameters of the rule file's `[check]` table (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Heading patterns.
    pub headings: Vec<String>,
    /// Sentence cues.
    pub cues: Vec<String>,
    /// Cues cancelled by an `unless-after` match earlier in their sentence.
    #[serde(default)]
    pub cues_unless_after: Vec<String>,
    /// Patterns that cancel a later `cues-unless-after` cue.
    #[serde(default)]
    pub unless_after: Vec<String>,
    /// A cue followed (from its end) by one of these does not count.
    #[serde(default)]
    pub not_followed_by: Vec<String>,
    /// A sentence matching one of these does not count.
    #[serde(default)]
    pub not_cues: Vec<NotCue>,
    /// Prose words a matching section needs.
    #[serde(default = "default_min_section_words")]
    pub min_section_words: usize,
    /// The finding's message.
    pub message: String,
    /// The primary label.
    #[serde(default)]
    pub label: Option<String>,
    /// Secondary label texts for rejected sentences.
    #[serde(default)]
    pub near_miss_labels: NearMissLabels,
}

fn default_min_section_words() -> usize {
    5
}

/// A not-cue: a pattern, or a pattern with its own near-miss label.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NotCue {
    /// Labelled with `near-miss-labels.not-cue`.
    Pattern(String),
    /// Labelled with its own text.
    Labelled(LabelledPattern),
}

/// `{ pattern = "...", label = "..." }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledPattern {
    /// The regex.
    pub pattern: String,
    /// The near-miss label for a sentence it rejects.
    pub label: String,
}

impl NotCue {
    fn pattern(&self) -> &str {
        match self {
            NotCue::Pattern(p) | NotCue::Labelled(LabelledPattern { pattern: p, .. }) => p,
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            NotCue::Pattern(_) => None,
            NotCue::Labelled(l) => Some(&l.label),
        }
    }
}

/// What a secondary label says about a sentence whose cue did not count.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct NearMissLabels {
    /// The sentence matched a not-cue.
    pub not_cue: String,
    /// The cue was followed by a `not-followed-by` pattern.
    pub not_followed_by: String,
    /// The cue came after an `unless-after` pattern.
    pub unless_after: String,
}

impl Default for NearMissLabels {
    fn default() -> Self {
        NearMissLabels {
            not_cue: "this sentence does not count".to_string(),
            not_followed_by: "this says too little to count".to_string(),
            unless_after: "this sentence does not count".to_string(),
        }
    }
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Replaces the rule's heading patterns.
    pub headings: Option<Vec<String>>,
    /// Adds heading patterns.
    #[serde(default)]
    pub extra_headings: Vec<String>,
    /// Replaces the rule's cues (all of them, `cues-unless-after` included).
    pub cues: Option<Vec<String>>,
    /// Adds cues.
    #[serde(default)]
    pub extra_cues: Vec<String>,
    /// Replaces the rule's not-cues.
    pub not_cues: Option<Vec<NotCue>>,
    /// Replaces the rule's minimum section length.
    pub min_section_words: Option<usize>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Presence {
    headings: PatternSet,
    /// What a sentence is searched for, in one pass: the not-cues, the cues, then the cues
    /// that do not count after an `unless-after` pattern.
    sentence_patterns: PatternSet,
    /// The index of the first cue.
    first_cue: usize,
    /// The index of the first cue guarded by `unless-after`.
    first_guarded: usize,
    unless_after: PatternSet,
    not_followed_by: PatternSet,
    /// Each not-cue's own label, if it has one.
    not_cue_labels: Vec<Option<String>>,
    min_section_words: usize,
    message: String,
    label: String,
    near_miss_labels: NearMissLabels,
}

/// Why a sentence with a cue does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// It matches a not-cue (index into the compiled not-cues).
    NotCue(usize),
    /// Its cue is followed by too little (`not-followed-by`).
    NotFollowedBy,
    /// Its cue comes after an `unless-after` pattern.
    UnlessAfter,
}

/// What one sentence says, as byte ranges into the text given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceVerdict {
    /// No cue at all.
    NoCue,
    /// A cue that counts.
    Counts(Span),
    /// A cue that does not count (or a not-cue without one), why, and the text to point at.
    Rejected(Rejection, Span),
}

/// What a document says about the content: present, or absent with its near misses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assessment {
    /// Found, at this span (a heading or a cue).
    Present(Span),
    /// Not found; near misses in source order (at most a few).
    Absent(Vec<Label>),
}

fn compile_all<S: AsRef<str>>(
    key: &str,
    patterns: &[S],
    compile: fn(&str) -> Result<LazyRegex, String>,
) -> Result<Vec<LazyRegex>, String> {
    patterns
        .iter()
        .map(|p| compile(p.as_ref()).map_err(|e| format!("in `{key}`: {e}")))
        .collect()
}

impl Presence {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let bounded = pattern::compile_bounded;
        let (mut cues, cues_unless_after) = match &options.cues {
            Some(replacement) => (compile_all("cues", replacement, bounded)?, Vec::new()),
            None => (
                compile_all("cues", &params.cues, bounded)?,
                compile_all("cues-unless-after", &params.cues_unless_after, bounded)?,
            ),
        };
        cues.extend(compile_all("extra-cues", &options.extra_cues, bounded)?);
        let mut headings = match &options.headings {
            Some(replacement) => compile_all("headings", replacement, bounded)?,
            None => compile_all("headings", &params.headings, bounded)?,
        };
        headings.extend(compile_all("extra-headings", &options.extra_headings, bounded)?);
        let not_cues = options.not_cues.as_ref().unwrap_or(&params.not_cues);
        let not_cue_patterns: Vec<&str> = not_cues.iter().map(|nc| nc.pattern()).collect();
        let mut sentence_patterns = compile_all("not-cues", &not_cue_patterns, bounded)?;
        let first_cue = sentence_patterns.len();
        let first_guarded = first_cue + cues.len();
        sentence_patterns.append(&mut cues);
        sentence_patterns.extend(cues_unless_after);
        Ok(Presence {
            headings: PatternSet::new(headings),
            sentence_patterns: PatternSet::new(sentence_patterns),
            first_cue,
            first_guarded,
            unless_after: PatternSet::new(compile_all("unless-after", &params.unless_after, bounded)?),
            not_followed_by: PatternSet::new(compile_all(
                "not-followed-by",
                &params.not_followed_by,
                pattern::compile_anchored,
            )?),
            not_cue_labels: not_cues.iter().map(|nc| nc.label().map(str::to_string)).collect(),
            min_section_words: options.min_section_words.unwrap_or(params.min_section_words),
            message: params.message.clone(),
            label: params
                .label
                .clone()
                .unwrap_or_else(|| "announcement starts here".to_string()),
            near_miss_labels: params.near_miss_labels.clone(),
        })
    }

    /// Compiles a built-in presence rule by name with default options, for rules that read
    /// another rule's presence test (CL402 reads CL103's).
    pub fn builtin(rule: &str) -> Result<Self, String> {
        let def = crate::config::builtin_rules()
            .iter()
            .find(|d| d.name == rule)
            .ok_or_else(|| format!("no built-in rule `{rule}`"))?;
        match &def.check {
            CheckSpec::Presence(params) => Presence::compile(params, Options::default()),
            _ => Err(format!("rule `{rule}` is not a presence rule")),
        }
    }

    /// True when the document has the content this rule looks for.
    pub fn is_satisfied(&self, doc: &Document) -> bool {
        matches!(self.assess(doc), Assessment::Present(_))
    }

    /// True when a normalised heading names the content.
    pub fn heading_matches(&self, normalized: &str) -> bool {
        self.headings.is_match(normalized)
    }

    /// Looks for the content: a long enough matching section, or a sentence whose cue counts.
    pub fn assess(&self, doc: &Document) -> Assessment {
        let mut near_misses = Vec::new();
        for (index, heading) in doc.body_headings() {
            if !self.heading_matches(&heading.normalized) {
                continue;
            }
            let Some(section) = doc.section_of(index) else {
                continue;
            };
            let words = doc.word_count(section.body());
            if words >= self.min_section_words {
                return Assessment::Present(heading.text_span());
            }
            let label = match words {
                0 => "this section is empty".to_string(),
                1 => "this section has only 1 word".to_string(),
                n => format!("this section has only {n} words"),
            };
            near_misses.push(Label::new(heading.text_span(), label));
        }
        for sentence in doc.body_sentences() {
            match self.judge_sentence(doc.prose(sentence.span())) {
                SentenceVerdict::NoCue => {}
                SentenceVerdict::Counts(at) => return Assessment::Present(at.shift(sentence.span().start)),
                SentenceVerdict::Rejected(why, at) => {
                    near_misses.push(Label::new(at.shift(sentence.span().start), self.rejection_label(why)));
                }
            }
        }
        near_misses.sort_by_key(|l| l.span);
        near_misses.truncate(MAX_NEAR_MISSES);
        Assessment::Absent(near_misses)
    }

    fn rejection_label(&self, why: Rejection) -> &str {
        match why {
            Rejection::NotCue(index) => self.not_cue_labels[index]
                .as_deref()
                .unwrap_or(&self.near_miss_labels.not_cue),
            Rejection::NotFollowedBy => &self.near_miss_labels.not_followed_by,
            Rejection::UnlessAfter => &self.near_miss_labels.unless_after,
        }
    }

    /// Judges one sentence's prose: does a cue count, and if one was found but does not, why.
    pub fn judge_sentence(&self, text: &str) -> SentenceVerdict {
        let mut counted = None;
        let mut rejected = None;
        for (index, re) in self.sentence_patterns.candidates(text) {
            if index < self.first_cue {
                // A not-cue is the most telling reason ("the cause is not known yet"), so it
                // wins; it is a near miss even without a cue, as it says the content is not
                // there yet.
                if let Some(m) = re.find(text) {
                    return SentenceVerdict::Rejected(Rejection::NotCue(index), Span::new(m.start(), m.end()));
                }
                continue;
            }
            let is_guarded = index >= self.first_guarded;
            for m in re.find_iter(text) {
                let rest = &text[m.end()..];
                if let Some(filler) = self.not_followed_by.candidates(rest).find_map(|(_, nf)| nf.find(rest)) {
                    let end = m.end() + rest[..filler.end()].trim_end().len();
                    rejected.get_or_insert((Rejection::NotFollowedBy, Span::new(m.start(), end)));
                } else if is_guarded && self.unless_after.is_match(&text[..m.start()]) {
                    rejected.get_or_insert((Rejection::UnlessAfter, Span::new(m.start(), m.end())));
                } else {
                    counted = counted.or(Some(Span::new(m.start(), m.end())));
                }
            }
        }
        match (counted, rejected) {
            (Some(cue), _) => SentenceVerdict::Counts(cue),
            (None, Some((why, at))) => SentenceVerdict::Rejected(why, at),
            (None, None) => SentenceVerdict::NoCue,
        }
    }
}

impl Check for Presence {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        if let Assessment::Absent(near_misses) = self.assess(cx.doc) {
            let mut finding = Finding::new(cx.doc.title_anchor(), self.message.clone()).with_label(self.label.clone());
            finding.secondary = near_misses;
            out.push(finding);
        }
    }
}
