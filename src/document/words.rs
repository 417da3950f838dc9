//! Words as RULES.md §1 defines them, `[\p{L}\p{N}]+(['’.,:-][\p{L}\p{N}]+)*`, found by a
//! scan rather than a regex: rules count words in every sentence and section, and the scan
//! costs a fraction of a regex search per word.

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
    let start = loop {
        let (c, len) = char_at(text, at)?;
        if is_word_char(c) {
            break at;
        }
        at += len;
    };
    let mut end = run_end(text, start);
    // A joiner followed by a word character continues the word.
    loop {
        let joiner_len = match bytes.get(end) {
            Some(b'\'' | b'.' | b',' | b':' | b'-') => 1,
            Some(0xE2) if bytes[end..].starts_with("’".as_bytes()) => 3,
            _ => break,
        };
        match char_at(text, end + joiner_len) {
            Some((c, _)) if is_word_char(c) => end = run_end(text, end + joiner_len),
            _ => break,
        }
    }
    Some(start..end)
}

/// The character at byte `at` and its length, reading ASCII without decoding.
#[inline]
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let &byte = text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((byte as char, 1));
    }
    let c = text[at..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// The end of the run of word characters starting at `from`.
fn run_end(text: &str, mut from: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII letters and digits, the common case, without decoding.
        while from < bytes.len() && bytes[from].is_ascii_alphanumeric() {
            from += 1;
        }
        match char_at(text, from) {
            Some((c, len)) if !c.is_ascii() && is_word_char(c) => from += len,
            _ => return from,
        }
    }
}

/// A letter or a number (`\p{L}`, `\p{N}`). Inlined, like [`char_at`], because every
/// character of every sentence goes through it; the compiler did not always do so by itself.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_non_ascii_word_char(c)
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
