//! The closed set of check kinds. A rule file's `[check]` table names one with `kind = "..."`;
//! its other keys are that kind's parameters, typed and checked strictly. A configuration's
//! `[rules.<name>]` table carries options for the same kind (extra cues, allowed terms, ...).

pub mod acronym;
pub mod apology;
pub mod ascii_bounded;
pub mod audience_limit;
pub mod blame;
pub mod clock;
pub mod contact;
pub mod dates;
pub mod forbid;
pub mod jargon;
pub mod next_update;
pub mod pattern_set;
pub mod phrase;
pub mod placeholder;
pub mod presence;
pub mod readability;
pub mod reader_text;
pub mod require;
pub mod sentence_length;
pub mod templates;
pub mod timestamp;

use crate::compiled_regex::{self, BuildError, CompiledRegex};
use crate::diagnostic::Finding;
use crate::document::Document;
use crate::kind::{Audience, DocKind};
use serde::Deserialize;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

/// A rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CheckSpec {
    /// Diagnostics the engine itself makes (`invalid-directive`, `internal-error`).
    Meta(MetaParams),
    /// Content that must be present: headings, cues, not-cues (RULES.md §3).
    Presence(Box<presence::Params>),
    /// Apologies: missing (CL101) or hedged (CL401).
    Apology(apology::Params),
    /// Clock times and their zones (CL301).
    Timestamp(timestamp::Params),
    /// Technical terms in text for customers (CL201).
    Jargon(jargon::Params),
    /// Numeric dates whose day and month can swap (CL302).
    AmbiguousDate(dates::ambiguous::Params),
    /// Dates relative to when the text is read (CL303).
    RelativeDate(dates::relative::Params),
    /// Times in more than one zone family (CL304).
    InconsistentTimezone(clock::consistency::Params),
    /// A first date without a year (CL305).
    MissingYear(dates::year::Params),
    /// A 24-hour time with am/pm, or past 24:00 (CL306).
    MalformedTime(clock::malformed::Params),
    /// Phrases with negation, hedge, clause and quotation tests (CL403, CL404, CL405).
    Phrase(Box<phrase::Params>),
    /// Blame on others, and a third party blamed in a document owning nothing (CL402).
    Blame(Box<blame::Params>),
    /// A way to reach the publisher (CL105).
    Contact(contact::Params),
    /// Contact phrases whose channel is empty (CL106).
    EmptyContact(contact::empty::Params),
    /// When readers will hear more, in a live status update (CL107).
    NextUpdate(next_update::Params),
    /// Template placeholders left in the text (CL109).
    Placeholder(placeholder::Params),
    /// Acronyms used before they are spelled out (CL202).
    Acronym(acronym::Params),
    /// Sentences with too many words (CL203).
    SentenceLength(sentence_length::Params),
    /// Sections above a reading grade (CL204).
    Readability(readability::Params),
    /// Sections by meaning: missing, out of order or empty (CL110-CL112).
    Template(templates::Params),
    /// Phrases a team forbids, each with an optional replacement (team rules).
    Forbid(forbid::Params),
    /// Content a team requires: a pattern or a heading (team rules).
    Require(require::Params),
}

/// `kind = "meta"` takes no parameters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaParams {}

/// Everything a check may read about the document it checks.
pub struct CheckContext<'a> {
    /// The parsed document.
    pub doc: &'a Document,
    /// Its kind (flag, front matter, glob, config default).
    pub kind: DocKind,
    /// Its audience.
    pub audience: Audience,
    /// Names that count as first person / as the publisher (config `organization`).
    pub organization: &'a [String],
    /// Analyses that several rules read, computed at most once per document.
    pub shared: &'a SharedAnalysis,
}

