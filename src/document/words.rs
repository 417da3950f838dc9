//! Words as RULES.md §1 defines them, `[\p{L}\p{N}]+(['’.,:-][\p{L}\p{N}]+)*`, found by a
//! scan rather than a regex: rules count words in every sentence and section, and the scan
//! costs a fraction of a regex search per word. ASCII bytes are classed by a table, and only
//! a non-ASCII character is decoded: about 80 instructions a word, where range tests on
//! decoded characters took 195 (the word scans were 8% of a run on the benchmark's files).

use regex_syntax::hir::{Class, HirKind};
use std::cmp::Ordering;
use std::ops::Range;
use std::sync::LazyLock;

/// The byte ranges of the words of `text`, in order (as the regex's `find_iter` would give them).
pub fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let word = next_word(text, at)?;
        at = word.end;
        Some(word)
    })
}

/// The number of words in `text`.
pub fn count_words(text: &str) -> usize {
    let (mut count, mut at) = (0, 0);
    while let Some(word) = next_word(text, at) {
        count += 1;
        at = word.end;
    }
    count
}

/// The first word of `text` at or after byte `at`.
#[inline]
fn next_word(text: &str, mut at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let (start, first_len) = loop {
        match BYTE_KINDS[usize::from(*bytes.get(at)?)] {
            LETTER_OR_DIGIT => break (at, 1),
            NON_ASCII => {
                let (is_word, len) = non_ascii_at(text, at);
                if is_word {
                    break (at, len);
                }
                at += len;
            }
            _ => at += 1,
        }
    };
    let mut end = run_end(text, start + first_len);
    // A joiner followed by a word character continues the word.
    loop {
        let joiner_len = match bytes.get(end) {
            Some(b'\'' | b'.' | b',' | b':' | b'-') => 1,
            Some(0xE2) if bytes[end..].starts_with("’".as_bytes()) => 3,
            _ => break,
        };
        let after = end + joiner_len;
        let continued_by = match bytes.get(after).map(|&b| BYTE_KINDS[usize::from(b)]) {
            Some(LETTER_OR_DIGIT) => 1,
            Some(NON_ASCII) => match non_ascii_at(text, after) {
                (true, len) => len,
                (false, _) => break,
            },
            _ => break,
        };
        end = run_end(text, after + continued_by);
    }
    Some(start..end)
}

/// What a byte is to the scan: an ASCII letter or digit, the first byte of a non-ASCII
/// character (decoded and looked up), or any other ASCII byte. A lookup per byte instead of
/// range tests: every byte of every sentence goes through the scan, several times.
const OTHER: u8 = 0;
const LETTER_OR_DIGIT: u8 = 1;
const NON_ASCII: u8 = 2;

static BYTE_KINDS: [u8; 256] = {
    let mut kinds = [OTHER; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        kinds[byte] = if b.is_ascii_alphanumeric() {
            LETTER_OR_DIGIT
        } else if !b.is_ascii() {
            NON_ASCII
        } else {
            OTHER
        };
        byte += 1;
    }
    kinds
};

/// Whether the non-ASCII character at byte `at` is a word character, and its length.
#[inline(never)]
fn non_ascii_at(text: &str, at: usize) -> (bool, usize) {
    match text[at..].chars().next() {
        Some(c) => (is_non_ascii_word_char(c), c.len_utf8()),
        None => (false, 1),
    }
}

/// The end of the run of word characters that continues at `from`.
#[inline]
fn run_end(text: &str, mut from: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII letters and digits, the common case, without decoding.
        while from < bytes.len() && BYTE_KINDS[usize::from(bytes[from])] == LETTER_OR_DIGIT {
            from += 1;
        }
        if from < bytes.len() && BYTE_KINDS[usize::from(bytes[from])] == NON_ASCII {
            let (is_word, len) = non_ascii_at(text, from);
            if is_word {
                from += len;
                continue;
            }
        }
        return from;
    }
}

