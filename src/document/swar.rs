//! Tests on eight bytes at once, in a `u64` (SWAR: SIMD within a register), for scans whose
//! byte-by-byte branches cost more than their arithmetic: each test leaves its answer in the
//! top bit of every byte, and no byte's sum carries into the next.

/// `0x01` in every byte.
pub const ONES: u64 = 0x0101_0101_0101_0101;

/// The top bit of every byte.
pub const TOPS: u64 = 0x8080_8080_8080_8080;

/// The first eight bytes, the first lowest, with zeros after the end of a shorter `bytes`
/// (copied then, which costs a call: callers pass the text after what they test, and mask).
#[inline]
pub fn load(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => {
            let mut eight = [0u8; 8];
            eight[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(eight)
        }
    }
}

/// Top bits set where a byte of `low` (every top bit clear) lies in `from..=to` (both ASCII,
/// `from` not 0).
#[inline]
pub fn within(low: u64, from: u8, to: u8) -> u64 {
    let at_least = low + ONES * u64::from(0x80 - from);
    let above = low + ONES * u64::from(0x7f - to);
    at_least & !above & TOPS
}

/// Top bits set where a byte of `x` is `byte`.
#[inline]
pub fn equal(x: u64, byte: u8) -> u64 {
    let differ = x ^ (ONES * u64::from(byte));
    !(((differ & !TOPS) + !TOPS) | differ) & TOPS
}

/// The top bits of the eight bytes as eight bits, the first byte's lowest.
#[inline]
pub fn gather(tops: u64) -> u64 {
    (tops >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Top bits set where a byte of `x` is an ASCII letter; `lower` is `x` with every ASCII
/// letter lowercased (`| 0x20` in each byte, which lowercases exactly the ASCII letters into
/// `a..=z`).
#[inline]
pub fn ascii_letters(x: u64) -> (u64, u64) {
    let lower = x | (ONES * 0x20);
    (within(lower & !TOPS, b'a', b'z') & !x & TOPS, lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_answers_for_every_byte_in_every_place() {
        for offset in 0..256 {
            let bytes: [u8; 8] = std::array::from_fn(|i| ((i * 37 + offset) % 256) as u8);
            let x = load(&bytes);
            let (letters, lower) = ascii_letters(x);
            let at = |bits: u64, i: usize| gather(bits) >> i & 1 == 1;
            for (i, &byte) in bytes.iter().enumerate() {
                assert_eq!(
                    at(within(x & !TOPS, b'0', b'9') & !x, i),
                    byte.is_ascii_digit(),
                    "{byte:#x}"
                );
                assert_eq!(at(equal(x, b':'), i), byte == b':', "{byte:#x}");
                assert_eq!(at(letters, i), byte.is_ascii_alphabetic(), "{byte:#x}");
                if byte.is_ascii_alphabetic() {
                    assert_eq!(lower.to_le_bytes()[i], byte.to_ascii_lowercase());
                }
            }
        }
        assert_eq!(load(b"ab"), u64::from(b'a') | u64::from(b'b') << 8);
    }
}
