//! The compiled form of a rule pattern: regex-automata's engines, put together for the short
//! texts rule patterns search, with the subset of `regex::Regex`'s API the rules use. The
//! program's own patterns (the parser's, the zone and month scanners', the contact rule's) are
//! compiled so too: built by `regex::Regex`, the eight a 4 KB file needs took 10 M of its 59 M
//! instructions, most of them for engines and prefilters a few searches never use.
//!
//! Why not `regex::Regex` (or regex-automata's `meta::Regex`, which it wraps): building one is
//! most of a one-file run's time (the built-in rules compile about 65 patterns on a 4 KB
//! file), and most of that building is for searches a rule pattern never makes:
//! - Rule patterns mostly run on one sentence at a time, and only in sentences that the word
//!   index of [`PatternSet`](crate::rules::kinds::pattern_set::PatternSet) has shown to contain
//!   the pattern's words. There, a literal prefilter finds nothing the index did not, and a full
//!   DFA does not pay for its construction. Texts of `PREFILTERED_TEXT` bytes or more (a
//!   section, a short document) get the prefilter alone, once a pattern has searched a few:
//!   the lazy DFA then reads only from each place the prefilter finds, anchored there.
//! - Most searches find nothing, which the forward lazy DFA says on its own. The reverse NFA
//!   and DFA, which find where a match starts, are built at the pattern's first match (from
//!   the parse of the forward NFA, kept until then): 24 of the 65 patterns of that 4 KB file
//!   match.
//! - The built-in patterns are neither parsed nor compiled at run time: `build.rs` compiled their
//!   NFAs, forward and reverse, which a run reads back (`ShippedNfas`, `nfa_bytes`).
//! - `meta::Regex` starts a new NFA compiler for every pattern, and the compiler's first
//!   Unicode class (case-insensitive `s` and `k` are ones: `ſ`, `K`) allocates a 10,000-entry
//!   table. Each thread here keeps one compiler.
//!
//! The search is `meta::Regex`'s, without the engines above: the lazy DFAs find the match;
//! the bounded backtracker (short texts) or the PikeVM find capture groups, and answer when a
//! lazy DFA gives up. A text of [`LONG_TEXT`] bytes or more (a whole big document) is searched
//! by a `meta::Regex` with the prefilter, built on the first such search: without it a 10 MB
//! file took 7% longer. Matches are the same as `regex::Regex`'s, whichever engine runs:
//! leftmost-first, empty matches only at UTF-8 boundaries.

use crossbeam_utils::atomic::AtomicCell;
use regex_automata::hybrid;
use regex_automata::meta;
use regex_automata::nfa::thompson::{self, backtrack::BoundedBacktracker, pikevm::PikeVM, NFA};
use regex_automata::util::captures;
use regex_automata::util::iter::Searcher;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID, Span};
use regex_syntax::hir::Hir;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut, Range};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

mod nfa_bytes;

pub use nfa_bytes::SIZE_LIMIT;

/// Texts this long are searched with a literal prefilter (see the module's docs).
pub const LONG_TEXT: usize = 64 << 10;

/// Texts this long (a section, a whole short document) are first searched for the pattern's
/// literal prefixes, once it has searched [`PREFILTER_AFTER`] of them: a pattern that rules
/// look for in whole documents mostly has no match there, and a vectorized literal search
/// says so at a fraction of a lazy DFA's cost per byte. On the benchmark's 2,000 files that
/// was 3% of the work; building the prefilter for a single file's few such searches costs
/// more than it saves.
const PREFILTERED_TEXT: usize = 2 << 10;

/// Texts of [`PREFILTERED_TEXT`] bytes or more a pattern searches before its prefilter is built.
const PREFILTER_AFTER: u32 = 16;

/// Texts a pattern is searched in without a match before its parsed form is dropped: a pattern
/// that the word index lets through this often without matching will hardly need its reverse
/// form. Kept until the first match, the parses raised the 2,000-file directory's peak by
/// 1.9 MiB; dropped after 64 misses, by 0.8 MiB (16 misses gave the same peak). A 4 KB
/// document has about 40 sentences: a run on a few files keeps them.
const KEEP_PARSED_FOR: u32 = 64;

/// How a pattern's letters match: rule patterns ignore case; the patterns of the parser and
/// of some rules' scanners (zone names, month names, e-mail addresses) say where they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Insensitive,
    Sensitive,
}

/// A compiled pattern: a rule's (case-insensitive), or one of the fixed patterns of the parser
/// and the rules' scanners.
#[derive(Debug)]
pub struct CompiledRegex {
    pattern: String,
    case: Case,
    size_limit: usize,
    /// The length of the longest match, in bytes, when it has one.
    max_len: Option<usize>,
    /// The forward NFA, with every capture group.
    nfa: NFA,
    /// Answers "no match" alone; `None` when its cache cannot hold the NFA's states (the NFA
    /// engines then answer everything).
    forward: Option<hybrid::dfa::DFA>,
    /// The forward and reverse lazy DFAs, which find a match's span; built at the first match
    /// found without the prefilter (`None` inside when the reverse one cannot be built).
    spans: OnceLock<Option<hybrid::regex::Regex>>,
    /// The parsed pattern, kept until `spans` compiles it in reverse: parsing (case folding
    /// every letter) costs more than compiling, and most compiled patterns match somewhere
    /// (the real-world corpus compiles 332, 206 of which match). Dropped after
    /// [`KEEP_PARSED_FOR`] texts without a match, or at a match found by the prefilter, which
    /// needs no reverse DFA. `None` from the start for a shipped pattern, whose reverse NFA
    /// is read instead.
    parsed: Mutex<Option<Box<Hir>>>,
    /// The reverse NFA and the prefix literals as bytes, for a built-in pattern (see
    /// [`ShippedNfas`]).
    shipped: Option<ShippedNfas>,
    /// Texts searched without a match before the first one.
    misses: AtomicU32,
    /// A search for the literals every match starts with, for texts of [`PREFILTERED_TEXT`]
    /// bytes or more; built once [`PREFILTER_AFTER`] were searched (`None` inside when the
    /// pattern has no such literals, or none that search fast).
    prefilter: OnceLock<Option<Prefilter>>,
    /// Texts of [`PREFILTERED_TEXT`] bytes or more searched before `prefilter` was built.
    prefiltered_texts: AtomicU32,
    pikevm: PikeVM,
    backtrack: BoundedBacktracker,
    /// Search state for the engines above, lent to one search at a time.
    caches: CachePool,
    /// The engine for texts of [`LONG_TEXT`] bytes or more, built on first use (`None` when
    /// it cannot be: the engines above then search those too).
    long_texts: OnceLock<Option<meta::Regex>>,
    /// The length from which a text is long: [`LONG_TEXT`], or 0 for a fixed pattern with a
    /// Unicode word boundary (see [`CompiledRegex::fixed`]).
    long_from: usize,
}