/// Per-document analyses shared between rules (CL401 reads CL101's apology classification).
/// The engine frees each one after the last rule that reads it (see [`Check::reads`]).
#[derive(Debug, Default)]
pub struct SharedAnalysis {
    /// Every apology keyword in the document, classified.
    pub apologies: OnceLock<Vec<apology::Apology>>,
    /// Clock times and zone tokens (CL301, CL304, CL306).
    pub clock: OnceLock<timestamp::times::ClockScan>,
    /// Which zone covers each clock time, and the declarations (CL301, CL304).
    pub zoning: OnceLock<timestamp::shared::ZoningAnalysis>,
    /// Calendar dates (CL302, CL303, CL305).
    pub dates: OnceLock<Vec<timestamp::dates::CalendarDate>>,
}

/// One of the analyses in [`SharedAnalysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// [`SharedAnalysis::apologies`].
    Apologies,
    /// [`SharedAnalysis::clock`].
    Clock,
    /// [`SharedAnalysis::zoning`].
    Zoning,
    /// [`SharedAnalysis::dates`].
    Dates,
}

impl Analysis {
    /// Fills this analysis of `cx`'s document, unless a rule already has.
    pub fn compute(self, cx: &CheckContext<'_>) {
        match self {
            Analysis::Apologies => drop(apology::document_apologies(cx)),
            Analysis::Clock => drop(timestamp::shared::document_clock(cx)),
            Analysis::Zoning => drop(timestamp::shared::document_zoning(cx)),
            Analysis::Dates => drop(timestamp::shared::document_dates(cx)),
        }
    }
}

impl SharedAnalysis {
    /// Frees an analysis that no rule still to run reads: the clock scan of a 50 MB document
    /// holds tens of megabytes. A later read would compute it again.
    pub fn release(&mut self, analysis: Analysis) {
        match analysis {
            Analysis::Apologies => drop(self.apologies.take()),
            Analysis::Clock => drop(self.clock.take()),
            Analysis::Zoning => drop(self.zoning.take()),
            Analysis::Dates => drop(self.dates.take()),
        }
    }
}

/// A compiled check: regexes and lexicons built once per run.
pub trait Check: Send + Sync + std::fmt::Debug {
    /// Reports findings for one document.
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>);

    /// The shared analyses [`check`](Self::check) may read: the engine keeps each until the
    /// last rule that names it has run.
    fn reads(&self) -> &'static [Analysis] {
        &[]
    }

    /// Rules (names or codes) whose near-miss labels take precedence: a finding of this rule
    /// whose primary span one of their findings already labels is dropped (CL112 defers to
    /// CL102-CL104 and CL108).
    fn defers_to(&self) -> &[String] {
        &[]
    }
}

/// What compiling a check may read from its configuration besides `[rules.<name>]`.
#[derive(Debug, Clone, Default)]
pub struct CompileEnv {
    /// The configuration's section ids and templates.
    pub templates: Arc<templates::sections::Templates>,
}

/// A check that reports nothing itself (meta rules are reported by the engine).
#[derive(Debug)]
pub struct NoCheck;

impl Check for NoCheck {
    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Finding>) {}
}

impl CheckSpec {
    /// Compiles the check with the configuration's options for this rule (`[rules.<name>]`).
    /// Errors are plain sentences; the caller adds the file and position.
    pub fn compile(&self, options: Option<&toml::Value>) -> Result<Box<dyn Check>, String> {
        self.compile_with(options, &CompileEnv::default())
    }