/// Outside ASCII the Unicode tables decide, through regex-syntax's, which the standard
/// library does not expose: the ranges of `[\p{L}\p{N}]`, searched by halves. (A compiled
/// regex answered the same at several times the start-up cost: most documents have a
/// non-ASCII character, an emoji in a heading or a curly quote.)
fn is_non_ascii_word_char(c: char) -> bool {
    static LETTER_OR_NUMBER: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
        let hir = regex_syntax::Parser::new()
            .parse(r"[\p{L}\p{N}]")
            .expect("letter-or-number class");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => class.ranges().iter().map(|r| (r.start(), r.end())).collect(),
            other => unreachable!("a Unicode class parses as one: {other:?}"),
        }
    });
    LETTER_OR_NUMBER
        .binary_search_by(|&(start, end)| match (end < c, start > c) {
            (true, _) => Ordering::Less,
            (_, true) => Ordering::Greater,
            _ => Ordering::Equal,
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        word_ranges(text).map(|r| &text[r]).collect()
    }

    #[test]
    fn joiners_join_only_between_word_characters() {
        assert_eq!(
            words("It's 10:30, v1.2-beta -- ok."),
            vec!["It's", "10:30", "v1.2-beta", "ok"]
        );
        assert_eq!(words("end. Next"), vec!["end", "Next"]);
        assert_eq!(words("a--b ’quoted’ x’"), vec!["a", "b", "quoted", "x"]);
    }

    #[test]
    fn every_non_ascii_character_is_classed_as_the_regex_classes_it() {
        let all: String = ('\u{80}'..=char::MAX).collect();
        let regex = regex::Regex::new(r"[\p{L}\p{N}]").unwrap();
        let expected: Vec<char> = regex.find_iter(&all).flat_map(|m| m.as_str().chars()).collect();
        let found: Vec<char> = all.chars().filter(|&c| is_non_ascii_word_char(c)).collect();
        assert!(found.len() > 100_000);
        assert_eq!(found, expected);
    }

    #[test]
    fn the_scan_agrees_with_the_regex_on_every_mix_of_joiners_and_scripts() {
        let regex = regex::Regex::new(r"[\p{L}\p{N}]+(?:['’.,:\-][\p{L}\p{N}]+)*").unwrap();
        let pieces = [
            "a", "Z", "9", "é", "東", "١", "½", "\u{301}", "🎉", "’", "'", ".", ",", ":", "-", " ", "\t", "\u{a0}",
            "!", "\"", "\u{2018}", "\u{2011}",
        ];
        // A fixed pseudo-random sequence (a linear congruential generator), so that a failure
        // reproduces.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut text = String::new();
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        let expected: Vec<&str> = regex.find_iter(&text).map(|m| m.as_str()).collect();
        assert!(expected.len() > 2_000);
        assert_eq!(words(&text), expected);
        assert_eq!(count_words(&text), expected.len());
        // From every offset, as a span of the mask is scanned.
        for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)).step_by(97) {
            let tail = &text[at..];
            let expected: Vec<&str> = regex.find_iter(tail).map(|m| m.as_str()).collect();
            assert_eq!(words(tail), expected, "from byte {at}");
        }
    }

    #[test]
    fn the_scan_agrees_with_the_regex() {
        let regex = regex::Regex::new(r"[\p{L}\p{N}]+(?:['’.,:\-][\p{L}\p{N}]+)*").unwrap();
        for text in [
            "",
            "  ",
            "Überraschung: naïve café, 東京 ١٢٣ e\u{301}t\u{e9} ½ Ⅻ",
            "we’re 99.9% up-time, hello,world a.b.c. ...x",
            "emoji 🎉 word\u{a0}word\ttab",
            "देवनागरी लिपि",
        ] {
            let expected: Vec<&str> = regex.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(words(text), expected, "{text:?}");
        }
    }
}
