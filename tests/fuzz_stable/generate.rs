//! A small dependency-free generator of hostile Markdown and configuration TOML.

/// xorshift64*: deterministic from a seed, good enough to explore inputs.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced: xorshift never leaves zero).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One element of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "we",
    "apologize",
    "sorry",
    "for",
    "the",
    "outage",
    "customers",
    "were",
    "affected",
    "root",
    "cause",
    "was",
    "a",
    "misconfigured",
    "load",
    "balancer",
    "BGP",
    "DNS",
    "TTL",
    "p99",
    "latency",
    "we",
    "will",
    "add",
    "alerting",
    "to",
    "prevent",
    "this",
    "from",
    "happening",
    "again",
    "impact",
    "may",
    "have",
    "any",
    "inconvenience",
    "between",
    "and",
    "at",
    "until",
    "resolved",
    "investigating",
    "identified",
    "monitoring",
    "Acme",
    "users",
    "payments",
    "failed",
    "minutes",
    "hours",
    "percent",
    "of",
    "requests",
    "because",
    "due",
    "issue",
    "next",
    "steps",
    "k8s",
    "etcd",
    "OOM",
    "CVE-2024-1234",
    "rollback",
    "hotfix",
    "we're",
    "can’t",
    "didn't",
    "e.g.",
    "i.e.",
    "Dr.",
    "U.S.",
];
const TIMES: &[&str] = &[
    "10:30",
    "9am",
    "9 AM",
    "14:05 UTC",
    "noon",
    "midnight",
    "10:30–11:45 PST",
    "2024-03-14T10:30:00Z",
    "10.30pm",
    "6.15pm",
    "23:59:59",
    "00:00",
    "24:00",
    "7:5",
    "99:99",
    "10:30 CET",
    "10:30 (UTC+2)",
    "10:30 GMT+5:30",
    "１０：３０",
    "10:30am-11am",
    "from 9 to 5",
    "at 3",
    "1:00:00.000",
    "T10:30",
    "10h30",
    "10:30:",
    "Update 11:31:",
    "3pm ET",
    "15:00 Europe/Berlin",
    "between 09:12 and 10:47",
    "v10.30.1",
    "10:30/11:30",
    "1.5 hours",
    "12:00 pm",
];
const UNICODE: &[&str] = &[
    "😀",
    "👩‍💻",
    "漢字",
    "é",
    "e\u{301}",
    "\u{200b}",
    "\u{200d}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{feff}",
    "\u{a0}",
    "\u{85}",
    "\u{1}",
    "\u{7f}",
    "\t",
    "ß",
    "İ",
    "ﬁ",
    "Ω",
    "𝔘",
    "\u{fffd}",
    "’",
    "“",
    "”",
    "—",
    "…",
    "\u{10ffff}",
    "\u{e000}",
    "\u{300}",
    "ǅ",
    "\r",
];
const INLINE: &[&str] = &[
    "**",
    "*",
    "_",
    "__",
    "~~",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "\\",
    "<br>",
    "<span>",
    "</span>",
    "[^1]",
    "<https://example.com>",
    "<a@b.c>",
    "https://example.com/10:30",
    "[link](http://x.y/10:30 \"t\")",
    "![img](x.png)",
    "[ref][r]",
    "**Impact:**",
    "**Root cause**:",
    "<!--",
    "-->",
    "<!-- crisislint-disable-next-line CL301 -->",
    "<!-- crisislint-disable -->",
    "<!-- crisislint-enable -->",
    "<!-- crisislint-disable-file non-apology -- reason -->",
    "<!-- crisislint-disabel x -->",
    "<!-- crisislint-disable nope, CL999, -->",
    "<!-- crisislint- -->",
    "<!-- crisislint-enable CL301,, -->",
    "$x$",
    "$$",
    "{#id}",
    "|",
    ":",
    "?",
    ".",
    "!",
    ". ",
    "...",
    "\"",
];
const BLOCK_PREFIX: &[&str] = &[
    "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "- [x] ", "    ", "\t", "  ", "# ", "## ", "###### ",
    "####### ", "#", ": ", "| ", "[^1]: ", "[r]: ", "> - ", "1. > ",
];
const BLOCKS: &[&str] = &[
    "```",
    "```rust",
    "~~~",
    "````",
    "---",
    "***",
    "___",
    "===",
    "+++",
    "...",
    "<div>",
    "</div>",
    "<pre>",
    "<!--",
    "-->",
    "| a | b |\n|---|---|\n| 10:30 | x |",
    "|-|",
    "<details>",
    "<script>",
    "</script>",
    "Title: x",
    "$$\n10:30\n$$",
    "[r]: http://example.com",
    "<?php",
    "<![CDATA[",
    "]]>",
];
const FRONT_MATTER: &[&str] = &[
    "---\ntitle: Outage at 10:30\ncrisislint: {kind: postmortem}\n---\n",
    "---\ncrisislint:\n  kind: status-update\n  audience: engineers\n  disable: [CL301, nope]\n---\n",
    "---\ncrisislint: {kind: memo, audience: aliens}\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\ntitle: x\n",
    "+++\ntitle = \"x\"\n[crisislint]\nkind = \"postmortem\"\n+++\n",
    "+++\ntitle = \n+++\n",
    "Title: Pelican\nDate: 2024-03-14 10:30\n\n",
    "---\n- a\n- b\n---\n",
    "---\n&a [*a, *a]\n---\n",
    "---\ncrisislint: {disable: 3}\n---\n",
    "\u{feff}---\ntitle: bom\n---\n",
    "---\r\ntitle: crlf\r\n---\r\n",
];

