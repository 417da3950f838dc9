//! Zone tokens (RULES.md §5, CL3xx): the lexicon, what each token counts as, and its family.
//!
//! One regex pass over the prose mask finds every candidate. A token starts at a word boundary
//! or right after a digit, as a zone may be glued to the digits of a time (`8UTC`, `2:30UTC`);
//! a non-ASCII letter before it, which the ASCII boundary does not see, is checked by hand.

use crate::compiled_regex::CompiledRegex;
use crate::diagnostic::Span;
use crate::document::{compact, CompactSpan};

/// Abbreviations that are zones only when written in capitals.
const ABBREVIATIONS: &[&str] = &[
    "WET", "WEST", "CET", "CEST", "MET", "MEST", "EET", "EEST", "MSK", "IST", "PKT", "SGT", "HKT", "JST", "KST",
    "AWST", "ACST", "ACDT", "AEST", "AEDT", "NZST", "NZDT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
    "AKST", "AKDT", "HST", "AST", "ADT", "NST", "NDT", "BST", "BRT", "ART", "ET", "CT", "MT", "PT",
];

/// Abbreviations too short or too common to stand alone: zones only when attached to a time.
const ATTACHED_ONLY: &[&str] = &["ET", "CT", "MT", "PT", "UT"];

/// US region names that are zones alone only right after a time or in a declaration.
const REGIONS: &[&str] = &["Eastern", "Central", "Mountain", "Pacific"];

/// IANA areas (`Area/City`).
const IANA_AREAS: &str = "Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc";

/// Families (RULES.md CL304): tokens that name the same zone or a standard/summer pair. The
/// first entry names the family. `GMT` is in the UTC family and pairs with `BST`, so `BST`
/// joins it too.
const FAMILIES: &[&[&str]] = &[
    &[
        "UTC",
        "GMT",
        "UT",
        "Z",
        "ZULU",
        "COORDINATED UNIVERSAL TIME",
        "GREENWICH MEAN TIME",
        "BST",
        "BRITISH SUMMER TIME",
        "ETC/UTC",
        "ETC/GMT",
    ],
    &[
        "CET",
        "CEST",
        "MET",
        "MEST",
        "CENTRAL EUROPEAN TIME",
        "CENTRAL EUROPEAN SUMMER TIME",
    ],
    &["EET", "EEST", "EASTERN EUROPEAN TIME", "EASTERN EUROPEAN SUMMER TIME"],
    &["WET", "WEST", "WESTERN EUROPEAN TIME", "WESTERN EUROPEAN SUMMER TIME"],
    &[
        "EST",
        "EDT",
        "ET",
        "EASTERN",
        "EASTERN TIME",
        "EASTERN STANDARD TIME",
        "EASTERN DAYLIGHT TIME",
    ],
    &[
        "CST",
        "CDT",
        "CT",
        "CENTRAL",
        "CENTRAL TIME",
        "CENTRAL STANDARD TIME",
        "CENTRAL DAYLIGHT TIME",
    ],
    &[
        "MST",
        "MDT",
        "MT",
        "MOUNTAIN",
        "MOUNTAIN TIME",
        "MOUNTAIN STANDARD TIME",
        "MOUNTAIN DAYLIGHT TIME",
    ],
    &[
        "PST",
        "PDT",
        "PT",
        "PACIFIC",
        "PACIFIC TIME",
        "PACIFIC STANDARD TIME",
        "PACIFIC DAYLIGHT TIME",
    ],
    &[
        "AST",
        "ADT",
        "ATLANTIC TIME",
        "ATLANTIC STANDARD TIME",
        "ATLANTIC DAYLIGHT TIME",
    ],
    &["AKST", "AKDT"],
    &["NST", "NDT"],
    &["ACST", "ACDT"],
    &["AEST", "AEDT"],
    &["NZST", "NZDT"],
];

/// How a zone token may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    /// A zone wherever it stands: `UTC`, `CET`, `Pacific Time`, `UTC+2`, `Europe/Berlin`.
    Named,
    /// `ET CT MT PT UT`: a zone only when attached to a time.
    AttachedOnly,
    /// `Eastern|Central|Mountain|Pacific` alone: a zone right after a time or in a declaration.
    Region,
    /// `Z`, `±HH:MM` or `±HHMM` glued to a time (found by the time scanner, not the lexicon).
    Offset,
}

/// One zone token in the document.
///
/// Kept small, as a big document has hundreds of thousands: its span and time index take 32
/// bits each, and its family and display text are read from its text when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneToken {
    span: CompactSpan,
    /// How it may be used.
    pub kind: ZoneKind,
    /// True when a digit stands right before it (`8UTC`): it belongs to that number.
    pub glued: bool,
    time: Option<u32>,
}

impl ZoneToken {
    /// A zone token at `span` of the prose mask.
    pub fn new(span: Span, kind: ZoneKind, glued: bool) -> Self {
        ZoneToken {
            span: CompactSpan::new(span),
            kind,
            glued,
            time: None,
        }
    }

