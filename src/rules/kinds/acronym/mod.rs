//! `kind = "acronym"`: acronyms used before they are spelled out (RULES.md CL202
//! undefined-acronym).
//!
//! One regex pass over the prose mask finds acronym-shaped tokens (`token`). Whether a text
//! is known (allowed, a zone, a technical-jargon term, a listed word, a roman numeral, a unit)
//! is decided once per distinct text and document; what depends on the place (a number, a
//! definition, an all-caps heading or run) is tested in a bounded window around each
//! occurrence. Each acronym is reported once, at its first occurrence that is neither known nor
//! defined; a later definition becomes a secondary label.

mod expansion;
mod token;

#[cfg(test)]
mod tests;

use super::jargon::lexicon::Lexicon;
use super::timestamp::text::floor_boundary;
use super::timestamp::zones::ZoneLexicon;
use super::{compile_regex, with_lazy_regexes, Check, CheckContext, CheckSpec};
use crate::diagnostic::Finding;
use crate::document::{BlockKind, Document};
use expansion::Expansions;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock, PoisonError};
use token::Token;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Acronyms every reader knows (`US`, `FAQ`, `PDF`); a plural form also allows its singular.
    pub allow: Vec<String>,
    /// Words written in capitals that are not acronyms (`UPDATE`, `NOTE`, `ERROR`).
    pub not_acronyms: Vec<String>,
    /// Units of measure (`GB`), also after a number (`10GB`).
    #[serde(default)]
    pub units: Vec<String>,
    /// Words an expansion's initials may leave out (`of`, `the`, `and`, `&`).
    pub skip_words: Vec<String>,
    /// A regex for a cue right after the acronym that spells it out (`, short for`), anchored
    /// there.
    pub definition_cue: String,
}

/// Options from the configuration's `[rules.undefined-acronym]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// Acronyms the team's readers know (`["AWS"]`), on top of the rule file's.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Acronyms {
    known: HashSet<String>,
    units: HashSet<String>,
    terms: &'static Lexicon,
    expansions: Expansions,
    /// What [`is_known`](Self::is_known) said of each token: the same few dozen (`API`, `DNS`,
    /// `UTC`) come back document after document, and each answer costs a zone and a lexicon
    /// search.
    answers: Mutex<HashMap<Box<str>, bool>>,
}

/// How many tokens' answers are kept before all are forgotten, so that a language server's
/// session does not grow without end.
const ANSWERS_KEPT: usize = 4096;

impl Acronyms {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let mut known = HashSet::new();
        for word in params.allow.iter().chain(&params.not_acronyms).chain(&options.allow) {
            let word = word.trim();
            if word.is_empty() {
                return Err("an `allow` entry is empty".to_string());
            }
            // `IDs` allows `ID`: tokens are looked up without their plural `s`.
            known.insert(
                word.strip_suffix('s')
                    .filter(|w| !w.is_empty())
                    .unwrap_or(word)
                    .to_string(),
            );
        }
        let cue = compile_regex(&format!("^(?:{})", params.definition_cue))?;
        Ok(Acronyms {
            known,
            units: params.units.iter().map(|u| u.trim().to_string()).collect(),
            terms: builtin_terms()?,
            expansions: Expansions::new(&params.skip_words, cue),
            answers: Mutex::default(),
        })
    }

    /// True when every reader knows `base` wherever it stands.
    fn is_known(&self, base: &str) -> bool {
        let answers = || self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&known) = answers().get(base) {
            return known;
        }
        let known = self.finds_known(base);
        let mut answers = answers();
        if answers.len() >= ANSWERS_KEPT {
            answers.clear();
        }
        answers.insert(base.into(), known);
        known
    }

    /// [`is_known`](Self::is_known), found afresh.
    fn finds_known(&self, base: &str) -> bool {
        if self.known.contains(base)
            || self.units.contains(base)
            || token::is_roman_numeral(base)
            || self.is_zone(base)
            || self.is_term(base)
        {
            return true;
        }
        // A number glued to a known word: `10AM`, `8UTC`, `100GB`.
        let rest = base.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.len() < base.len()
            && !rest.is_empty()
            && (self.known.contains(rest) || self.units.contains(rest) || self.is_zone(rest))
    }

    fn is_zone(&self, text: &str) -> bool {
        matches!(ZoneLexicon::shared().scan(text).as_slice(), [zone] if zone.span().len() == text.len())
    }

    /// A technical-jargon term on its own (CL201 reports it, with its own help).
    fn is_term(&self, text: &str) -> bool {
        self.terms
            .matches(text)
            .next()
            .is_some_and(|(_, r)| r == (0..text.len()))
    }

    /// A technical-jargon term starting at the token (`SQL injection`, `HTTP 503`).
    fn starts_term(&self, mask: &str, token: Token) -> bool {
        let window = &mask[token.span.start..floor_boundary(mask, token.span.start + 48)];
        self.terms
            .matches(window)
            .next()
            .is_some_and(|(_, r)| r.start == 0 && r.end >= token.base.len())
    }
}

