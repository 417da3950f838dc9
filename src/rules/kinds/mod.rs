//! The closed set of check kinds. A rule file's `[check]` table names one with `kind = "..."`;
//! its other keys are that kind's parameters, typed and checked strictly. A configuration's
//! `[rules.<name>]` table carries options for the same kind (extra cues, allowed terms, ...).

pub mod apology;
pub mod forbid;
pub mod jargon;
pub mod presence;
pub mod require;
pub mod templates;
pub mod timestamp;

use crate::diagnostic::Finding;
use crate::document::Document;
use crate::kind::{Audience, DocKind};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

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
#[derive(Debug, Default)]
pub struct SharedAnalysis {
    /// Every apology keyword in the document, classified.
    pub apologies: OnceLock<Vec<apology::Apology>>,
}

/// A compiled check: regexes and lexicons built once per run.
pub trait Check: Send + Sync + std::fmt::Debug {
    /// Reports findings for one document.
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>);

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
    pub fn compile(&self, options: Option<&toml::Value>, env: &CompileEnv) -> Result<Box<dyn Check>, String> {
        Ok(match self {
            CheckSpec::Meta(_) => {
                reject_options(options)?;
                Box::new(NoCheck)
            }
            CheckSpec::Presence(params) => Box::new(presence::Presence::compile(params, parse_options(options)?)?),
            CheckSpec::Apology(params) => Box::new(apology::ApologyCheck::compile(params, parse_options(options)?)?),
            CheckSpec::Timestamp(params) => Box::new(timestamp::Timestamp::compile(params, parse_options(options)?)?),
            CheckSpec::Jargon(params) => Box::new(jargon::Jargon::compile(params, parse_options(options)?)?),
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

/// Compiles a case-insensitive regex from a rule file or config; the error names the pattern.
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 22)
        .dfa_size_limit(1 << 22)
        .build()
        .map_err(|e| format!("invalid pattern `{pattern}`: {e}"))
}