    /// [`CheckSpec::compile`] with what the configuration gives besides the rule's options
    /// (section templates).
    pub fn compile_with(&self, options: Option<&toml::Value>, env: &CompileEnv) -> Result<Box<dyn Check>, String> {
        Ok(match self {
            CheckSpec::Meta(_) => {
                reject_options(options)?;
                Box::new(NoCheck)
            }
            CheckSpec::Presence(params) => Box::new(presence::Presence::compile(params, parse_options(options)?)?),
            CheckSpec::Apology(params) => Box::new(apology::ApologyCheck::compile(params, parse_options(options)?)?),
            CheckSpec::Timestamp(params) => Box::new(timestamp::Timestamp::compile(params, parse_options(options)?)?),
            CheckSpec::Jargon(params) => Box::new(jargon::Jargon::compile(params, parse_options(options)?)?),
            CheckSpec::AmbiguousDate(params) => Box::new(dates::ambiguous::AmbiguousDate::compile(
                params,
                parse_options(options)?,
            )?),
            CheckSpec::RelativeDate(params) => {
                Box::new(dates::relative::RelativeDate::compile(params, parse_options(options)?)?)
            }
            CheckSpec::InconsistentTimezone(params) => Box::new(clock::consistency::InconsistentTimezone::compile(
                params,
                parse_options(options)?,
            )?),
            CheckSpec::MissingYear(params) => {
                Box::new(dates::year::MissingYear::compile(params, parse_options(options)?)?)
            }
            CheckSpec::MalformedTime(params) => Box::new(clock::malformed::MalformedTime::compile(
                params,
                parse_options(options)?,
            )?),
            CheckSpec::Phrase(params) => Box::new(phrase::PhraseCheck::compile(params, parse_options(options)?)?),
            CheckSpec::Blame(params) => Box::new(blame::Blame::compile(params, parse_options(options)?)?),
            CheckSpec::Contact(params) => Box::new(contact::MissingContact::compile(params, parse_options(options)?)?),
            CheckSpec::EmptyContact(params) => {
                Box::new(contact::empty::EmptyContact::compile(params, parse_options(options)?)?)
            }
            CheckSpec::NextUpdate(params) => {
                Box::new(next_update::NextUpdate::compile(params, parse_options(options)?)?)
            }
            CheckSpec::Placeholder(params) => {
                Box::new(placeholder::Placeholder::compile(params, parse_options(options)?)?)
            }
            CheckSpec::Acronym(params) => Box::new(acronym::Acronyms::compile(params, parse_options(options)?)?),
            CheckSpec::SentenceLength(params) => Box::new(sentence_length::SentenceLength::compile(
                params,
                parse_options(options)?,
            )?),
            CheckSpec::Readability(params) => {
                Box::new(readability::Readability::compile(params, parse_options(options)?)?)
            }
            CheckSpec::Template(params) => Box::new(templates::TemplateCheck::compile(
                params,
                parse_options(options)?,
                env.templates.clone(),
            )?),
            CheckSpec::Forbid(params) => Box::new(forbid::Forbid::compile(params, parse_options(options)?)?),
            CheckSpec::Require(params) => Box::new(require::Require::compile(params, parse_options(options)?)?),
        })
    }
}

/// Deserializes a rule's config options into the kind's typed options (unknown keys rejected).
pub fn parse_options<T: for<'de> Deserialize<'de> + Default>(options: Option<&toml::Value>) -> Result<T, String> {
    match options {
        None => Ok(T::default()),
        Some(value) => value
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| e.message().to_string()),
    }
}

fn reject_options(options: Option<&toml::Value>) -> Result<(), String> {
    match options {
        Some(toml::Value::Table(t)) if !t.is_empty() => Err("this rule takes no options".to_string()),
        _ => Ok(()),
    }
}

/// Every pattern [`compile_regex`] has been given in this process, as compiled. Sized for the
/// built-in rules' (985 calls at start-up), which rehashed it nine times as it grew.
static COMPILED: LazyLock<Mutex<HashMap<String, CompiledCell>>> =
    LazyLock::new(|| Mutex::new(HashMap::with_capacity(1024)));

/// A pattern's compiled form, shared by every [`LazyRegex`] of the pattern; boxed, because a
/// compiled regex takes 2.3 KB and most of a run's hundreds of patterns are never compiled
/// (empty cells of that size cost a one-file run about 370 page faults, and held the lock
/// above while they were made).
type CompiledCell = Arc<OnceLock<Box<CompiledRegex>>>;

