//! STUB: to be implemented.

use super::{Check, CheckContext};
use crate::diagnostic::{Finding, Span};
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// How an apology keyword reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApologyClass {
    /// Negated, reported, news formula, third person, future or policy.
    NotAnApology,
    /// Hedged (CL401).
    Hedged,
    /// A genuine apology.
    Genuine,
}

/// One apology keyword and its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apology {
    /// The keyword.
    pub keyword: Span,
    /// The sentence it is in.
    pub sentence: Span,
    /// How it reads.
    pub class: ApologyClass,
    /// Inside a block quote.
    pub in_quote: bool,
}

/// The compiled check.
#[derive(Debug)]
pub struct ApologyCheck {}

impl ApologyCheck {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(_params: &Params, _options: Options) -> Result<Self, String> {
        Ok(ApologyCheck {})
    }
}

impl Check for ApologyCheck {
    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Finding>) {}
}
