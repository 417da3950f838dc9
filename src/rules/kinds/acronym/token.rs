//! Acronym-shaped tokens in the prose mask and the tests on their surroundings (RULES.md CL202).
//! Every test looks at a bounded window around the token, so a scan stays linear.

use crate::diagnostic::Span;
use crate::rules::kinds::timestamp::text::{char_after, char_before};

/// Each longest run of capitals, digits and `&` that holds a capital, in order: the matches of
/// `[A-Z0-9&]*[A-Z][A-Z0-9&]*`, found by a byte scan (as a regex, every capital of the prose, each
/// sentence's first letter included, cost a search call: 2.8% of the 2,000-file benchmark). The
/// shape is checked by hand after.
fn candidates(mask: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = mask.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let start = next_in_run(bytes, at)?;
        let end = start
            + bytes[start..]
                .iter()
                .position(|&b| !in_run(b))
                .unwrap_or(bytes.len() - start);
        at = end;
        if bytes[start..end].iter().any(u8::is_ascii_uppercase) {
            return Some((start, end));
        }
    })
}

/// A byte of a run: `A`-`Z`, `0`-`9`, `&`. Compared rather than looked up in a table, so that
/// the compiler checks a chunk of bytes in a few vector instructions.
fn in_run(b: u8) -> bool {
    (b.wrapping_sub(b'A') < 26) | (b.wrapping_sub(b'0') < 10) | (b == b'&')
}

/// The first byte of a run at or after `from`. Prose has one every few dozen bytes, so whole
/// 16-byte chunks without one are skipped at once: one byte at a time, this scan was the
/// largest part of the rule (the 2,000-file benchmark 3,905.9 -> 3,895.6 M instructions).
fn next_in_run(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    for chunk in bytes.get(from..)?.chunks_exact(16) {
        if chunk.iter().fold(false, |any, &b| any | in_run(b)) {
            break;
        }
        at += 16;
    }
    Some(at + bytes[at..].iter().position(|&b| in_run(b))?)
}

/// An acronym-shaped token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The token as written, plural `s` included.
    pub span: Span,
    /// Without the plural `s` (`APIs` -> `API`).
    pub base: Span,
}