/// The patterns given to [`compile_regex`] so far in this process, as compiled (after
/// [`ascii_classes`]), sorted; for the test that checks `rules/pattern-words.json`.
#[doc(hidden)]
pub fn patterns_so_far() -> Vec<String> {
    let mut patterns: Vec<String> = COMPILED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .keys()
        .cloned()
        .collect();
    patterns.sort();
    patterns
}

/// Compiles a case-insensitive regex from a rule file or config; the error names the pattern.
///
/// `\w`, `\d` and `\b` are read with ASCII meaning (see [`ascii_classes`]): rule patterns
/// describe English words, and Unicode word classes made compiling every rule's patterns cost
/// about 200 ms at start-up, paid on every run of a pre-commit hook or editor save.
///
/// Inside [`with_lazy_regexes`] (built-in rule files only, each pattern of which a test
/// compiles eagerly) the pattern is compiled on first use, so a rule whose patterns a document
/// never needs costs nothing; elsewhere it is compiled at once, so that an invalid or too large
/// pattern in the team's rules or configuration is reported before any document is read.
pub fn compile_regex(pattern: &str) -> Result<LazyRegex, String> {
    let rewritten = ascii_classes(pattern);
    // Rules share many patterns (a heading such as `root causes?` names a section for several
    // rules): each distinct pattern is compiled once per process.
    let compiled = {
        let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(compiled.entry(rewritten.clone()).or_default())
    };
    let regex = LazyRegex {
        pattern: rewritten,
        compiled,
    };
    if !compiling_lazily() && regex.compiled.get().is_none() {
        let compiled = build(&regex.pattern).map_err(|e| author_error(pattern, &e))?;
        let _ = regex.compiled.set(Box::new(compiled));
    }
    Ok(regex)
}

/// True when a pattern can match empty text, found by parsing it only (no compilation), and
/// case-sensitively: case does not change a match's length, and folding every letter's cases
/// is most of a parse's cost.
pub fn matches_empty(pattern: &str) -> Result<bool, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&ascii_classes(pattern))
        .map_err(|e| author_error(pattern, &BuildError::Other(e.to_string())))?;
    Ok(hir.properties().minimum_len() == Some(0))
}

thread_local! {
    /// True while built-in rules without configuration options are being compiled.
    static LAZY: Cell<bool> = const { Cell::new(false) };
}

/// True inside [`with_lazy_regexes`]: the patterns being compiled are built in.
pub fn compiling_lazily() -> bool {
    LAZY.with(Cell::get)
}

/// Runs `f` with regex compilation deferred to first use. Only for built-in rule files, whose
/// every pattern a test compiles eagerly, so a deferred compile cannot fail.
pub fn with_lazy_regexes<T>(f: impl FnOnce() -> T) -> T {
    let outer = LAZY.with(|lazy| lazy.replace(true));
    let result = f();
    LAZY.with(|lazy| lazy.set(outer));
    result
}

fn build(pattern: &str) -> Result<CompiledRegex, BuildError> {
    CompiledRegex::new(pattern, compiled_regex::SIZE_LIMIT)
}

/// The error for the author's own pattern, not the rewritten one. Only a syntax error is
/// looked at again, by parsing (a pattern that is too large is not compiled a second time).
fn author_error(pattern: &str, error: &BuildError) -> String {
    let error = match error {
        BuildError::TooBig(_) => return format!("pattern `{pattern}` is too large (its compiled form exceeds 4 MiB)"),
        BuildError::Other(error) => error,
    };
    match regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
    {
        Err(e) => format!("invalid pattern `{pattern}`: {e}"),
        Ok(_) => format!("invalid pattern `{pattern}`: {error}"),
    }
}

/// A regex compiled at most once, on first use; dereferences to [`CompiledRegex`].
#[derive(Clone)]
pub struct LazyRegex {
    pattern: String,
    compiled: CompiledCell,
}

