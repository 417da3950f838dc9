//! The parse-only floor for the benchmark: reads every Markdown file under the given paths and
//! walks every pulldown-cmark event with the options crisislint uses, no rules, on a pool of
//! `--threads N` (default: all cores). Prints the number of files, bytes and events.
//!
//! `cargo run --release --example parse-floor -- [--threads N] PATH...`

use pulldown_cmark::Parser;
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut threads = 0;
    let mut roots = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N");
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    let mut files = Vec::new();
    for root in roots {
        // Same walk as crisislint: .gitignore honoured, hidden files skipped, Markdown only.
        for entry in ignore::WalkBuilder::new(&root).build().filter_map(Result::ok) {
            let path = entry.path();
            let markdown = path.extension().is_some_and(|e| e == "md" || e == "markdown");
            if entry.file_type().is_some_and(|t| t.is_file()) && (markdown || path == root) {
                files.push(path.to_path_buf());
            }
        }
    }
    files.sort();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let (bytes, events) = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let events = Parser::new_ext(&text, crisislint::document::markdown_options())
                    .into_offset_iter()
                    .count();
                (text.len(), events)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("{} files, {bytes} bytes, {events} events", files.len());
}
