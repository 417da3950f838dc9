//! Syllables and the Flesch–Kincaid grade, exactly as RULES.md CL204 defines them.

use crate::document::swar;
use std::ops::Range;

/// Syllables of the word at `range` of `text`: lowercase it, keep `a`–`z` (none left: 1), count
/// runs of `[aeiouy]`, minus one when the kept letters end in `e` but not `le` and the count
/// exceeds one; at least one. Allocates nothing. It may read the bytes after the word: a word cut
/// out of its text would be copied to be read eight bytes at a time.
pub fn syllables_at(text: &str, range: Range<usize>) -> usize {
    count_letters_only(&text.as_bytes()[range.start..], range.len()).unwrap_or_else(|| count_any(&text[range]))
}

/// The count for any word, a letter at a time.
fn count_any(word: &str) -> usize {
    // Almost every word is ASCII, where case is ignored by the table below. A non-ASCII letter
    // can lowercase to an ASCII one (`K`, the Kelvin sign, to `k`).
    if word.is_ascii() {
        count(word.bytes())
    } else {
        count(
            word.chars()
                .flat_map(char::to_lowercase)
                .filter(char::is_ascii)
                .map(|c| c as u8),
        )
    }
}

/// What a byte is, in either case: a letter `a`-`z` kept ([`LETTER`], with [`VOWEL`] for one of
/// `aeiouy`), or 0 for any other byte, which is dropped. One load per byte instead of
/// lowercasing, testing and looking up a vowel bit: the readability rule, mostly this loop,
/// took 6% of the 2,000-file benchmark's instructions.
const KINDS: [u8; 256] = {
    let mut kinds = [0; 256];
    let mut c = b'a';
    while c <= b'z' {
        let vowel = matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        let kind = if vowel { LETTER | VOWEL } else { LETTER };
        kinds[c as usize] = kind;
        kinds[c.to_ascii_uppercase() as usize] = kind;
        c += 1;
    }
    kinds
};

/// A letter `a`-`z`, in either case (see [`KINDS`]).
const LETTER: u8 = 1;

/// A vowel (see [`KINDS`]).
const VOWEL: u8 = 2;

/// The count for ASCII bytes in any case (others are dropped).
fn count(bytes: impl Iterator<Item = u8>) -> usize {
    let mut runs = 0;
    let mut kept = 0;
    let mut in_vowels = false;
    let (mut last, mut before_last) = (0, 0);
    for c in bytes {
        let kind = KINDS[usize::from(c)];
        if kind == 0 {
            continue;
        }
        kept += 1;
        let vowel = kind & VOWEL != 0;
        runs += usize::from(vowel && !in_vowels);
        in_vowels = vowel;
        before_last = last;
        // Lowercase: a letter's case is its 0x20 bit.
        last = c | 0x20;
    }
    if kept == 0 {
        return 1;
    }
    if last == b'e' && !(kept >= 2 && before_last == b'l') && runs > 1 {
        runs -= 1;
    }
    runs.max(1)
}

/// The count for a word of ASCII letters only (almost every word), the first `len` bytes of
/// `bytes`, eight letters at a time (see [`swar`]); `None` for any other word. Without a branch
/// per letter: the letter loop's branches, mispredicted at every word's end and at many vowels,
/// made the readability rule 4.7% of the 2,000-file benchmark's time for 2.4% of its
/// instructions.
#[inline]
fn count_letters_only(bytes: &[u8], len: usize) -> Option<usize> {
    use swar::{gather, ONES, TOPS};
    let word = bytes.get(..len)?;
    let mut runs = 0;
    let mut vowel_before = 0;
    for at in (0..len).step_by(8) {
        let (letters, lower) = swar::ascii_letters(swar::load(&bytes[at..]));
        let piece_len = (len - at).min(8);
        let all = u64::MAX >> (64 - piece_len);
        if gather(letters) & all != all {
            return None;
        }
        // The word's bytes are ASCII now, so a byte's difference from a vowel plus 0x7f has its
        // top bit set unless it is 0 (a carry from the bytes after the word goes past them, and
        // out of the last byte).
        let vowel = |vowel: u8| !(lower ^ (ONES * u64::from(vowel))).wrapping_add(!TOPS) & TOPS;
        let vowels = gather(vowel(b'a') | vowel(b'e') | vowel(b'i') | vowel(b'o') | vowel(b'u') | vowel(b'y')) & all;
        // A vowel after a consonant (or first) starts a run.
        runs += (vowels & !(vowels << 1 | vowel_before)).count_ones() as usize;
        vowel_before = vowels >> (piece_len - 1);
    }
    let last = *word.last()? | 0x20;
    let before_last = word.len().checked_sub(2).map_or(0, |at| word[at] | 0x20);
    let silent_e = last == b'e' && before_last != b'l' && runs > 1;
    Some((runs - usize::from(silent_e)).max(1))
}

