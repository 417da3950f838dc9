//! Rewrites offered with a phrase (always `maybe-incorrect`): a pattern matched at the phrase's
//! start, its text replaced by a template, reduced to the smallest edit (`will prevent` →
//! `will help prevent` inserts `help `).

use super::SuggestionParams;
use crate::diagnostic::Span;
use crate::document::Document;
use crate::rules::kinds::presence::pattern::compile_anchored;
use crate::rules::kinds::LazyRegex;

/// A compiled rewrite.
#[derive(Debug)]
pub struct Rewrite {
    find: LazyRegex,
    replace: String,
}

impl Rewrite {
    /// Compiles `find` anchored at the phrase start, read like a trigger pattern.
    pub fn compile(params: &SuggestionParams) -> Result<Self, String> {
        Ok(Rewrite {
            find: compile_anchored(&params.find).map_err(|e| format!("in `suggestions`: {e}"))?,
            replace: params.replace.clone(),
        })
    }
}

/// The first rewrite that applies at the start of `phrase`, as a minimal edit. None when the
/// text to change holds markup (the mask differs from the source there): rewriting it would
/// drop the markup.
pub fn first(rewrites: &[Rewrite], doc: &Document, phrase: Span) -> Option<(Span, String)> {
    // The phrase and the rest of its last line: a rewrite may reach a little beyond the phrase.
    let line_end = doc.mask[phrase.end..]
        .find('\n')
        .map_or(doc.mask.len(), |i| phrase.end + i);
    let rest = &doc.mask[phrase.start..line_end];
    // A sentence-initial capital is matched in lower case and put back on the rewrite's first
    // letter (`Mistakes were made` → `We made mistakes`).
    let initial_capital = rest.starts_with(char::is_uppercase);
    let subject = if initial_capital {
        lower_first(rest)
    } else {
        rest.to_string()
    };
    if subject.len() != rest.len() {
        return None;
    }
    let (rewrite, caps) = rewrites.iter().find_map(|r| Some((r, r.find.captures(&subject)?)))?;
    let end = caps.get(0)?.end();
    let mut replacement = String::new();
    caps.expand(&rewrite.replace, &mut replacement);
    let old = &rest[..end];
    if doc.text(Span::new(phrase.start, phrase.start + end)) != old {
        return None;
    }
    if initial_capital {
        replacement = capitalize(&replacement);
    }
    let (start, end, new) = minimal_edit(old, &replacement);
    Some((Span::new(phrase.start + start, phrase.start + end), new.to_string()))
}

/// The first letter in lower case.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first letter in upper case (`we made` → `We made` at a sentence start).
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `old` and `new` without their common leading and trailing words: the byte range of `old` to
/// replace and what to put there. Whole words, so that a rewrite never splits one (`A mistake
/// was made` → `We made a mistake` replaces it all rather than keeping a shared final `e`).
fn minimal_edit<'a>(old: &str, new: &'a str) -> (usize, usize, &'a str) {
    let words = |text: &str| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() && !text[i + c.len_utf8()..].starts_with(char::is_whitespace) {
                out.push((start, i + c.len_utf8()));
                start = i + c.len_utf8();
            }
        }
        if start < text.len() {
            out.push((start, text.len()));
        }
        out
    };
    let (a, b) = (words(old), words(new));
    let same = |x: (usize, usize), y: (usize, usize)| old[x.0..x.1] == new[y.0..y.1];
    let lead = a.iter().zip(&b).take_while(|(x, y)| same(**x, **y)).count();
    let trail = a[lead..]
        .iter()
        .rev()
        .zip(b[lead..].iter().rev())
        .take_while(|(x, y)| same(**x, **y))
        .count();
    let at = |list: &[(usize, usize)], index: usize, len: usize| list.get(index).map_or(len, |w| w.0);
    let old_start = at(&a, lead, old.len());
    let old_end = at(&a, a.len() - trail, old.len());
    let new_start = at(&b, lead, new.len());
    let new_end = at(&b, b.len() - trail, new.len());
    (old_start, old_end, &new[new_start..new_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insertion_is_reduced_to_an_empty_span() {
        assert_eq!(minimal_edit("will ", "will help "), (5, 5, "help "));
        assert_eq!(minimal_edit("only 2", "2"), (0, 5, ""));
        assert_eq!(
            minimal_edit("mistakes were made", "we made mistakes"),
            (0, 18, "we made mistakes")
        );
        assert_eq!(
            minimal_edit("A mistake was made", "We made a mistake"),
            (0, 18, "We made a mistake")
        );
        assert_eq!(minimal_edit("It was decided to", "We decided to"), (0, 7, "We "));
    }

    #[test]
    fn a_sentence_initial_capital_is_kept() {
        let doc = Document::parse("t.md", "Mistakes were made.\n".to_string());
        let rewrite = Rewrite::compile(&SuggestionParams {
            find: "(?P<what>mistakes) were made".to_string(),
            replace: "we made $what".to_string(),
        })
        .unwrap();
        let (span, text) = first(&[rewrite], &doc, Span::new(0, 18)).unwrap();
        assert_eq!((span, text.as_str()), (Span::new(0, 18), "We made mistakes"));
    }

    #[test]
    fn no_rewrite_across_markup() {
        let doc = Document::parse("t.md", "We **will** prevent this.\n".to_string());
        let rewrite = Rewrite::compile(&SuggestionParams {
            find: "(?P<w>will) ".to_string(),
            replace: "$w help ".to_string(),
        })
        .unwrap();
        assert_eq!(first(&[rewrite], &doc, Span::new(5, 24)), None);
    }
}
