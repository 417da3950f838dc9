//! `crisislint.toml`: parsed strictly (unknown keys, rules and values are errors that name the
//! file, line and column) and compiled once into [`Settings`] before any document is read.

use crate::diagnostic::Level;
use crate::document::LineIndex;
use crate::kind::{Audience, DocKind};
use crate::rules::kinds::templates::sections::{presence_headings, SectionData, Templates};
use crate::rules::kinds::{with_lazy_regexes, Check, CheckSpec, CompileEnv};
use crate::rules::team::{load_rule_dir, RuleDirError, TakenNames};
use crate::rules::{builtin_defs, RuleDef, RuleNames};
use globset::{Glob, GlobMatcher};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// The file name looked for in each directory.
pub const CONFIG_FILE_NAME: &str = "crisislint.toml";

/// The threshold for a failing exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl FailOn {
    /// True when a finding of `severity` fails the run.
    pub fn fails(self, severity: crate::diagnostic::Severity) -> bool {
        use crate::diagnostic::Severity;
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// One `[[kind-globs]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct KindGlob {
    /// A glob relative to the configuration file's directory (`status/**/*.md`).
    pub glob: String,
    /// The kind of matching documents.
    pub kind: DocKind,
    /// Their audience, when not the kind's default.
    #[serde(default)]
    pub audience: Option<Audience>,
}

/// A `[severity]` entry: a rule's level, or a kind's table of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SeverityEntry {
    /// `rule = "warning"`.
    Level(Level),
    /// `[severity.<kind>]`.
    Kind(BTreeMap<String, Level>),
}

/// `crisislint.toml` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    /// Kind of documents no flag, front matter or glob classifies.
    #[serde(default)]
    pub default_kind: Option<DocKind>,
    /// Exit-status threshold (`--fail-on` wins).
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Directories of the team's own rule files, relative to the configuration file.
    #[serde(default)]
    pub rule_dirs: Vec<String>,
    /// Names that stand for the publisher ("Acme"): first person for CL101, ORG for CL402.
    #[serde(default)]
    pub organization: Vec<String>,
    /// Kind (and audience) by path; the first match wins.
    #[serde(default)]
    pub kind_globs: Vec<KindGlob>,
    /// Severity overrides, for all kinds or per kind.
    #[serde(default)]
    pub severity: BTreeMap<String, SeverityEntry>,
    /// Per-rule options, typed by each rule's check kind.
    #[serde(default)]
    pub rules: BTreeMap<String, toml::Value>,
    /// Section templates per kind (CL110-CL112).
    #[serde(default)]
    pub templates: BTreeMap<DocKind, TemplateConfig>,
    /// Section ids for templates, added or redefined.
    #[serde(default)]
    pub sections: BTreeMap<String, SectionConfig>,
}

/// A `[templates.<kind>]` table; a key left out keeps the built-in template's value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TemplateConfig {
    /// Section ids every document of the kind must have (CL110), in template order.
    #[serde(default)]
    pub required: Option<Vec<String>>,
    /// Section ids a document may have; checked to exist, never required.
    #[serde(default)]
    pub optional: Option<Vec<String>>,
    /// Whether the required sections must appear in the listed order (CL111).
    #[serde(default)]
    pub ordered: Option<bool>,
}

/// A `[sections.<id>]` table: which headings belong to a section id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SectionConfig {
    /// Heading patterns (regexes read as the presence rules read theirs).
    #[serde(default)]
    pub headings: Vec<String>,
    /// Also take a presence rule's heading patterns, as configured (`missing-impact`).
    #[serde(default)]
    pub headings_of: Option<String>,
    /// The heading CL110 asks for when the section is missing (default: the id in words).
    #[serde(default)]
    pub title: Option<String>,
}

/// A rule ready to run: its definition and its compiled check.
#[derive(Debug)]
pub struct CompiledRule {
    /// The rule file.
    pub def: Arc<RuleDef>,
    /// Regexes and lexicons, compiled once.
    pub check: Box<dyn Check>,
    /// Which thread runs it on a group of documents.
    pub placement: crate::engine::Placement,
}

