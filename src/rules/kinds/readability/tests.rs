use super::*;
use crate::kind::Audience;
use crate::rules::kinds::parse_options;

/// Six sentences, 112 words, 186 syllables: grade 11.3. The longest sentences are the third
/// (23 words) and the fifth (21 words).
const MEDIUM: &str = "Last Thursday we moved our file storage to a new group of servers in another region. \
The move went well at first, and we watched the new servers closely for several hours afterwards. \
On Friday morning, as more customers started work, uploads slowed down and some of them failed with a \
confusing message about missing permissions. Our support team began collecting reports, while our \
engineers compared the old and the new systems in detail. They discovered that a permission setting had \
not been copied during the move, so the new servers refused some legitimate requests. We copied the \
missing setting across at eleven o'clock, and uploads recovered within a few minutes afterwards.";

/// Twelve short sentences, 106 words: grade 1.2.
const EASY: &str = "On Monday the site went down for an hour. You could not log in or see your files. We are \
sorry for this. A bad change to our login code caused it. We found the change and took it out. Then the \
site came back. No data was lost and no one else saw your files. We now test each change on a small set \
of users first. If it fails, we stop it there. We will also warn you on this page when things go wrong. \
Thank you for your patience while we fixed it. Write to us if you still see a problem today.";

fn compile(options: &str) -> Result<Readability, String> {
    let params = Params {
        max_grade: PerAudience {
            customers: 10.0,
            engineers: 14.0,
        },
        min_words: 100,
    };
    let value: toml::Value = toml::from_str(options).map_err(|e| e.to_string())?;
    Readability::compile(&params, parse_options(Some(&value))?)
}

fn run(check: &Readability, text: &str, audience: Audience) -> (Document, Vec<Finding>) {
    let (doc, out) = crate::rules::kinds::run_check(check, text, audience);
    (doc, out)
}

#[test]
fn a_section_above_the_limit_is_reported_at_its_heading_with_its_longest_sentences() {
    let text = format!("# Outage\n\n## What went wrong\n\n{MEDIUM}\n\n## Next\n\n{EASY}\n");
    let (doc, found) = run(&compile("").unwrap(), &text, Audience::Customers);
    assert_eq!(found.len(), 1);
    let finding = &found[0];
    assert_eq!(finding.message, "section reads at grade 11.3 (limit 10 for customers)");
    assert_eq!(doc.text(finding.primary.span), "What went wrong");
    assert_eq!(finding.primary.message, "112 words in 6 sentences");
    let longest: Vec<_> = finding
        .secondary
        .iter()
        .map(|l| (l.message.as_str(), &doc.text(l.span)[..10]))
        .collect();
    assert_eq!(
        longest,
        [("23-word sentence", "On Friday "), ("21-word sentence", "They disco")]
    );
}

#[test]
fn engineers_have_a_higher_limit_and_configuration_moves_it() {
    let text = format!("## What went wrong\n\n{MEDIUM}\n");
    assert!(run(&compile("").unwrap(), &text, Audience::Engineers).1.is_empty());
    let strict = compile("max-grade = { engineers = 11.2 }").unwrap();
    let (_, found) = run(&strict, &text, Audience::Engineers);
    assert_eq!(
        found[0].message,
        "section reads at grade 11.3 (limit 11.2 for engineers)"
    );
}

#[test]
fn sections_under_the_word_minimum_are_not_graded() {
    // Five of the six sentences: fewer than 100 words.
    let short = &MEDIUM[..MEDIUM.find(" We copied").unwrap()];
    let text = format!("## What went wrong\n\n{short}\n");
    assert!(run(&compile("").unwrap(), &text, Audience::Customers).1.is_empty());
    let (_, found) = run(&compile("min-words = 50").unwrap(), &text, Audience::Customers);
    assert_eq!(found.len(), 1);
}

#[test]
fn text_before_the_first_heading_is_anchored_on_its_first_sentence() {
    let text = format!("{MEDIUM}\n\n## Later\n\n{EASY}\n");
    let (doc, found) = run(&compile("").unwrap(), &text, Audience::Customers);
    assert_eq!(found.len(), 1);
    assert!(doc.text(found[0].primary.span).starts_with("Last Thursday"));
    assert!(doc.text(found[0].primary.span).ends_with("another region."));
}

#[test]
fn a_section_is_graded_over_its_paragraphs_and_list_items_together() {
    // The same sentences split into a paragraph and a list give the same grade.
    let cut = MEDIUM.find(" Our support").unwrap();
    let (head, tail) = MEDIUM.split_at(cut);
    let items = tail.trim().replace(". ", ".\n- ");
    let text = format!("## What went wrong\n\n{head}\n\n- {items}\n");
    let (_, found) = run(&compile("").unwrap(), &text, Audience::Customers);
    assert_eq!(found[0].message, "section reads at grade 11.3 (limit 10 for customers)");
}

#[test]
fn an_inline_code_span_is_one_word_of_one_syllable() {
    // Replacing "permission setting" (two words, four syllables) by one code span: 111 words,
    // 182 syllables -> 0.39 * 111 / 6 + 11.8 * 182 / 111 - 15.59 = 10.973 -> 11.0.
    let text = MEDIUM.replacen("a permission setting", "a `permission_setting_for_uploads`", 1);
    let text = format!("## What went wrong\n\n{text}\n");
    let (_, found) = run(&compile("").unwrap(), &text, Audience::Customers);
    assert_eq!(found[0].message, "section reads at grade 11.0 (limit 10 for customers)");
    assert_eq!(found[0].primary.message, "111 words in 6 sentences");
}

#[test]
fn a_bad_limit_is_an_error() {
    assert_eq!(compile("min-words = 0").unwrap_err(), "`min-words` must be at least 1");
    assert!(compile("max-grade = { customers = \"ten\" }").is_err());
    assert!(compile("max-grades = 3").is_err());
}
