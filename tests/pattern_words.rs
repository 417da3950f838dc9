//! `rules/pattern-words.json` ships the words every built-in pattern needs (see
//! `factors_table`), so that a run does not read them from each pattern's syntax, and
//! `build.rs` compiles its patterns, as it does those of `rules/fixed-patterns.json`, the
//! program's own patterns. This checks that the two are the table of exactly the built-in
//! patterns, read afresh, and the list of the program's; after changing a pattern (or how
//! words are read), rewrite them with `INSTA_UPDATE=always cargo test --test pattern_words`.
//!
//! Alone in its test binary: the table is of every pattern compiled in the process, and no
//! other test may add its own.

use crisislint::compiled_regex::fixed_patterns_so_far;
use crisislint::config::Settings;
use crisislint::engine::{lint_source, Overrides};
use crisislint::kind::{Audience, DocKind};
use crisislint::rules::kinds::pattern_set::factors_table;
use crisislint::rules::kinds::patterns_so_far;
use std::path::Path;

#[test]
fn the_shipped_pattern_words_are_those_of_every_built_in_pattern() {
    let settings = Settings::builtin();
    // Some patterns are compiled on first use (the apology classification, CL402's reading of
    // CL103): every rule runs once, on every kind of document, for every audience.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut texts: Vec<String> = std::fs::read_dir(&examples)
        .expect("examples/")
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
        .collect();
    texts.sort();
    // Texts that reach most of the program's own patterns: front matter in Pelican's form,
    // comments, a shortcode, an HTML tag, a placeholder time, URLs, an address, a phone number,
    // a date and a template's empty sections. One that they do not reach is compiled at run time.
    texts.push(
        "Title: Checkout outage\nDate: 2026-03-02\n\n# Checkout outage\n\n<!-- draft -->\n<!-- crisislint-disable-next-line -->\n\n\
         {{< note >}}Read this.{{< /note >}}\n\n<div>Status</div>\n\n\
         From 10:XX to 11:15 UTC on 2026-03-02, see https://status.example.com/x or www.example.com, \
         write to help@example.com.\n\n1. First step.\n2. Second step.\n"
            .to_string(),
    );
    // The contact rule stops at the first way to reach the team it finds: here a phone number,
    // after a date that is not one.
    texts.push("# Update\n\nWe are sorry. For help, call 0800 123 4567 on 2026-03-02.\n".to_string());
    // A postmortem's template sections, too short to count as written.
    texts.push(
        "# Postmortem\n\n## Summary\n\nTBD.\n\n## Root cause\n\n<!-- fill in -->\n\n## Timeline\n\n1. Later.\n"
            .to_string(),
    );
    for kind in DocKind::ALL {
        for audience in Audience::ALL {
            let overrides = Overrides {
                kind: Some(kind),
                audience: Some(audience),
                ..Overrides::default()
            };
            for text in &texts {
                lint_source(
                    &settings,
                    &overrides,
                    "example.md",
                    Path::new("example.md"),
                    text.clone(),
                );
            }
        }
    }

    let fixed = serde_json::to_string_pretty(&fixed_patterns_so_far()).expect("strings") + "\n";
    let stale = [
        up_to_date("rules/pattern-words.json", &factors_table(&patterns_so_far())),
        up_to_date("rules/fixed-patterns.json", &fixed),
    ];
    let stale: Vec<String> = stale.into_iter().flatten().collect();
    assert!(
        stale.is_empty(),
        "{}; rewrite with `INSTA_UPDATE=always cargo test --test pattern_words` and review the diff",
        stale.join("; ")
    );
}

/// `None` when the shipped file `name` holds `fresh` (or was just rewritten to, when asked);
/// otherwise how it differs.
fn up_to_date(name: &str, fresh: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    if fresh == shipped {
        return None;
    }
    if std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always") {
        std::fs::write(&path, fresh).unwrap_or_else(|e| panic!("write {name}: {e}"));
        return None;
    }
    let stale = shipped.lines().filter(|line| !fresh.contains(*line)).count();
    let missing = fresh.lines().filter(|line| !shipped.contains(*line)).count();
    Some(format!(
        "{name} is out of date (entries missing: {missing}, stale: {stale})"
    ))
}
