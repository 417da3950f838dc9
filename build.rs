//! Writes into the build's output directory what every run would otherwise read at start-up,
//! which is on the path of a one-file run (a pre-commit hook, an editor's save):
//!
//! - the built-in rule files (`rules/*.toml`) as JSON: every run parses every built-in rule
//!   before it lints, and from JSON that takes a quarter of the time TOML takes (0.25 against
//!   1.0 ms for the 32 files). The TOML files stay the source (and `crisislint explain` shows
//!   their docs); a test checks that both give the same rules;
//! - the words of the built-in patterns (`rules/pattern-words.json`) as Rust data, looked up
//!   without parsing: reading them from JSON was 3% of a one-file run's instructions.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// The built-in rule files as JSON, by file name (written by `build.rs`).\n");
    out.push_str("pub const BUILTIN_RULE_JSON: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        // A file that does not parse is left out: the TOML is parsed at run time instead, and
        // the tests report the error there, with its line and column.
        let Ok(value) = toml::from_str::<toml::Value>(&text) else {
            continue;
        };
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        writeln!(out, "    ({name:?}, {json:?}),").expect("writing to a string");
    }
    out.push_str("];\n");
    write_out("builtin_rules.rs", &out);
    write_out("pattern_words.rs", &pattern_words());
}

fn write_out(file: &str, text: &str) {
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join(file);
    std::fs::write(&target, text).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

/// `rules/pattern-words.json` as a sorted slice of `(pattern, words)`, the words as
/// `ShippedWords` (`None`: no word is known; the pattern always runs). A table that does not
/// read is written empty: every pattern's words are then read from the pattern at run time,
/// and the test that compares the table with the patterns fails.
fn pattern_words() -> String {
    let file = "rules/pattern-words.json";
    println!("cargo::rerun-if-changed={file}");
    let table: serde_json::Map<String, serde_json::Value> = std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from(
        "/// The words of the built-in patterns, by pattern, sorted (written by `build.rs` from\n\
         /// `rules/pattern-words.json`).\n\
         static SHIPPED_PATTERN_WORDS: &[(&str, Option<ShippedWords>)] = &[\n",
    );
    for (pattern, words) in entries {
        // An entry not in the table's form is left out: its pattern is read at run time.
        if let Some(words) = shipped_words(words) {
            writeln!(out, "    ({pattern:?}, {words}),").expect("writing to a string");
        }
    }
    out.push_str("];\n");
    out
}

/// One entry's words as Rust: `None`, or `Some(ShippedWords { indexed, checked, starts })`.
fn shipped_words(words: &serde_json::Value) -> Option<String> {
    if words.is_null() {
        return Some("None".to_string());
    }
    let indexed = factors(words.get("indexed")?)?;
    let checked = match words.get("checked") {
        Some(checked) => factors(checked)?,
        None => "&[]".to_string(),
    };
    let starts = match words.get("starts") {
        Some(starts) => format!("Some({})", starts.as_u64()?),
        None => "None".to_string(),
    };
    Some(format!(
        "Some(ShippedWords {{ indexed: {indexed}, checked: {checked}, starts: {starts} }})"
    ))
}

/// A list of factors, each a list of words, as a Rust slice of slices.
fn factors(factors: &serde_json::Value) -> Option<String> {
    let mut out = String::from("&[");
    for factor in factors.as_array()? {
        out.push_str("&[");
        for word in factor.as_array()? {
            write!(out, "{:?},", word.as_str()?).expect("writing to a string");
        }
        out.push_str("],");
    }
    out.push(']');
    Some(out)
}
