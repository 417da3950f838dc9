//! Feeding pulldown-cmark a big document in pieces.
//!
//! pulldown-cmark builds a tree of the whole text before it yields the first event, about
//! three bytes of tree per byte of text (95 MB for a 52 MB file). Parsed in pieces of about
//! [`PIECE_BYTES`], the tree stays small, and no copy of the whole text is needed.
//! Pieces of 64 KiB peaked 6 to 10 MB lower than pieces of 1 MiB on the 52 MB benchmark file
//! (the pieces' freed trees and events are reused less well by what the document keeps),
//! for the same time; 16 KiB gained nothing more.
//!
//! The events are the same as those of one run over the whole text because:
//! - a piece ends before a line that starts with `#` or an ASCII letter after a blank line.
//!   Such a line closes every block but a fenced code block and the HTML blocks that run to an
//!   end marker; a cut is kept only when a `#` line put there starts a heading, so that no
//!   block was open (else the piece grows to the next cut);
//! - footnote references resolve against every definition of the document: each piece is
//!   preceded by a definition of each label that looks defined somewhere, and at the end the
//!   labels actually defined must be exactly those;
//! - link reference definitions resolve across the document too, with the first of two
//!   definitions winning: a document that has any is parsed in one run.
//!
//! When a condition fails the document is parsed again in one run, as it always was.

use super::events::Sink;
use super::parse::markdown_options;
use crate::diagnostic::Span;
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeSet;

/// About how much text one parser run sees.
pub const PIECE_BYTES: usize = 64 << 10;

/// Parses `source` from `body_start` (after the BOM and front matter) into a [`Sink`], with
/// offsets into `source`.
pub(super) fn run(source: &str, body_start: usize, piece_bytes: usize) -> Sink<'_> {
    if piece_bytes < source.len() && !may_define_links(source) {
        if let Some(sink) = in_pieces(source, body_start, piece_bytes) {
            return sink;
        }
    }
    let mut sink = Sink::new(source);
    // The body alone, not a copy of the file with the hidden part blanked: blank lines before
    // the body changed nothing, a BOM blanked to spaces indented the first line, and the copy
    // took a file's size while the parser ran.
    let body = &source[body_start..];
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        sink.event(event, Span::new(body_start + range.start, body_start + range.end));
    }
    sink
}

/// The pieces' run; `None` when the document must be parsed in one run.
fn in_pieces(source: &str, body_start: usize, piece_bytes: usize) -> Option<Sink<'_>> {
    let labels = footnote_labels(source);
    let prefix = definitions(&labels)?;
    let mut sink = Sink::new(source);
    sink.footnote_labels = Some(Vec::new());
    let mut text = String::new();
    // The most events a piece has had: each piece's list starts that big. Grown from empty,
    // each list was copied about four times as it doubled, 6 MB on a 1 MB file.
    let mut most_events = 0;
    let mut start = body_start;
    loop {
        let mut want = piece_bytes.max(1);
        let end = loop {
            let end = next_cut(source, start.saturating_add(want), body_start);
            text.clear();
            text.push_str(&prefix);
            text.push_str(&source[start..end]);
            let base = prefix.len();
            let cut_at = text.len();
            if end < source.len() {
                // Where the next piece starts: a heading must start here.
                text.push_str("#\n");
            }
            let parser = Parser::new_ext(&text, markdown_options());
            if parser.reference_definitions().iter().next().is_some() {
                return None;
            }
            let mut events = Vec::with_capacity(most_events);
            events.extend(parser.into_offset_iter());
            most_events = most_events.max(events.len());
            let clean = end == source.len()
                || events
                    .iter()
                    .any(|(e, r)| r.start == cut_at && matches!(e, Event::Start(Tag::Heading { .. })));
            if !clean {
                // A fence or HTML block runs on; the piece takes in more.
                want = want.saturating_mul(2);
                continue;
            }
            // Without the probe line, events at the very end stay.
            let upto = if end < source.len() { cut_at } else { usize::MAX };
            for (event, range) in events {
                if range.start >= base && range.start < upto {
                    let shift = |at: usize| at - base + start;
                    sink.event(event, Span::new(shift(range.start), shift(range.end)));
                }
            }
            break end;
        };
        if end >= source.len() {
            break;
        }
        start = end;
    }
    let found: BTreeSet<&str> = sink.footnote_labels.iter().flatten().map(String::as_str).collect();
    (found == labels).then_some(sink)
}