fn push_inline(rng: &mut Rng, out: &mut String, words: usize) {
    for _ in 0..words {
        match rng.below(12) {
            0..=5 => out.push_str(rng.pick(WORDS)),
            6 | 7 => out.push_str(rng.pick(TIMES)),
            8 => out.push_str(rng.pick(UNICODE)),
            9 | 10 => out.push_str(rng.pick(INLINE)),
            _ => {
                let c = char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('x');
                out.push(c);
            }
        }
        out.push_str(match rng.below(20) {
            0 => "",
            1 => "\n",
            2 => "  \n",
            3 => "\r\n",
            4 => ". ",
            5 => ", ",
            _ => " ",
        });
    }
}

fn newline(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0 => "\r\n",
        1 => "\r",
        _ => "\n",
    }
}

/// A hostile Markdown document: random blocks, nesting, markup, times, unicode and line endings.
pub fn markdown(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.one_in(4) {
        out.push_str(rng.pick(FRONT_MATTER));
    }
    let blocks = rng.below(25);
    for _ in 0..blocks {
        let depth = match rng.below(30) {
            0 => rng.below(2000),
            1..=4 => rng.below(20),
            _ => rng.below(3),
        };
        for _ in 0..depth {
            out.push_str(rng.pick(BLOCK_PREFIX));
        }
        match rng.below(6) {
            0 => out.push_str(rng.pick(BLOCKS)),
            1 => {
                let n = rng.below(200);
                let c = rng.pick(&["*", "_", "[", "`", ">", "<", "(", "-", "#", "|", "!", "]", "~", "\\"]);
                out.push_str(&c.repeat(n));
                let words = rng.below(5);
                push_inline(rng, &mut out, words);
            }
            _ => {
                let words = rng.below(40);
                push_inline(rng, &mut out, words);
            }
        }
        out.push_str(newline(rng));
        if rng.one_in(3) {
            out.push_str(newline(rng));
        }
    }
    if rng.one_in(5) {
        mutate(rng, &mut out);
    }
    out
}

/// A real announcement (a fixture of this repository) cut, spliced and sprinkled with hostile
/// pieces: mutations near real text reach deeper into the rules than text made from scratch.
pub fn mutated_fixture(rng: &mut Rng, fixtures: &[String]) -> String {
    let mut text = fixtures[rng.below(fixtures.len())].clone();
    for _ in 0..1 + rng.below(6) {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut piece = String::new();
        match rng.below(3) {
            0 => {
                let words = 1 + rng.below(6);
                push_inline(rng, &mut piece, words);
            }
            1 => piece.push_str(rng.pick(BLOCK_PREFIX)),
            _ => {
                let other = &fixtures[rng.below(fixtures.len())];
                let mut a = rng.below(other.len() + 1);
                while !other.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + rng.below(400)).min(other.len());
                while !other.is_char_boundary(b) {
                    b -= 1;
                }
                piece.push_str(&other[a..b]);
            }
        }
        text.insert_str(at, &piece);
    }
    if rng.one_in(3) {
        mutate(rng, &mut text);
    }
    if rng.one_in(6) {
        text = text.replace('\n', "\r\n");
    }
    text
}

