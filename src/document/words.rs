//! Words as RULES.md §1 defines them, `[\p{L}\p{N}]+(['’.,:-][\p{L}\p{N}]+)*`, found by a
//! scan rather than a regex: rules count words in every sentence and section, and the scan
//! costs a fraction of a regex search per word. ASCII bytes are classed by a table, and only
//! a non-ASCII character is decoded: about 80 instructions a word, where range tests on
//! decoded characters took 195 (the word scans were 8% of a run on the benchmark's files).

use super::swar;
use regex_syntax::hir::{Class, HirKind};
use std::cmp::Ordering;
use std::ops::{ControlFlow, Range};
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

/// Where the words of a text are, as bits: one for each byte inside a word. A word starts at
/// an inside byte after one that is not; a shift and a mask a chunk find the starts. One bit a
/// byte where a list of word ranges took 8 bytes a word (about 12 bits a byte of prose): kept
/// for a group of documents at a time, the list raised the 2,000-file benchmark's peak on 2
/// threads by 0.7 MiB. A second set of bits for the starts saved 0.1% of that benchmark's
/// instructions, and its memory would put a 16 MiB document over three times its size plus
/// 30 MB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordIndex {
    inside: Box<[u64]>,
}

impl WordIndex {
    /// The index of `text`'s words, as [`word_ranges`] finds them.
    ///
    /// Built 64 bytes at a time rather than word by word: a byte is inside a word when it is
    /// a word character, or a joiner with a word character on each side (two joiners in a row
    /// join nothing), and a word starts at an inside byte after one that is not. Only
    /// non-ASCII characters are decoded. The word scan's branches, taken or not at every word
    /// edge, made it 4% of the 2,000-file benchmark's time.
    pub fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let chunks = bytes.len().div_ceil(64);
        // Word characters, then (below) every byte inside a word.
        let mut inside = vec![0u64; chunks];
        // Single-byte joiners: `'`, `.`, `,`, `:` and `-`.
        let mut joiners = vec![0u64; chunks];
        // Where each `’` starts: a joiner of three bytes.
        let mut curly_joiners = Vec::new();
        for (chunk, piece) in bytes.chunks(64).enumerate() {
            let (word, joiner, leading) = match piece.first_chunk::<64>() {
                Some(block) => classify(block),
                None => {
                    // The last bytes, with zeros after them, which are none of these.
                    let mut block = [0u8; 64];
                    block[..piece.len()].copy_from_slice(piece);
                    classify(&block)
                }
            };
            inside[chunk] |= word;
            joiners[chunk] = joiner;
            // Characters of several bytes, each from its first byte (it may end in the next chunk).
            for bit in ones(leading) {
                let at = chunk * 64 + bit;
                let (is_word, len) = non_ascii_at(text, at);
                if is_word {
                    set_bits(&mut inside, at..at + len);
                } else if bytes[at..].starts_with("’".as_bytes()) {
                    curly_joiners.push(at);
                }
            }
        }
        let word_at = |bits: &[u64], at: usize| at < bytes.len() && bit(bits, at);
        // A joiner joins when the bytes on both sides are word characters: read from the word
        // bits before any joiner is added to them.
        let joined: Vec<usize> = curly_joiners
            .into_iter()
            .filter(|&at| at > 0 && word_at(&inside, at - 1) && word_at(&inside, at + 3))
            .collect();
        let mut before_carry = 0;
        for chunk in 0..chunks {
            let words = inside[chunk];
            let next_first = inside.get(chunk + 1).map_or(0, |next| next & 1);
            let word_before = words << 1 | before_carry;
            let word_after = words >> 1 | next_first << 63;
            before_carry = words >> 63;
            inside[chunk] = words | (joiners[chunk] & word_before & word_after);
        }
        for at in joined {
            set_bits(&mut inside, at..at + 3);
        }
        WordIndex { inside: inside.into() }
    }

    /// True when one word holds the bytes on both sides of `at`: a text cut there would be
    /// read as other words. (Two words always have a byte between them.)
    pub fn cuts(&self, at: usize) -> bool {
        at > 0 && bit(&self.inside, at - 1) && bit(&self.inside, at)
    }

    /// The number of words starting in `range`.
    pub fn count(&self, range: Range<usize>) -> usize {
        self.starts_in(range).map(|(_, bits)| bits.count_ones() as usize).sum()
    }

    /// Calls `f` with each word starting in `range`, in order, until it breaks. A loop rather
    /// than an iterator: the flattened iterator's branches, mispredicted about once a word, were
    /// most of what the readability rule's walk over every word cost.
    pub fn try_for_each_word<B>(
        &self,
        range: Range<usize>,
        mut f: impl FnMut(Range<usize>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        for (base, mut bits) in self.starts_in(range) {
            while bits != 0 {
                let start = base + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                f(start..self.word_end(start))?;
            }
        }
        ControlFlow::Continue(())
    }

    /// The chunks that `range` covers, each with its first byte's offset and the bits of the
    /// bytes in `range` that start a word.
    fn starts_in(&self, range: Range<usize>) -> impl Iterator<Item = (usize, u64)> + '_ {
        chunks_of_range(range).map(|(base, mask)| {
            let chunk = base / 64;
            let bits = self.inside.get(chunk).copied().unwrap_or(0);
            // The last byte of the chunk before, when inside a word, continues it.
            let carry = match chunk {
                0 => 0,
                _ => self.inside.get(chunk - 1).map_or(0, |before| before >> 63),
            };
            (base, bits & !(bits << 1 | carry) & mask)
        })
    }

    /// The end of the word starting at `start`: the first byte after it not inside a word.
    fn word_end(&self, start: usize) -> usize {
        let mut chunk = start / 64;
        let mut outside = !self.inside[chunk] & (u64::MAX << (start % 64));
        while outside == 0 {
            chunk += 1;
            // Past the last chunk every byte is outside a word.
            outside = self.inside.get(chunk).map_or(u64::MAX, |bits| !bits);
        }
        chunk * 64 + outside.trailing_zeros() as usize
    }
}

