//! Front matter: YAML between `---` lines or TOML between `+++` lines at the top of the file,
//! or a Pelican-style header (`Title: ...` lines up to the first blank line).
//!
//! Only a few keys matter to crisislint: `title`, `date` and the `crisislint:` table
//! (`kind`, `audience`, `disable`). Values are located in the source so that errors about
//! them point at the right line.

use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::Span;
use std::sync::LazyLock;
use yaml_rust2::parser::Event;
use yaml_rust2::{Yaml, YamlLoader};

/// A front matter value and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaValue {
    /// The value as a string.
    pub value: String,
    /// Its place in the source (the key's line when the value cannot be located exactly).
    pub span: Span,
}

/// What crisislint reads from the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The whole block, delimiters included (also a Pelican header).
    pub span: Option<Span>,
    /// True for a Pelican header rather than delimited front matter.
    pub pelican: bool,
    /// `title`.
    pub title: Option<MetaValue>,
    /// `date`, as written.
    pub date: Option<MetaValue>,
    /// `crisislint.kind`.
    pub kind: Option<MetaValue>,
    /// `crisislint.audience`.
    pub audience: Option<MetaValue>,
    /// `crisislint.disable`: rule names or codes.
    pub disable: Vec<MetaValue>,
    /// A problem reading it (syntax error); crisislint then lints the body without it.
    pub error: Option<MetaValue>,
}

static PELICAN_LINE: LazyLock<CompiledRegex> = LazyLock::new(|| CompiledRegex::fixed(r"^[A-Za-z][\w-]*:\s"));

/// Reads the front matter at the top of `source` (after a BOM).
pub fn read(source: &str) -> FrontMatter {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[start..];
    for (fence, is_yaml) in [("---", true), ("+++", false)] {
        if let Some(fm) = delimited(source, start, body, fence, is_yaml) {
            return fm;
        }
    }
    pelican(source, start)
}

/// The byte range of each line of `text` (without line terminators), offset by `base`.
fn lines_with_offsets(text: &str, base: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |line| {
        let at = base + pos;
        pos += line.len();
        (at, line.trim_end_matches(['\n', '\r']))
    })
}