    /// The token in the source (its text is read in the prose mask, which may have blanked
    /// markup inside it).
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// Index of the clock time it is attached to, if any (set by the time scanner).
    pub fn time(&self) -> Option<usize> {
        self.time.map(|t| t as usize)
    }

    /// Attaches it to clock time `time`.
    pub(super) fn attach(&mut self, time: usize) {
        self.time = Some(compact(time));
    }

    /// Family key (RULES.md CL304): `UTC`, `CET`, `EST`, ..., or the token itself; `mask` is
    /// the prose mask it was found in.
    pub fn family(&self, mask: &str) -> String {
        family_of(&mask[self.span().start..self.span().end])
    }

    /// What to write when suggesting this family: `UTC`, or the token as written.
    pub fn display(&self, mask: &str) -> String {
        let text = &mask[self.span().start..self.span().end];
        if family_of(text) == "UTC" {
            "UTC".to_string()
        } else {
            collapse_spaces(text)
        }
    }

    /// True when it counts as a zone without a time next to it (RULES.md CL301 tests 3 and 4).
    pub fn is_free(&self) -> bool {
        self.time.is_none() && !self.glued && self.kind == ZoneKind::Named
    }
}

/// The compiled zone lexicon.
#[derive(Debug)]
pub struct ZoneLexicon {
    token: CompiledRegex,
}

impl Default for ZoneLexicon {
    fn default() -> Self {
        Self::new()
    }
}

impl ZoneLexicon {
    /// The lexicon, compiled once per process: it has no options, and the clock scanners of
    /// several rules and the acronym rule all read it.
    pub fn shared() -> &'static ZoneLexicon {
        static SHARED: std::sync::LazyLock<ZoneLexicon> = std::sync::LazyLock::new(ZoneLexicon::new);
        &SHARED
    }

    /// Compiles the lexicon.
    pub fn new() -> Self {
        let abbreviations = ABBREVIATIONS.join("|");
        // Alternatives are tried in order: longer forms first so `Pacific Time` wins over
        // `Pacific`, and `UTC+2` over `UTC`. `(?-u:\b)` keeps the regex on the fast DFA path.
        // A token starts at a word boundary or after a digit, which the match then holds (no
        // look-behind): without that, `ut` matched at the end of `but`, `out` and `about`, to be
        // thrown away in `scan`, some 20 times in a 4 KB document.
        let pattern = format!(
            r"(?x)(?:(?-u:\b)|[0-9])(?:
                (?i:utc|gmt)[+\-−±][0-9]{{1,2}}(?::?[0-9]{{2}})?
              | (?i:coordinated\s+universal|greenwich\s+mean|british\s+summer)\s+(?i:time)
              | (?:Central|Eastern|Western|central|eastern|western)\s+(?i:european)\s+(?i:summer\s+)?(?i:time)
              | (?:Eastern|Central|Mountain|Pacific|Atlantic)(?:\s+(?i:standard|daylight))?\s+(?i:time)
              | (?:{IANA_AREAS})/[A-Za-z_]+(?:/[A-Za-z_]+)?
              | (?i:utc|gmt|ut|zulu) | {abbreviations}
              | Eastern | Central | Mountain | Pacific
            )(?-u:\b)"
        );
        let token = CompiledRegex::fixed(&pattern);
        ZoneLexicon { token }
    }

    /// Every zone token in the prose mask, in order. Tokens glued to a letter (`MIDWEST`) are
    /// not zones; tokens glued to a digit are kept with `glued` set.
    pub fn scan(&self, mask: &str) -> Vec<ZoneToken> {
        let mut out = Vec::new();
        for whole in self.token.find_iter(mask) {
            // The digit a token is glued to is not part of it.
            let start = whole.start() + usize::from(mask.as_bytes()[whole.start()].is_ascii_digit());
            let before = mask[..start].chars().next_back();
            // The pattern's ASCII word boundary refuses an ASCII letter or `_` before a token,
            // not another letter (`éEST`).
            if before.is_some_and(char::is_alphabetic) {
                continue;
            }
            let glued = before.is_some_and(|c| c.is_ascii_digit());
            let text = &mask[start..whole.end()];
            // Classified from the text: `find_iter` is much faster than capturing groups.
            let kind = if REGIONS.contains(&text) {
                ZoneKind::Region
            } else if ATTACHED_ONLY.iter().any(|a| a.eq_ignore_ascii_case(text)) {
                ZoneKind::AttachedOnly
            } else {
                ZoneKind::Named
            };
            out.push(ZoneToken::new((start..whole.end()).into(), kind, glued));
        }
        out
    }

    /// True when `text` is exactly one zone token that may stand alone (`UTC`, `CET`,
    /// `Europe/Berlin`); used to check configuration values.
    pub fn is_zone(&self, text: &str) -> bool {
        let tokens = self.scan(text);
        tokens.len() == 1 && tokens[0].span() == Span::new(0, text.len()) && tokens[0].kind == ZoneKind::Named
    }
}

