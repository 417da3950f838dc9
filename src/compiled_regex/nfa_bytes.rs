//! Compiled NFAs as bytes, so that the built-in patterns are compiled when crisislint is built
//! rather than at every run: `build.rs` compiles each (this module is part of it too) and writes
//! the NFAs; a run reads a pattern's NFA back on its first use, through regex-automata's NFA
//! builder, in a small part of the time parsing and compiling take. regex-automata can write
//! and read its DFAs but not its NFAs, whence this format.
//!
//! The format: LEB128 numbers. The flags (1: UTF-8, 2: reverse), the anchored and unanchored
//! start states, the names of the capture groups (their count, then each: 0 for none, or its
//! length plus one and its bytes), the number of states, then each state: a tag and its fields.
//! A state's id is its place in the list, as in the NFA the builder gives back, since the
//! NFA's states hold no empty ones for the builder to remove.
//!
//! Only single-pattern NFAs, as the patterns compile to, are written.
//!
//! Beside them, the literals every match starts with, from which a run builds a pattern's
//! prefilter without parsing the pattern again: their count plus one (0 when a match can start
//! with anything), then each: its length and bytes.

// The writing serves `build.rs` and the tests.
#![cfg_attr(not(test), allow(dead_code))]

use regex_automata::nfa::thompson::{self, Builder, State, Transition, WhichCaptures, NFA};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{PatternID, StateID};
use regex_automata::util::syntax;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;
use std::cell::RefCell;
use std::sync::Arc;

/// How a pattern is parsed: ignoring case or not, as UTF-8 text.
pub fn syntax_config(ignore_case: bool) -> syntax::Config {
    syntax::Config::new().case_insensitive(ignore_case).utf8(true)
}

/// How a parsed pattern is compiled forward (with capture groups) or in reverse (without),
/// as `meta::Regex` configures its NFAs. A shipped NFA is one compiled so.
pub fn nfa_config(size_limit: usize, reverse: bool) -> thompson::Config {
    thompson::Config::new()
        .utf8(true)
        .nfa_size_limit(Some(size_limit))
        .shrink(false)
        .reverse(reverse)
        .which_captures(if reverse {
            WhichCaptures::None
        } else {
            WhichCaptures::All
        })
}

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const CAPTURE_START: u8 = 5;
const CAPTURE_END: u8 = 6;
const FAIL: u8 = 7;
const MATCH: u8 = 8;

/// The largest compiled form of a pattern, in bytes, and of a lazy DFA's states; the shipped
/// NFAs were compiled under it.
pub const SIZE_LIMIT: usize = 1 << 22;

/// Appends `nfa` to `out`; an error for an NFA this format does not hold (more than one
/// pattern, or a dense state, which regex-automata's compiler does not make).
pub fn write(nfa: &NFA, out: &mut Vec<u8>) -> Result<(), String> {
    if nfa.pattern_len() != 1 {
        return Err(format!("{} patterns in one NFA", nfa.pattern_len()));
    }
    let pattern = PatternID::ZERO;
    number(out, u32::from(nfa.is_utf8()) | u32::from(nfa.is_reverse()) << 1);
    number(out, nfa.start_anchored().as_u32());
    number(out, nfa.start_unanchored().as_u32());
    let names: Vec<Option<&str>> = nfa.group_info().pattern_names(pattern).collect();
    number(out, names.len() as u32);
    for name in names {
        match name {
            None => number(out, 0),
            Some(name) => {
                number(out, name.len() as u32 + 1);
                out.extend_from_slice(name.as_bytes());
            }
        }
    }
    number(out, nfa.states().len() as u32);
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(BYTE_RANGE);
                transition(out, trans);
            }
            State::Sparse(sparse) => {
                out.push(SPARSE);
                number(out, sparse.transitions.len() as u32);
                for trans in sparse.transitions.iter() {
                    transition(out, trans);
                }
            }
            State::Look { look, next } => {
                out.push(LOOK);
                number(out, look.as_repr());
                number(out, next.as_u32());
            }
            State::Union { alternates } => {
                out.push(UNION);
                number(out, alternates.len() as u32);
                for alternate in alternates.iter() {
                    number(out, alternate.as_u32());
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(BINARY_UNION);
                number(out, alt1.as_u32());
                number(out, alt2.as_u32());
            }
            State::Capture {
                next,
                pattern_id: _,
                group_index,
                slot,
            } => {
                // A group's first slot is its start, the second its end.
                let start = nfa.group_info().slot(pattern, group_index.as_usize()) == Some(slot.as_usize());
                out.push(if start { CAPTURE_START } else { CAPTURE_END });
                number(out, group_index.as_u32());
                number(out, next.as_u32());
            }
            State::Fail => out.push(FAIL),
            State::Match { pattern_id: _ } => out.push(MATCH),
            State::Dense(_) => return Err("a dense NFA state".to_string()),
        }
    }
    Ok(())
}

