//! Small text helpers over the prose mask. Each looks at a bounded window, so calling them once
//! per candidate time keeps a scan linear.

/// How far the word helpers look, in bytes.
const WINDOW: usize = 64;

/// Connectors that chain times into a run (`8:20 - 8:24`, `10:00, 10:15 and 10:30`).
const RUN_CONNECTORS: &[&str] = &[
    "-", "–", "—", "to", "until", "till", "through", "and", "or", ",", ", and", ", or",
];

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
