//! STUB: to be implemented.

use super::{Check, CheckContext};
use crate::diagnostic::Finding;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// The compiled check.
#[derive(Debug)]
pub struct Timestamp {}

impl Timestamp {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(_params: &Params, _options: Options) -> Result<Self, String> {
        Ok(Timestamp {})
    }
}

impl Check for Timestamp {
    fn check(&self, _cx: &CheckContext<'_>, _out: &mut Vec<Finding>) {}
}
