//! The document model on small inputs: mask, structure, title, positions.

use crisislint::document::{BlockKind, Document, TitleSource};

fn parse(text: &str) -> Document {
    Document::parse("t.md", text.to_string())
}

#[test]
fn the_mask_keeps_length_and_newlines_and_blanks_non_prose() {
    let src = "---\ntitle: Down\n---\n# Outage at `10:30`\n\nSee <https://x.io> and [docs](https://d.io/a).\n\n```\nlog 10:30\n```\n\n<!-- note -->\n![alt text](i.png) Done.\n";
    let doc = parse(src);
    assert_eq!(doc.mask.len(), src.len());
    assert_eq!(doc.mask.matches('\n').count(), src.matches('\n').count());
    assert!(!doc.mask.contains("title"));
    assert!(!doc.mask.contains("10:30"));
    assert!(!doc.mask.contains("https"));
    assert!(doc.mask.contains("docs"));
    assert!(!doc.mask.contains("log"));
    assert!(!doc.mask.contains("note"));
    assert!(!doc.mask.contains("alt"));
    assert!(doc.mask.contains("Done."));
    assert!(!doc.mask.contains('#'));
    assert_eq!(doc.code_spans.len(), 1);
    let link = doc.links.iter().find(|l| l.destination == "https://d.io/a").unwrap();
    assert_eq!(doc.text(link.text_span), "docs");
}

#[test]
fn title_comes_from_front_matter_then_h1_then_first_heading_then_first_line() {
    let doc = parse("---\ntitle: \"From FM\"\n---\n# Heading\n");
    assert_eq!(doc.title.as_ref().unwrap().text, "From FM");
    assert_eq!(doc.title.as_ref().unwrap().source, TitleSource::FrontMatter);
    let doc = parse("Intro line.\n\n## Second\n\n# Main\n");
    assert_eq!(doc.title.as_ref().unwrap().text, "Main");
    assert!(doc.headings[1].is_title);
    let doc = parse("\n\n## Only h2\n\ntext\n");
    assert_eq!(doc.title.as_ref().unwrap().text, "Only h2");
    let doc = parse("Plain first line\nsecond\n\n## Later\n");
    let title = doc.title.as_ref().unwrap();
    assert_eq!(
        (title.text.as_str(), title.source),
        ("Plain first line", TitleSource::FirstLine)
    );
    assert_eq!(parse("").title, None);
}

#[test]
fn sections_sentences_and_units() {
    let src = "# T\n\nIntro. Second one.\n\n## What happened?\n\n- item one. Still item.\n- item two\n\n### Sub\n\n| Time (UTC) | Event |\n|---|---|\n| 10:00 | Start |\n\n## 2. Next steps:\nDo it.\n";
    let doc = parse(src);
    let normalized: Vec<&str> = doc.headings.iter().map(|h| h.normalized.as_str()).collect();
    assert_eq!(normalized, ["t", "what happened", "sub", "next steps"]);
    let what = &doc.sections[1];
    assert!(doc.text(what.body()).contains("Time (UTC)"));
    assert!(!doc.text(what.leaf_body()).contains("Time (UTC)"));
    let texts: Vec<&str> = doc.sentences.iter().map(|s| doc.text(s.span())).collect();
    assert!(texts.contains(&"Intro."));
    assert!(texts.contains(&"Second one."));
    // A list item is one unit even with two sentences.
    let first_item: Vec<_> = doc
        .sentences
        .iter()
        .filter(|s| doc.blocks[s.block()].kind() == BlockKind::ListItem)
        .collect();
    assert_eq!(first_item[0].unit(), first_item[1].unit());
    // A table row is one unit.
    let row: Vec<_> = doc
        .sentences
        .iter()
        .filter(|s| matches!(doc.blocks[s.block()].kind(), BlockKind::TableCell { header: false, .. }))
        .collect();
    assert_eq!(row.len(), 2);
    assert_eq!(row[0].unit(), row[1].unit());
    assert_eq!(doc.text(doc.units[row[0].unit()].span()), "10:00 | Start");
}

#[test]
fn directives_are_found_outside_code() {
    let src = "<!-- crisislint-disable CL301 -->\ntext\n`<!-- crisislint-disable -->`\n\n```\n<!-- crisislint-enable -->\n```\n";
    let doc = parse(src);
    assert_eq!(doc.directives.len(), 1);
}

#[test]
fn block_quotes_and_crlf() {
    let src = "# T\r\n\r\n> We apologise to everyone.\r\n> Really.\r\n";
    let doc = parse(src);
    let quoted: Vec<_> = doc.blocks.iter().filter(|b| b.in_quote()).collect();
    assert_eq!(quoted.len(), 1);
    assert_eq!(doc.sentences.len(), 3);
    assert_eq!(doc.text(doc.sentences[2].span()), "Really.");
}

#[test]
fn emphasis_and_links_stay_inside_their_sentence() {
    let doc = parse("We apologize for *any* inconvenience and **all** the [trouble](https://x.io). Next one.\n");
    let texts: Vec<&str> = doc.sentences.iter().map(|s| doc.text(s.span())).collect();
    assert_eq!(
        texts,
        [
            "We apologize for *any* inconvenience and **all** the [trouble](https://x.io).",
            "Next one."
        ]
    );
    assert_eq!(doc.blocks.len(), 1);
}

#[test]
fn bold_labels_that_open_a_block_stand_in_for_headings() {
    let doc = parse("# T\n\n**Impact:** checkout failed for 20 minutes.\n\n- **Root cause**: a full disk.\n\nWe were **not** done: sorry.\n");
    let labels: Vec<(&str, &str)> = doc
        .labels
        .iter()
        .map(|l| (l.normalized.as_str(), doc.text(l.body).trim()))
        .collect();
    assert_eq!(
        labels,
        [
            ("impact", "checkout failed for 20 minutes."),
            ("root cause", "a full disk.")
        ]
    );
}

#[test]
fn inline_code_at_the_edge_of_a_paragraph_stays_in_its_block_and_sentence() {
    let doc = parse("`sync` failed twice. Then it ran `sync --all`\n");
    let texts: Vec<_> = doc.sentences.iter().map(|s| doc.text(s.span())).collect();
    assert_eq!(texts, ["`sync` failed twice.", "Then it ran `sync --all`"]);
    assert_eq!(
        doc.text(doc.blocks[0].span()),
        "`sync` failed twice. Then it ran `sync --all`"
    );
    assert_eq!(doc.word_count(doc.sentences[0].span()), 3);
    assert_eq!(doc.word_count(doc.sentences[1].span()), 4);
}