/// Every acronym-shaped token of `mask`, in order: 2–6 characters of `[A-Z0-9&]` with two
/// capitals or a capital and a digit, an optional plural `s`, standing alone (no letter, digit
/// or `_` glued to it: `iOS`, `OAuth` and `IPv6` hold none).
pub fn tokens(mask: &str) -> impl Iterator<Item = Token> + '_ {
    candidates(mask).filter_map(move |(start, mut end)| {
        if char_before(mask, start).is_some_and(is_word_char) {
            return None;
        }
        let base = Span::new(start, end);
        if mask[end..].starts_with('s') {
            end += 1;
        }
        if char_after(mask, end).is_some_and(is_word_char) || !has_acronym_shape(&mask[start..base.end]) {
            return None;
        }
        Some(Token {
            span: Span::new(start, end),
            base,
        })
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '&'
}

/// 2–6 characters, neither end an `&`, with two capitals or a capital and a digit; a number
/// with one capital after it (`16K`, `500G`, `3D`) is a number with a suffix, not an acronym.
pub fn has_acronym_shape(text: &str) -> bool {
    let capitals = text.bytes().filter(u8::is_ascii_uppercase).count();
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let number_with_suffix =
        capitals == 1 && text.ends_with(|c: char| c.is_ascii_uppercase()) && text.len() == digits + 1;
    (2..=6).contains(&text.len())
        && !text.starts_with('&')
        && !text.ends_with('&')
        && (capitals >= 2 || capitals >= 1 && digits >= 1)
        && !number_with_suffix
}

/// True for a part of a date or time format joined to another (`YYYY-MM-DD`, `HH:MM`).
pub fn in_date_format(mask: &str, token: Token) -> bool {
    let text = &mask[token.span.start..token.span.end];
    matches!(text, "YYYY" | "YY" | "MM" | "DD" | "HH" | "SS")
        && (mask[..token.span.start].ends_with(['-', ':', '/', '.'])
            || mask[token.span.end..].starts_with(['-', ':', '/', '.']))
}

/// The word glued before the token by a slash (`CI` in `CI/CD`), if any.
pub fn slash_partner(mask: &str, token: Token) -> Option<&str> {
    let before = mask[..token.span.start].strip_suffix('/')?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .take(8)
        .last()
        .map(|(i, _)| i)?;
    Some(&before[start..])
}

/// True when the token is part of a number, version or timestamp: followed by `-` and a digit
/// (`CVE-2024-1234`, `SHA-256`), or glued after a digit and `-` `:` `.` `/`
/// (`2024-05-01T10`, `10:45:07Z`, `1.5GB`).
pub fn in_number(mask: &str, token: Token) -> bool {
    let after = &mask[token.span.end..];
    if after.starts_with('-') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let before = &mask[..token.span.start];
    before.ends_with(['-', ':', '.', '/']) && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
}

/// Roman numerals written with `I`, `V` and `X` (1–39: `Phase II`, `Tier IV`); the larger
/// letters also spell real acronyms (`DC`, `CD`, `MD`, `CV`).
pub fn is_roman_numeral(text: &str) -> bool {
    let tens = text.len() - text.trim_start_matches('X').len();
    let units = &text[tens..];
    tens <= 3
        && !text.is_empty()
        && matches!(
            units,
            "" | "I" | "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "IX"
        )
}

/// True when the token and a neighbouring word on the same line are both all-caps words: a run
/// of shouting (`DO NOT`, `PLEASE READ`). A word with a digit (`S3`, `EC2`) names something
/// and breaks the run, so `AWS S3` still counts its acronyms.
pub fn in_all_caps_run(mask: &str, token: Token) -> bool {
    if !is_shouted_word(&mask[token.span.start..token.span.end]) {
        return false;
    }
    let before = mask[..token.span.start].trim_end_matches([' ', '\t']);
    let previous_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map(|(i, _)| i);
    let previous = previous_start.map(|i| &before[i..]);
    let after = mask[token.span.end..].trim_start_matches([' ', '\t']);
    let next_len: usize = after
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(64)
        .map(char::len_utf8)
        .sum();
    previous.is_some_and(|w| w.len() <= 64 && is_shouted_word(w)) || is_shouted_word(&after[..next_len])
}

/// Two or more letters, all capitals, and no digit.
fn is_shouted_word(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        } else if c.is_numeric() {
            return false;
        }
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan finds what the regex it replaces finds.
    #[test]
    fn candidates_are_the_regexs_matches() {
        let regex = regex::Regex::new(r"[A-Z0-9&]*[A-Z][A-Z0-9&]*").unwrap();
        let texts = [
            "The API and AT&T's 5G at 10:30 UTC; 12&34 vs 12AB, &A& A1B2 é漢A😀B iOS IPv6 OAuth",
            "A",
            "",
            "1234 & 56",
            "&&&Z",
            "ZZZ",
            "x9Y",
        ];
        for text in texts {
            let ours: Vec<(usize, usize)> = candidates(text).collect();
            let theirs: Vec<(usize, usize)> = regex.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    fn found(text: &str) -> Vec<&str> {
        tokens(text).map(|t| &text[t.span.start..t.span.end]).collect()
    }

    #[test]
    fn acronym_shapes() {
        assert_eq!(
            found("The RCA, S3, 2FA, R&D, APIs and IDs; not iOS, OAuth, IPv6, A, Ok, ABCDEFG or 2024."),
            ["RCA", "S3", "2FA", "R&D", "APIs", "IDs"]
        );
        assert_eq!(found("snake_CASE and CASE_x and HTTPSomething"), Vec::<&str>::new());
        assert_eq!(found("about 16K files on 500G disks in 3D, over 5G, with EC2"), ["EC2"]);
    }

    #[test]
    fn numbers_versions_and_timestamps() {
        let text = "CVE-2024-1234 at 2024-05-01T10:45:07Z, 1.5GB and SHA-256 but not WAF-based";
        let numbers: Vec<_> = tokens(text)
            .filter(|t| in_number(text, *t))
            .map(|t| &text[t.span.start..t.span.end])
            .collect();
        assert_eq!(numbers, ["CVE", "01T10", "5GB", "SHA"]);
    }

    #[test]
    fn date_formats_and_slash_pairs() {
        let text = "Dates as YYYY-MM-DD or HH:MM, not MM alone; CI/CD and TCP/IP";
        let formats: Vec<_> = tokens(text)
            .filter(|t| in_date_format(text, *t))
            .map(|t| &text[t.span.start..t.span.end])
            .collect();
        assert_eq!(formats, ["YYYY", "MM", "DD", "HH", "MM"]);
        let partners: Vec<_> = tokens(text).filter_map(|t| slash_partner(text, t)).collect();
        assert_eq!(partners, ["CI", "TCP"]);
    }

    /// A run is found wherever it lies around the 16-byte chunks the scan skips, after
    /// non-ASCII text too, and one of digits and `&` alone is passed over.
    #[test]
    fn runs_are_found_at_every_place_around_the_chunks() {
        for len in [1, 2, 5] {
            for at in 0..40 {
                let mut text = "é".repeat(3) + &"x".repeat(45);
                text.replace_range(at + 6..at + 6 + len, &"Q".repeat(len));
                assert_eq!(
                    candidates(&text).collect::<Vec<_>>(),
                    [(at + 6, at + 6 + len)],
                    "{text}"
                );
            }
        }
        let text = format!("{}12 & 3{}A&B 9Z", "x".repeat(20), "x".repeat(14));
        let runs: Vec<_> = candidates(&text).map(|(start, end)| &text[start..end]).collect();
        assert_eq!(runs, ["A&B", "9Z"]);
    }

    #[test]
    fn roman_numerals_up_to_thirty_nine() {
        for numeral in ["II", "III", "IV", "VI", "IX", "XII", "XIV", "XXXIX"] {
            assert!(is_roman_numeral(numeral), "{numeral}");
        }
        for other in ["IIII", "VV", "IIV", "DC", "CD", "MD", "XXXX", "XL"] {
            assert!(!is_roman_numeral(other), "{other}");
        }
    }

    #[test]
    fn shouting_runs() {
        let run = |text: &str| -> Vec<bool> { tokens(text).map(|t| in_all_caps_run(text, t)).collect() };
        assert_eq!(run("DO NOT restart"), [true, true]);
        assert_eq!(run("Our AWS S3 bucket"), [false, false]);
        assert_eq!(run("A VPN failed"), [false]);
        assert_eq!(run("the WAF. NOTE that"), [false, false]);
        assert_eq!(run("the WAF\nNOTE that"), [false, false]);
    }
}