/// A pattern's search states, each lent to one search at a time, whichever thread runs it; a
/// new one is made only when every one is in use.
///
/// regex-automata's `Pool` keeps one for each thread that searches. Groups of documents run a
/// rule on one thread at a time, but not always the same one (see `engine::groups`), and some
/// patterns serve several rules; with a state per thread, 200 patterns had 336 states after the
/// 2,000-file benchmark on 2 threads (2.7 MiB more at the peak). Here the states go with the
/// rule.
#[derive(Default)]
struct CachePool {
    /// The state given back last: taken and given back with one atomic swap each (a lock
    /// around a list took about 2% of a directory run).
    ready: AtomicCell<Option<Box<Caches>>>,
    /// States given back while `ready` held one: made for searches that overlapped.
    spare: Mutex<Vec<Caches>>,
}

impl std::fmt::Debug for CachePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachePool").finish_non_exhaustive()
    }
}

impl CachePool {
    fn get(&self) -> LentCaches<'_> {
        let caches = self.ready.swap(None).unwrap_or_else(|| {
            let spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner).pop();
            Box::new(spare.unwrap_or_default())
        });
        LentCaches {
            pool: self,
            caches: Some(caches),
        }
    }

    /// How many states it holds, none of them lent.
    #[cfg(test)]
    fn states(&self) -> usize {
        let ready = self.ready.swap(None);
        let count = usize::from(ready.is_some()) + self.spare.lock().unwrap().len();
        self.ready.store(ready);
        count
    }
}

/// Search state lent by a [`CachePool`], given back when dropped.
struct LentCaches<'a> {
    pool: &'a CachePool,
    /// `None` only once given back.
    caches: Option<Box<Caches>>,
}

impl Deref for LentCaches<'_> {
    type Target = Caches;

    fn deref(&self) -> &Caches {
        self.caches.as_deref().expect("lent until dropped")
    }
}

impl DerefMut for LentCaches<'_> {
    fn deref_mut(&mut self) -> &mut Caches {
        self.caches.as_deref_mut().expect("lent until dropped")
    }
}

impl Drop for LentCaches<'_> {
    fn drop(&mut self) {
        if let Some(displaced) = self.pool.ready.swap(self.caches.take()) {
            (self.pool.spare.lock().unwrap_or_else(PoisonError::into_inner)).push(*displaced);
        }
    }
}

/// A pattern's search state for its engines, each made on its first use.
#[derive(Debug, Default)]
struct Caches {
    /// The forward lazy DFA's states until the pattern's first match; then they move into
    /// `spans`, whose forward DFA is the same, and this is `None`.
    forward: Option<hybrid::dfa::Cache>,
    spans: Option<hybrid::regex::Cache>,
    pikevm: Option<thompson::pikevm::Cache>,
    backtrack: Option<thompson::backtrack::Cache>,
}

impl Caches {
    /// The cache of the span-finding DFAs, which takes over the states the forward DFA has
    /// learnt: they are not learnt twice, nor kept twice (after the 2,000-file benchmark,
    /// 0.8 of the 3.7 MB of lazy DFA states a thread held were such copies).
    fn spans(&mut self, spans: &hybrid::regex::Regex) -> &mut hybrid::regex::Cache {
        let forward = &mut self.forward;
        self.spans.get_or_insert_with(|| {
            let mut cache = spans.create_cache();
            if let Some(learned) = forward.take() {
                // `spans.forward()` is a clone of the DFA this cache was made for.
                *cache.as_parts_mut().0 = learned;
            }
            cache
        })
    }

    /// The cache for searches by the forward DFA alone: `spans`' forward part once it exists.
    fn forward(&mut self, forward: &hybrid::dfa::DFA) -> &mut hybrid::dfa::Cache {
        match &mut self.spans {
            Some(spans) => spans.as_parts_mut().0,
            None => self.forward.get_or_insert_with(|| forward.create_cache()),
        }
    }
}

/// Why a pattern did not compile.
#[derive(Debug)]
pub enum BuildError {
    /// Its compiled form exceeds the limit, in bytes.
    TooBig(usize),
    /// Anything else, said in the regex crate's words.
    Other(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::TooBig(limit) => write!(f, "the compiled pattern exceeds {limit} bytes"),
            BuildError::Other(message) => f.write_str(message),
        }
    }
}

/// The patterns given to [`CompiledRegex::fixed`] in this process.
static FIXED_SO_FAR: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The patterns given to [`CompiledRegex::fixed`] so far in this process, sorted; for the test
/// that checks `rules/fixed-patterns.json`, whose patterns ship compiled.
#[doc(hidden)]
pub fn fixed_patterns_so_far() -> Vec<String> {
    FIXED_SO_FAR
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .cloned()
        .collect()
}

/// A built-in pattern's NFAs, compiled when crisislint was built (see `build.rs`), as
/// [`nfa_bytes`] writes them: reading one back takes a small part of the time that parsing and
/// compiling the pattern take (the 4 KB file's 48 patterns took 40% of its run to compile).
#[derive(Debug, Clone, Copy)]
struct ShippedNfas {
    forward: &'static [u8],
    reverse: &'static [u8],
    /// The literals every match starts with, for the prefilter.
    prefixes: &'static [u8],
    /// The length of the longest match, in bytes, when it has one.
    longest: Option<usize>,
}

include!(concat!(env!("OUT_DIR"), "/shipped_nfas.rs"));

/// The bytes [`SHIPPED_NFAS`] points into.
static SHIPPED_NFA_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shipped_nfas.bin"));

impl ShippedNfas {
    /// The NFAs of `pattern` compiled under [`SIZE_LIMIT`], if it is a built-in rule pattern
    /// (ignoring case) or one of the program's own (see [`CompiledRegex::fixed`]).
    fn of(pattern: &str, case: Case) -> Option<ShippedNfas> {
        let table = match case {
            Case::Insensitive => SHIPPED_NFAS,
            Case::Sensitive => SHIPPED_FIXED_NFAS,
        };
        let at = table.binary_search_by(|entry| entry.0.cmp(pattern)).ok()?;
        let (_, start, middle, end, literals_end, longest) = table[at];
        Some(ShippedNfas {
            forward: SHIPPED_NFA_BYTES.get(start as usize..middle as usize)?,
            reverse: SHIPPED_NFA_BYTES.get(middle as usize..end as usize)?,
            prefixes: SHIPPED_NFA_BYTES.get(end as usize..literals_end as usize)?,
            longest: (longest != u32::MAX).then_some(longest as usize),
        })
    }
}

thread_local! {
    /// Reused for every pattern this thread compiles: see the module's docs.
    static COMPILER: RefCell<thompson::Compiler> = RefCell::new(thompson::Compiler::new());
}

fn syntax_config(case: Case) -> syntax::Config {
    nfa_bytes::syntax_config(case == Case::Insensitive)
}

/// Parses `pattern`, ignoring case or not.
fn parse(pattern: &str, case: Case) -> Result<Hir, BuildError> {
    syntax::parse_with(pattern, &syntax_config(case)).map_err(|e| BuildError::Other(e.to_string()))
}