fn bit(bits: &[u64], at: usize) -> bool {
    bits.get(at / 64).is_some_and(|chunk| chunk >> (at % 64) & 1 == 1)
}

/// Sets the bits of `range` (not empty).
fn set_bits(bits: &mut [u64], range: Range<usize>) {
    let chunk = range.start / 64;
    if (range.end - 1) / 64 == chunk {
        // Most words are inside one chunk.
        bits[chunk] |= mask_of(range.start - chunk * 64, range.end - chunk * 64);
        return;
    }
    for (base, mask) in chunks_of_range(range) {
        bits[base / 64] |= mask;
    }
}

/// The bits from `low` up to `high` (at most 64) of a chunk.
fn mask_of(low: usize, high: usize) -> u64 {
    match high - low {
        64 => u64::MAX,
        width => ((1u64 << width) - 1) << low,
    }
}

/// For each 64-bit chunk that `range` covers, its first bit's offset and the mask of the bits
/// of `range` in it.
fn chunks_of_range(range: Range<usize>) -> impl Iterator<Item = (usize, u64)> {
    let (start, end) = (range.start, range.end.max(range.start));
    (start / 64..end.div_ceil(64)).map(move |chunk| {
        let base = chunk * 64;
        (base, mask_of(start.saturating_sub(base), (end - base).min(64)))
    })
}

/// The offsets of the set bits of `bits`, lowest first.
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let bit = bits.trailing_zeros() as usize;
        (bits != 0).then(|| {
            bits &= bits - 1;
            bit
        })
    })
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

/// For 64 bytes, a bit each: ASCII letters and digits, joiners of one byte, and the first
/// bytes of characters of several (decoded and looked up by the caller). Eight bytes at a time
/// (see [`swar`]): about 4 instructions a byte where a lookup table took 15. A whole block,
/// whose loop the compiler unrolls (over a slice of any length, the 2,000 files took 0.9% more
/// instructions).
#[inline]
fn classify(block: &[u8; 64]) -> (u64, u64, u64) {
    use swar::{equal, gather, within, TOPS};
    let (mut word, mut joiner, mut leading) = (0u64, 0u64, 0u64);
    for (i, eight) in block.chunks_exact(8).enumerate() {
        let x = swar::load(eight);
        let (letters, _) = swar::ascii_letters(x);
        let low = x & !TOPS;
        let ascii = !x & TOPS;
        let digits = within(low, b'0', b'9') & ascii;
        let joins = (within(low, b',', b'.') & ascii) | equal(x, b'\'') | equal(x, b':');
        word |= gather(letters | digits) << (8 * i);
        joiner |= gather(joins) << (8 * i);
        // `0b11xx_xxxx`.
        leading |= gather(x & (x << 1) & TOPS) << (8 * i);
    }
    (word, joiner, leading)
}

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

    fn indexed_words(index: &WordIndex, range: Range<usize>) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let _ = index.try_for_each_word(range, |word| {
            found.push(word);
            ControlFlow::<()>::Continue(())
        });
        found
    }

    #[test]
    fn the_word_index_finds_the_scanned_words_across_its_chunks() {
        // Words ending and starting at the 64-byte chunk edges, and one longer than a chunk.
        let long = "x".repeat(150);
        let text = format!("{}ab cd.ef {} é-{long}-z ’ q", "a".repeat(62), "b".repeat(60));
        let index = WordIndex::of(&text);
        let cuts: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for (i, &start) in cuts.iter().enumerate() {
            for &end in &cuts[i..] {
                if index.cuts(start) || index.cuts(end) {
                    continue;
                }
                let scanned: Vec<Range<usize>> = word_ranges(&text[start..end])
                    .map(|r| r.start + start..r.end + start)
                    .collect();
                assert_eq!(indexed_words(&index, start..end), scanned, "{start}..{end}");
                assert_eq!(index.count(start..end), scanned.len(), "{start}..{end}");
            }
        }
        // Inside `a…ab` and `cd.ef`; not between words nor at the ends.
        assert!(index.cuts(63) && index.cuts(67) && !index.cuts(64) && !index.cuts(0) && !index.cuts(text.len()));
    }

    #[test]
    fn the_chunk_tests_class_every_byte_at_every_place() {
        for offset in 0..256 {
            let block: [u8; 64] = std::array::from_fn(|i| ((i + offset) % 256) as u8);
            let (word, joiner, leading) = classify(&block);
            for (i, &byte) in block.iter().enumerate() {
                let bit = |bits: u64| bits >> i & 1 == 1;
                assert_eq!(bit(word), byte.is_ascii_alphanumeric(), "{byte:#x}");
                assert_eq!(bit(joiner), b"'.,:-".contains(&byte), "{byte:#x}");
                assert_eq!(bit(leading), byte >= 0xC0, "{byte:#x}");
            }
        }
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
        let indexed: Vec<&str> = indexed_words(&WordIndex::of(&text), 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(indexed, expected);
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
