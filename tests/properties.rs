//! Invariants that hold for any input, as property tests: spans inside the source and on
//! character boundaries, suggestions that never overlap, line and column round-tripping to
//! the offset, a prose mask with the source's length and newlines, and output that does not
//! depend on `--threads` or on the order of the paths.

mod fuzz_harness;

use crisislint::document::LineIndex;
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

/// Pieces announcements are made of, and pieces that break parsers.
const FRAGMENTS: &[&str] = &[
    "# Outage\n",
    "## Impact\n",
    "## Next steps\n",
    "We apologize for the outage. ",
    "We are sorry if anyone was affected. ",
    "At 10:30 payments failed. ",
    "Between 09:12 and 10:47 UTC ",
    "at 9am ",
    "14:05 PST ",
    "10:30–11:45 ",
    "noon ",
    "The root cause was a misconfigured load balancer. ",
    "We will add alerting. ",
    "BGP DNS TTL p99 etcd k8s ",
    "about 20% of customers ",
    "All times are UTC. ",
    "**Impact:** ",
    "- ",
    "> ",
    "1. ",
    "    ",
    "\t",
    "```\n",
    "~~~\n",
    "`code 10:30` ",
    "<!-- crisislint-disable-next-line CL301 -->\n",
    "<!-- crisislint-disable -->",
    "<!-- crisislint-enable -->",
    "<!-- crisislint-bogus x -->",
    "<!--",
    "-->",
    "[link](http://x/10:30) ",
    "![img](a.png) ",
    "<https://example.com> ",
    "| a | b |\n|---|---|\n| 10:30 | x |\n",
    "---\n",
    "+++\n",
    "crisislint: {kind: postmortem}\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "  \n",
    "\u{feff}",
    "😀",
    "漢字",
    "e\u{301}",
    "\u{a0}",
    "\u{2028}",
    "\u{85}",
    "\u{200b}",
    "’",
    "…",
    "e.g. ",
    "J. Smith ",
    "Dr. ",
    "１０：３０",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&amp;",
    "\\",
    "#",
    "|",
];

/// A document: fragments and arbitrary characters, in any order.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// Text made to stress the line index: long lines (past its 4 KB checkpoints), CRLF, CR,
/// multi-byte and astral characters, a BOM at the start.
fn lines_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(&["\n", "\r\n", "\r", "a", "é", "漢", "😀", "\t", " "][..]).prop_map(str::to_string),
        (1usize..1500, prop::sample::select(&["a", "é", "😀", "漢字 "][..])).prop_map(|(n, s)| s.repeat(n)),
    ];
    (any::<bool>(), prop::collection::vec(piece, 0..12)).prop_map(|(bom, pieces)| {
        let body = pieces.concat();
        if bom {
            format!("\u{feff}{body}")
        } else {
            body
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every span lies within the source on character boundaries; suggestions of one document
    /// never overlap; every output format renders (JSON parses); for every kind.
    #[test]
    fn findings_are_well_formed(text in markdown()) {
        fuzz_harness::lint_everything(&text);
    }

    /// The prose mask has the source's length and newlines; line and column of every
    /// character boundary round-trip to its offset.
    #[test]
    fn the_document_model_keeps_positions(text in markdown()) {
        fuzz_harness::check_document(&text);
    }

    /// `LineIndex::offset` inverts `line_col` everywhere, in long lines too.
    #[test]
    fn line_and_column_round_trip_to_the_offset(text in lines_text()) {
        let index = LineIndex::new(&text);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        // Expected columns counted along the text: scalar values and UTF-16 units since the
        // line's start (after the BOM on line 1).
        let (mut line, mut column, mut utf16) = (1, 1, 0);
        let mut chars = text[bom..].char_indices().map(|(i, c)| (bom + i, c)).peekable();
        loop {
            let offset = chars.peek().map_or(text.len(), |&(i, _)| i);
            let pos = index.line_col(&text, offset);
            prop_assert_eq!((pos.line, pos.column, pos.utf16_column), (line, column, utf16), "offset {}", offset);
            // The inverse scans up to 4 KB per call: checked at every 7th character.
            if column % 7 == 1 || chars.peek().is_none() {
                prop_assert_eq!(index.offset(&text, line, column), Some(offset));
            }
            let Some((_, c)) = chars.next() else { break };
            if c == '\n' {
                (line, column, utf16) = (line + 1, 1, 0);
            } else {
                (column, utf16) = (column + 1, utf16 + c.len_utf16());
            }
        }
    }
}

fn lint_binary(dir: &Path, threads: usize, paths: &[String]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .current_dir(dir)
        .args(["--no-config", "--format", "json", "--threads", &threads.to_string()])
        .args(paths)
        .output()
        .expect("run crisislint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    /// The output is the same for any `--threads` and any order of the paths given.
    #[test]
    fn output_does_not_depend_on_threads_or_path_order(
        docs in prop::collection::vec(markdown(), 2..7),
        threads in 2usize..6,
        order in any::<prop::sample::Index>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut names = Vec::new();
        for (i, text) in docs.iter().enumerate() {
            let name = format!("d{}/doc-{i}.md", i % 2);
            std::fs::create_dir_all(tmp.path().join(format!("d{}", i % 2))).unwrap();
            std::fs::write(tmp.path().join(&name), text).unwrap();
            names.push(name);
        }
        let baseline = lint_binary(tmp.path(), 1, &names);
        // Any rotation and reversal of the paths.
        let mut shuffled = names.clone();
        shuffled.rotate_left(order.index(names.len()));
        shuffled.reverse();
        prop_assert_eq!(&lint_binary(tmp.path(), threads, &shuffled), &baseline);
        // Directories walked rather than files named: same findings, same order.
        let walked = lint_binary(tmp.path(), threads, &["d1".to_string(), "d0".to_string()]);
        prop_assert_eq!(&walked, &baseline);
    }
}
