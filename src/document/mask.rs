//! The prose mask: the source with every non-prose byte blanked to a space, newlines kept.

use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::Span;
use std::sync::LazyLock;

/// A mask being built: starts fully blank, prose ranges are copied in from the source.
pub struct MaskBuilder<'a> {
    source: &'a str,
    bytes: Vec<u8>,
}

/// Bare URLs and `www.` hosts in prose; trailing sentence punctuation is not part of them,
/// nor is CJK punctuation or a full-width form, which no URL holds unescaped. The word boundary
/// is ASCII's: Chinese and Japanese glue a URL to the text before it, whose characters are
/// word characters to a Unicode boundary.
static URL: LazyLock<CompiledRegex> = LazyLock::new(|| {
    CompiledRegex::fixed(
        r"(?i)(?-u:\b)(?:(?:https?|ftp|file)://|www\.)[^\s<>()\[\]{}`\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]*[^\s<>()\[\]{}`.,;:!?'\x22\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]",
    )
});

/// Static-site shortcodes: `{{< ... >}}`, `{{% ... %}}`, `{% ... %}`, `{{ ... }}`.
static SHORTCODE: LazyLock<CompiledRegex> =
    LazyLock::new(|| CompiledRegex::fixed(r"(?s)\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}"));

/// Compiles the URL pattern, which most announcements need (see
/// [`Document::warm_up`](super::Document::warm_up)). Shortcodes are rare: that pattern is
/// compiled by the first text that may hold one.
pub(super) fn warm_up() {
    LazyLock::force(&URL);
}

/// False when `text` cannot hold a bare URL (a match of `URL` here): every match starts with
/// `://` after its scheme or with `www.` in any case. Saves compiling the pattern for a text
/// without links, and searching it (the contact rule's bare URLs too).
pub fn may_hold_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"://").is_some()
        || memchr::memchr_iter(b'.', bytes).any(|at| at >= 3 && bytes[at - 3..at].eq_ignore_ascii_case(b"www"))
}

/// False when `text` cannot hold a match of [`SHORTCODE`], whose every match starts so.
fn may_hold_shortcode(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

impl<'a> MaskBuilder<'a> {
    /// A blank mask for `source` (newlines and carriage returns kept).
    pub fn new(source: &'a str) -> Self {
        let bytes = source
            .bytes()
            .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
            .collect();
        MaskBuilder { source, bytes }
    }

    /// Copies a prose range from the source.
    pub fn reveal(&mut self, span: Span) {
        self.bytes[span.start..span.end].copy_from_slice(&self.source.as_bytes()[span.start..span.end]);
    }

    /// Blanks a range again (keeping line breaks).
    pub fn blank(&mut self, span: Span) {
        for b in &mut self.bytes[span.start..span.end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// The bytes as they are now.
    pub fn into_string(self) -> String {
        String::from_utf8(self.bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Blanks bare URLs and shortcodes left in the prose, and returns the mask.
    pub fn finish(mut self) -> String {
        self.blank_matches(&URL, may_hold_url);
        self.blank_matches(&SHORTCODE, may_hold_shortcode);
        self.into_string()
    }

    /// Blanks every match of `re` in the mask, unless `may_hold` rules the text out first.
    fn blank_matches(&mut self, re: &LazyLock<CompiledRegex>, may_hold: fn(&str) -> bool) {
        // Only whole characters were copied or blanked, so the bytes are UTF-8; searching
        // them in place spares a copy of the whole text per pattern.
        let text = match std::str::from_utf8(&self.bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&self.bytes),
        };
        if !may_hold(&text) {
            return;
        }
        let found: Vec<Span> = re.find_iter(&text).map(|m| Span::new(m.start(), m.end())).collect();
        drop(text);
        for span in found {
            self.blank(span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_shortcodes_are_blanked_but_sentence_punctuation_stays() {
        let src = "See https://example.com/a?b=1. Or {{< track \"x\" >}} now.";
        let mut m = MaskBuilder::new(src);
        m.reveal(Span::new(0, src.len()));
        let mask = m.finish();
        assert_eq!(mask.len(), src.len());
        assert!(mask.starts_with("See "));
        assert!(!mask.contains("example"));
        assert!(mask.contains(". Or "));
        assert!(!mask.contains("track"));
        assert!(mask.ends_with(" now."));
    }

    #[test]
    fn links_in_any_case_and_every_shortcode_form_are_blanked() {
        let src = "WWW.Example.org, HTTP://A.example/x and file:///tmp/a; {% raw %} {{ site }} {{% n %}} end";
        let mut m = MaskBuilder::new(src);
        m.reveal(Span::new(0, src.len()));
        let mask = m.finish();
        assert_eq!(mask.split_whitespace().collect::<Vec<_>>(), [",", "and", ";", "end"]);
    }

    #[test]
    fn a_url_written_against_cjk_text_is_blanked() {
        // No space before it, as Chinese and Japanese write: for a Unicode word boundary the
        // CJK character before `https` is a letter of the same word, and nothing was blanked.
        let src = "详情见https://status.example.com。请稍候";
        let mut m = MaskBuilder::new(src);
        m.reveal(Span::new(0, src.len()));
        let mask = m.finish();
        assert!(!mask.contains("example"), "{mask}");
        assert!(mask.starts_with("详情见 ") && mask.ends_with(" 。请稍候"), "{mask}");
    }

    #[test]
    fn the_checks_before_compiling_only_rule_out_texts_without_a_match() {
        for text in ["see wWw.x.org", "a://b", "http://x"] {
            assert!(may_hold_url(text), "{text}");
        }
        for text in ["ww.x", "http:/x", "www-x", ""] {
            assert!(!may_hold_url(text), "{text}");
        }
        assert!(may_hold_shortcode("a {{ b"));
        assert!(may_hold_shortcode("{%"));
        assert!(!may_hold_shortcode("{ { } }"));
    }
}
