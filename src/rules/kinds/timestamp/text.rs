//! Small text helpers over the prose mask. Each looks at a bounded window, so calling them once
//! per candidate time keeps a scan linear.

/// How far the word helpers look, in bytes.
const WINDOW: usize = 64;

/// Connectors that chain times into a run (`8:20 - 8:24`, `10:00, 10:15 and 10:30`).
const RUN_CONNECTORS: &[&str] = &[
    "-", "–", "—", "to", "until", "till", "through", "and", "or", ",", ", and", ", or",
];

/// The first ASCII digit at or after byte `from`. Both clock and date scans walk the whole mask
/// from digit to digit; eight bytes are tested at a time (a byte loop took 4 instructions a
/// byte).
pub fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Each byte's high bit: set by adding 0x50 when its low seven bits are 0x30 or more,
        // and by adding 0x46 when they are 0x3A or more; no sum carries into the next byte.
        let y = x & LOW;
        let digits = (y + 0x5050_5050_5050_5050) & !(y + 0x4646_4646_4646_4646) & !x & HIGH;
        if digits != 0 {
            return Some(at + digits.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(u8::is_ascii_digit).map(|i| at + i)
}

/// The character starting at byte `at`, if any.
pub fn char_after(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The character ending at byte `at`, if any.
pub fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// `at` clamped to the text and moved back to a character boundary.
pub fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `at` clamped to the text and moved forward to a character boundary.
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The word right before `at`, skipping spaces and opening punctuation on the same line.
pub fn previous_word(text: &str, at: usize) -> Option<&str> {
    let window = &text[ceil_boundary(text, at.saturating_sub(WINDOW))..at];
    let trimmed = window.trim_end_matches([' ', '\t', '\u{a0}', '(', '[', ':', '"', '“']);
    let word_start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map(|(i, _)| i)?;
    Some(&trimmed[word_start..])
}

/// The word right after `at`, after spaces only.
pub fn next_word(text: &str, at: usize) -> Option<&str> {
    let window = &text[at..floor_boundary(text, at + WINDOW)];
    let trimmed = window.trim_start_matches([' ', '\t', '\u{a0}']);
    let len: usize = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| &trimmed[..len])
}

/// True when one of up to `n` words before `start` or `n` words after `end` passes `test`.
pub fn any_word_near(text: &str, start: usize, end: usize, n: usize, test: impl Fn(&str) -> bool) -> bool {
    let split = |c: char| !c.is_alphanumeric();
    let before = &text[ceil_boundary(text, start.saturating_sub(WINDOW))..start];
    let after = &text[end..floor_boundary(text, end + WINDOW)];
    before.rsplit(split).filter(|w| !w.is_empty()).take(n).any(&test)
        || after.split(split).filter(|w| !w.is_empty()).take(n).any(&test)
}

/// True when the text between two times links them into a run.
pub fn is_run_connector(gap: &str) -> bool {
    if gap.contains("\n\n") || gap.contains("\n\r\n") {
        return false;
    }
    let collapsed = gap.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let collapsed = collapsed.replace(" ,", ",");
    RUN_CONNECTORS.contains(&collapsed.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value, at every offset of a chunk and past the last whole chunk.
    #[test]
    fn next_digit_finds_what_a_byte_loop_finds() {
        let naive = |bytes: &[u8], from: usize| (from..bytes.len()).find(|&i| bytes[i].is_ascii_digit());
        for byte in 0..=255u8 {
            for at in 0..19 {
                let mut bytes = vec![b'x'; 19];
                bytes[at] = byte;
                bytes[(at + 5) % 19] = 0xFF;
                for from in 0..=19 {
                    assert_eq!(
                        next_digit(&bytes, from),
                        naive(&bytes, from),
                        "{byte} at {at} from {from}"
                    );
                }
            }
        }
        assert_eq!(next_digit(b"", 0), None);
        assert_eq!(next_digit("é 9".as_bytes(), 0), Some(3));
    }

    #[test]
    fn finds_neighbouring_words() {
        assert_eq!(previous_word("Update 21.48", 7), Some("Update"));
        assert_eq!(previous_word("(at 10:30", 4), Some("at"));
        assert_eq!(previous_word("10:30", 0), None);
        assert_eq!(next_word("1:30 hours", 4), Some("hours"));
        assert_eq!(next_word("1:30, hours", 4), None);
        let near = |word: &str| any_word_near("a b c d 10:30 e f g h", 8, 13, 3, |w| w == word);
        assert!(near("b") && near("d") && near("e") && near("g"));
        assert!(!near("a") && !near("h"));
    }

    #[test]
    fn handles_multi_byte_text_at_window_edges() {
        let text = format!("{}é 10:30", "ü".repeat(40));
        let at = text.find("10").unwrap();
        let word = previous_word(&text, at).expect("a word");
        assert!(word.ends_with('é') && word.chars().all(|c| c == 'ü' || c == 'é'));
        assert!(any_word_near(&text, at, at + 5, 3, |w| w.ends_with('é')));
    }

    #[test]
    fn recognises_run_connectors() {
        for gap in [" - ", "–", " to ", " and ", ", ", " , and ", " until "] {
            assert!(is_run_connector(gap), "{gap:?}");
        }
        for gap in [" ", " and then ", " - \n\n "] {
            assert!(!is_run_connector(gap), "{gap:?}");
        }
    }
}
