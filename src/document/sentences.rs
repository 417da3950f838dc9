//! Splitting a block's prose into sentences (RULES.md §1 "Units").

use crate::diagnostic::Span;

/// Abbreviations after which a period never ends a sentence (compared case-insensitively,
/// the period included).
const NO_BREAK_AFTER: &[&str] = &["e.g.", "i.e.", "etc.", "vs.", "approx.", "a.m.", "p.m.", "no."];

/// Sentence spans in `mask[block]`, trimmed; `breaks` are the document's hard line breaks, sorted.
pub fn split(mask: &str, block: Span, breaks: &[usize]) -> Vec<Span> {
    let text = &mask[block.start..block.end];
    let mut cuts = Vec::new();
    // Only the bytes that can start an end mark are looked at: decoding every character of the
    // text took 3% of the 2,000-file benchmark.
    let marks = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| MAY_END[usize::from(b)])
        .filter_map(|(at, _)| text[at..].chars().next().map(|c| (at, c)));
    for (at, c) in marks {
        if matches!(c, '。' | '！' | '？') {
            cuts.push(at + c.len_utf8());
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Closing quotes and brackets stay with the sentence they end.
        let after = at + c.len_utf8();
        let closers: usize = text[after..]
            .chars()
            .take_while(|&q| matches!(q, '"' | '\'' | '”' | '’' | ')' | ']' | '*' | '_'))
            .map(char::len_utf8)
            .sum();
        let end = after + closers;
        let rest = &text[end..];
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let Some(next) = rest.trim_start_matches(char::is_whitespace).chars().next() else {
            continue;
        };
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '\'' | '“' | '‘' | '«' | '(' | '[')
            || !next.is_alphabetic() && next.is_alphanumeric()
            || is_cjk(next);
        if !opens || (c == '.' && is_abbreviation(text, at)) {
            continue;
        }
        cuts.push(end);
    }
    // `breaks` is sorted: only the block's own are looked at (a scan of every break of the
    // document for every block was quadratic in long documents).
    let first = breaks.partition_point(|&b| b < block.start);
    cuts.extend(
        breaks[first..]
            .iter()
            .take_while(|&&b| b < block.end)
            .map(|b| b - block.start),
    );
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
        if cut <= start {
            continue;
        }
        if let Some(span) = trim(text, start, cut) {
            out.push(span.shift(block.start));
        }
        start = cut;
    }
    out
}

/// The bytes that start `.`, `!`, `?`, `…` (E2), `。` (E3), `！` and `？` (EF).
const MAY_END: [bool; 256] = {
    let mut may = [false; 256];
    let mut i = 0;
    let firsts = [b'.', b'!', b'?', 0xE2, 0xE3, 0xEF];
    while i < firsts.len() {
        may[firsts[i] as usize] = true;
        i += 1;
    }
    may
};

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// True when the period at `dot` ends an abbreviation or a single capital initial.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..=dot];
    // Unicode whitespace (U+00A0, U+2028, U+0085) is more than one byte.
    let word_start = before[..dot]
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || c == '(')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let lower = word.to_lowercase();
    if NO_BREAK_AFTER.iter().any(|a| {
        lower.ends_with(a)
            && (lower.len() == a.len() || !lower[..lower.len() - a.len()].ends_with(char::is_alphanumeric))
    }) {
        return true;
    }
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// The non-blank part of `text[start..end]`.
fn trim(text: &str, start: usize, end: usize) -> Option<Span> {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    (!trimmed.is_empty()).then(|| Span::new(start + lead, start + lead + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text, Span::new(0, text.len()), &[])
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_at_end_punctuation_before_a_capital_digit_or_quote() {
        assert_eq!(
            sentences("It broke. We fixed it! Why? \"Because.\" 3 left."),
            ["It broke.", "We fixed it!", "Why?", "\"Because.\"", "3 left."]
        );
    }

    #[test]
    fn keeps_abbreviations_initials_numbers_and_lowercase_continuations() {
        assert_eq!(
            sentences("Use e.g. Firefox. At 9 a.m. Ann left."),
            ["Use e.g. Firefox.", "At 9 a.m. Ann left."]
        );
        assert_eq!(
            sentences("J. Smith wrote v1.2.3 here. ok then."),
            ["J. Smith wrote v1.2.3 here. ok then."]
        );
    }

    #[test]
    fn words_after_multibyte_whitespace_are_checked_for_abbreviations() {
        assert_eq!(
            sentences("We left\u{a0}early. Then\u{2028}J. Smith came\u{85}e.g. Bob. Done"),
            [
                "We left\u{a0}early.",
                "Then\u{2028}J. Smith came\u{85}e.g. Bob.",
                "Done"
            ]
        );
    }

    /// End marks among other characters whose first byte is one an end mark starts with
    /// (`’`, `“`, `—`, `＂`, `〈`).
    #[test]
    fn end_marks_are_found_among_characters_that_share_their_first_byte() {
        assert_eq!(
            sentences("It’s down… Then “Ok.” — fine？ 〈Yes〉 ＂No＂！ Done. 3 left"),
            [
                "It’s down…",
                "Then “Ok.” — fine？",
                "〈Yes〉 ＂No＂！",
                "Done.",
                "3 left"
            ]
        );
    }

    #[test]
    fn cjk_full_stops_end_sentences() {
        assert_eq!(sentences("服务中断。我们很抱歉。"), ["服务中断。", "我们很抱歉。"]);
    }
}
