//! What several modules' unit tests read.

use std::path::{Path, PathBuf};

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
