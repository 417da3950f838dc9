//! Syllables and the Flesch–Kincaid grade, exactly as RULES.md CL204 defines them.

/// Syllables of a word: lowercase it, keep `a`–`z` (none left: 1), count runs of `[aeiouy]`,
/// minus one when the kept letters end in `e` but not `le` and the count exceeds one; at
/// least one. Allocates nothing.
pub fn syllables(word: &str) -> usize {
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