/// One configuration, compiled: shared by every document that uses it.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file, if any.
    pub path: Option<PathBuf>,
    /// Every rule, built-in then the team's, in code order.
    pub rules: Vec<CompiledRule>,
    /// Names and codes to rule names.
    pub names: RuleNames,
    /// Kind when nothing else decides.
    pub default_kind: DocKind,
    /// The file's `fail-on`.
    pub fail_on: Option<FailOn>,
    /// The publisher's names.
    pub organization: Vec<String>,
    /// `[[kind-globs]]`, compiled, relative to `base_dir`.
    pub kind_globs: Vec<(GlobMatcher, DocKind, Option<Audience>)>,
    /// Directory the globs are relative to.
    pub base_dir: PathBuf,
    /// `[severity]` rule levels for all kinds, by rule name.
    pub severity_all: BTreeMap<String, Level>,
    /// `[severity.<kind>]` rule levels, by kind then rule name.
    pub severity_by_kind: BTreeMap<DocKind, BTreeMap<String, Level>>,
    /// Levels a template turns on for kinds where a template rule is off by default.
    pub template_levels: BTreeMap<DocKind, BTreeMap<String, Level>>,
}

/// A configuration problem: file, position and message, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

static BUILTIN: LazyLock<Vec<Arc<RuleDef>>> = LazyLock::new(|| builtin_defs().into_iter().map(Arc::new).collect());

/// The built-in rule definitions, parsed once per process.
pub fn builtin_rules() -> &'static [Arc<RuleDef>] {
    &BUILTIN
}

/// A built-in rule definition by name (rules that read another rule's parameters use it, so
/// that no rule file is parsed twice).
pub fn builtin_rule(name: &str) -> Option<&'static RuleDef> {
    builtin_rules().iter().find(|def| def.name == name).map(Arc::as_ref)
}

/// The current directory, asked for once per process: the program never changes it, and
/// finding the configurations and matching `[[kind-globs]]` asked up to four times a document
/// (8,003 system calls for 2,000 files).
pub fn current_dir() -> Option<&'static Path> {
    static CURRENT_DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CURRENT_DIR.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// `path` made absolute as `std::path::absolute` makes it, from [`current_dir`].