/// Compiles a parsed pattern forward (with capture groups) or in reverse (without), as
/// `meta::Regex` configures its NFAs.
fn compile_nfa(hir: &Hir, size_limit: usize, reverse: bool) -> Result<NFA, BuildError> {
    let config = nfa_bytes::nfa_config(size_limit, reverse);
    COMPILER.with(|compiler| {
        let mut compiler = compiler.borrow_mut();
        compiler.configure(config);
        compiler.build_from_hir(hir).map_err(|e| match e.size_limit() {
            Some(limit) => BuildError::TooBig(limit),
            None => BuildError::Other(e.to_string()),
        })
    })
}

/// A lazy DFA configured as `meta::Regex` configures its own, without a prefilter.
fn lazy_dfa(nfa: NFA, size_limit: usize, match_kind: MatchKind) -> Option<hybrid::dfa::DFA> {
    let config = hybrid::dfa::Config::new()
        .match_kind(match_kind)
        .starts_for_each_pattern(true)
        .byte_classes(true)
        .unicode_word_boundary(true)
        .cache_capacity(size_limit)
        .skip_cache_capacity_check(false)
        // Give up (and let the NFA engines answer) when the cache thrashes.
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10));
    hybrid::dfa::Builder::new().configure(config).build_from_nfa(nfa).ok()
}

impl CompiledRegex {
    /// Compiles `pattern` case-insensitively, with a compiled-size limit of `size_limit` bytes.
    pub fn new(pattern: &str, size_limit: usize) -> Result<Self, BuildError> {
        Self::with_case(pattern, Case::Insensitive, size_limit)
    }

    /// Compiles one of the program's own patterns, case-sensitively (`(?i)` says where not).
    /// Those in `rules/fixed-patterns.json` are read, compiled when crisislint was built.
    ///
    /// These search whole documents, not the sentences the word index picks. A pattern with a
    /// Unicode word boundary (`\b`) is searched by the long-text engine at any length: the
    /// lazy DFAs give up at the first non-ASCII byte they read (prose has `’` and `—`), where
    /// the backtracker would then search the whole text; that engine's prefilter skips to the
    /// places a match can start (without it, the 100-file benchmark took 14% more instructions).
    /// None of the program's own patterns has one now: the URL and address patterns have ASCII
    /// boundaries, which also find a URL glued to CJK text, and a one-file run no longer
    /// builds their two engines (3 M of its 58 M instructions).
    ///
    /// # Panics
    ///
    /// When the pattern does not compile: it is part of the program, and tests compile each.
    pub fn fixed(pattern: &str) -> Self {
        FIXED_SO_FAR
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(pattern.to_string());
        let mut compiled = Self::with_case(pattern, Case::Sensitive, SIZE_LIMIT)
            .unwrap_or_else(|e| panic!("the built-in pattern {pattern:?} does not compile: {e}"));
        if compiled.nfa.look_set_any().contains_word_unicode() {
            compiled.long_from = 0;
        }
        compiled
    }

    /// Compiles `pattern`, its letters matching as `case` says, with a compiled-size limit
    /// of `size_limit` bytes.
    pub fn with_case(pattern: &str, case: Case, size_limit: usize) -> Result<Self, BuildError> {
        let shipped = match size_limit {
            SIZE_LIMIT => ShippedNfas::of(pattern, case),
            _ => None,
        };
        if let Some((shipped, nfa)) = shipped.and_then(|shipped| Some((shipped, nfa_bytes::read(shipped.forward)?))) {
            return Self::from_parts(pattern, case, size_limit, shipped.longest, nfa, None, Some(shipped));
        }
        let hir = parse(pattern, case)?;
        let nfa = compile_nfa(&hir, size_limit, false)?;
        let longest = hir.properties().maximum_len();
        Self::from_parts(pattern, case, size_limit, longest, nfa, Some(hir), None)
    }

    /// The engines of a pattern whose forward NFA is `nfa`, parsed as `hir` (kept for the
    /// reverse NFA, when no shipped one is).
    fn from_parts(
        pattern: &str,
        case: Case,
        size_limit: usize,
        max_len: Option<usize>,
        nfa: NFA,
        hir: Option<Hir>,
        shipped: Option<ShippedNfas>,
    ) -> Result<Self, BuildError> {
        let engine_error = |e: thompson::BuildError| BuildError::Other(e.to_string());
        Ok(CompiledRegex {
            pattern: pattern.to_string(),
            case,
            size_limit,
            max_len,
            forward: lazy_dfa(nfa.clone(), size_limit, MatchKind::LeftmostFirst),
            spans: OnceLock::new(),
            parsed: Mutex::new(hir.map(Box::new)),
            shipped,
            misses: AtomicU32::new(0),
            prefilter: OnceLock::new(),
            prefiltered_texts: AtomicU32::new(0),
            pikevm: PikeVM::new_from_nfa(nfa.clone()).map_err(engine_error)?,
            backtrack: BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(engine_error)?,
            nfa,
            caches: CachePool::default(),
            long_texts: OnceLock::new(),
            long_from: LONG_TEXT,
        })
    }

    /// The prefiltered engine when `len` is a long text's length.
    fn long_engine(&self, len: usize) -> Option<&meta::Regex> {
        if len < self.long_from {
            return None;
        }
        self.long_texts
            .get_or_init(|| {
                let config = meta::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .utf8_empty(true)
                    .nfa_size_limit(Some(self.size_limit))
                    .hybrid_cache_capacity(self.size_limit)
                    .dfa(false);
                meta::Builder::new()
                    .configure(config)
                    .syntax(syntax_config(self.case))
                    .build(&self.pattern)
                    .ok()
            })
            .as_ref()
    }