/// The family key of a token as written.
pub fn family_of(text: &str) -> String {
    let upper = collapse_spaces(text).to_uppercase();
    if let Some(offset) = utc_offset_minutes(&upper) {
        return if offset == 0 {
            "UTC".to_string()
        } else {
            format!(
                "UTC{}{:02}:{:02}",
                if offset < 0 { '-' } else { '+' },
                offset.abs() / 60,
                offset.abs() % 60
            )
        };
    }
    FAMILIES
        .iter()
        .find(|family| family.contains(&upper.as_str()))
        .map_or(upper.clone(), |family| family[0].to_string())
}

/// Minutes east of UTC for `UTC+2`, `GMT-05:00`, `+0100`, `-03:30`; `None` for anything else.
fn utc_offset_minutes(upper: &str) -> Option<i32> {
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(upper)
        .trim_start();
    let mut chars = rest.chars();
    let sign = match chars.next()? {
        '+' => 1,
        '-' | '−' => -1,
        '±' => 1,
        _ => return None,
    };
    let digits: String = chars.filter(|c| c.is_ascii_digit()).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 | 4 => {
            let split = digits.len() - 2;
            (
                digits[..split].parse::<i32>().ok()?,
                digits[split..].parse::<i32>().ok()?,
            )
        }
        _ => return None,
    };
    Some(sign * (hours * 60 + minutes))
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, ZoneKind, String)> {
        ZoneLexicon::new()
            .scan(text)
            .into_iter()
            .map(|t| (text[t.span().start..t.span().end].to_string(), t.kind, t.family(text)))
            .collect()
    }

    #[test]
    fn finds_named_zones_in_any_case_and_abbreviations_in_capitals() {
        let found = tokens("utc, Gmt, Zulu, CET but not cet, est or Est");
        let texts: Vec<_> = found.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["utc", "Gmt", "Zulu", "CET"]);
    }

    #[test]
    fn prefers_long_names_and_offsets() {
        let found = tokens("Pacific Standard Time, Central European Summer Time, UTC+2, GMT-05:00, Europe/Berlin");
        let texts: Vec<_> = found.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Pacific Standard Time",
                "Central European Summer Time",
                "UTC+2",
                "GMT-05:00",
                "Europe/Berlin"
            ]
        );
        assert_eq!(found[0].2, "PST");
        assert_eq!(found[1].2, "CET");
        assert_eq!(found[2].2, "UTC+02:00");
        assert_eq!(found[3].2, "UTC-05:00");
    }

    #[test]
    fn short_tokens_are_attached_only_and_region_words_are_regions() {
        let found = tokens("PT and UT, then Eastern");
        assert_eq!(found[0].1, ZoneKind::AttachedOnly);
        assert_eq!(found[1].1, ZoneKind::AttachedOnly);
        assert_eq!(found[2].1, ZoneKind::Region);
        assert_eq!(found[2].2, "EST");
    }

    #[test]
    fn rejects_tokens_inside_words_and_non_zones() {
        assert!(tokens("MIDWEST ESTIMATE output EU local time server time").is_empty());
    }

    #[test]
    fn marks_tokens_glued_to_digits() {
        let found = ZoneLexicon::new().scan("8UTC");
        assert_eq!(found.len(), 1);
        assert!(found[0].glued);
        let found = tokens("at 2:30UTC, 10ET and 9 CEST");
        let texts: Vec<_> = found.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["UTC", "ET", "CEST"]);
    }

    #[test]
    fn the_ends_of_words_are_not_even_matched() {
        // `ut` in any case, `EST` and `ET` end these words: the pattern itself refuses them,
        // rather than `scan` after a match.
        let text = "but about output, MIDWEST BUDGET";
        assert_eq!(ZoneLexicon::new().token.find_iter(text).count(), 0);
        assert!(tokens(text).is_empty());
        // Only a letter the ASCII boundary does not know is left to `scan`.
        assert!(tokens("éEST").is_empty());
    }

    #[test]
    fn families_join_standard_and_summer_names() {
        assert_eq!(family_of("CEST"), "CET");
        assert_eq!(family_of("GMT"), "UTC");
        assert_eq!(family_of("+00:00"), "UTC");
        assert_eq!(family_of("+0130"), "UTC+01:30");
        assert_eq!(family_of("IST"), "IST");
    }

    #[test]
    fn recognises_a_configured_zone() {
        let lexicon = ZoneLexicon::new();
        assert!(lexicon.is_zone("UTC"));
        assert!(lexicon.is_zone("Europe/Berlin"));
        assert!(!lexicon.is_zone("PT"));
        assert!(!lexicon.is_zone("nowhere"));
    }
}