/// False when the text cannot hold a link reference definition: no `]:` closes a bracket that
/// opened without `^` (footnote definitions are handled). Saves parsing every piece of a
/// document that the check in [`in_pieces`] would send to one run at its end.
///
/// This and [`footnote_labels`] read the whole text for a two-byte string: `memmem`'s vector
/// search instead of `str`'s two-way search took a 1 MB file's run 2.1% fewer instructions.
fn may_define_links(source: &str) -> bool {
    let mut footnote = false;
    let mut from = 0;
    for at in memchr::memmem::find_iter(source.as_bytes(), b"]:") {
        // The bracket that opened last before this `]:`, else the one before.
        if let Some(open) = source[from..at].rfind('[') {
            footnote = source[from + open + 1..].starts_with('^');
        }
        if !footnote {
            return true;
        }
        from = at;
    }
    false
}

/// The first offset at or after `from` where a piece may start: a line beginning with `#` or an
/// ASCII letter after a blank line, in the body; the text's length when there is none.
fn next_cut(source: &str, from: usize, body_start: usize) -> usize {
    let bytes = source.as_bytes();
    let mut at = from.max(body_start);
    while at < bytes.len() {
        let Some(newline) = bytes[at..].iter().position(|&b| b == b'\n').map(|i| at + i) else {
            break;
        };
        let next = newline + 1;
        let line_start = bytes[..newline].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let blank = bytes[line_start..newline]
            .iter()
            .all(|&b| matches!(b, b' ' | b'\t' | b'\r'));
        let opens = bytes.get(next).is_some_and(|&b| b == b'#' || b.is_ascii_alphabetic());
        if blank && opens && line_start >= body_start {
            return next;
        }
        at = next;
    }
    bytes.len()
}

/// Labels of everything that looks like a footnote definition (`[^label]:` on one line): a
/// superset of the real definitions, which are checked against it at the end.
fn footnote_labels(source: &str) -> BTreeSet<&str> {
    let mut labels = BTreeSet::new();
    let mut rest = source;
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), b"[^") {
        rest = &rest[at + 2..];
        let Some(close) = rest.find([']', '[', '\n']) else {
            break;
        };
        if rest[close..].starts_with("]:") {
            labels.insert(&rest[..close]);
        }
    }
    labels
}

