//! "Defined on first use": an occurrence that the text around it explains (RULES.md CL201).

use crate::rules::kinds::compile_regex;

/// How far around an occurrence a definition is looked for, in bytes.
const WINDOW: usize = 300;

/// The compiled definition cues.
#[derive(Debug)]
pub struct Definitions {
    /// Anchored at the end of the term: `CDN (the network that ...)`, `, which means`.
    follows: crate::rules::kinds::LazyRegex,
    /// Anchored at the end of the term: what looks like `follows` but is a remark.
    follows_unless: Option<crate::rules::kinds::LazyRegex>,
    /// Anchored at the start of the term: `so-called`, `known as`.
    precedes: crate::rules::kinds::LazyRegex,
}

impl Definitions {
    /// Compiles the rule file's `definition-follows`, `definition-follows-unless` and
    /// `definition-precedes` patterns.
    pub fn compile(follows: &str, follows_unless: Option<&str>, precedes: &str) -> Result<Self, String> {
        Ok(Definitions {
            follows: compile_regex(&format!("^(?:{follows})"))?,
            follows_unless: follows_unless
                .map(|unless| compile_regex(&format!("^(?:{unless})")))
                .transpose()?,
            precedes: compile_regex(&format!("(?:{precedes})$"))?,
        })
    }

    /// True when the occurrence at `range` of `text` is explained where it stands.
    pub fn defines(&self, text: &str, range: std::ops::Range<usize>) -> bool {
        let after = &text[range.end..ceil_char_boundary(text, range.end + WINDOW)];
        let before = &text[floor_char_boundary(text, range.start.saturating_sub(WINDOW))..range.start];
        let explained =
            self.follows.is_match(after) && !self.follows_unless.as_ref().is_some_and(|u| u.is_match(after));
        explained || self.precedes.is_match_anchored_at_end(before)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule file's own patterns, so these tests check what ships.
    fn shipped() -> Definitions {
        let p = crate::rules::kinds::jargon::shipped_params();
        Definitions::compile(
            &p.definition_follows,
            p.definition_follows_unless.as_deref(),
            &p.definition_precedes,
        )
        .unwrap()
    }

    fn defined(text: &str, term: &str) -> bool {
        let start = text.find(term).unwrap();
        shipped().defines(text, start..start + term.len())
    }

    #[test]
    fn explanations_right_after_the_term_define_it() {
        assert!(defined("Our CDN (the network that delivers our pages) failed.", "CDN"));
        assert!(defined("The cache, which means a stored copy, was stale.", "cache"));
        assert!(defined("The CDN, a network of servers, failed.", "CDN"));
        assert!(defined("Our CDN (content delivery network) failed.", "CDN"));
        assert!(defined("A failover — a switch to a backup — ran.", "failover"));
        assert!(defined("Latency (i.e. delay) rose.", "Latency"));
        assert!(defined("Latency, meaning delay, rose.", "Latency"));
    }

    #[test]
    fn a_name_given_before_the_term_defines_it() {
        assert!(defined("the so-called failover kicked in", "failover"));
        assert!(defined("a system known as \"the CDN\" failed", "CDN"));
    }

    #[test]
    fn ordinary_continuations_do_not_define_it() {
        assert!(!defined("Our CDN (EU) failed.", "CDN"));
        assert!(!defined("Latency rose, and then fell.", "Latency"));
        assert!(!defined("We rolled back the deploy.", "rolled back"));
        assert!(!defined("The cache was stale", "cache"));
        assert!(!defined(
            "After the deploy, the site failed to load for most of you.",
            "deploy"
        ));
        assert!(!defined("The cache (in the European region) was stale.", "cache"));
        assert!(!defined("The cache (2 copies) was stale.", "cache"));
        assert!(!defined(
            "We rotated the tokens, meaning they must be replaced.",
            "tokens"
        ));
    }

    #[test]
    fn windows_stay_on_character_boundaries() {
        let text = format!("{}CDN{}", "é".repeat(200), "ü".repeat(200));
        assert!(!defined(&text, "CDN"));
    }
}