fn delimited(source: &str, start: usize, body: &str, fence: &str, is_yaml: bool) -> Option<FrontMatter> {
    let mut lines = lines_with_offsets(body, start);
    let (_, first) = lines.next()?;
    if first.trim_end() != fence {
        return None;
    }
    let content_start = start + body.find('\n')? + 1;
    for (at, line) in lines {
        let closing = line.trim_end() == fence || (is_yaml && line.trim_end() == "...");
        if closing {
            let end = (at + line.len()..source.len())
                .find(|&i| source.as_bytes().get(i) == Some(&b'\n'))
                .map_or(source.len(), |i| i + 1);
            let content = &source[content_start..at];
            let mut fm = FrontMatter {
                span: Some(Span::new(0, end)),
                ..FrontMatter::default()
            };
            if is_yaml {
                read_yaml(source, content_start, content, &mut fm);
            } else {
                read_toml(source, content_start, content, &mut fm);
            }
            return Some(fm);
        }
    }
    None // unterminated: not front matter, pulldown-cmark sees a thematic break
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Finds where `value` is written inside `content` (after `key` when possible).
fn locate(content_start: usize, content: &str, key: &str, value: &str) -> Span {
    let key_at = end_of_key(content, key).unwrap_or(0);
    match content[key_at..].find(value).filter(|_| !value.is_empty()) {
        Some(i) => Span::new(content_start + key_at + i, content_start + key_at + i + value.len()),
        None => Span::new(content_start + key_at, content_start + key_at),
    }
}

/// Where the first `key:` or `key =` of `content` ends: the key starts a line or follows
/// whitespace, `{` or `,`. (A regex built per key cost more than parsing the whole document.)
fn end_of_key(content: &str, key: &str) -> Option<usize> {
    if !key.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let mut from = 0;
    while let Some(found) = content[from..].find(key) {
        let at = from + found;
        let after_separator = content[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',');
        let rest = &content[at + key.len()..];
        let value = rest.trim_start();
        if after_separator && value.starts_with([':', '=']) {
            return Some(content.len() - value.len() + 1);
        }
        from = at + content[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Deepest nesting of mappings and sequences accepted in YAML front matter. yaml-rust2 builds
/// its tree recursively and only limits flow nesting (`[[[`), so a few hundred indented levels
/// overflowed the stack and aborted the whole run.
const MAX_YAML_DEPTH: usize = 64;

/// Walks the YAML event stream (an iterative parser) and returns the line where nesting first
/// goes deeper than [`MAX_YAML_DEPTH`]; scan errors are left to the loader, which reports them.
fn too_deep(content: &str) -> Option<usize> {
    // Each level opens with an indicator of its own (`-`, `[`, `{`, a key's `:` or `?`), so
    // text with few of them cannot nest too deep, and is not parsed twice: front matter of a
    // few keys has a dozen (walking the events was half of reading it).
    let indicators = content
        .bytes()
        .filter(|b| matches!(b, b'-' | b'[' | b'{' | b':' | b'?'))
        .count();
    if indicators <= MAX_YAML_DEPTH {
        return None;
    }
    let mut parser = yaml_rust2::parser::Parser::new_from_str(content);
    let mut depth = 0usize;
    loop {
        match parser.next_token() {
            Ok((Event::MappingStart(..) | Event::SequenceStart(..), mark)) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Some(mark.line());
                }
            }
            Ok((Event::MappingEnd | Event::SequenceEnd, _)) => depth = depth.saturating_sub(1),
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn read_yaml(source: &str, content_start: usize, content: &str, fm: &mut FrontMatter) {
    if let Some(line) = too_deep(content) {
        let at = lines_with_offsets(content, content_start)
            .nth(line.saturating_sub(1))
            .map_or(content_start, |(at, _)| at);
        fm.error = Some(MetaValue {
            value: format!("front matter nests deeper than {MAX_YAML_DEPTH} levels; not read"),
            span: Span::empty(at),
        });
        return;
    }
    let docs = match YamlLoader::load_from_str(content) {
        Ok(docs) => docs,
        Err(e) => {
            let line = e.marker().line().saturating_sub(1);
            let at = lines_with_offsets(content, content_start)
                .nth(line)
                .map_or(content_start, |(at, _)| at);
            fm.error = Some(MetaValue {
                value: format!("front matter is not valid YAML: {}", e.info()),
                span: Span::empty(at),
            });
            return;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return;
    };
    let get = |key: &str| map.get(&Yaml::String(key.to_string()));
    let meta = |key: &str, v: &Yaml| {
        scalar(v).map(|s| MetaValue {
            span: locate(content_start, content, key, &s),
            value: s,
        })
    };
    fm.title = get("title").and_then(|v| meta("title", v));
    fm.date = get("date").and_then(|v| meta("date", v));
    if let Some(Yaml::Hash(cl)) = get("crisislint") {
        let cl_get = |key: &str| cl.get(&Yaml::String(key.to_string()));
        fm.kind = cl_get("kind").and_then(|v| meta("kind", v));
        fm.audience = cl_get("audience").and_then(|v| meta("audience", v));
        match cl_get("disable") {
            Some(Yaml::Array(items)) => fm.disable = items.iter().filter_map(|v| meta("disable", v)).collect(),
            Some(v) => fm.disable = meta("disable", v).into_iter().collect(),
            None => {}
        }
        let known = ["kind", "audience", "disable"];
        if let Some(unknown) = cl.keys().filter_map(Yaml::as_str).find(|k| !known.contains(k)) {
            fm.error = Some(MetaValue {
                value: format!(
                    "unknown key `{unknown}` in the `crisislint` front matter (expected kind, audience, disable)"
                ),
                span: locate(content_start, content, unknown, ""),
            });
        }
    }
    let _ = source;
}

fn read_toml(source: &str, content_start: usize, content: &str, fm: &mut FrontMatter) {
    let table: toml::Table = match content.parse() {
        Ok(t) => t,
        Err(e) => {
            let at = e.span().map_or(content_start, |s| content_start + s.start);
            fm.error = Some(MetaValue {
                value: format!("front matter is not valid TOML: {}", e.message()),
                span: Span::empty(at),
            });
            return;
        }
    };
    let as_string = |v: &toml::Value| match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    let meta = |key: &str, v: &toml::Value| {
        as_string(v).map(|s| MetaValue {
            span: locate(content_start, content, key, &s),
            value: s,
        })
    };
    fm.title = table.get("title").and_then(|v| meta("title", v));
    fm.date = table.get("date").and_then(|v| meta("date", v));
    if let Some(toml::Value::Table(cl)) = table.get("crisislint") {
        fm.kind = cl.get("kind").and_then(|v| meta("kind", v));
        fm.audience = cl.get("audience").and_then(|v| meta("audience", v));
        if let Some(toml::Value::Array(items)) = cl.get("disable") {
            fm.disable = items.iter().filter_map(|v| meta("disable", v)).collect();
        }
    }
    let _ = source;
}

fn pelican(source: &str, start: usize) -> FrontMatter {
    let mut end = start;
    let mut title = None;
    let mut any = false;
    for (at, line) in lines_with_offsets(&source[start..], start) {
        if line.trim().is_empty() {
            break;
        }
        // Every match starts with an ASCII letter and holds a colon: most documents start
        // otherwise, and never compile the pattern.
        let may_match = line.starts_with(|c: char| c.is_ascii_alphabetic()) && line.contains(':');
        if !may_match || !PELICAN_LINE.is_match(&format!("{line} ")) {
            return FrontMatter::default();
        }
        any = true;
        let colon = line.find(':').unwrap_or(0);
        if line[..colon].eq_ignore_ascii_case("title") {
            let value = line[colon + 1..].trim();
            let value_at = at + colon + 1 + (line[colon + 1..].len() - line[colon + 1..].trim_start().len());
            title = Some(MetaValue {
                value: value.to_string(),
                span: Span::new(value_at, value_at + value.len()),
            });
        }
        end = (at + line.len() + 1).min(source.len());
    }
    // A lone `Note: ...` paragraph is prose; a header needs a Title line or several keys.
    if !any || title.is_none() {
        return FrontMatter::default();
    }
    FrontMatter {
        span: Some(Span::new(start, end)),
        pelican: true,
        title,
        ..FrontMatter::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_with_crisislint_table() {
        let src = "---\ntitle: \"Outage on 3 May\"\ndate: 2024-05-03\ncrisislint: {kind: postmortem, disable: [CL301]}\n---\n# Body\n";
        let fm = read(src);
        assert_eq!(fm.span, Some(Span::new(0, src.find("# Body").unwrap())));
        let title = fm.title.unwrap();
        assert_eq!(&src[title.span.start..title.span.end], "Outage on 3 May");
        assert_eq!(fm.date.unwrap().value, "2024-05-03");
        assert_eq!(fm.kind.unwrap().value, "postmortem");
        assert_eq!(fm.disable[0].value, "CL301");
    }

    #[test]
    fn toml_and_pelican_headers() {
        let fm = read("+++\ntitle = \"Down\"\n+++\ntext\n");
        assert_eq!(fm.title.unwrap().value, "Down");
        let src = "Title: Login failures\nDate: 2020-01-01\n\nBody.\n";
        let fm = read(src);
        assert!(fm.pelican);
        assert_eq!(fm.title.unwrap().value, "Login failures");
        assert_eq!(fm.span, Some(Span::new(0, src.find("\nBody").unwrap())));
        // A Pelican key starts with an ASCII letter and ends with a colon.
        for not_pelican in ["Été: chaud\n\nBody.\n", "# Title: x\n\nBody.\n", "Title - x\n\nBody.\n"] {
            assert!(!read(not_pelican).pelican, "{not_pelican}");
        }
    }

    #[test]
    fn front_matter_nested_too_deep_is_refused_whichever_way_it_nests() {
        let block: String = (0..=MAX_YAML_DEPTH)
            .map(|level| format!("{}k{level}:\n", "  ".repeat(level)))
            .collect();
        let deep = [
            block,
            format!(
                "k: {}1{}\n",
                "[".repeat(MAX_YAML_DEPTH + 1),
                "]".repeat(MAX_YAML_DEPTH + 1)
            ),
            format!("k: {}x: 1{}\n", "{".repeat(MAX_YAML_DEPTH), "}".repeat(MAX_YAML_DEPTH)),
            format!("{}x\n", "- ".repeat(MAX_YAML_DEPTH + 1)),
        ];
        for content in deep {
            let error = read(&format!("---\n{content}---\nBody.\n")).error.map(|e| e.value);
            assert_eq!(
                error.as_deref(),
                Some("front matter nests deeper than 64 levels; not read"),
                "{content}"
            );
        }
        // As deep as allowed, with many indicators that nest nothing: read.
        let allowed = format!(
            "title: {}\nk: {}1{}\n",
            "a-b:c ".repeat(40),
            "[".repeat(MAX_YAML_DEPTH - 1),
            "]".repeat(MAX_YAML_DEPTH - 1)
        );
        let fm = read(&format!("---\n{allowed}---\nBody.\n"));
        assert_eq!(fm.error, None);
        assert!(fm.title.is_some_and(|t| t.value.starts_with("a-b:c a-b:c")));
    }

    #[test]
    fn unterminated_front_matter_is_not_front_matter() {
        assert_eq!(read("---\ntitle: x\n\nno end\n"), FrontMatter::default());
    }

    #[test]
    fn a_key_counts_at_a_line_start_or_after_a_separator_only() {
        let text = "subtitle: a\ntitle : b\n";
        assert_eq!(end_of_key(text, "title"), Some(19));
        assert_eq!(end_of_key("{kind: x, title= y}", "title"), Some(16));
        assert_eq!(end_of_key("titles: x", "title"), None);
        assert_eq!(end_of_key("é-title: x", "title"), None);
        assert_eq!(end_of_key("title: x", "-x"), None);
    }
}
