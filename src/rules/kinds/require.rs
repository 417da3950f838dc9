//! `kind = "require"`: content a team wants in every announcement (a link to the status page,
//! a `## Customer impact` heading, ...). Satisfied by any match of `patterns` or any heading
//! (not the title) or bold label matching `headings`; otherwise one finding at the title.
//!
//! The rule file's `[check]` table:
//!
//! | key | meaning |
//! |---|---|
//! | `patterns` | regexes, case-insensitive, at word boundaries, read as the presence rules read theirs |
//! | `headings` | heading patterns, matched in the normalised heading or bold label |
//! | `search` | where `patterns` are looked for: `prose` (default) or `source` (code, link destinations and addresses too) |
//! | `message` | the finding's message |
//!
//! Configuration (`[rules.<name>]`) may add `extra-patterns` and `extra-headings`.

use super::presence::pattern::compile_bounded;
use super::{Check, CheckContext};
use crate::diagnostic::Finding;
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::LazyRegex;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// Text patterns; any match satisfies the rule.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Heading patterns; any matching heading or bold label satisfies the rule.
    #[serde(default)]
    pub headings: Vec<String>,
    /// Where `patterns` are looked for.
    #[serde(default)]
    pub search: Search,
    /// The finding's message.
    pub message: String,
}

/// Where a `require` rule looks for its patterns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Search {
    /// The prose mask: what a reader reads.
    #[default]
    Prose,
    /// The whole source: code, link destinations and addresses included.
    Source,
}

/// Options from the configuration's `[rules.<name>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// More text patterns.
    #[serde(default)]
    pub extra_patterns: Vec<String>,
    /// More heading patterns.
    #[serde(default)]
    pub extra_headings: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct Require {
    patterns: PatternSet,
    headings: PatternSet,
    search: Search,
    message: String,
}

fn compile_all<'a>(key: &str, patterns: impl Iterator<Item = &'a String>) -> Result<Vec<LazyRegex>, String> {
    patterns
        .map(|p| compile_bounded(p).map_err(|e| format!("in `{key}`: {e}")))
        .collect()
}

impl Require {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let mut patterns = compile_all("patterns", params.patterns.iter())?;
        patterns.extend(compile_all("extra-patterns", options.extra_patterns.iter())?);
        let mut headings = compile_all("headings", params.headings.iter())?;
        headings.extend(compile_all("extra-headings", options.extra_headings.iter())?);
        if patterns.is_empty() && headings.is_empty() {
            return Err("give `patterns`, `headings` or both: nothing could satisfy this rule".to_string());
        }
        Ok(Require {
            patterns: PatternSet::new(patterns),
            headings: PatternSet::new(headings),
            search: params.search,
            message: params.message.clone(),
        })
    }
}

impl Check for Require {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let body_start = doc.front_matter.span.map_or(0, |s| s.end);
        let text = match self.search {
            Search::Prose => &doc.mask,
            Search::Source => &doc.source[body_start..],
        };
        if self.patterns.is_match(text) {
            return;
        }
        let title = doc.title.as_ref().map(|t| t.span);
        let headings = doc.body_headings().map(|(_, h)| h.normalized.as_str());
        let labels = doc
            .labels
            .iter()
            .filter(|l| !title.is_some_and(|t| t.contains(l.text_span)))
            .map(|l| l.normalized.as_str());
        if headings.chain(labels).any(|h| self.headings.is_match(h)) {
            return;
        }
        out.push(Finding::new(doc.title_anchor(), self.message.clone()).with_label("announcement starts here"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kind::Audience;

    fn findings(check: &str, options: Options, text: &str) -> usize {
        let params: Params = toml::from_str(check).expect("params");
        let require = Require::compile(&params, options).expect("compiles");
        let (_doc, out) = crate::rules::kinds::run_check(&require, text, Audience::Customers);
        out.len()
    }

    #[test]
    fn a_pattern_in_prose_or_a_heading_or_label_satisfies_it() {
        let check = "message = 'm'\npatterns = ['status page']\nheadings = ['customer impact']";
        assert_eq!(findings(check, Options::default(), "# T\n\nSee our status page.\n"), 0);
        assert_eq!(
            findings(check, Options::default(), "# T\n\n## Customer impact\n\nSome.\n"),
            0
        );
        assert_eq!(
            findings(check, Options::default(), "# T\n\n**Customer impact:** some.\n"),
            0
        );
        assert_eq!(
            findings(check, Options::default(), "# Customer impact\n\nNone.\n"),
            1,
            "the title is not a section"
        );
        assert_eq!(
            findings(check, Options::default(), "# T\n\n`status page`\n"),
            1,
            "code is not prose"
        );
    }

    #[test]
    fn source_search_reads_link_destinations_and_options_extend() {
        let check = "message = 'm'\npatterns = ['status\\.example\\.com']\nsearch = 'source'";
        assert_eq!(
            findings(
                check,
                Options::default(),
                "# T\n\n[Status](https://status.example.com)\n"
            ),
            0
        );
        let prose = "message = 'm'\npatterns = ['status\\.example\\.com']";
        assert_eq!(
            findings(
                prose,
                Options::default(),
                "# T\n\n[Status](https://status.example.com)\n"
            ),
            1
        );
        let options = Options {
            extra_patterns: vec!["our status".to_string()],
            ..Options::default()
        };
        assert_eq!(findings(prose, options, "# T\n\nSee our status.\n"), 0);
    }
}
