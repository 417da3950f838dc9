//! Words as RULES.md §1 defines them, `[\p{L}\p{N}]+(['’.,:-][\p{L}\p{N}]+)*`, found by a
//! scan rather than a regex: rules count words in every sentence and section, and the scan
//! costs a fraction of a regex search per word.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The byte ranges of the words of `text`, in order (as `WORD.find_iter` would give them).
pub fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + text[at..].char_indices().find(|&(_, c)| is_word_char(c))?.0;
        let mut end = run_end(text, start);
        loop {
            let mut rest = text[end..].chars();
            match (rest.next(), rest.next()) {
                (Some(joiner), Some(next)) if is_joiner(joiner) && is_word_char(next) => {
                    end = run_end(text, end + joiner.len_utf8());
                }
                _ => break,
            }
        }
        at = end;
        Some(start..end)
    })
}

/// The number of words in `text`.
pub fn count_words(text: &str) -> usize {
    word_ranges(text).count()
}

/// The end of the run of word characters starting at `from`.
fn run_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| from + i)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '.' | ',' | ':' | '-')
}

/// A letter or a number (`\p{L}`, `\p{N}`); outside ASCII the Unicode tables decide, through
/// the regex crate's, which the standard library does not expose.
fn is_word_char(c: char) -> bool {
    static LETTER_OR_NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\p{L}\p{N}]$").expect("letter-or-number class"));
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        LETTER_OR_NUMBER.is_match(c.encode_utf8(&mut [0; 4]))
    }
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
    fn the_scan_agrees_with_the_regex() {
        let regex = Regex::new(r"[\p{L}\p{N}]+(?:['’.,:\-][\p{L}\p{N}]+)*").unwrap();
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