pub fn absolute_path(path: &Path) -> PathBuf {
    let joined;
    let path = match current_dir() {
        Some(cwd) if path.is_relative() => {
            joined = cwd.join(path);
            &joined
        }
        _ => path,
    };
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `file:line:col: message` with the offending line and a caret, from a byte span of `text`.
pub fn describe_at(file: &str, text: &str, span: std::ops::Range<usize>, message: &str) -> String {
    let index = LineIndex::new(text);
    let pos = index.line_col(text, span.start);
    let line = index.line_span(text, pos.line - 1);
    let snippet = text[line].trim_end_matches('\r');
    let width = text[span.start.min(text.len())..span.end.min(text.len())]
        .chars()
        .count()
        .max(1);
    format!(
        "{file}:{}:{}: {message}\n  |\n  | {snippet}\n  | {}{}",
        pos.line,
        pos.column,
        " ".repeat(pos.column - 1),
        "^".repeat(width.min(snippet.chars().count().saturating_sub(pos.column - 1).max(1)))
    )
}

/// A TOML parse or type error with its file, line, column and snippet.
pub fn describe_toml_error(file: &str, text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end_matches('\n');
    match error.span() {
        Some(span) => describe_at(file, text, span, message),
        None => format!("{file}: {message}"),
    }
}

/// Where a `[rules.<name>]` table (or its key) is written, for errors without a span.
fn find_key(text: &str, needles: &[&str]) -> std::ops::Range<usize> {
    needles
        .iter()
        .find_map(|n| text.find(n).map(|i| i..i + n.len()))
        .unwrap_or(0..0)
}

/// Where, in a TOML text from `from` on, the string of `value` that an error message quotes
/// (`` `pattern` ``) is written: the error then points at the offending line, not at its table.
/// The longest quoted string wins, so a pattern is not found inside a longer one.
pub fn locate_quoted_string(
    text: &str,
    value: &toml::Value,
    message: &str,
    from: usize,
) -> Option<std::ops::Range<usize>> {
    let mut strings = Vec::new();
    collect_strings(value, &mut strings);
    strings.retain(|s| !s.is_empty() && message.contains(&format!("`{s}`")));
    strings.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let from = from.min(text.len());
    strings.iter().find_map(|s| {
        let basic = s.replace('\\', "\\\\").replace('"', "\\\"");
        // Literal, basic, and the multi-line forms of both.
        let written = [
            format!("'{s}'"),
            format!("\"{basic}\""),
            format!("'''{s}"),
            format!("\"\"\"{basic}"),
        ];
        written
            .iter()
            .find_map(|w| text[from..].find(w.as_str()).map(|i| from + i..from + i + w.len()))
    })
}

fn collect_strings<'v>(value: &'v toml::Value, out: &mut Vec<&'v str>) {
    match value {
        toml::Value::String(s) => out.push(s),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        toml::Value::Table(table) => table.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

impl Settings {
    /// Built-in rules and defaults, no configuration file.
    pub fn builtin() -> Settings {
        Settings::compile(None, "", ConfigFile::default(), Path::new("."))
            .expect("built-in rules compile without configuration")
    }

    /// Loads and compiles a configuration file.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("{display}: cannot read configuration: {e}")))?;
        let file: ConfigFile =
            toml::from_str(&text).map_err(|e| ConfigError(describe_toml_error(&display, &text, &e)))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Settings::compile(Some(path), &text, file, &base)
    }

    /// Validates `file` against the rules and compiles every check with its options.
    pub fn compile(
        path: Option<&Path>,
        text: &str,
        file: ConfigFile,
        base_dir: &Path,
    ) -> Result<Settings, ConfigError> {
        let display = path.map_or_else(|| CONFIG_FILE_NAME.to_string(), |p| p.display().to_string());
        let at = |needles: &[&str], message: String| {
            ConfigError(describe_at(&display, text, find_key(text, needles), &message))
        };

        let mut defs: Vec<Arc<RuleDef>> = builtin_rules().to_vec();
        let mut taken = TakenNames::new(&defs);
        for dir in &file.rule_dirs {
            match load_rule_dir(&base_dir.join(dir), &mut taken) {
                Ok(team) => defs.extend(team),
                Err(RuleDirError::Dir(message)) => {
                    return Err(at(&[&format!("\"{dir}\""), &format!("'{dir}'"), "rule-dirs"], message))
                }
                Err(RuleDirError::File(message)) => return Err(ConfigError(message)),
            }
        }
        let names = RuleNames::new(defs.iter().map(|d| d.as_ref()));
        let unknown_rule = |key: &str| {
            let hint = names
                .closest(key)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            format!("unknown rule `{key}`{hint}")
        };

        let mut severity_all = BTreeMap::new();
        let mut severity_by_kind: BTreeMap<DocKind, BTreeMap<String, Level>> = BTreeMap::new();
        for (key, entry) in &file.severity {
            match entry {
                SeverityEntry::Level(level) => {
                    let name = names
                        .resolve(key)
                        .ok_or_else(|| at(&[&format!("{key} ="), key], unknown_rule(key)))?;
                    severity_all.insert(name.to_string(), *level);
                }
                SeverityEntry::Kind(table) => {
                    let kind: DocKind = key
                        .parse()
                        .map_err(|e: String| at(&[&format!("[severity.{key}]"), key], e))?;
                    for (rule, level) in table {
                        let name = names
                            .resolve(rule)
                            .ok_or_else(|| at(&[&format!("{rule} ="), rule], unknown_rule(rule)))?;
                        severity_by_kind
                            .entry(kind)
                            .or_default()
                            .insert(name.to_string(), *level);
                    }
                }
            }
        }

        let mut options: BTreeMap<String, &toml::Value> = BTreeMap::new();
        for (key, value) in &file.rules {
            let name = names
                .resolve(key)
                .ok_or_else(|| at(&[&format!("[rules.{key}]"), key], unknown_rule(key)))?;
            options.insert(name.to_string(), value);
        }

        let templates = compile_templates(&file, &defs, &options, &at)?;
        let template_levels = template_levels(&templates, &defs);
        let env = CompileEnv { templates };
        let builtin_count = builtin_rules().len();
        // Compiled in parallel (nothing else can run before the rules are ready), and the
        // first error in the rules' order is reported, whatever the threads.
        let compiled: Vec<Result<Box<dyn Check>, String>> = defs
            .par_iter()
            .enumerate()
            .map(|(index, def)| {
                let rule_options = options.get(&def.name).copied();
                let compile = || def.check.compile_with(rule_options, &env);
                // Built-in patterns are compiled on first use (a test compiles each one
                // eagerly); the team's rules and configured options are compiled now so that
                // their errors are reported before any document is read.
                if index < builtin_count && rule_options.is_none() {
                    crate::rules::kinds::with_lazy_regexes(compile)
                } else {
                    compile()
                }
            })
            .collect();
        let mut rules = Vec::with_capacity(defs.len());
        for (def, compiled) in defs.into_iter().zip(compiled) {
            let check = compiled.map_err(|e| {
                let message = format!("in options for `{}`: {e}", def.name);
                let table = find_key(
                    text,
                    &[&format!("[rules.{}]", def.name), &format!("[rules.{}]", def.code)],
                );
                let rule_options = options.get(&def.name).copied();
                let span = rule_options.and_then(|o| locate_quoted_string(text, o, &e, table.start));
                ConfigError(describe_at(&display, text, span.unwrap_or(table), &message))
            })?;
            rules.push(CompiledRule {
                def,
                check,
                placement: Default::default(),
            });
        }

        let mut kind_globs = Vec::new();
        for entry in &file.kind_globs {
            let glob = Glob::new(&entry.glob).map_err(|e| at(&[&entry.glob], format!("invalid glob: {e}")))?;
            kind_globs.push((glob.compile_matcher(), entry.kind, entry.audience));
        }

        Ok(Settings {
            path: path.map(Path::to_path_buf),
            rules,
            names,
            default_kind: file.default_kind.unwrap_or_default(),
            fail_on: file.fail_on,
            organization: file.organization,
            kind_globs,
            base_dir: base_dir.to_path_buf(),
            severity_all,
            severity_by_kind,
            template_levels,
        })
    }

    /// The first `[[kind-globs]]` entry matching `path`.
    pub fn glob_kind(&self, path: &Path) -> Option<(DocKind, Option<Audience>)> {
        if self.kind_globs.is_empty() {
            return None;
        }
        // Paths are shown as given (relative) while the configuration may have been found by
        // walking up, so both are made absolute before the glob's base is stripped.
        let absolute = |p: &Path| absolute_path(if p.as_os_str().is_empty() { Path::new(".") } else { p });
        let full = absolute(path);
        let relative = full.strip_prefix(absolute(&self.base_dir)).unwrap_or(path);
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        self.kind_globs
            .iter()
            .find(|(m, _, _)| m.is_match(relative) || m.is_match(path))
            .map(|(_, k, a)| (*k, *a))
    }

    /// A rule's level for a kind after the rule file's default, a template for the kind,
    /// `[severity]` and `[severity.<kind>]`.
    pub fn level(&self, def: &RuleDef, kind: DocKind) -> Level {
        let mut level = def.severity.for_kind(kind);
        if let Some(l) = self.template_levels.get(&kind).and_then(|t| t.get(&def.name)) {
            level = *l;
        }
        if let Some(l) = self.severity_all.get(&def.name) {
            level = *l;
        }
        if let Some(l) = self.severity_by_kind.get(&kind).and_then(|t| t.get(&def.name)) {
            level = *l;
        }
        level
    }
}

/// The built-in section ids and templates merged with the configuration's, compiled.
fn compile_templates(
    file: &ConfigFile,
    defs: &[Arc<RuleDef>],
    options: &BTreeMap<String, &toml::Value>,
    at: &dyn Fn(&[&str], String) -> ConfigError,
) -> Result<Arc<Templates>, ConfigError> {
    let headings_of = |rule: &str| -> Result<Vec<String>, String> {
        let def = defs
            .iter()
            .find(|d| d.name == rule || d.code.eq_ignore_ascii_case(rule))
            .ok_or_else(|| format!("`headings-of` names unknown rule `{rule}`"))?;
        presence_headings(def, options.get(&def.name).copied())
    };
    let builtin = SectionData::builtin();
    // As for the rules: built-in patterns are compiled on first use (a test compiles each one
    // eagerly) unless the configuration adds to them, whose errors must show now.
    let configured = !file.sections.is_empty()
        || builtin
            .sections
            .values()
            .filter_map(|s| s.headings_of.as_deref())
            .any(|rule| defs.iter().any(|d| d.name == rule && options.contains_key(&d.name)));
    let build = || Templates::build(builtin, &file.sections, &file.templates, &headings_of);
    let built = if configured { build() } else { with_lazy_regexes(build) };
    built
        .map(Arc::new)
        .map_err(|e| at(&e.near.iter().map(String::as_str).collect::<Vec<_>>(), e.message))
}

/// For each kind with a template, the template rules that are off for it by default, at the
/// level their rule file gives them when a template applies (`with-template`).
fn template_levels(templates: &Templates, defs: &[Arc<RuleDef>]) -> BTreeMap<DocKind, BTreeMap<String, Level>> {
    let mut levels: BTreeMap<DocKind, BTreeMap<String, Level>> = BTreeMap::new();
    for kind in templates.kinds_with_template() {
        for def in defs {
            let CheckSpec::Template(params) = &def.check else {
                continue;
            };
            if let (Some(level), Level::Off) = (params.with_template, def.severity.for_kind(kind)) {
                levels.entry(kind).or_default().insert(def.name.clone(), level);
            }
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The current directory read once gives what asking each time gives, for relative paths
    /// with `.`, `..`, doubled and trailing separators, and absolute ones.
    #[test]
    fn absolute_paths_are_std_s() {
        for path in [
            "a.md",
            "./a.md",
            "docs/../a.md",
            "docs//a.md",
            "docs/",
            ".",
            "..",
            "/tmp/x/./y",
            "//tmp/x",
        ] {
            assert_eq!(
                absolute_path(Path::new(path)),
                std::path::absolute(path).unwrap(),
                "{path:?}"
            );
        }
    }
}
