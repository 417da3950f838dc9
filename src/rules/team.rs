//! Team rules: the rule files of a configuration's `rule-dirs`, in the built-in format and held
//! to the same standard. Every problem names the rule file, line and column: a TOML or type
//! error, a name that is not kebab-case, a code that is taken or uses the built-in `CL` prefix,
//! a check kind reserved for crisislint itself, and a pattern that does not compile.

use super::kinds::CheckSpec;
use super::RuleDef;
use crate::config::describe_at;
use regex::Regex;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// Why a rule directory could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleDirError {
    /// The directory itself (missing, unreadable): the configuration should point at it.
    Dir(String),
    /// A rule file in it, already located (`file:line:col: ...`).
    File(String),
}

/// Names and codes in use, with where each comes from (`built-in` or a rule file).
#[derive(Debug, Clone, Default)]
pub struct TakenNames {
    names: BTreeMap<String, String>,
    codes: BTreeMap<String, String>,
}

impl TakenNames {
    /// Starts from rules already loaded (the built-ins).
    pub fn new<'a>(defs: impl IntoIterator<Item = &'a Arc<RuleDef>>) -> Self {
        let mut taken = TakenNames::default();
        for def in defs {
            let origin = def.origin.clone().unwrap_or_else(|| "a built-in rule".to_string());
            taken.names.insert(def.name.clone(), origin.clone());
            taken.codes.insert(def.code.to_ascii_uppercase(), origin);
        }
        taken
    }
}

static KEBAB: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$").expect("kebab"));
static TEAM_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Z]{2,}[0-9]{1,5}$").expect("code"));

/// Loads every `*.toml` rule file of a team's rule directory, sorted by file name, checking each
/// against the rules already `taken` (and adding it there).
pub fn load_rule_dir(dir: &Path, taken: &mut TakenNames) -> Result<Vec<Arc<RuleDef>>, RuleDirError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| RuleDirError::Dir(format!("cannot read rule directory {}: {e}", dir.display())))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut defs = Vec::with_capacity(paths.len());
    for path in paths {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| RuleDirError::File(format!("{display}: cannot read rule file: {e}")))?;
        let def = check_rule_file(&display, &text, taken).map_err(RuleDirError::File)?;
        defs.push(Arc::new(def));
    }
    Ok(defs)
}

/// Parses and checks one team rule file; on success its name and code are taken.
pub fn check_rule_file(display: &str, text: &str, taken: &mut TakenNames) -> Result<RuleDef, String> {
    let mut def = RuleDef::parse(display, text)?;
    let at = |key: &str, message: String| describe_at(display, text, key_span(text, key), &message);
    if !KEBAB.is_match(&def.name) {
        return Err(at(
            "name",
            format!("rule name `{}` must be kebab-case (`no-weasel-words`)", def.name),
        ));
    }
    if let Some(origin) = taken.names.get(&def.name) {
        return Err(at(
            "name",
            format!(
                "rule name `{}` is already used by {origin}; give this rule its own name",
                def.name
            ),
        ));
    }
    let code = def.code.to_ascii_uppercase();
    if code.starts_with("CL") {
        return Err(at(
            "code",
            format!(
                "code `{}` uses the `CL` prefix reserved for built-in rules; use your own, such as `ACME101`",
                def.code
            ),
        ));
    }
    if !TEAM_CODE.is_match(&def.code) {
        return Err(at(
            "code",
            format!(
                "code `{}` must be capital letters then digits, such as `ACME101`",
                def.code
            ),
        ));
    }
    if let Some(origin) = taken.codes.get(&code) {
        return Err(at("code", format!("code `{}` is already used by {origin}", def.code)));
    }
    if matches!(def.check, CheckSpec::Meta(_)) {
        return Err(at(
            "kind",
            "`kind = \"meta\"` is reserved for crisislint's own diagnostics".to_string(),
        ));
    }
    def.check
        .compile(None)
        .map_err(|e| describe_at(display, text, pattern_span(text, &e), &e))?;
    def.origin = Some(display.to_string());
    taken.names.insert(def.name.clone(), display.to_string());
    taken.codes.insert(code, display.to_string());
    Ok(def)
}

/// The value of the first `key = value` line, or the start of the file.
fn key_span(text: &str, key: &str) -> Range<usize> {
    let line = Regex::new(&format!(r"(?m)^[ \t]*{}[ \t]*=[ \t]*([^\r\n]*)", regex::escape(key))).expect("key pattern");
    line.captures(text)
        .and_then(|c| c.get(1))
        .map_or(0..0, |m| m.start()..m.end().max(m.start() + 1).min(text.len()))
}

/// Where a pattern named in a compile error (`invalid pattern `...``, `pattern `...` is too
/// large`) is written in the file: as
/// is (a literal string), or escaped as in a basic string; else the `[check]` table.
fn pattern_span(text: &str, error: &str) -> Range<usize> {
    const MARK: &str = "pattern `";
    let pattern = error.find(MARK).map(|i| &error[i + MARK.len()..]).and_then(|rest| {
        rest.rfind("`: ")
            .or_else(|| rest.rfind("` is too large"))
            .map(|end| &rest[..end])
    });
    let written = pattern.and_then(|p| {
        let escaped = p.replace('\\', "\\\\").replace('"', "\\\"");
        [p.to_string(), escaped]
            .into_iter()
            .filter(|candidate| !candidate.is_empty())
            .find_map(|candidate| text.find(&candidate).map(|i| i..i + candidate.len()))
    });
    written.unwrap_or_else(|| text.find("[check]").map_or(0..0, |i| i..i + "[check]".len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_is_found_as_written_in_literal_and_basic_strings() {
        let text = "[check]\nphrases = ['a (b', \"c\\\\d (\"]\n";
        let literal = pattern_span(text, "in `phrases`: invalid pattern `a (b`: regex parse error");
        assert_eq!(&text[literal], "a (b");
        let basic = pattern_span(text, "in `phrases`: invalid pattern `c\\d (`: regex parse error");
        assert_eq!(&text[basic], "c\\\\d (");
        let unknown = pattern_span(text, "`phrases` is empty");
        assert_eq!(&text[unknown], "[check]");
    }

    #[test]
    fn key_values_are_located_on_their_line() {
        let text = "name = \"x\"\n  code = \"CL1\"\n";
        assert_eq!(&text[key_span(text, "code")], "\"CL1\"");
        assert_eq!(key_span(text, "summary"), 0..0);
    }
}
