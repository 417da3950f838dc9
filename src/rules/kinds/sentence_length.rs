//! `kind = "sentence-length"`: sentences with more words than the audience's limit (RULES.md
//! CL203 long-sentence).
//!
//! Words are counted as the document model counts them (`Document::word_count`: RULES.md §1
//! words, a masked inline code span counting as one), one sentence at a time, so a run is linear
//! in the document and allocates nothing per sentence.

use super::audience_limit::{PerAudience, PerAudienceChange};
use super::{Check, CheckContext};
use crate::diagnostic::Finding;
use serde::Deserialize;

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// The most words a sentence may have, per audience.
    pub max_words: PerAudience<usize>,
}

/// Options from the configuration's `[rules.long-sentence]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// `max-words = { customers = 25 }`: a field left out keeps the rule file's value.
    #[serde(default)]
    pub max_words: Option<PerAudienceChange<usize>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct SentenceLength {
    max_words: PerAudience<usize>,
}

impl SentenceLength {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, options: Options) -> Result<Self, String> {
        let max_words = params.max_words.with(options.max_words);
        max_words.validate("max-words", |n| (n == 0).then(|| "must be at least 1".to_string()))?;
        Ok(SentenceLength { max_words })
    }
}

impl Check for SentenceLength {
    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let limit = self.max_words.get(cx.audience);
        for sentence in doc.body_sentences() {
            // A sentence has at most one word per two bytes: short ones need no count.
            if sentence.span().len() < 2 * limit {
                continue;
            }
            let words = doc.word_count(sentence.span());
            if words > limit {
                out.push(Finding::new(
                    sentence.span(),
                    format!("sentence has {words} words (limit {limit} for {})", cx.audience),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kind::Audience;
    use crate::rules::kinds::parse_options;

    fn compile(options: &str) -> Result<SentenceLength, String> {
        let params = Params {
            max_words: PerAudience {
                customers: 30,
                engineers: 40,
            },
        };
        let value: toml::Value = toml::from_str(options).map_err(|e| e.to_string())?;
        SentenceLength::compile(&params, parse_options(Some(&value))?)
    }

    fn messages(check: &SentenceLength, text: &str, audience: Audience) -> Vec<String> {
        let (_doc, out) = crate::rules::kinds::run_check(check, text, audience);
        out.into_iter().map(|f| f.message).collect()
    }

    fn words(n: usize) -> String {
        (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn counts_words_against_the_audience_limit() {
        let check = compile("").unwrap();
        let text = format!("{}.\n\n{}.\n", words(30), words(41));
        assert_eq!(
            messages(&check, &text, Audience::Customers),
            ["sentence has 41 words (limit 30 for customers)"]
        );
        assert_eq!(
            messages(&check, &text, Audience::Engineers),
            ["sentence has 41 words (limit 40 for engineers)"]
        );
    }

    #[test]
    fn an_inline_code_span_is_one_word() {
        let check = compile("").unwrap();
        let code = words(20);
        let text = format!("{} `{code}` {}.\n", words(15), words(15));
        assert_eq!(
            messages(&check, &text, Audience::Customers),
            ["sentence has 31 words (limit 30 for customers)"]
        );
    }

    #[test]
    fn headings_are_not_sentences() {
        let check = compile("").unwrap();
        let text = format!("# {}\n\nShort.\n", words(45));
        assert!(messages(&check, &text, Audience::Customers).is_empty());
    }

    #[test]
    fn configuration_moves_one_limit_and_rejects_zero() {
        let check = compile("max-words = { customers = 10 }").unwrap();
        let text = format!("{}.\n", words(11));
        assert_eq!(
            messages(&check, &text, Audience::Customers),
            ["sentence has 11 words (limit 10 for customers)"]
        );
        assert!(messages(&check, &text, Audience::Engineers).is_empty());
        let err = compile("max-words = { engineers = 0 }").unwrap_err();
        assert_eq!(err, "`max-words.engineers` must be at least 1");
        assert!(compile("max-word = 3").is_err());
    }
}