/// A definition of each footnote label, closed by an HTML comment so that the piece after it
/// starts a fresh block; `None` when pulldown-cmark does not read them back as exactly those.
fn definitions(labels: &BTreeSet<&str>) -> Option<String> {
    if labels.is_empty() {
        return Some(String::new());
    }
    let mut text: String = labels.iter().map(|l| format!("[^{l}]: x\n\n")).collect();
    text.push_str("<!-- -->\n\n");
    let mut defined = BTreeSet::new();
    let mut last_end = 0;
    for (event, range) in Parser::new_ext(&text, markdown_options()).into_offset_iter() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            defined.insert(label.to_string());
        }
        last_end = last_end.max(range.end);
    }
    let same = defined.len() == labels.len() && labels.iter().all(|l| defined.contains(*l));
    // The comment must be the last block and end on its own line.
    (same && last_end < text.len() && text[..last_end].ends_with("-->\n")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    /// The document parsed in one run and in the smallest pieces, compared field by field.
    fn same_in_pieces(text: &str) {
        let whole = Document::parse_in_pieces("t.md", text.to_string(), usize::MAX);
        let pieces = Document::parse_in_pieces("t.md", text.to_string(), 1);
        assert_eq!(format!("{whole:#?}"), format!("{pieces:#?}"), "{text:?}");
    }

    /// Whether the pieces' run kept the document (rather than falling back to one run).
    fn kept_in_pieces(text: &str) -> bool {
        in_pieces(text, 0, 1).is_some()
    }

    #[test]
    fn every_fixture_parses_the_same_in_pieces() {
        let fixtures = crate::test_support::markdown_fixtures();
        for (_, text) in &fixtures {
            same_in_pieces(text);
        }
        assert!(fixtures.len() > 100, "{} fixtures", fixtures.len());
    }

    #[test]
    fn blocks_that_run_past_a_cut_grow_the_piece() {
        let cases = [
            "# A\n\n```\ncode\n\n# not a heading\n\nmore\n```\n\nText after.\n",
            "# A\n\n~~~~\n\nx\n",
            "Intro.\n\n<!-- a comment\n\n# inside\n\n-->\n\nAfter the comment.\n",
            "<pre>\n\nline\n\nText inside pre.\n</pre>\n\nText.\n",
            "- item one\n\n- item two\n\nText ends the list.\n\n> quote\n\nNext.\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText after the table.\n\n# H\n",
            "Para one\r\n\r\nPara two.\r\n\r\n# Head\r\n",
            "    indented code\n\nText.\n\n    more code\n\n# H\n",
        ];
        for text in cases {
            assert!(kept_in_pieces(text), "{text:?}");
            same_in_pieces(text);
        }
    }

    #[test]
    fn footnotes_resolve_across_pieces() {
        let text = "# A\n\nSee this[^n] and that[^Late].\n\nMiddle text.\n\n[^n]: The note.\n\n# B\n\nAgain[^n].\n\n[^late]: Later.\n";
        assert!(kept_in_pieces(text));
        same_in_pieces(text);
        // A label that only looks defined (in code) sends the document to one run.
        let code = "# A\n\nA ref[^x].\n\n```\n[^x]: not a definition\n```\n\nEnd.\n";
        assert!(!kept_in_pieces(code));
        same_in_pieces(code);
    }

    #[test]
    fn only_brackets_closed_by_a_colon_may_define_links() {
        assert!(!may_define_links("a [^1] b.\n\n[^1]: note\n"));
        assert!(may_define_links("[x]: /u\n"));
        assert!(may_define_links("[^1] and [x\ny]: /u\n"));
        assert!(!may_define_links("time 10:00 [a] b: c\n"));
    }

    #[test]
    fn link_reference_definitions_send_the_document_to_one_run() {
        let text = "# A\n\nSee [the page][p] and [p].\n\nMore.\n\n[p]: https://example.com \"T\"\n\n[p]: https://other.example\n";
        assert!(!kept_in_pieces(text));
        same_in_pieces(text);
    }

    #[test]
    fn front_matter_and_bom_stay_blank() {
        for text in [
            "---\ntitle: \"x\"\n---\n\n# Title\n\nText.\n\nMore text.\n",
            "\u{feff}   - item\n\nText.\n\n# H\n",
            "\u{feff}# T\n\nText.\n",
            "",
            "\n\n",
        ] {
            same_in_pieces(text);
        }
    }

    #[test]
    fn a_bom_does_not_indent_the_first_line() {
        // Blanked to three spaces, the BOM made this line indented code.
        let text = "\u{feff} - The first item of a list.\n";
        for piece_bytes in [1, usize::MAX] {
            let doc = Document::parse_in_pieces("t.md", text.to_string(), piece_bytes);
            assert_eq!(doc.mask.trim(), "The first item of a list.", "{piece_bytes}");
        }
    }

    /// Lines that open, continue or close blocks, in any order.
    const LINES: &[&str] = &[
        "# Head",
        "",
        "",
        "Text line.",
        "more text",
        "```",
        "~~~",
        "```rust",
        "    code",
        "  - item",
        "- item",
        "1. one",
        "> quote",
        "<!-- open",
        "close -->",
        "<pre>",
        "</pre>",
        "<div>",
        "| a | b |",
        "|---|---|",
        "[^1]: note",
        "A ref[^1] and [^2].",
        "[^2]:",
        "Setext",
        "===",
        "***",
        "\tx",
        "[x]: /u",
        "See [x].",
        "<script>",
        "</script>",
        "Emph *across",
        "lines* here.",
        "`code",
        "span`",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..proptest::prelude::ProptestConfig::default() })]
        #[test]
        fn any_line_mix_parses_the_same_in_pieces(picks in proptest::collection::vec(0..LINES.len(), 0..40)) {
            let text: String = picks.iter().map(|&i| format!("{}\n", LINES[i])).collect();
            same_in_pieces(&text);
        }
    }
}
