//! Writes into the build's output directory what every run would otherwise read at start-up,
//! which is on the path of a one-file run (a pre-commit hook, an editor's save):
//!
//! - the built-in rule files (`rules/*.toml`) as JSON: every run parses every built-in rule
//!   before it lints, and from JSON that takes a quarter of the time TOML takes (0.25 against
//!   1.0 ms for the 32 files). The TOML files stay the source (and `crisislint explain` shows
//!   their docs); a test checks that both give the same rules;
//! - the words of the built-in patterns (`rules/pattern-words.json`) as Rust data, looked up
//!   without parsing: reading them from JSON was 3% of a one-file run's instructions;
//! - the built-in patterns (the same file's keys) compiled to NFAs, forward and in reverse, as
//!   bytes (see `src/compiled_regex/nfa_bytes.rs`): parsing and compiling them was 40% of a
//!   one-file run's instructions.

use std::fmt::Write;
use std::path::Path;

// Used by the build to write NFAs, by the program to read them.
#[path = "src/compiled_regex/nfa_bytes.rs"]
mod nfa_bytes;

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
    let table = read_json("rules/pattern-words.json")
        .as_object()
        .cloned()
        .unwrap_or_default();
    write_out("pattern_words.rs", &pattern_words(&table));
    let mut nfas = Vec::new();
    let rule_patterns: Vec<&str> = table.keys().map(String::as_str).collect();
    let mut index = shipped_nfas("SHIPPED_NFAS", "rule", &rule_patterns, true, &mut nfas);
    let fixed_patterns = read_json("rules/fixed-patterns.json");
    let fixed_patterns: Vec<&str> = fixed_patterns
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    index += &shipped_nfas("SHIPPED_FIXED_NFAS", "fixed", &fixed_patterns, false, &mut nfas);
    write_out("shipped_nfas.rs", &index);
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("shipped_nfas.bin");
    std::fs::write(&target, nfas).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

/// A JSON file of `rules/`, or `null` when it does not read: every pattern's words are then read
/// from the pattern at run time, the patterns are compiled then too, and the test that compares
/// the file with the patterns fails. `rules/pattern-words.json` maps every built-in pattern to
/// its words; `rules/fixed-patterns.json` lists the program's own patterns (the parser's, the
/// scanners').
fn read_json(file: &str) -> serde_json::Value {
    println!("cargo::rerun-if-changed={file}");
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// `patterns` compiled (ignoring case or not, under the size limit), forward and in reverse,
/// with the literals its matches start with, appended to `bytes`; returns the Rust of `name`,
/// a sorted slice of `(pattern, start, middle, end, literals end, longest match)`, whose
/// forward NFA is `bytes[start..middle]`, reverse one `bytes[middle..end]` and literals
/// `bytes[end..literals end]`. A pattern that does not compile is left out (it is reported at
/// run time).
fn shipped_nfas(name: &str, what: &str, patterns: &[&str], ignore_case: bool, bytes: &mut Vec<u8>) -> String {
    let mut patterns = patterns.to_vec();
    patterns.sort_unstable();
    patterns.dedup();
    let mut index = format!(
        "/// The {what} patterns' NFAs and prefix literals: `(pattern, start, middle, end,\n\
         /// literals end, longest match or u32::MAX)`, sorted (written by `build.rs`; see\n\
         /// `SHIPPED_NFA_BYTES`).\n\
         static {name}: &[(&str, u32, u32, u32, u32, u32)] = &[\n",
    );
    let mut compiler = regex_automata::nfa::thompson::Compiler::new();
    for pattern in patterns {
        let syntax = nfa_bytes::syntax_config(ignore_case);
        let Ok(hir) = regex_automata::util::syntax::parse_with(pattern, &syntax) else {
            continue;
        };
        let mut compile = |reverse| {
            compiler
                .configure(nfa_bytes::nfa_config(nfa_bytes::SIZE_LIMIT, reverse))
                .build_from_hir(&hir)
                .ok()
        };
        let (Some(forward), Some(reverse)) = (compile(false), compile(true)) else {
            continue;
        };
        let start = bytes.len();
        nfa_bytes::write(&forward, bytes).expect("a pattern compiles to one pattern");
        let middle = bytes.len();
        nfa_bytes::write(&reverse, bytes).expect("a pattern compiles to one pattern");
        let end = bytes.len();
        nfa_bytes::write_literals(nfa_bytes::prefix_literals(&hir).as_deref(), bytes);
        let longest = hir.properties().maximum_len().map_or(u32::MAX, |n| n as u32);
        writeln!(
            index,
            "    ({pattern:?}, {start}, {middle}, {end}, {}, {longest}),",
            bytes.len()
        )
        .expect("writing to a string");
    }
    index.push_str("];\n");
    index
}

fn write_out(file: &str, text: &str) {
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join(file);
    std::fs::write(&target, text).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

/// The pattern table as a sorted slice of `(pattern, words)`, the words as `ShippedWords`
/// (`None`: no word is known; the pattern always runs).
fn pattern_words(table: &serde_json::Map<String, serde_json::Value>) -> String {
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
