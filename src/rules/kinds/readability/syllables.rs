//! Syllables and the Flesch–Kincaid grade, exactly as RULES.md CL204 defines them.

/// Syllables of a word: lowercase it, keep `a`–`z` (none left: 1), count runs of `[aeiouy]`,
/// minus one when the kept letters end in `e` but not `le` and the count exceeds one; at
/// least one. Allocates nothing.
pub fn syllables(word: &str) -> usize {
    // Almost every word is ASCII, where lowercasing is a byte operation. A non-ASCII letter
    // can lowercase to an ASCII one (`K`, the Kelvin sign, to `k`).
    if word.is_ascii() {
        count(word.bytes().map(|b| b.to_ascii_lowercase()))
    } else {
        count(
            word.chars()
                .flat_map(char::to_lowercase)
                .filter(char::is_ascii)
                .map(|c| c as u8),
        )
    }
}

/// Bit `c - b'a'` is set for each vowel `c`.
const VOWELS: u32 = {
    let (vowels, mut bits, mut i) = (b"aeiouy", 0, 0);
    while i < vowels.len() {
        bits |= 1 << (vowels[i] - b'a');
        i += 1;
    }
    bits
};

/// The count for lowercase ASCII bytes (others are dropped).
fn count(lowercase: impl Iterator<Item = u8>) -> usize {
    let mut runs = 0;
    let mut kept = 0;
    let mut in_vowels = false;
    let (mut last, mut before_last) = (0, 0);
    for c in lowercase.filter(u8::is_ascii_lowercase) {
        kept += 1;
        let vowel = VOWELS >> (c - b'a') & 1 == 1;
        runs += usize::from(vowel && !in_vowels);
        in_vowels = vowel;
        before_last = last;
        last = c;
    }
    if kept == 0 {
        return 1;
    }
    if last == b'e' && !(kept >= 2 && before_last == b'l') && runs > 1 {
        runs -= 1;
    }
    runs.max(1)
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
