//! Every fixture under `fixtures/<rule>/` is linted with the built-in rules (kind and audience
//! from its front matter) and its findings of that rule are compared with the snapshot beside
//! it (`fixtures/<rule>/<fixture>.snap`). `bad-*` fixtures must give at least one finding of
//! the rule, `ok-*` fixtures none.
//!
//! `CRISISLINT_FIXTURES=missing-timezone cargo test --test fixtures` runs one rule's fixtures;
//! `INSTA_UPDATE=always` writes new snapshots for review (CI never writes them).

mod common;

use std::path::{Path, PathBuf};

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let filter = std::env::var("CRISISLINT_FIXTURES").ok();
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() || filter.as_deref().is_some_and(|f| !dir.ends_with(f)) {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("rule dir") {
            let file = file.expect("entry").path();
            if file.extension().is_some_and(|e| e == "md") {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn fixtures_match_their_snapshots() {
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for file in files {
        let rule = file
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .expect("rule dir")
            .to_string();
        let name = file.file_stem().and_then(|n| n.to_str()).expect("name").to_string();
        let source = std::fs::read_to_string(&file).expect("fixture is UTF-8");
        let findings: Vec<_> = common::lint(&source, None, None)
            .into_iter()
            .filter(|d| d.rule == rule)
            .collect();
        if name.starts_with("bad-") && findings.is_empty() {
            failures.push(format!("{}: a bad- fixture gave no `{rule}` finding", file.display()));
        }
        if name.starts_with("ok-") && !findings.is_empty() {
            failures.push(format!(
                "{}: an ok- fixture gave {} `{rule}` finding(s)",
                file.display(),
                findings.len()
            ));
        }
        let rendered = common::render(&source, &findings);
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => file.parent().expect("dir"),
                prepend_module_to_snapshot => false,
                input_file => &file,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.clone(), rendered);
            });
        });
        if result.is_err() {
            failures.push(format!("{}: output differs from its snapshot", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
