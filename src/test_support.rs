//! What several modules' unit tests read.

use crate::config::Settings;
use crate::engine::{lint_source, FileReport, Overrides};
use std::path::{Path, PathBuf};

/// Each text linted alone with the built-in rules, as `doc-0.md`, `doc-1.md`, ...
pub fn reports_of(texts: &[&str]) -> Vec<FileReport> {
    let settings = Settings::builtin();
    (texts.iter().enumerate())
        .map(|(i, text)| {
            let path = format!("doc-{i}.md");
            lint_source(
                &settings,
                &Overrides::default(),
                &path,
                Path::new(&path),
                text.to_string(),
            )
        })
        .collect()
}

/// Every Markdown file under `fixtures/` and `tests/`, with its text (files that are not UTF-8
/// are left out: some fixtures test that on purpose).
pub fn markdown_fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["fixtures", "tests"] {
        for path in walk(root.join(dir)) {
            if path.extension().is_some_and(|e| e == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    found.push((path, text));
                }
            }
        }
    }
    found
}

fn walk(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(path));
        } else {
            out.push(path);
        }
    }
    out
}
