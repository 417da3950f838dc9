//! Suppression comments: `<!-- crisislint-disable-next-line CL301 -- reason -->` and friends.

use crate::diagnostic::Span;

/// What a suppression comment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `crisislint-disable-next-line`: the next non-blank line.
    DisableNextLine,
    /// `crisislint-disable`: from here to the matching enable (or the end of the file).
    Disable,
    /// `crisislint-enable`: ends a disabled range.
    Enable,
    /// `crisislint-disable-file`: the whole file.
    DisableFile,
    /// Starts with `crisislint-` but is none of the above.
    Malformed,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What it does.
    pub kind: DirectiveKind,
    /// The whole comment.
    pub span: Span,
    /// The word after `crisislint-` (for the malformed message), e.g. `disabel`.
    pub keyword: String,
    /// Rule names or codes as written, each with its span; empty means every rule.
    pub rules: Vec<(String, Span)>,
    /// The text after `--`, kept for the reader.
    pub reason: Option<String>,
}

/// Parses the directive in an HTML comment starting at byte `at`; `None` when the comment is
/// not a crisislint directive.
pub fn parse_comment(comment: &str, at: usize) -> Option<Directive> {
    let inner_start = comment.find("<!--")? + 4;
    let inner_end = comment
        .rfind("-->")
        .filter(|&e| e >= inner_start)
        .unwrap_or(comment.len());
    let inner = &comment[inner_start..inner_end];
    let lead = inner.len() - inner.trim_start().len();
    let body = inner.trim_start();
    let rest = body.strip_prefix("crisislint-")?;
    let keyword_len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let keyword = &rest[..keyword_len];
    let kind = match keyword {
        "disable-next-line" => DirectiveKind::DisableNextLine,
        "disable" => DirectiveKind::Disable,
        "enable" => DirectiveKind::Enable,
        "disable-file" => DirectiveKind::DisableFile,
        _ => DirectiveKind::Malformed,
    };
    let args_start = inner_start + lead + "crisislint-".len() + keyword_len;
    let args_all = &comment[args_start..inner_end];
    let (args, reason) = match args_all.find("--") {
        Some(i) => (
            &args_all[..i],
            Some(args_all[i + 2..].trim().to_string()).filter(|r| !r.is_empty()),
        ),
        None => (args_all, None),
    };
    let mut rules = Vec::new();
    let mut offset = 0;
    for piece in args.split(',') {
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let local = offset + piece.find(trimmed).unwrap_or(0);
            let start = at + args_start + local;
            rules.push((trimmed.to_string(), Span::new(start, start + trimmed.len())));
        }
        offset += piece.len() + 1;
    }
    Some(Directive {
        kind,
        span: Span::new(at, at + comment.len()),
        keyword: keyword.to_string(),
        rules,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let c = "<!-- crisislint-disable-next-line CL301, missing-apology -- quoted log -->";
        let d = parse_comment(c, 10).unwrap();
        assert_eq!(d.kind, DirectiveKind::DisableNextLine);
        assert_eq!(d.rules.len(), 2);
        assert_eq!(d.rules[0].0, "CL301");
        assert_eq!(&c[d.rules[1].1.start - 10..d.rules[1].1.end - 10], "missing-apology");
        assert_eq!(d.reason.as_deref(), Some("quoted log"));
    }

    #[test]
    fn no_rules_means_all_and_unknown_keywords_are_malformed() {
        assert!(parse_comment("<!-- crisislint-disable-file -->", 0)
            .unwrap()
            .rules
            .is_empty());
        assert_eq!(
            parse_comment("<!-- crisislint-disabel x -->", 0).unwrap().kind,
            DirectiveKind::Malformed
        );
        assert!(parse_comment("<!-- a comment -->", 0).is_none());
    }
}