    /// The prefilter for a text of `len` bytes, if the text is long enough and the pattern
    /// has one (see [`PREFILTERED_TEXT`]).
    fn prefilter(&self, len: usize) -> Option<&Prefilter> {
        if len < PREFILTERED_TEXT {
            return None;
        }
        if let Some(built) = self.prefilter.get() {
            return built.as_ref();
        }
        if self.prefiltered_texts.load(Ordering::Relaxed) < PREFILTER_AFTER
            && self.prefiltered_texts.fetch_add(1, Ordering::Relaxed) < PREFILTER_AFTER
        {
            return None;
        }
        self.prefilter
            .get_or_init(|| {
                let parsed = self.parsed.lock().unwrap_or_else(PoisonError::into_inner);
                let shipped = self
                    .shipped
                    .and_then(|shipped| nfa_bytes::read_literals(shipped.prefixes));
                let built = match (parsed.as_deref(), shipped) {
                    (Some(hir), _) => Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir),
                    (None, Some(literals)) => Prefilter::new(MatchKind::LeftmostFirst, &literals?),
                    (None, None) => {
                        Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, &parse(&self.pattern, self.case).ok()?)
                    }
                };
                built.filter(Prefilter::is_fast)
            })
            .as_ref()
    }

    /// The prefilter to find where matches in `input` can start, when it has one (an anchored
    /// search has one place to look already; a pattern that can match empty text has no
    /// literal every match starts with).
    fn candidates_for(&self, input: &Input<'_>) -> Option<&Prefilter> {
        if input.get_anchored().is_anchored() || self.nfa.has_empty() {
            return None;
        }
        self.prefilter(input.haystack().len())
    }

    /// The leftmost-first match in `input` (any match, if `input` asks for the earliest),
    /// looked for only where the prefilter finds one of the literals that every match starts
    /// with: an anchored search there reads as far as the match, or as the point where none
    /// can start there. Searching on from the first such place instead reads the rest of the
    /// text past every one that leads nowhere (a document's prose, searched for a term it
    /// holds once): on 300 of the benchmark's files the lazy DFAs read 26.5 MB that way and
    /// 10.8 MB this way. Each place is tried in order, so the first match is the leftmost, and
    /// at its start the anchored search prefers as the unanchored one would.
    fn search_at_candidates(&self, caches: &mut Caches, input: &Input<'_>, prefilter: &Prefilter) -> Option<Span> {
        let mut at = input.start();
        while let Some(candidate) = prefilter.find(
            input.haystack(),
            Span {
                start: at,
                end: input.end(),
            },
        ) {
            // The text before the candidate stays in the haystack, for `\b` and `^` to read.
            let anchored = input
                .clone()
                .range(candidate.start..input.end())
                .anchored(Anchored::Yes);
            if let Some(end) = self.anchored_end(caches, &anchored) {
                self.found_without_spans();
                return Some(Span {
                    start: candidate.start,
                    end,
                });
            }
            // Literals are whole characters, so the next candidate starts at a boundary.
            at = candidate.start + 1;
            if at > input.end() {
                break;
            }
        }
        self.missed();
        None
    }

    /// Builds the prefilter at the next text of [`PREFILTERED_TEXT`] bytes or more, as if
    /// [`PREFILTER_AFTER`] such texts had been searched.
    #[cfg(test)]
    pub fn prefilter_from_now(&self) {
        self.prefiltered_texts.store(PREFILTER_AFTER, Ordering::Relaxed);
    }

    /// True once the prefilter is built and the pattern has one.
    #[cfg(test)]
    pub fn has_prefilter(&self) -> bool {
        self.prefilter.get().is_some_and(Option::is_some)
    }

    /// After a match found by an anchored search: the reverse DFA, which the first match would
    /// otherwise build, is not needed for it, so the parse kept for it goes (it is made again
    /// should it be).
    fn found_without_spans(&self) {
        if self.spans.get().is_none() {
            drop(self.parsed.lock().unwrap_or_else(PoisonError::into_inner).take());
        }
    }

    /// Where the match of an anchored `input` ends, if it has one.
    fn anchored_end(&self, caches: &mut Caches, input: &Input<'_>) -> Option<usize> {
        if let Some(forward) = &self.forward {
            if let Ok(found) = forward.try_search_fwd(caches.forward(forward), input) {
                return found.map(|half| half.offset());
            }
        }
        self.search_nofail(caches, input).map(|span| span.end)
    }

    /// The lazy DFAs that find spans, built on first need.
    fn spans(&self) -> Option<&hybrid::regex::Regex> {
        self.spans
            .get_or_init(|| {
                let forward = self.forward.clone()?;
                let parsed = self.parsed.lock().unwrap_or_else(PoisonError::into_inner).take();
                let shipped = self.shipped.and_then(|shipped| nfa_bytes::read(shipped.reverse));
                let nfa = match (parsed, shipped) {
                    (_, Some(nfa)) => nfa,
                    (Some(hir), None) => compile_nfa(&hir, self.size_limit, true).ok()?,
                    (None, None) => compile_nfa(&parse(&self.pattern, self.case).ok()?, self.size_limit, true).ok()?,
                };
                let reverse = lazy_dfa(nfa, self.size_limit, MatchKind::All)?;
                Some(hybrid::regex::Builder::new().build_from_dfas(forward, reverse))
            })
            .as_ref()
    }

    /// The leftmost-first match in `input`, as `meta::Regex::search` finds it.
    fn search(&self, caches: &mut Caches, input: &Input<'_>) -> Option<Span> {
        self.search_with(caches, input, self.candidates_for(input))
    }

    /// [`search`](Self::search) with the prefilter chosen for the text (an iterator chooses
    /// once per text: each of its searches counting as a text, a document with many matches
    /// built the prefilter of a pattern that had searched one text).
    fn search_with(&self, caches: &mut Caches, input: &Input<'_>, prefilter: Option<&Prefilter>) -> Option<Span> {
        match prefilter {
            Some(prefilter) => self.search_at_candidates(caches, input, prefilter),
            None => self.search_everywhere(caches, input),
        }
    }

    /// [`search`](Self::search) without a prefilter.
    fn search_everywhere(&self, caches: &mut Caches, input: &Input<'_>) -> Option<Span> {
        if let Some(forward) = &self.forward {
            if self.spans.get().is_none() {
                // Until the pattern first matches, the forward DFA alone rules texts out (not
                // stopping at the first match state: that search is about 10% slower).
                match forward.try_search_fwd(caches.forward(forward), input) {
                    Ok(None) => {
                        self.missed();
                        return None;
                    }
                    Ok(Some(_)) => {}
                    Err(_) => return self.search_nofail(caches, input),
                }
            }
            if let Some(spans) = self.spans() {
                if let Ok(found) = spans.try_search(caches.spans(spans), input) {
                    return found.map(|m| m.span());
                }
            }
        }
        self.search_nofail(caches, input)
    }

    /// Counts a text searched without a match before the first one (after it, nothing), and
    /// drops the parsed pattern at the [`KEEP_PARSED_FOR`]th.
    fn missed(&self) {
        if self.spans.get().is_none()
            && self.misses.load(Ordering::Relaxed) < KEEP_PARSED_FOR
            && self.misses.fetch_add(1, Ordering::Relaxed) + 1 == KEEP_PARSED_FOR
        {
            drop(self.parsed.lock().unwrap_or_else(PoisonError::into_inner).take());
        }
    }

    /// The match by the NFA engines, which never give up.
    fn search_nofail(&self, caches: &mut Caches, input: &Input<'_>) -> Option<Span> {
        let mut slots = [None, None];
        self.search_slots_nofail(caches, input, &mut slots);
        Some(Span {
            start: slots[0]?.get(),
            end: slots[1]?.get(),
        })
    }

    /// Fills `slots` by the bounded backtracker when the text fits it, else by the PikeVM, as
    /// `meta::Regex` chooses.
    fn search_slots_nofail(&self, caches: &mut Caches, input: &Input<'_>, slots: &mut [Option<NonMaxUsize>]) {
        let fits = !(input.get_earliest() && input.haystack().len() > 128)
            && input.get_span().len() < self.backtrack.max_haystack_len();
        if fits {
            let cache = caches.backtrack.get_or_insert_with(|| self.backtrack.create_cache());
            if self.backtrack.try_search_slots(cache, input, slots).is_ok() {
                return;
            }
        }
        let cache = caches.pikevm.get_or_insert_with(|| self.pikevm.create_cache());
        self.pikevm.search_slots(cache, input, slots);
    }

    /// The match in `input` with its capture groups.
    fn search_captures(
        &self,
        caches: &mut Caches,
        input: &Input<'_>,
        prefilter: Option<&Prefilter>,
        groups: &mut captures::Captures,
    ) {
        groups.set_pattern(None);
        let Some(span) = self.search_with(caches, input, prefilter) else {
            return;
        };
        if self.nfa.group_info().explicit_slot_len() == 0 {
            // Group 0 alone: the match is all there is.
            let slots = groups.slots_mut();
            slots[0] = NonMaxUsize::new(span.start);
            slots[1] = NonMaxUsize::new(span.end);
        } else {
            // The groups are found in the match alone, anchored at its start.
            let narrowed = input.clone().span(span).anchored(Anchored::Yes);
            self.search_slots_nofail(caches, &narrowed, groups.slots_mut());
        }
        groups.set_pattern(Some(PatternID::ZERO));
    }

    fn new_captures(&self) -> captures::Captures {
        captures::Captures::all(self.nfa.group_info().clone())
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        if let Some(long) = self.long_engine(haystack.len()) {
            return long.is_match(haystack);
        }
        let input = Input::new(haystack);
        let mut caches = self.caches.get();
        if let Some(prefilter) = self.candidates_for(&input) {
            return self
                .search_at_candidates(&mut caches, &input.earliest(true), prefilter)
                .is_some();
        }
        if let Some(forward) = &self.forward {
            match forward.try_search_fwd(caches.forward(forward), &input.clone().earliest(true)) {
                Ok(None) => {
                    self.missed();
                    return false;
                }
                // An empty match may split a character, which does not count: looked at below.
                Ok(Some(_)) if !self.nfa.has_empty() => return true,
                _ => {}
            }
        }
        self.search_everywhere(&mut caches, &input).is_some()
    }

    /// [`is_match`](Self::is_match) for a pattern anchored at its end (`...$`): the reverse
    /// lazy DFA reads back from the end of `haystack` and stops where no match can end there,
    /// instead of the forward one reading the whole text.
    pub fn is_match_anchored_at_end(&self, haystack: &str) -> bool {
        debug_assert!(
            self.pattern.ends_with('$'),
            "{} is not anchored at its end",
            self.pattern
        );
        if self.long_engine(haystack.len()).is_none() {
            if let Some(spans) = self.spans() {
                let mut caches = self.caches.get();
                let (_, reverse_cache) = caches.spans(spans).as_parts_mut();
                let input = Input::new(haystack).anchored(Anchored::Yes).earliest(true);
                // A lazy DFA may give up (a Unicode word boundary on non-ASCII text): the
                // other engines answer then.
                if let Ok(found) = spans.reverse().try_search_rev(reverse_cache, &input) {
                    return found.is_some();
                }
            }
        }
        self.is_match(haystack)
    }

    /// The length of the longest match the pattern can make, in bytes (`None`: unbounded).
    pub fn max_len(&self) -> Option<usize> {
        self.max_len
    }

    /// The first match inside `range` (a short part of `haystack`: neither the prefilter nor
    /// the long-text engine is used); look-around (`\b`) still sees the text around it.
    pub fn find_in<'h>(&self, haystack: &'h str, range: Range<usize>) -> Option<Match<'h>> {
        let input = Input::new(haystack).range(range);
        let span = self.search_everywhere(&mut self.caches.get(), &input)?;
        Some(Match::new(haystack, span))
    }

    /// The match starting at `start`, if one does; look-around still sees the text before it.
    pub fn find_anchored<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack).range(start..).anchored(Anchored::Yes);
        let end = self.anchored_end(&mut self.caches.get(), &input)?;
        self.found_without_spans();
        Some(Match::new(haystack, Span { start, end }))
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    /// The first match starting at or after `start`; look-around (`\b`) still sees the text
    /// before `start`.
    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack).range(start..);
        let span = match self.long_engine(haystack.len()) {
            Some(long) => long.search(&input)?.span(),
            None => self.search(&mut self.caches.get(), &input)?,
        };
        Some(Match::new(haystack, span))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + use<'r, 'h> {
        let long = self.long_engine(haystack.len());
        let prefilter = self.iteration_prefilter(haystack, long);
        let mut caches = self.caches.get();
        let mut searcher = Searcher::new(Input::new(haystack));
        std::iter::from_fn(move || {
            searcher.advance(|input| {
                Ok(match long {
                    Some(long) => long.search(input),
                    None => self
                        .search_with(&mut caches, input, prefilter)
                        .map(|span| regex_automata::Match::new(PatternID::ZERO, span)),
                })
            })
        })
        .map(move |m| Match::new(haystack, m.span()))
    }

    /// The prefilter for every search of an iteration over `haystack`, unless the long-text
    /// engine searches it.
    fn iteration_prefilter(&self, haystack: &str, long: Option<&meta::Regex>) -> Option<&Prefilter> {
        match long {
            Some(_) => None,
            None => self.candidates_for(&Input::new(haystack)),
        }
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.captures_at(haystack, 0)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Captures<'h>> {
        let input = Input::new(haystack).range(start..);
        let groups = match self.long_engine(haystack.len()) {
            Some(long) => {
                let mut groups = long.create_captures();
                long.search_captures(&input, &mut groups);
                groups
            }
            None => {
                let mut groups = self.new_captures();
                let prefilter = self.candidates_for(&input);
                self.search_captures(&mut self.caches.get(), &input, prefilter, &mut groups);
                groups
            }
        };
        groups.is_match().then_some(Captures { haystack, groups })
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        let long = self.long_engine(haystack.len());
        let prefilter = self.iteration_prefilter(haystack, long);
        let mut caches = self.caches.get();
        let mut searcher = Searcher::new(Input::new(haystack));
        std::iter::from_fn(move || {
            let mut groups = match long {
                Some(long) => long.create_captures(),
                None => self.new_captures(),
            };
            searcher.advance(|input| {
                match long {
                    Some(long) => long.search_captures(input, &mut groups),
                    None => self.search_captures(&mut caches, input, prefilter, &mut groups),
                }
                Ok(groups.get_match())
            })?;
            Some(Captures { haystack, groups })
        })
    }
}