/// Words, sentences and syllables of a stretch of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Words (RULES.md §1).
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Syllables of all the words.
    pub syllables: usize,
}

impl Counts {
    /// `0.39 × words/sentences + 11.8 × syllables/words − 15.59`, rounded to one decimal;
    /// `None` without words or sentences.
    pub fn grade(&self) -> Option<f64> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        let words = self.words as f64;
        let raw = 0.39 * words / self.sentences as f64 + 11.8 * self.syllables as f64 / words - 15.59;
        Some((raw * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syllables of a word on its own.
    fn syllables(word: &str) -> usize {
        syllables_at(word, 0..word.len())
    }

    #[test]
    fn counts_vowel_runs() {
        let cases = [
            ("cat", 1),
            ("happened", 3),  // a, e, e
            ("summary", 3),   // u, a, y
            ("queue", 1),     // one run
            ("service", 2),   // final e dropped
            ("table", 2),     // -le keeps its e
            ("the", 1),       // the only vowel run stays
            ("be", 1),        // never below one
            ("roll-back", 2), // hyphen dropped
            ("2014", 1),      // no letters left
            ("Café", 1),      // é is not kept: "caf"
            ("rhythm", 1),    // y is a vowel
            ("le", 1),
            ("\u{212A}ite", 1), // the Kelvin sign lowercases to k: "kite"
            ("ÉTÉ", 1),         // "t": no vowel run, at least one
        ];
        for (word, expected) in cases {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    /// The definition, step by step, as RULES.md CL204 words it.
    fn by_definition(word: &str) -> usize {
        let kept: Vec<char> = word.to_lowercase().chars().filter(|c| c.is_ascii_lowercase()).collect();
        if kept.is_empty() {
            return 1;
        }
        let vowel = |c: &char| "aeiouy".contains(*c);
        let mut runs = (0..kept.len())
            .filter(|&i| vowel(&kept[i]) && (i == 0 || !vowel(&kept[i - 1])))
            .count();
        let ends_in_e = kept.last() == Some(&'e') && !kept.ends_with(&['l', 'e']);
        if ends_in_e && runs > 1 {
            runs -= 1;
        }
        runs.max(1)
    }

    #[test]
    fn every_ascii_byte_counts_as_the_definition_says() {
        // Each byte between letters, in each place, and words of every letter in both cases.
        for b in 0..=127u8 {
            let c = char::from(b);
            for word in [
                format!("{c}"),
                format!("ta{c}le"),
                format!("{c}e"),
                format!("l{c}"),
                format!("ab{c}"),
            ] {
                assert_eq!(syllables(&word), by_definition(&word), "{word:?}");
            }
        }
        for word in ["Queue", "STABLE", "rhYthm", "ÉTÉ", "naïve", "\u{212A}ITE", "LE", "Be"] {
            assert_eq!(syllables(word), by_definition(word), "{word:?}");
        }
    }

    #[test]
    fn words_of_any_length_count_as_the_definition_says() {
        // Letters only (counted eight at a time) and with other bytes among them, from one to
        // forty bytes, so that words end at every place of a group of eight.
        let pieces = ["a", "E", "y", "l", "t", "R", "q", "e", "le", "ue", "-", "'", "7", "é"];
        // A fixed pseudo-random sequence, so that a failure reproduces.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut word = String::new();
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = (state >> 58) as usize % 40 + 1;
            let letters_only = state >> 40 & 1 == 1;
            while word.len() < len {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let choices = if letters_only { 10 } else { pieces.len() };
                word.push_str(pieces[(state >> 33) as usize % choices]);
            }
            assert_eq!(syllables(&word), by_definition(&word), "{word:?}");
            // Read in its text, with letters, vowels and other characters after it that must
            // not count.
            let text = format!("{word}ÿleya éio");
            assert_eq!(syllables_at(&text, 0..word.len()), by_definition(&word), "{word:?}");
        }
    }

    #[test]
    fn grade_is_rounded_to_one_decimal() {
        // 114 words, 7 sentences, 209 syllables: 12.3947... -> 12.4
        let counts = Counts {
            words: 114,
            sentences: 7,
            syllables: 209,
        };
        assert_eq!(counts.grade(), Some(12.4));
        assert_eq!(Counts::default().grade(), None);
    }
}