/// The NFA [`write`] wrote as `bytes` (all of them); `None` for bytes it did not write. Every
/// state id and group index is checked before the builder sees it, so no input makes it panic.
pub fn read(bytes: &[u8]) -> Option<NFA> {
    BUILDER.with(|builder| {
        let mut builder = builder.borrow_mut();
        builder.clear();
        read_with(&mut builder, bytes)
    })
}

thread_local! {
    /// Reused for every NFA this thread reads, so that its list of states is not grown anew
    /// for each.
    static BUILDER: RefCell<Builder> = RefCell::new(Builder::new());
}

fn read_with(builder: &mut Builder, bytes: &[u8]) -> Option<NFA> {
    let mut reader = Reader { bytes, at: 0 };
    let flags = reader.number()?;
    let start_anchored = reader.number()?;
    let start_unanchored = reader.number()?;
    let mut names = Vec::new();
    for _ in 0..reader.number()? {
        names.push(match reader.number()? {
            0 => None,
            len => Some(Arc::<str>::from(
                std::str::from_utf8(reader.bytes(len as usize - 1)?).ok()?,
            )),
        });
    }
    let states = reader.number()?;
    let id = |n: u32| (n < states).then(|| StateID::new(n as usize).ok()).flatten();
    builder.set_utf8(flags & 1 != 0);
    builder.set_reverse(flags & 2 != 0);
    builder.start_pattern().ok()?;
    // Groups are started in order (the compiler adds a group's start before its contents); one
    // ended that was not started would make the builder panic.
    let mut started = 0;
    for _ in 0..states {
        match reader.byte()? {
            BYTE_RANGE => {
                builder.add_range(reader.transition(id)?).ok()?;
            }
            SPARSE => {
                // The builder makes a state of fewer transitions another kind of state.
                let transitions = reader.list(2, |reader| reader.transition(id))?;
                // In order and apart, as searches expect.
                if transitions.windows(2).any(|pair| pair[0].end >= pair[1].start) {
                    return None;
                }
                builder.add_sparse(transitions).ok()?;
            }
            LOOK => {
                let look = Look::from_repr(reader.number()?)?;
                builder.add_look(id(reader.number()?)?, look).ok()?;
            }
            UNION => {
                // Fewer alternates are another kind of state (one would be an empty state,
                // which the builder follows, to no end in a loop of them).
                let alternates = reader.list(3, |reader| id(reader.number()?))?;
                builder.add_union(alternates).ok()?;
            }
            BINARY_UNION => {
                let alternates = vec![id(reader.number()?)?, id(reader.number()?)?];
                builder.add_union(alternates).ok()?;
            }
            CAPTURE_START => {
                let group = reader.number()?;
                let next = id(reader.number()?)?;
                let name = names.get(group as usize)?.clone();
                if group > started {
                    return None;
                }
                started = started.max(group + 1);
                builder.add_capture_start(next, group, name).ok()?;
            }
            CAPTURE_END => {
                let group = reader.number()?;
                let next = id(reader.number()?)?;
                if group >= started {
                    return None;
                }
                builder.add_capture_end(next, group).ok()?;
            }
            FAIL => {
                builder.add_fail().ok()?;
            }
            MATCH => {
                builder.add_match().ok()?;
            }
            _ => return None,
        }
    }
    if reader.remaining() != 0 || started as usize != names.len() {
        return None;
    }
    let start_anchored = id(start_anchored)?;
    builder.finish_pattern(start_anchored).ok()?;
    builder.build(start_anchored, id(start_unanchored)?).ok()
}