impl std::ops::Deref for LazyRegex {
    type Target = CompiledRegex;
    fn deref(&self) -> &CompiledRegex {
        self.compiled.get_or_init(|| {
            // Only built-in patterns are deferred, and a test compiles each of them eagerly.
            Box::new(build(&self.pattern).unwrap_or_else(|e| panic!("built-in pattern failed to compile: {e}")))
        })
    }
}

impl LazyRegex {
    /// True once the pattern has been compiled (by any of its regexes).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// True when the pattern has a capture group called `name`, read from its syntax so that
    /// asking does not compile it.
    pub fn has_group_named(&self, name: &str) -> bool {
        fn has(hir: &regex_syntax::hir::Hir, name: &str) -> bool {
            use regex_syntax::hir::HirKind;
            match hir.kind() {
                HirKind::Capture(capture) => capture.name.as_deref() == Some(name) || has(&capture.sub, name),
                HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(|part| has(part, name)),
                HirKind::Repetition(repetition) => has(&repetition.sub, name),
                _ => false,
            }
        }
        let hir = regex_syntax::ParserBuilder::new().build().parse(&self.pattern);
        hir.is_ok_and(|hir| has(&hir, name))
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LazyRegex({:?})", self.pattern)
    }
}

/// Rewrites `\w`, `\d` and `\b`/`\B` to their ASCII forms, inside and outside character
/// classes; everything else (`\s`, `\p{..}`, literals such as `’`) keeps Unicode meaning.
pub fn ascii_classes(pattern: &str) -> String {
    // Every pattern of every rule passes here at start-up: the text between the bytes that
    // matter (`\\`, `[`, `]`, all ASCII) is copied whole.
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut class_depth = 0usize;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|b| matches!(b, b'\\' | b'[' | b']')) {
        let special = at + offset;
        out.push_str(&pattern[at..special]);
        at = special + 1;
        match bytes[special] {
            b'\\' => {
                let next = pattern[at..].chars().next();
                at += next.map_or(0, char::len_utf8);
                match next {
                    Some('w') if class_depth > 0 => out.push_str("0-9A-Za-z_"),
                    Some('d') if class_depth > 0 => out.push_str("0-9"),
                    Some('w') => out.push_str("[0-9A-Za-z_]"),
                    Some('d') => out.push_str("[0-9]"),
                    Some('b') if class_depth == 0 => out.push_str("(?-u:\\b)"),
                    Some('B') if class_depth == 0 => out.push_str("(?-u:\\B)"),
                    Some(next) => {
                        out.push('\\');
                        out.push(next);
                    }
                    None => out.push('\\'),
                }
            }
            b'[' => {
                class_depth += 1;
                out.push('[');
                // `]` right after `[` or `[^` is a literal member.
                if bytes.get(at) == Some(&b'^') {
                    out.push('^');
                    at += 1;
                }
                if bytes.get(at) == Some(&b']') {
                    out.push(']');
                    at += 1;
                }
            }
            _ => {
                class_depth = class_depth.saturating_sub(1);
                out.push(']');
            }
        }
    }
    out.push_str(&pattern[at..]);
    out
}

/// Runs one check on a Markdown text as an incident report for `audience`: the unit tests'
/// shared way to exercise a kind without the engine.
#[cfg(test)]
pub fn run_check(check: &dyn Check, text: &str, audience: Audience) -> (Document, Vec<Finding>) {
    let doc = Document::parse("test.md", text.to_string());
    let out = run_check_on(check, &doc, audience, &SharedAnalysis::default());
    (doc, out)
}

