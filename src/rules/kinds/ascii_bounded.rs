//! Patterns read as presence patterns are ([`widen`]), but bounded by ASCII word boundaries.
//!
//! A Unicode `\b` makes the regex engine leave its fast automaton at the first non-ASCII byte
//! (a curly quote is enough), which made the rules that scan every sentence several times
//! slower on real text. Cue words are ASCII, so an ASCII boundary decides the same.

use super::compile_regex;
use super::presence::pattern::widen;
use crate::rules::kinds::LazyRegex;

/// Compiles a cue: widened, case-insensitive, between ASCII word boundaries. Errors name the
/// pattern as written.
pub fn compile(pattern: &str) -> Result<LazyRegex, String> {
    compile_regex(pattern)?;
    compile_regex(&format!(r"(?-u:\b)(?:{})(?-u:\b)", widen(pattern)))
}

/// Compiles a list of cues; errors name the key they came from.
pub fn compile_list(key: &str, patterns: impl IntoIterator<Item = impl AsRef<str>>) -> Result<Vec<LazyRegex>, String> {
    patterns
        .into_iter()
        .map(|p| compile(p.as_ref()).map_err(|e| format!("in `{key}`: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_widened_and_named_when_broken() {
        let re = compile("email us (at|on)").unwrap();
        assert!(re.is_match("“Email\nus  at”"));
        assert!(!re.is_match("remail us at"));
        assert!(!re.is_match("email us attic"));
        assert!(compile("us (at").unwrap_err().contains("`us (at`"));
    }
}