/// Random edits at character boundaries: cut, duplicate a piece, insert a character.
pub fn mutate(rng: &mut Rng, text: &mut String) {
    for _ in 0..1 + rng.below(4) {
        if text.is_empty() {
            return;
        }
        let mut a = rng.below(text.len() + 1);
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (a + rng.below(64)).min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        match rng.below(4) {
            0 => text.replace_range(a..b, ""),
            1 => {
                let piece = text[a..b].repeat(1 + rng.below(50));
                text.insert_str(a, &piece);
            }
            2 => text.truncate(a),
            _ => text.insert(a, char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}')),
        }
    }
}

const CONFIG_KEYS: &[&str] = &[
    "default-kind",
    "fail-on",
    "organization",
    "rule-dirs",
    "kind-globs",
    "severity",
    "rules",
    "templates",
    "sections",
    "nonsense",
];
const RULE_NAMES: &[&str] = &[
    "missing-apology",
    "missing-explanation",
    "missing-remediation",
    "missing-impact",
    "technical-jargon",
    "missing-timezone",
    "non-apology",
    "invalid-directive",
    "internal-error",
    "CL301",
    "cl101",
    "nope",
];
const OPTION_KEYS: &[&str] = &[
    "extra-cues",
    "cues",
    "not-cues",
    "headings",
    "extra-headings",
    "min-section-words",
    "allow",
    "extra-terms",
    "assume",
    "threshold",
    "bogus",
];
const VALUES: &[&str] = &[
    "\"warning\"",
    "\"off\"",
    "\"error\"",
    "\"info\"",
    "\"loud\"",
    "3",
    "-1",
    "1e400",
    "true",
    "[]",
    "{}",
    "\"postmortem\"",
    "\"status-update\"",
    "\"memo\"",
    "\"UTC\"",
    "\"Mars/Olympus\"",
    "[\"Acme\"]",
    "['\\w{1000}{1000}']",
    "['(unclosed']",
    "['we (will|shall) fix']",
    "['']",
    "['a*']",
    "[{ term = \"BGP\", plain = \"routing\" }]",
    "[{ term = \"\", plain = \"\" }]",
    "[{ pattern = 'x', label = 'y' }]",
    "\"status/**/*.md\"",
    "\"[\"",
    "99999999999999999999",
    "[[[[]]]]",
    "'''multi\nline'''",
    "\"\\u0000\"",
    "2024-03-14T10:30:00Z",
];

/// A configuration file: random keys, tables and values, right and wrong, then maybe mutated.
pub fn config(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(8) {
        match rng.below(5) {
            0 => {
                let rule = rng.pick(RULE_NAMES);
                out.push_str(&format!("[rules.{rule}]\n"));
                for _ in 0..rng.below(4) {
                    let (key, value) = (rng.pick(OPTION_KEYS), rng.pick(VALUES));
                    out.push_str(&format!("{key} = {value}\n"));
                }
            }
            1 => {
                out.push_str(if rng.one_in(2) {
                    "[severity]\n"
                } else {
                    "[severity.postmortem]\n"
                });
                let (rule, value) = (rng.pick(RULE_NAMES), rng.pick(VALUES));
                out.push_str(&format!("{rule} = {value}\n"));
            }
            2 => {
                let (glob, kind) = (rng.pick(VALUES), rng.pick(VALUES));
                out.push_str(&format!("[[kind-globs]]\nglob = {glob}\nkind = {kind}\n"));
            }
            _ => {
                let (key, value) = (rng.pick(CONFIG_KEYS), rng.pick(VALUES));
                out.insert_str(0, &format!("{key} = {value}\n"));
            }
        }
    }
    if rng.one_in(4) {
        mutate(rng, &mut out);
    }
    out
}