/// One match: a span of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, span: Span) -> Self {
        Match {
            haystack,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// A match with its capture groups.
#[derive(Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    groups: captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `index`; 0 is the whole match.
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.groups.get_group(index).map(|span| Match::new(self.haystack, span))
    }

    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.groups
            .get_group_by_name(name)
            .map(|span| Match::new(self.haystack, span))
    }

    /// The named groups that took part in the match, in the order they open in the pattern:
    /// which alternative of `(?P<a>...)|(?P<b>...)` matched, without asking for each name.
    pub fn named_matches(&self) -> impl Iterator<Item = (&str, Match<'h>)> + '_ {
        let names = self.groups.group_info().pattern_names(PatternID::ZERO);
        names
            .enumerate()
            .filter_map(move |(index, name)| Some((name?, self.get(index)?)))
    }

    /// Appends `replacement` to `dst` with `$1`/`${name}` replaced by the groups' text, as
    /// `regex::Captures::expand` does.
    pub fn expand(&self, replacement: &str, dst: &mut String) {
        self.groups.interpolate_string_into(self.haystack, replacement, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: [&str; 7] = [
        r"(?-u:\b)sorry(?-u:\b)",
        r"x*",
        r"(?P<n>\d+)\s+(?P<unit>minutes?|hours?)",
        r"(?:[\p{L}'’-]+\s+){1,3}?(?P<t>down)",
        r"(?-i:BGP)|ß",
        r"^\s*",
        // A Unicode word boundary makes the lazy DFAs give up on non-ASCII text.
        r"\bstra\w+",
    ];
    const HAYSTACKS: [&str; 6] = [
        "We are SORRY, sorryish, sorry.",
        "é漢字 ok 😀",
        "down for 15 minutes and 2 HOURS",
        "the site went down, the API went DOWN",
        "bgp BGP STRASSE straße",
        "",
    ];

    #[test]
    fn every_built_in_pattern_ships_its_nfas_as_compiled_now() {
        let rule_patterns: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("../rules/pattern-words.json")).unwrap();
        let fixed_patterns: Vec<String> = serde_json::from_str(include_str!("../rules/fixed-patterns.json")).unwrap();
        assert_eq!(
            SHIPPED_NFAS.len(),
            rule_patterns.len(),
            "a rule pattern without its NFAs"
        );
        assert_eq!(
            SHIPPED_FIXED_NFAS.len(),
            fixed_patterns.len(),
            "a fixed pattern without its NFAs"
        );
        for (table, case) in [(SHIPPED_NFAS, Case::Insensitive), (SHIPPED_FIXED_NFAS, Case::Sensitive)] {
            assert!(
                table.windows(2).all(|pair| pair[0].0 < pair[1].0),
                "sorted, for the binary search"
            );
            for &(pattern, ..) in table {
                let shipped = ShippedNfas::of(pattern, case).unwrap();
                let hir = parse(pattern, case).unwrap();
                for (bytes, reverse) in [(shipped.forward, false), (shipped.reverse, true)] {
                    let fresh = compile_nfa(&hir, SIZE_LIMIT, reverse).unwrap();
                    let read = nfa_bytes::read(bytes).unwrap();
                    assert!(nfa_bytes::same(&read, &fresh), "{pattern:?}, reverse {reverse}");
                }
                // The prefilter from the shipped literals is the one the parse gives.
                let literals = nfa_bytes::read_literals(shipped.prefixes).unwrap();
                let read = literals.and_then(|literals| Prefilter::new(MatchKind::LeftmostFirst, &literals));
                let fresh = Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, &hir);
                assert_eq!(format!("{read:?}"), format!("{fresh:?}"), "{pattern:?}");
                assert_eq!(shipped.longest, hir.properties().maximum_len(), "{pattern:?}");
            }
        }
    }

    #[test]
    fn a_built_in_pattern_is_read_not_compiled_and_answers_alike() {
        let pattern = SHIPPED_NFAS
            .iter()
            .map(|entry| entry.0)
            .find(|p| p.contains("unhedged"))
            .unwrap();
        let regex = CompiledRegex::new(pattern, SIZE_LIMIT).unwrap();
        // Read back, it keeps no parse; compiled, it would until its first match.
        assert!(regex.parsed.lock().unwrap().is_none());
        assert!(regex.shipped.is_some());
        let text = "We are sorry, and will tell you more if you ask. Sorry but if you";
        let expected = regex_crate(pattern);
        let found: Vec<_> = regex.find_iter(text).map(|m| m.range()).collect();
        let wanted: Vec<_> = expected.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(found, wanted);
        assert!(!found.is_empty());
        // The same pattern ignoring case under another limit, or matching case, is compiled.
        assert!(CompiledRegex::new(pattern, SIZE_LIMIT / 2)
            .unwrap()
            .parsed
            .lock()
            .unwrap()
            .is_some());
        assert!(CompiledRegex::with_case(pattern, Case::Sensitive, SIZE_LIMIT)
            .unwrap()
            .parsed
            .lock()
            .unwrap()
            .is_some());
    }

    /// `pattern` compiled by the regex crate, case-insensitively as rule patterns are.
    fn regex_crate(pattern: &str) -> regex::Regex {
        regex_crate_with(pattern, Case::Insensitive)
    }

    fn regex_crate_with(pattern: &str, case: Case) -> regex::Regex {
        regex::RegexBuilder::new(pattern)
            .case_insensitive(case == Case::Insensitive)
            .build()
            .unwrap()
    }

    /// Every method of `ours` answers for `pattern` as `regex::Regex` does.
    fn assert_answers_as_the_regex_crate(ours: &CompiledRegex, pattern: &str) {
        let theirs = regex_crate_with(pattern, ours.case);
        for haystack in HAYSTACKS {
            let context = format!("{pattern:?} on {haystack:?}");
            assert_eq!(ours.is_match(haystack), theirs.is_match(haystack), "{context}");
            let ours_all: Vec<_> = ours.find_iter(haystack).map(|m| (m.range(), m.as_str())).collect();
            let theirs_all: Vec<_> = theirs.find_iter(haystack).map(|m| (m.range(), m.as_str())).collect();
            assert_eq!(ours_all, theirs_all, "{context}");
            for start in (0..=haystack.len()).filter(|&i| haystack.is_char_boundary(i)) {
                let ours_at = ours.find_at(haystack, start).map(|m| m.range());
                assert_eq!(
                    ours_at,
                    theirs.find_at(haystack, start).map(|m| m.range()),
                    "{context} at {start}"
                );
                let ours_caps = ours.captures_at(haystack, start);
                let theirs_caps = theirs.captures_at(haystack, start);
                assert_eq!(ours_caps.is_some(), theirs_caps.is_some(), "{context} at {start}");
                if let (Some(ours_caps), Some(theirs_caps)) = (ours_caps, theirs_caps) {
                    for name in ["n", "unit", "t"] {
                        let ours_group = ours_caps.name(name).map(|m| m.range());
                        assert_eq!(
                            ours_group,
                            theirs_caps.name(name).map(|m| m.range()),
                            "{context} group {name}"
                        );
                    }
                    let (mut ours_text, mut theirs_text) = (String::new(), String::new());
                    ours_caps.expand("[$0|${n}|$t]", &mut ours_text);
                    theirs_caps.expand("[$0|${n}|$t]", &mut theirs_text);
                    assert_eq!(ours_text, theirs_text, "{context}");
                }
            }
            let ours_groups: Vec<_> = ours
                .captures_iter(haystack)
                .map(|c| (c.get(0).map(|m| m.range()), c.name("n").map(|m| m.range())))
                .collect();
            let theirs_groups: Vec<_> = theirs
                .captures_iter(haystack)
                .map(|c| (c.get(0).map(|m| m.range()), c.name("n").map(|m| m.range())))
                .collect();
            assert_eq!(ours_groups, theirs_groups, "{context}");
        }
    }

    /// The rules were written against `regex::Regex`; every method here must answer as it does,
    /// before a pattern's first match (the forward DFA alone) and after (both DFAs).
    #[test]
    fn answers_as_the_regex_crate_does() {
        for pattern in PATTERNS {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert!(ours.forward.is_some(), "{pattern}");
            assert_answers_as_the_regex_crate(&ours, pattern);
        }
    }

    /// The program's own patterns are case-sensitive outside `(?i)`, and one with a Unicode
    /// word boundary is searched by the long-text engine at any length.
    #[test]
    fn fixed_patterns_answer_as_the_regex_crate_does() {
        let patterns = [
            (r"(?i:sorry)|BGP|down", false),
            (r"(?P<n>\d+)\s+(?P<unit>minutes?|HOURS)", false),
            (r"(?-u:\b)(?:STRASSE|straße)(?-u:\b)", false),
            (r"\bstra\w+", true),
            (r"(?i)\b(?P<t>down)\b", true),
        ];
        for (pattern, unicode_word_boundary) in patterns {
            let ours = CompiledRegex::fixed(pattern);
            assert_eq!(ours.case, Case::Sensitive);
            assert_answers_as_the_regex_crate(&ours, pattern);
            let long_engine_built = ours.long_texts.get().is_some_and(Option::is_some);
            assert_eq!(long_engine_built, unicode_word_boundary, "{pattern}");
        }
    }

    /// Each search of an iteration over one text does not count as a text towards the
    /// prefilter: one document with many matches does not build it.
    #[test]
    fn an_iteration_counts_as_one_text_towards_the_prefilter() {
        let text = "sorry, ".repeat(PREFILTERED_TEXT / 7 + 1);
        let ours = CompiledRegex::new("sorry", 1 << 22).unwrap();
        assert!(ours.find_iter(&text).count() > PREFILTER_AFTER as usize);
        assert!(ours.captures_iter(&text).count() > PREFILTER_AFTER as usize);
        assert!(!ours.has_prefilter());
        for _ in 0..PREFILTER_AFTER {
            ours.find_iter(&text).for_each(drop);
        }
        assert!(ours.has_prefilter());
    }

    /// Texts of [`PREFILTERED_TEXT`] bytes or more are searched for the pattern's literal
    /// prefixes first, once it has searched [`PREFILTER_AFTER`] of them; the answers stay the
    /// regex crate's, `\b` and `^` right at a literal the prefilter finds included.
    #[test]
    fn prefiltered_texts_answer_as_the_regex_crate_does() {
        let filler = "all systems normal; ".repeat(PREFILTERED_TEXT / 20 + 1);
        assert!((PREFILTERED_TEXT..LONG_TEXT / 2).contains(&filler.len()));
        let texts: Vec<String> = [
            "xsorry, sorry. SORRY",
            "BGP at the start",
            "no literal here",
            "Samwise and sam, then 15 minutes",
            // Literals that lead nowhere (`\b` fails) before and inside the match's word.
            "sosorry sorrysorry xSORRY, then sorry",
            "é漢字 straße bgp",
        ]
        .iter()
        .flat_map(|t| {
            [
                format!("{t}{filler}"),
                format!("{filler}{t}"),
                format!("{filler}{t} {filler}"),
            ]
        })
        .collect();
        let patterns = [
            r"(?-u:\b)sorry(?-u:\b)",
            r"(?-i:BGP)|ß",
            r"^(?-i:BGP)",
            r"(?m:^)\w+",
            r"sam|samwise",
            r"(?P<n>\d+)\s+(?P<unit>minutes?|hours?)",
            r"x*",
            r"\bstra\w+",
        ];
        for pattern in patterns {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap();
            let theirs = regex_crate(pattern);
            for _ in 0..PREFILTER_AFTER {
                ours.is_match(&filler);
            }
            for text in &texts {
                let context = format!("{pattern:?} on {:?}", &text[..20]);
                assert_eq!(ours.is_match(text), theirs.is_match(text), "{context}");
                let ours_all: Vec<_> = ours.find_iter(text).map(|m| m.range()).collect();
                let theirs_all: Vec<_> = theirs.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours_all, theirs_all, "{context}");
                let ours_groups: Vec<_> = ours
                    .captures_iter(text)
                    .map(|c| c.name("n").map(|m| m.range()))
                    .collect();
                let theirs_groups: Vec<_> = theirs
                    .captures_iter(text)
                    .map(|c| c.name("n").map(|m| m.range()))
                    .collect();
                assert_eq!(ours_groups, theirs_groups, "{context}");
                for start in [1, 2, 7, filler.len(), text.len() - 9] {
                    let start = (start..).find(|&i| text.is_char_boundary(i)).unwrap();
                    let ours_at = ours.find_at(text, start).map(|m| m.range());
                    assert_eq!(
                        ours_at,
                        theirs.find_at(text, start).map(|m| m.range()),
                        "{context} at {start}"
                    );
                }
            }
            let prefiltered = ours.prefilter.get().is_some_and(Option::is_some);
            // Both ways are tested: patterns that start with literals have a prefilter, and those
            // that can start anywhere have none. (Whether the others get one is regex-automata's
            // judgement of what searches fast.)
            match pattern {
                r"(?-u:\b)sorry(?-u:\b)" | r"^(?-i:BGP)" | r"sam|samwise" => assert!(prefiltered, "{pattern}"),
                r"(?m:^)\w+" | r"x*" => assert!(!prefiltered, "{pattern}"),
                _ => {}
            }
        }
    }

    /// Search states go to whichever thread searches: threads that search one after the other
    /// share one, and a second is made only for a search while the first is lent.
    #[test]
    fn threads_that_search_in_turn_share_one_search_state() {
        let ours = CompiledRegex::new(r"\bwent\s+down\b", 1 << 22).unwrap();
        let states = || ours.caches.states();
        for text in ["the API went down", "all fine", "it went down again"] {
            std::thread::scope(|scope| {
                scope.spawn(|| assert_eq!(ours.is_match(text), text.contains("down")));
            });
        }
        assert_eq!(states(), 1);
        // What the searches learnt stays with the state.
        assert!(ours.caches.get().forward.is_some());
        // A search while another holds the state (an iterator keeps it) makes a second one.
        let mut matches = ours.find_iter("went down, went down");
        assert!(matches.next().is_some());
        assert!(ours.is_match("it went down"));
        assert!(matches.next().is_some());
        drop(matches);
        assert_eq!(states(), 2);
    }

    /// A thread keeps one copy of the forward DFA's states: at the first match they move to
    /// the cache of the span-finding DFAs, and searches by the forward DFA alone go on there.
    #[test]
    fn the_forward_states_move_to_the_span_cache_at_the_first_match() {
        let ours = CompiledRegex::new(r"\bwent\s+down\b", 1 << 22).unwrap();
        assert!(!ours.is_match("all systems are fine"));
        assert!(ours.caches.get().forward.is_some());
        assert_eq!(ours.find("the API went down").map(|m| m.range()), Some(8..17));
        {
            let caches = ours.caches.get();
            assert!(caches.forward.is_none() && caches.spans.is_some());
        }
        assert!(ours.is_match("it went down again") && !ours.is_match("it went up"));
        assert!(ours.caches.get().forward.is_none());
    }

    /// The reverse compile reads the parse of the forward one; a pattern that keeps missing
    /// drops it, and parses again if it ever matches.
    #[test]
    fn the_parsed_pattern_waits_for_the_first_match_or_many_misses() {
        let kept = |regex: &CompiledRegex| regex.parsed.lock().unwrap().is_some();
        let matching = CompiledRegex::new(r"\bwent\s+down\b", 1 << 22).unwrap();
        assert!(kept(&matching));
        assert!(matching.find("it went down").is_some());
        assert!(!kept(&matching));
        let missing = CompiledRegex::new(r"\bwent\s+down\b", 1 << 22).unwrap();
        for _ in 1..KEEP_PARSED_FOR {
            assert!(missing.find("all is well").is_none());
        }
        assert!(kept(&missing));
        assert!(!missing.is_match("still well"));
        assert!(!kept(&missing));
        assert_eq!(missing.find("the API went down").map(|m| m.range()), Some(8..17));
        // A match found at a place the prefilter found builds no reverse DFA and drops the parse.
        let prefiltered = CompiledRegex::new(r"\bwent\s+down\b", 1 << 22).unwrap();
        prefiltered.prefilter_from_now();
        let long = format!(
            "{} it went down",
            "all systems normal; ".repeat(PREFILTERED_TEXT / 20 + 1)
        );
        assert_eq!(prefiltered.find(&long).map(|m| m.start()), Some(long.len() - 9));
        assert!(prefiltered.has_prefilter() && !kept(&prefiltered));
        assert!(prefiltered.spans.get().is_none());
        // So does a match found by an anchored search where the word index placed it.
        let anchored = CompiledRegex::new(r"\bwent\s+up\b", 1 << 22).unwrap();
        assert_eq!(anchored.find_anchored("it went up", 2), None);
        assert!(kept(&anchored));
        assert_eq!(anchored.find_anchored("it went up", 3).map(|m| m.range()), Some(3..10));
        assert!(!kept(&anchored) && anchored.spans.get().is_none());
    }

    /// Without a lazy DFA (when its cache cannot hold the NFA's states), the NFA engines
    /// answer everything, the same.
    #[test]
    fn answers_the_same_without_its_lazy_dfa() {
        for pattern in PATTERNS {
            let mut ours = CompiledRegex::new(pattern, 1 << 22).unwrap();
            ours.forward = None;
            assert_answers_as_the_regex_crate(&ours, pattern);
        }
    }

    /// A long text goes to the engine with the prefilter, which must answer the same.
    #[test]
    fn long_texts_answer_as_short_ones_do() {
        let text =
            "We apologise: the API (our BGP edge) went down at 10:04 UTC for 15 minutes. ".repeat(LONG_TEXT / 60);
        assert!(text.len() >= LONG_TEXT);
        for pattern in [
            r"(?-u:\b)(?:apologi[sz]e|sorry)(?-u:\b)",
            r"(?P<n>\d+)\s+minutes",
            r"(?-i:BGP)",
            r"x*",
        ] {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap();
            let theirs = regex_crate(pattern);
            let ours_all: Vec<_> = ours.find_iter(&text).map(|m| m.range()).collect();
            let theirs_all: Vec<_> = theirs.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(ours_all, theirs_all, "{pattern}");
            let ours_caps: Vec<_> = ours
                .captures_iter(&text)
                .map(|c| c.name("n").map(|m| m.range()))
                .collect();
            let theirs_caps: Vec<_> = theirs
                .captures_iter(&text)
                .map(|c| c.name("n").map(|m| m.range()))
                .collect();
            assert_eq!(ours_caps, theirs_caps, "{pattern}");
            for start in [0, 1, 5, LONG_TEXT / 2, text.len() - 3] {
                let ours_at = ours.find_at(&text, start).map(|m| m.range());
                assert_eq!(
                    ours_at,
                    theirs.find_at(&text, start).map(|m| m.range()),
                    "{pattern} at {start}"
                );
            }
            assert!(
                ours.long_texts.get().is_some_and(Option::is_some),
                "the long text used the prefiltered engine"
            );
        }
    }

    #[test]
    fn a_search_back_from_the_end_answers_as_the_regex_crate_does() {
        for pattern in [
            r#"(?:(?-u:\b)(?:so-called|called|known\s+as)\s+["“'‘]?(?:(?:a|an|the)\s+)?)$"#,
            r"(?:our|my)\s+(?:[\p{L}-]+\s+)?$",
            // A Unicode word boundary: on non-ASCII text the lazy DFA gives up.
            r"\bstra\w*$",
            r"x*$",
        ] {
            let ours = CompiledRegex::new(pattern, 1 << 22).unwrap();
            let theirs = regex_crate(pattern);
            let more = ["the so-called  \"", "KNOWN AS the ", "our straße", "Our élan ", "myxx"];
            for haystack in HAYSTACKS.iter().chain(&more) {
                for end in (0..=haystack.len()).filter(|&i| haystack.is_char_boundary(i)) {
                    let text = &haystack[..end];
                    let expected = theirs.is_match(text);
                    assert_eq!(ours.is_match_anchored_at_end(text), expected, "{pattern:?} on {text:?}");
                }
            }
        }
    }

    #[test]
    fn reports_a_pattern_over_the_size_limit() {
        assert!(matches!(
            CompiledRegex::new(r"\p{L}{100}", 1 << 16),
            Err(BuildError::TooBig(_))
        ));
        assert!(matches!(CompiledRegex::new(r"(", 1 << 16), Err(BuildError::Other(_))));
    }

    #[test]
    fn named_matches_are_the_named_groups_that_matched_in_pattern_order() {
        let regex = CompiledRegex::new(r"(?P<a>x)|(?P<b>y(z)(?P<c>w)?)", SIZE_LIMIT).unwrap();
        let named = |text: &str| -> Vec<(String, String)> {
            let captures = regex.captures(text).unwrap();
            let named = captures.named_matches();
            named
                .map(|(name, m)| (name.to_string(), m.as_str().to_string()))
                .collect()
        };
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
        };
        assert_eq!(named("-x-"), pairs(&[("a", "x")]));
        assert_eq!(named("yzw"), pairs(&[("b", "yzw"), ("c", "w")]));
        assert_eq!(named("yz"), pairs(&[("b", "yz")]));
    }
}
