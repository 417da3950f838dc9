//! Inline HTML tags whose name is no HTML element: `<component name>`, `<email>`. Markdown
//! parses them as HTML, so the prose mask blanks them, yet in a published page they either
//! vanish or show as literal text; either way a value was never filled in.

use crate::compiled_regex::CompiledRegex;
use std::sync::LazyLock;

/// Element names of the HTML Living Standard, with the obsolete ones still found in old pages
/// (`center`, `font`, `tt`). A fact about HTML, not a tunable lexicon, so it lives here; teams
/// with components of their own list them in `allow-tags`.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// An opening or self-closing tag at the start of a text: `<name>`, `<name attr>`, `<name/>`.
/// Autolinks (`<https://...>`, `<a@b.c>`), closing tags and comments do not match.
static OPENING_TAG: LazyLock<CompiledRegex> =
    LazyLock::new(|| CompiledRegex::fixed(r"^<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>"));

/// The length of the opening tag that starts `text`, if one does.
pub fn tag_at(text: &str) -> Option<usize> {
    OPENING_TAG.find(text).map(|m| m.end())
}

/// The tag's name, for a text that starts with an opening tag.
pub fn tag_name(tag: &str) -> Option<&str> {
    OPENING_TAG.captures(tag).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// True for a known HTML element name (any case).
pub fn is_html_element(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    HTML_ELEMENTS.binary_search(&lower.as_str()).is_ok()
}

/// True when an opening tag names no HTML element.
pub fn is_placeholder_tag(tag: &str) -> bool {
    tag_name(tag).is_some_and(|name| !is_html_element(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_element_list_is_sorted_for_binary_search() {
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn elements_and_placeholders() {
        assert!(!is_placeholder_tag("<br>"));
        assert!(!is_placeholder_tag("<BR/>"));
        assert!(!is_placeholder_tag(r#"<a href="https://example.com">"#));
        assert!(is_placeholder_tag("<component name>"));
        assert!(is_placeholder_tag("<email>"));
        assert!(is_placeholder_tag("<start-time>"));
    }

    #[test]
    fn autolinks_and_closing_tags_are_not_tags() {
        assert_eq!(tag_at("<https://example.com>"), None);
        assert_eq!(tag_at("<help@example.com>"), None);
        assert_eq!(tag_at("</span>"), None);
        assert_eq!(tag_at("<!-- note -->"), None);
        assert_eq!(tag_at("<email> or"), Some(7));
    }
}