/// The literals every leftmost-first match of `hir` starts with, as regex-automata's
/// `Prefilter::from_hir_prefix` reads them (its `prefixes`, which it keeps to itself);
/// `None` when a match can start with anything. `Prefilter::new` builds the same prefilter from
/// them (a test compares the two on every shipped pattern).
pub fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let mut prefixes = extractor.extract(hir);
    prefixes.optimize_for_prefix_by_preference();
    let literals = prefixes.literals()?;
    Some(literals.iter().map(|literal| literal.as_bytes().to_vec()).collect())
}

/// Appends what [`prefix_literals`] gave.
pub fn write_literals(literals: Option<&[Vec<u8>]>, out: &mut Vec<u8>) {
    match literals {
        None => number(out, 0),
        Some(literals) => {
            number(out, literals.len() as u32 + 1);
            for literal in literals {
                number(out, literal.len() as u32);
                out.extend_from_slice(literal);
            }
        }
    }
}

/// The literals [`write_literals`] wrote as `bytes`; `None` for bytes it did not write.
pub fn read_literals(bytes: &[u8]) -> Option<Option<Vec<&[u8]>>> {
    let mut reader = Reader { bytes, at: 0 };
    let count = match reader.number()? {
        0 => None,
        n => Some(n - 1),
    };
    let literals = match count {
        None => None,
        Some(count) => {
            let mut literals = Vec::new();
            for _ in 0..count {
                let len = reader.number()? as usize;
                literals.push(reader.bytes(len)?);
            }
            Some(literals)
        }
    };
    (reader.remaining() == 0).then_some(literals)
}

