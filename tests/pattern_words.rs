//! `rules/pattern-words.json` ships the words every built-in pattern needs (see
//! `factors_table`), so that a run does not read them from each pattern's syntax. This checks
//! that it is the table of exactly the built-in patterns, read afresh; after changing a rule's
//! patterns (or how words are read), rewrite it with
//! `INSTA_UPDATE=always cargo test --test pattern_words`.
//!
//! Alone in its test binary: the table is of every pattern compiled in the process, and no
//! other test may add its own.

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

    let fresh = factors_table(&patterns_so_far());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/pattern-words.json");
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    if fresh == shipped {
        return;
    }
    if std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always") {
        std::fs::write(&path, &fresh).expect("write rules/pattern-words.json");
        return;
    }
    let stale = shipped.lines().filter(|line| !fresh.contains(*line)).count();
    let missing = fresh.lines().filter(|line| !shipped.contains(*line)).count();
    panic!(
        "rules/pattern-words.json is out of date (entries missing: {missing}, stale: {stale}); \
         rewrite it with `INSTA_UPDATE=always cargo test --test pattern_words` and review the diff"
    );
}
