//! Syllables and the Flesch–Kincaid grade, exactly as RULES.md CL204 defines them.

/// Syllables of a word: lowercase it, keep `a`–`z` (none left: 1), count runs of `[aeiouy]`,
/// minus one when the kept letters end in `e` but not `le` and the count exceeds one; at
/// least one. Allocates nothing.
pub fn syllables(word: &str) -> usize {
    // Almost every word is ASCII, where lowercasing is a byte operation.
    if word.is_ascii() {
        count(word.bytes().map(|b| char::from(b.to_ascii_lowercase())))
    } else {
        count(word.chars().flat_map(char::to_lowercase))
    }
}

fn count(lowercase: impl Iterator<Item = char>) -> usize {
    let mut runs = 0;
    let mut kept = 0;
    let mut in_vowels = false;
    let (mut last, mut before_last) = ('\0', '\0');
    for c in lowercase.filter(char::is_ascii_lowercase) {
        kept += 1;
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if vowel && !in_vowels {
            runs += 1;
        }
        in_vowels = vowel;
        before_last = last;
        last = c;
    }
    if kept == 0 {
        return 1;
    }
    if last == 'e' && !(kept >= 2 && before_last == 'l') && runs > 1 {
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