/// Appends `n` as LEB128: 7 bits a byte, the high bit set on all but the last.
fn number(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn transition(out: &mut Vec<u8>, trans: &Transition) {
    out.push(trans.start);
    out.push(trans.end);
    number(out, trans.next.as_u32());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(bytes)
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    /// A LEB128 number; `None` for one cut short or beyond `u32`.
    fn number(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            let bits = u32::from(byte & 0x7f);
            let shifted = bits.checked_shl(shift)?;
            if shifted >> shift != bits {
                return None;
            }
            n |= shifted;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    /// A count of at least `min` items, then each; every item takes a byte at least, so a
    /// count beyond the bytes left is bad.
    fn list<T>(&mut self, min: usize, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len = self.number()? as usize;
        if len < min || len > self.remaining() {
            return None;
        }
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(item(self)?);
        }
        Some(items)
    }

    fn transition(&mut self, id: impl Fn(u32) -> Option<StateID>) -> Option<Transition> {
        let start = self.byte()?;
        let end = self.byte()?;
        let next = id(self.number()?)?;
        (start <= end).then_some(Transition { start, end, next })
    }
}

/// True when two NFAs have the same states, starts, capture groups and byte classes.
#[cfg(test)]
pub fn same(a: &NFA, b: &NFA) -> bool {
    let names = |nfa: &NFA| {
        nfa.group_info()
            .all_names()
            .map(|(.., name)| name.map(String::from))
            .collect::<Vec<_>>()
    };
    let facts = |nfa: &NFA| {
        let classes = format!("{:?}", nfa.byte_classes());
        (
            format!("{nfa:?}"),
            names(nfa),
            nfa.look_set_any(),
            classes,
            nfa.is_utf8(),
            nfa.is_reverse(),
            nfa.has_capture(),
            nfa.has_empty(),
        )
    };
    facts(a) == facts(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(pattern: &str, ignore_case: bool, reverse: bool) -> NFA {
        let hir = syntax::parse_with(pattern, &syntax_config(ignore_case)).unwrap();
        thompson::Compiler::new()
            .configure(nfa_config(SIZE_LIMIT, reverse))
            .build_from_hir(&hir)
            .unwrap()
    }

    fn written(nfa: &NFA) -> Vec<u8> {
        let mut bytes = Vec::new();
        write(nfa, &mut bytes).unwrap();
        bytes
    }

    const PATTERNS: [&str; 9] = [
        r"(?-u:\b)sorry(?-u:\b)",
        r"x*",
        r"",
        r"(?P<n>\d+)\s+(?P<unit>minutes?|hours?)",
        r"(?:(?-i:[\p{L}'’-])+\s+){1,3}?(?P<t>down)",
        r"((a)|(?P<b>b)|c)+(?P<d>d)?",
        r"^\s*$|(?m:^x$)|\bstra\w+\B",
        r"[^,.;:!?()—–]{1,8}?(?:,|—)",
        r"(?s)<!--.*?-->",
    ];

    #[test]
    fn an_nfa_read_back_is_the_nfa_written() {
        for pattern in PATTERNS {
            for (ignore_case, reverse) in [(true, false), (true, true), (false, false), (false, true)] {
                let nfa = compiled(pattern, ignore_case, reverse);
                let read = read(&written(&nfa)).unwrap_or_else(|| panic!("{pattern:?} does not read back"));
                assert!(
                    same(&nfa, &read),
                    "{pattern:?} (ignoring case {ignore_case}, reverse {reverse})"
                );
            }
        }
    }

    #[test]
    fn bad_bytes_give_none_or_an_nfa_and_never_a_panic() {
        let nfa = compiled(PATTERNS[5], true, false);
        let bytes = written(&nfa);
        // Cut anywhere, the bytes no longer read.
        for len in 0..bytes.len() {
            assert!(read(&bytes[..len]).is_none(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read(&longer).is_none());
        // Any byte changed to any value: whatever is read, nothing panics.
        for at in 0..bytes.len() {
            for value in [0, 1, 2, 3, 5, 6, 7, 8, 9, 0x7f, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[at] = value;
                let _ = read(&changed);
            }
        }
    }

    #[test]
    fn prefix_literals_read_back_and_bad_bytes_do_not() {
        let hir = syntax::parse_with(r"(?:sorry|apolog(?:y|ies))\s+for", &syntax_config(true)).unwrap();
        let literals = prefix_literals(&hir).unwrap();
        for case in [Some(literals.as_slice()), Some(&[][..]), None] {
            let mut bytes = Vec::new();
            write_literals(case, &mut bytes);
            let read = read_literals(&bytes).unwrap();
            assert_eq!(
                read.map(|l| l.iter().map(|l| l.to_vec()).collect::<Vec<_>>()),
                case.map(<[_]>::to_vec)
            );
            for len in 0..bytes.len() {
                assert!(read_literals(&bytes[..len]).is_none(), "cut at {len}");
            }
        }
        // A pattern that can start anywhere has none.
        let anywhere = syntax::parse_with(r"\w+ down", &syntax_config(false)).unwrap();
        assert!(prefix_literals(&anywhere).is_none());
    }

    #[test]
    fn numbers_take_seven_bits_a_byte() {
        for n in [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, u32::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out.len(), (32 - n.leading_zeros()).max(1).div_ceil(7) as usize);
            assert_eq!(Reader { bytes: &out, at: 0 }.number(), Some(n));
        }
        // A fifth byte holds the top 4 bits; more would be dropped, so they are refused.
        for (bytes, n) in [
            ([0xff, 0xff, 0xff, 0xff, 0x0f], Some(u32::MAX)),
            ([0xff, 0xff, 0xff, 0xff, 0x1f], None),
        ] {
            assert_eq!(Reader { bytes: &bytes, at: 0 }.number(), n);
        }
        assert_eq!(
            Reader {
                bytes: &[0x80, 0x80],
                at: 0
            }
            .number(),
            None,
            "cut short"
        );
    }
}