/// The technical-jargon rule file's lexicon (its terms are ignored here), compiled once per
/// process and shared by every configuration.
fn builtin_terms() -> Result<&'static Lexicon, String> {
    static TERMS: OnceLock<Result<Lexicon, String>> = OnceLock::new();
    TERMS
        .get_or_init(|| {
            let def =
                crate::config::builtin_rule("technical-jargon").ok_or("the technical-jargon rule is not built in")?;
            match &def.check {
                // A built-in rule file, each of whose patterns a test compiles.
                CheckSpec::Jargon(params) => {
                    with_lazy_regexes(|| Lexicon::compile(&params.not_terms, &params.terms, &[], &[]))
                }
                _ => Err("the technical-jargon rule file is not a jargon check".to_string()),
            }
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// What the check knows about an acronym so far in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Known wherever it stands.
    Known,
    /// Not seen undefined yet.
    Open,
    /// Spelled out before any undefined use.
    Defined,
    /// Reported (index into the findings); `spelled_later` once a later definition is labelled.
    Reported { finding: usize, spelled_later: bool },
}

impl Check for Acronyms {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let mask = doc.mask.as_str();
        let mut statuses: HashMap<&str, Status> = HashMap::new();
        let mut headings = AllCapsHeadings::default();
        for token in token::tokens(mask) {
            let base = &mask[token.base.start..token.base.end];
            let status = statuses.entry(base).or_insert_with(|| match self.is_known(base) {
                true => Status::Known,
                false => Status::Open,
            });
            let reported = match *status {
                Status::Known
                | Status::Defined
                | Status::Reported {
                    spelled_later: true, ..
                } => continue,
                Status::Open => None,
                Status::Reported { finding, .. } => Some(finding),
            };
            if token::in_number(mask, token) || token::in_date_format(mask, token) {
                continue;
            }
            if self.expansions.defines(mask, token) {
                *status = match reported {
                    Some(finding) => {
                        let label = "spelled out here, after its first use";
                        out[finding]
                            .secondary
                            .push(crate::diagnostic::Label::new(token.span, label));
                        Status::Reported {
                            finding,
                            spelled_later: true,
                        }
                    }
                    None => Status::Defined,
                };
                continue;
            }
            if reported.is_some()
                || headings.contains(doc, token.span.start)
                || token::in_all_caps_run(mask, token)
                || self.starts_term(mask, token)
                || token::slash_partner(mask, token).is_some_and(|partner| self.is_known(partner))
            {
                continue;
            }
            *status = Status::Reported {
                finding: out.len(),
                spelled_later: false,
            };
            let written = doc.text(token.span);
            out.push(Finding::new(
                token.span,
                format!("acronym `{written}` is not spelled out"),
            ));
        }
    }
}

/// Answers "is this offset in an all-caps heading?" for increasing offsets, looking at each
/// heading's text once.
#[derive(Debug, Default)]
struct AllCapsHeadings {
    /// The last block looked up and whether it is an all-caps heading.
    last: Option<(usize, bool)>,
}

impl AllCapsHeadings {
    fn contains(&mut self, doc: &Document, offset: usize) -> bool {
        let index = doc.blocks.partition_point(|b| b.span().end <= offset);
        let Some(block) = doc.blocks.get(index).filter(|b| b.span().contains_offset(offset)) else {
            return false;
        };
        if let Some((last, verdict)) = self.last {
            if last == index {
                return verdict;
            }
        }
        let verdict = matches!(block.kind(), BlockKind::Heading(_)) && {
            let text = doc.prose(block.span());
            text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
        };
        self.last = Some((index, verdict));
        verdict
    }
}
