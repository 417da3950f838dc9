//! Whether an occurrence spells its acronym out (RULES.md CL202 "Defined"):
//! `Expansion (ACR)` or `ACR (Expansion)` when the initials of the expansion's words spell the
//! acronym's letters, or a cue right after it (`ACR, short for ...`, `ACR stands for ...`).
//!
//! Initials: each hyphen part of a word gives its first letter (`Two-Factor` gives T, F); a
//! word written in camel case may give its capitals instead (`PagerDuty` gives P, D); skip
//! words (`of the and ...`) and numbers may be left out or counted; the acronym's digits and
//! `&` are ignored. At most [`MAX_WORDS`] words are read, so each test is bounded.

use super::token::Token;
use crate::rules::kinds::timestamp::text::floor_boundary;
use crate::rules::kinds::LazyRegex;

/// The most words an expansion is read over.
const MAX_WORDS: usize = 16;

/// Numbers written as words, which an acronym writes as digits (`two-factor` in `2FA`).
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "single", "double", "triple",
];

/// Opening and closing quotes that may surround the acronym inside its parenthesis.
const QUOTES: &[char] = &['"', '\'', '“', '”', '‘', '’'];

/// The compiled definition tests.
#[derive(Debug)]
pub struct Expansions {
    /// Lowercase words that may be left out of the initials.
    skip_words: Vec<String>,
    /// A cue right after the acronym (anchored), such as `, short for`.
    cue: LazyRegex,
}

impl Expansions {
    /// `skip_words` as given in the rule file; `cue` anchored at the acronym's end.
    pub fn new(skip_words: &[String], cue: LazyRegex) -> Self {
        Expansions {
            skip_words: skip_words.iter().map(|w| w.to_lowercase()).collect(),
            cue,
        }
    }

    /// True when the occurrence `token` of `mask` spells its acronym out.
    pub fn defines(&self, mask: &str, token: Token) -> bool {
        let mut letters = ['\0'; 6];
        let mut count = 0;
        for c in mask[token.base.start..token.base.end]
            .chars()
            .filter(char::is_ascii_uppercase)
        {
            if count == letters.len() {
                return false;
            }
            letters[count] = c;
            count += 1;
        }
        let letters = &letters[..count];
        let window_end = floor_boundary(mask, token.span.end + 128);
        let after = &mask[token.span.end..window_end];
        !letters.is_empty()
            && (self.cue.is_match(after)
                || self.expansion_before(mask, token, letters)
                || self.expansion_after(after, letters))
    }

    /// `Two-Factor Authentication (2FA)`: the acronym alone in a parenthesis, the words right
    /// before it ending in its initials.
    fn expansion_before(&self, mask: &str, token: Token, letters: &[char]) -> bool {
        let inside_after = mask[token.span.end..].trim_start_matches(QUOTES).trim_start();
        if !inside_after.starts_with([')', ',', ';']) {
            return false;
        }
        let before = mask[..token.span.start].trim_end_matches(QUOTES).trim_end();
        let Some(before) = before.strip_suffix('(') else {
            return false;
        };
        let window = &before[ceil_boundary(before, before.len().saturating_sub(256))..];
        let mut words = [""; MAX_WORDS];
        let mut count = 0;
        for word in words_backwards(window).take(MAX_WORDS) {
            words[count] = word;
            count += 1;
        }
        let words = &mut words[..count];
        words.reverse();
        self.initials_match(words, letters, false)
    }

    /// `2FA (two-factor authentication)`: a parenthesis right after the acronym whose words, up
    /// to the closing parenthesis or a comma, are all the expansion.
    fn expansion_after(&self, after: &str, letters: &[char]) -> bool {
        let Some(inside) = after.trim_start().strip_prefix('(') else {
            return false;
        };
        let end = inside.find([')', ',', ';', ':']).unwrap_or(inside.len());
        let mut words = [""; MAX_WORDS];
        let mut count = 0;
        for word in inside[..end].split(|c: char| c.is_whitespace() || c == '-' || c == '–') {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                continue;
            }
            if count == MAX_WORDS || word.contains(|c: char| !is_expansion_char(c)) {
                return false;
            }
            words[count] = word;
            count += 1;
        }
        self.initials_match(&words[..count], letters, true)
    }

    /// True when the words' initials spell `letters`: with `whole`, using every word (skip
    /// words may be left out); otherwise using the last words only.
    fn initials_match(&self, words: &[&str], letters: &[char], whole: bool) -> bool {
        // spells[i][j]: words[i..] spell letters[j..] exactly. Filled from the end, so each
        // word is looked at once per letter position: no backtracking.
        let (n, k) = (words.len(), letters.len());
        let mut spells = [[false; 7]; MAX_WORDS + 1];
        spells[n][k] = true;
        for i in (0..n).rev() {
            let word = words[i];
            let optional = self.is_optional(word);
            let initial = word.chars().next().map(|c| c.to_ascii_uppercase());
            let camel = camel_capitals(word);
            for j in 0..=k {
                let mut ok = optional && spells[i + 1][j];
                if j < k && initial == Some(letters[j]) {
                    ok |= spells[i + 1][j + 1];
                }
                if camel >= 2
                    && j + camel <= k
                    && word
                        .chars()
                        .filter(char::is_ascii_uppercase)
                        .eq(letters[j..j + camel].iter().copied())
                {
                    ok |= spells[i + 1][j + camel];
                }
                spells[i][j] = ok;
            }
        }
        if whole {
            spells[0][0]
        } else {
            (0..n).any(|i| spells[i][0])
        }
    }

    /// Skip words and numbers (`2`, `two`: an acronym's digits are not initials) may be left out.
    fn is_optional(&self, word: &str) -> bool {
        word.chars().all(|c| c.is_ascii_digit())
            || NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(word))
            || self.skip_words.iter().any(|s| s.eq_ignore_ascii_case(word))
    }
}

/// Letters, digits, apostrophes and `&` make up an expansion's words.
fn is_expansion_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '&' | '/' | '.')
}

/// How many capitals a camel-case word has (`PagerDuty`: 2); 0 for an all-caps word.
fn camel_capitals(word: &str) -> usize {
    if !word.chars().any(char::is_lowercase) {
        return 0;
    }
    word.chars().filter(char::is_ascii_uppercase).count()
}

/// The words of `text` from its end backwards, hyphen parts separately, stopping at the first
/// character that cannot be inside an expansion (a full stop, a comma, a bracket).
fn words_backwards(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let trimmed = rest.trim_end_matches(|c: char| c.is_whitespace() || c == '-' || c == '–');
        let start = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '\'' | '’' | '&'))
            .last()
            .map(|(i, _)| i)?;
        let word = &trimmed[start..];
        rest = &trimmed[..start];
        // `&` alone is a skip word; a word must hold a letter or a digit.
        word.chars().any(char::is_alphanumeric).then_some(word).or(Some("&"))
    })
}

/// `at` clamped to the text and moved forward to a character boundary.
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