/// [`run_check`] on a parsed document, with `shared` as its shared analyses, so that a test
/// can look at what the check cached or reuse it for another check.
#[cfg(test)]
pub fn run_check_on(check: &dyn Check, doc: &Document, audience: Audience, shared: &SharedAnalysis) -> Vec<Finding> {
    let cx = CheckContext {
        doc,
        kind: DocKind::IncidentReport,
        audience,
        organization: &[],
        shared,
    };
    let mut out = Vec::new();
    check.check(&cx, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_spelled_case_sensitively_in_a_rule_file_is_the_case_insensitive_one() {
        // Rule files spell some Unicode classes out without case folding, which cost 3% of a
        // one-file run for `definition-follows` (see rules/technical-jargon.toml and
        // rules/missing-apology.toml).
        let parse = |pattern: &str| regex_syntax::Parser::new().parse(pattern).unwrap();
        let spelled = [
            (r"(?-i:[\p{L}\p{N}\x{345}])", r"(?i)[\p{L}\p{N}]"),
            (r"(?-i:[\p{L}\x{345}-])", r"(?i)[\p{L}-]"),
            (r"(?-i:[\p{L}\x{345}'’-])", r"(?i)[\p{L}'’-]"),
            (r"(?-i:[\W_])", r"(?i)[\W_]"),
        ];
        for (as_written, as_read) in spelled {
            assert_eq!(parse(as_written), parse(as_read), "{as_written}");
        }
        assert_ne!(parse(r"[\p{L}\p{N}]"), parse(r"(?i)[\p{L}\p{N}]"));
        assert_ne!(parse(r"[\p{L}-]"), parse(r"(?i)[\p{L}-]"));
    }

    #[test]
    fn a_group_name_is_found_anywhere_in_the_pattern_without_compiling_it() {
        let with_n = [
            r"(?P<n>[0-9]+) minutes",
            r"(?:about|over)\s+(?:(?P<n>\d+)|a few)+ hours",
            r"x|(y(?<n>z))",
        ];
        for pattern in with_n {
            let regex = compile_regex(pattern).unwrap();
            assert!(regex.has_group_named("n"), "{pattern}");
        }
        for pattern in [r"([0-9]+) minutes", r"(?P<m>[0-9]+)", r"(?P<nn>1)"] {
            let regex = compile_regex(pattern).unwrap();
            assert!(!regex.has_group_named("n"), "{pattern}");
        }
    }

    #[test]
    fn every_built_in_rule_declares_the_shared_analyses_it_reads() {
        let settings = crate::config::Settings::builtin();
        let text =
            "# Outage on 3/4\n\nWe apologize. At 10:00 UTC on 5 May it failed; at 11:00 it was fixed, yesterday.\n";
        let doc = Document::parse("t.md", text.to_string());
        let mut readers = 0;
        for rule in &settings.rules {
            let shared = SharedAnalysis::default();
            run_check_on(&*rule.check, &doc, Audience::Customers, &shared);
            let filled = [
                (Analysis::Apologies, shared.apologies.get().is_some()),
                (Analysis::Clock, shared.clock.get().is_some()),
                (Analysis::Zoning, shared.zoning.get().is_some()),
                (Analysis::Dates, shared.dates.get().is_some()),
            ];
            for (analysis, _) in filled.iter().filter(|(_, filled)| *filled) {
                assert!(
                    rule.check.reads().contains(analysis),
                    "{} reads {analysis:?} without saying so",
                    rule.def.name
                );
                readers += 1;
            }
        }
        assert!(readers >= 8, "{readers}");
    }

    #[test]
    fn word_classes_become_ascii_inside_and_outside_classes() {
        assert_eq!(
            ascii_classes(r"\bfoo(\w+ ){0,2}[\w-]\d\s’"),
            r"(?-u:\b)foo([0-9A-Za-z_]+ ){0,2}[0-9A-Za-z_-][0-9]\s’"
        );
        assert_eq!(ascii_classes(r"[^]\w]\\w"), r"[^]0-9A-Za-z_]\\w");
        assert_eq!(ascii_classes(r"é\Bü]\p{L}[]\b]\’\"), r"é(?-u:\B)ü]\p{L}[]\b]\’\");
        let re = compile_regex(r"\bcause\b").unwrap();
        assert!(re.is_match("the Cause was"));
        assert!(!re.is_match("because"));
        assert!(compile_regex("(unclosed")
            .unwrap_err()
            .contains("invalid pattern `(unclosed`"));
    }
}
