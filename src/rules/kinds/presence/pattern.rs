//! How a presence pattern is read (RULES.md: "patterns are written to be read").
//!
//! Rule authors write patterns the way RULES.md prints them: a space stands for any run of
//! whitespace (the prose mask turns markup such as `**` into spaces, and sentences wrap across
//! lines), a straight apostrophe also matches a typographic one, and the whole pattern is
//! matched at word boundaries so `cause` does not match inside `because`.

use super::super::compile_regex;
use crate::rules::kinds::LazyRegex;

/// Rewrites a pattern as RULES.md reads it: every unescaped space outside a character class
/// becomes `(?:\s+)` (a following `?` or `*` then makes it optional, as the author meant), and
/// every unescaped `'` outside a class becomes `['’]`.
pub fn widen(pattern: &str) -> String {
    // Every byte that matters is ASCII: the text between them is copied whole (every pattern of
    // the phrase and presence rules passes here at start-up).
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut at = 0;
    while let Some(offset) = bytes[at..]
        .iter()
        .position(|b| matches!(b, b'\\' | b'[' | b']' | b' ' | b'\''))
    {
        let special = at + offset;
        out.push_str(&pattern[at..special]);
        at = special + 1;
        match bytes[special] {
            b'\\' => {
                // The escaped character, whole.
                let escaped = pattern[at..].chars().next().map_or(0, char::len_utf8);
                out.push('\\');
                out.push_str(&pattern[at..at + escaped]);
                at += escaped;
            }
            b'[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` right after `[` or `[^` is a literal member, not the end of the class.
                let rest = &pattern[at..];
                let skip = if rest.starts_with("^]") {
                    2
                } else {
                    usize::from(rest.starts_with(']'))
                };
                out.push_str(&rest[..skip]);
                at += skip;
            }
            b']' if in_class => {
                in_class = false;
                out.push(']');
            }
            b' ' if !in_class => out.push_str(r"(?:\s+)"),
            b'\'' if !in_class => out.push_str("['’]"),
            other => out.push(char::from(other)),
        }
    }
    out.push_str(&pattern[at..]);
    out
}

/// Compiles a cue or heading pattern: widened, case-insensitive, at word boundaries.
pub fn compile_bounded(pattern: &str) -> Result<LazyRegex, String> {
    compile_regex(&format!(r"\b(?:{})\b", widen(pattern))).map_err(|_| author_error(pattern))
}

/// Compiles a pattern that must match right where a cue ends (`not-followed-by`): widened,
/// case-insensitive, anchored at the start.
pub fn compile_anchored(pattern: &str) -> Result<LazyRegex, String> {
    compile_regex(&format!("^(?:{})", widen(pattern))).map_err(|_| author_error(pattern))
}

/// Reports a broken pattern in the author's own text rather than in the widened one (only
/// on failure: compiling every pattern twice doubled start-up time).
fn author_error(pattern: &str) -> String {
    match compile_regex(pattern) {
        Err(e) => e,
        Ok(_) => format!("pattern `{pattern}` is invalid once spaces are widened"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_stand_for_any_whitespace_and_optional_groups_collapse() {
        let re = compile_bounded("for (about |approximately )?\\d+ (minutes|hours)").unwrap();
        assert!(re.is_match("down for about  45\nminutes"));
        assert!(re.is_match("down for 45 minutes"));
        assert!(!re.is_match("down for45 minutes"));
    }

    #[test]
    fn a_space_before_a_question_mark_is_optional_whitespace() {
        let re = compile_anchored("x ?,").unwrap();
        assert!(re.is_match("x,"));
        assert!(re.is_match("x  ,"));
    }

    #[test]
    fn apostrophes_match_both_forms() {
        let re = compile_bounded("can(not|'t)").unwrap();
        assert!(re.is_match("we can't"));
        assert!(re.is_match("we can’t"));
        assert!(re.is_match("we cannot"));
    }

    #[test]
    fn word_boundaries_keep_cause_out_of_because() {
        let re = compile_bounded("cause (of|was|is)").unwrap();
        assert!(!re.is_match("because is"));
        assert!(re.is_match("the cause was"));
    }

    #[test]
    fn character_classes_are_left_alone() {
        assert_eq!(widen("[ ']x"), "[ ']x");
        assert_eq!(widen("[]' ]x y"), r"[]' ]x(?:\s+)y");
        assert_eq!(widen(r"a\ b"), r"a\ b");
        // An escaped character is kept whole, whatever its length; so is a trailing `\`.
        assert_eq!(widen("\\é'b \\"), "\\é['’]b(?:\\s+)\\");
        assert_eq!(widen("[^]x] 'y'"), "[^]x](?:\\s+)['’]y['’]");
        assert_eq!(widen("ü x"), "ü(?:\\s+)x");
    }

    #[test]
    fn a_broken_pattern_is_named_as_written() {
        let err = compile_bounded("due (to").unwrap_err();
        assert!(err.contains("`due (to`"), "{err}");
    }
}
