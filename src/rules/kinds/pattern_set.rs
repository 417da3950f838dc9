//! A list of patterns tried on the same text, with one word search in front of them.
//!
//! Most rules hold lists of patterns (cue phrases, triggers, hedges, headings) and ask each of
//! them about every sentence; almost all of those questions get "no". From each pattern's
//! syntax the set reads its *factors*: sets of words of which every match contains one each
//! (`(?:we|they) will never (?:fail|break down)` needs `will never`, and `fail` or
//! `break down`). A member is run only on a text that holds a word of each of its telling
//! factors, and compiled on its first such run, so a pattern whose words never appear costs
//! neither time nor start-up. Its other factors, of words too common to index (`if`, `and`
//! or `but`), are looked for in the text itself while the member is not compiled: most texts
//! that reach that point cannot match, and compiling is the dearest part of a short run.
//!
//! The words are found by one aho-corasick search per document for the words of every set in
//! the process that has learned them ([`with_document`]; a set learns its words on first use,
//! or, for a document of `LEARN_ALL_FROM` bytes or more, before that document is searched, or
//! when the run's searcher is built for bulk reading),
//! or, for a text outside the document being linted or a set that learned its words after it,
//! by the set's own search of that text. Where the document's search found them also tells
//! where a member's matches can be ([`Within`]): a search of a long text (the jargon
//! lexicon's, of a whole document) then reads only those places.
//!
//! The filter is exact: a member that could match is never skipped. Words are searched in any
//! ASCII case; the non-ASCII foldings of the regexes' Unicode case-insensitivity are covered
//! (the Kelvin sign and the long s make every member a candidate, and a word is cut before a
//! non-ASCII letter that has other cases); a member without a known factor (`\w+`) always runs.

use super::LazyRegex;
use crate::compiled_regex::{CompiledRegex, Match};
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, MatchKind, StartKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError, Weak};

/// Patterns searched together; members keep their order (the first one found may win). Clones
/// share their members and words.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    parts: Arc<SetParts>,
}

#[derive(Debug, Default)]
struct SetParts {
    members: Vec<LazyRegex>,
    /// Read from the members' syntax on first use, or before a big document is indexed (see
    /// [`learn_waiting_sets`]): a run of short documents that never asks a set about one costs
    /// nothing for it.
    required: OnceLock<RequiredWords>,
}

impl SetParts {
    fn required(&self) -> &RequiredWords {
        self.required.get_or_init(|| RequiredWords::of(&self.members))
    }
}

/// Sets that have not learned their words yet, for [`learn_waiting_sets`].
static WAITING_SETS: Mutex<WaitingSets> = Mutex::new(WaitingSets {
    sets: Vec::new(),
    sweep_at: MIN_SWEEP,
});

/// The sets of a dropped configuration (a language server reloads one on every save) leave
/// entries that hold a little memory each until a big document is linted: the list is swept
/// of them when it has doubled since the last sweep, which keeps it within about twice the
/// live sets at a constant cost per set.
struct WaitingSets {
    sets: Vec<Weak<SetParts>>,
    sweep_at: usize,
}

const MIN_SWEEP: usize = 64;

impl WaitingSets {
    fn push(&mut self, parts: &Arc<SetParts>) {
        if self.sets.len() >= self.sweep_at {
            self.sets.retain(|set| set.strong_count() > 0);
            self.sweep_at = (2 * self.sets.len()).max(MIN_SWEEP);
        }
        self.sets.push(Arc::downgrade(parts));
    }
}

/// Which members need which words; one per set, which its clones share.
#[derive(Debug)]
struct RequiredWords {
    /// Every distinct required word of every member, lowercased (see [`Reading`]).
    words: Vec<Vec<u8>>,
    /// The search for `words` in the texts of a document without a word index (a big one),
    /// built for speed.
    searcher: OnceLock<AhoCorasick>,
    /// The search for `words` in the few other texts the index cannot answer for (headings,
    /// the first document that asks before the index has the words), built quickly, once
    /// [`SCANS_BEFORE_SEARCHER`] texts were scanned for each word instead.
    lowercased_searcher: OnceLock<AhoCorasick>,
    /// Texts scanned for each word before `lowercased_searcher` was built.
    scanned_texts: AtomicU32,
    /// A substring search for each word, for those scans.
    word_finders: OnceLock<Vec<memchr::memmem::Finder<'static>>>,
    /// For each word, the members whose factors hold it.
    owners: Vec<Vec<usize>>,
    /// For each member, its factors: sets of words (indices into `words`) of which a match
    /// contains one each. A member is a candidate when every factor has a word in the text.
    factors: Vec<Vec<Vec<u32>>>,
    /// For each member, [`PatternWords::starts`]: how far into a match its first factor's
    /// words begin, when every match starts with one.
    starts: Vec<Option<usize>>,
    /// The Kelvin sign and the long s (see [`RequiredWords::of`]): either makes every member a
    /// candidate.
    folding_signs: Vec<u32>,
    /// For each process-wide word id (see [`Vocabulary`]) up to the set's highest, its index in
    /// `owners` plus one, or 0; then one 0 more, which [`word_plus_one`](Self::word_plus_one)
    /// reads for every later id.
    by_word_id: Vec<u32>,
    /// Members that must always be run.
    always: Members,
    /// For each member, its factors too common to index (see [`PatternWords`]), checked in the
    /// text itself before the member runs.
    checked: Vec<Factors>,
    /// For each member, how many texts it was checked in (see [`CHECKS_BEFORE_COMPILING`]).
    checks: Box<[AtomicU32]>,
    /// The members with checked factors.
    with_checks: Members,
}

impl PatternSet {
    /// A set of compiled members.
    pub fn new(members: Vec<LazyRegex>) -> Self {
        let parts = Arc::new(SetParts {
            members,
            required: OnceLock::new(),
        });
        WAITING_SETS.lock().unwrap_or_else(PoisonError::into_inner).push(&parts);
        PatternSet { parts }
    }

    /// Compiles each pattern with `compile`; the first error is returned.
    pub fn compile<S: AsRef<str>>(
        patterns: &[S],
        compile: impl Fn(&str) -> Result<LazyRegex, String>,
    ) -> Result<Self, String> {
        let members = patterns.iter().map(|p| compile(p.as_ref())).collect::<Result<_, _>>()?;
        Ok(PatternSet::new(members))
    }

    /// Adds the members' words to the process's vocabulary now rather than on first use, so
    /// that the next document's word index holds them (a set asked about a document indexed
    /// before it learned its words searches that document's texts itself).
    pub fn learn_words(&self) {
        self.parts.required();
    }

    /// The members, in order.
    pub fn members(&self) -> &[LazyRegex] {
        &self.parts.members
    }

    /// The members, to add to them.
    pub fn into_members(self) -> Vec<LazyRegex> {
        Arc::try_unwrap(self.parts).map_or_else(|parts| parts.members.clone(), |parts| parts.members)
    }

    /// The members that can match somewhere in `text`, in order, with their index.
    pub fn candidates<'s>(&'s self, text: &str) -> impl Iterator<Item = (usize, &'s LazyRegex)> + 's {
        self.candidate_members(text)
            .into_indices()
            .map(move |i| (i, &self.parts.members[i]))
    }

    /// [`candidates`](Self::candidates), each with where in `text` its matches can be, as the
    /// document's word index tells (see [`Within`]).
    pub fn candidates_within<'s>(&'s self, text: &str) -> Vec<(usize, &'s LazyRegex, Within)> {
        let required = self.parts.required();
        // Where the set's words occur in `text`, when the index knows.
        let mut occurrences: Vec<(Range<usize>, u32)> = Vec::new();
        let indexed = DocumentWords::visit_spans(text, required.ids_known(), |span, id| {
            if let Some(local) = required.local_word(id) {
                occurrences.push((span, local as u32));
            }
        })
        .is_ok();
        // A sign that folds to an ASCII letter can stand for a word's letter (see
        // `RequiredWords::of`): the index does not see that word there.
        let placed = indexed
            && !occurrences
                .iter()
                .any(|(_, word)| required.folding_signs.contains(word));
        self.candidate_members(text)
            .into_indices()
            .map(|member| {
                let regex = &self.parts.members[member];
                let within = match required.factors[member].first() {
                    Some(first) if placed => {
                        let spans = occurrences
                            .iter()
                            .filter(|(_, word)| first.contains(word))
                            .map(|(span, _)| span.clone());
                        Within::of(spans, required.starts[member], || regex.max_len(), text.len())
                    }
                    _ => Within::Anywhere,
                };
                (member, regex, within)
            })
            .collect()
    }

    /// Every match in `text` of each member that can match there, member by member, each
    /// member's as its `find_iter` finds them, with the member's index. A member is searched
    /// only where the document's word index places its matches (see [`Within`]): a rule that
    /// looks for a few words in a whole document reads only the places where they are.
    pub fn find_all<'h>(&self, text: &'h str) -> Vec<(usize, Match<'h>)> {
        let mut found = Vec::new();
        if DOCUMENT.with(|document| document.borrow().is_none()) {
            // No index (a document too big for one): a search for the set's words would read
            // the text once more before each member's search (the 10 MB file, +7% instructions).
            for (member, regex) in self.members().iter().enumerate() {
                found.extend(regex.find_iter(text).map(|m| (member, m)));
            }
            return found;
        }
        for (member, regex, within) in self.candidates_within(text) {
            if within == Within::Anywhere {
                found.extend(regex.find_iter(text).map(|m| (member, m)));
                continue;
            }
            let first = found.len();
            let mut at = 0;
            while let Some(m) = within.find_at(regex, text, at) {
                if m.range().is_empty() {
                    // How a search goes on after an empty match is `find_iter`'s to say.
                    found.truncate(first);
                    found.extend(regex.find_iter(text).map(|m| (member, m)));
                    break;
                }
                at = m.end();
                found.push((member, m));
            }
        }
        found
    }

    /// True when the document's word index answers for `text` and this set's words, so that
    /// [`candidates_within`](Self::candidates_within) can place the members' matches.
    pub fn indexed(&self, text: &str) -> bool {
        DocumentWords::answers(text, self.parts.required().ids_known())
    }

    /// True when a member matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.candidates(text).any(|(_, re)| re.is_match(text))
    }

    /// True when one of the members could match in `text` (none can when this is false).
    pub fn may_match(&self, text: &str) -> bool {
        !self.candidate_members(text).is_empty()
    }

    /// A filter of the texts (parts of the document's prose mask, such as its sentences) in
    /// which no member can match, as the document's word index tells (see [`WordFilter`]). A
    /// rule that asks about every sentence asks it first: it reads the document's occurrences
    /// once, instead of once per sentence, three in four of which hold no word of the set (for
    /// the phrase and blame rules, the 2,000-file benchmark 1.8% fewer instructions).
    pub fn word_filter(&self) -> WordFilter<'_> {
        WordFilter {
            required: self.parts.required(),
            document: document_words(),
            spans: None,
        }
    }

    /// The members that can match in `text`, by the words it holds: read from the document's
    /// word index, or found by a search of `text` where the index does not answer for it.
    fn candidate_members(&self, text: &str) -> Members {
        let required = self.parts.required();
        let mut present = Members::with_capacity(required.words.len());
        let mut any_present = false;
        let from_document = DocumentWords::visit(text, required.ids_known(), |id| {
            if let Some(local) = required.local_word(id) {
                present.insert(local);
                any_present = true;
            }
        });
        if let Err(unanswered) = from_document {
            required.find_words(unanswered, text, |word| {
                present.insert(word);
                any_present = true;
            });
        }
        // Three texts in four hold none of a set's words, and most sets have no member that
        // always runs: nothing is left to choose or check.
        if !any_present && required.always.is_empty() {
            return Members::none();
        }
        let mut found = required.candidates(&present);
        required.check_short_words(text, &mut found, |member| self.parts.members[member].is_compiled());
        found
    }
}

/// See [`PatternSet::word_filter`].
pub struct WordFilter<'s> {
    required: &'s RequiredWords,
    document: Option<Arc<DocumentWords>>,
    /// Where the set's words occur in the document's mask, by start; made at the first text
    /// the index answers for.
    spans: Option<Vec<(u32, u32)>>,
}

impl WordFilter<'_> {
    /// False when the document's word index shows that `text` holds none of the set's words,
    /// and no member runs without one: no member can match there. True when one may, or when
    /// the index does not answer for `text` (a document too big to index, a text outside it, a
    /// set that learnt its words after it was indexed).
    pub fn may_hold(&mut self, text: &str) -> bool {
        let required = self.required;
        let Some(doc) = self.document.as_deref().filter(|_| required.always.is_empty()) else {
            return true;
        };
        let Ok(at) = doc.offset_of(text, required.ids_known()) else {
            return true;
        };
        let spans = self.spans.get_or_insert_with(|| {
            doc.occurrences
                .iter()
                .filter(|o| required.local_word(o.2).is_some())
                .map(|o| (o.0, o.1))
                .collect()
        });
        let (start, end) = (at as u32, (at + text.len()) as u32);
        let first = spans.partition_point(|span| span.0 < start);
        spans[first..]
            .iter()
            .take_while(|span| span.0 < end)
            .any(|span| span.1 <= end)
    }
}

impl RequiredWords {
    /// The set's own index of the vocabulary word `id` (into `words`), if it is one of them.
    fn local_word(&self, id: u32) -> Option<usize> {
        (self.word_plus_one(id) as usize).checked_sub(1)
    }

    /// How many vocabulary ids the set's table covers: a document index that knew fewer words
    /// cannot answer for the set.
    fn ids_known(&self) -> usize {
        self.by_word_id.len() - 1
    }

    /// The set's own index of the vocabulary word `id` (into `words`) plus one, or 0 when it is
    /// not one of them. An id past the table reads its last entry rather than being checked for:
    /// whether a document's next word is in a set's table is as good as random, and without that
    /// check the sets mispredict 1.7 million fewer branches on 1,000 of the benchmark's files
    /// (cachegrind; 2.8 M before).
    fn word_plus_one(&self, id: u32) -> u32 {
        self.by_word_id[(id as usize).min(self.ids_known())]
    }

    /// The members that can match in a text holding the words `present`.
    fn candidates(&self, present: &Members) -> Members {
        let mut found = self.always.clone();
        if self.folding_signs.iter().any(|&w| present.contains(w as usize)) {
            for member in 0..self.factors.len() {
                found.insert(member);
            }
            return found;
        }
        for word in present.iter() {
            for &member in &self.owners[word] {
                if !found.contains(member)
                    && self.factors[member]
                        .iter()
                        .all(|factor| factor.iter().any(|&w| present.contains(w as usize)))
                {
                    found.insert(member);
                }
            }
        }
        found
    }

    /// Calls `found` with each of the set's words in `text`, which the document's index could
    /// not answer for.
    fn find_words(&self, unanswered: Unanswered, text: &str, mut found: impl FnMut(usize)) {
        if self.words.is_empty() {
            return;
        }
        let (searcher, reading) = match unanswered {
            // The texts of a big document: many, some long (a section). Searched as they are,
            // not copied.
            Unanswered::NoIndex => (&self.searcher, Reading::InAnyCase),
            Unanswered::NotInDocument if text.len() > DOCUMENT_INDEX_LIMIT => (&self.searcher, Reading::InAnyCase),
            // A heading's words, or the first document's texts: few and short.
            Unanswered::NotInDocument | Unanswered::WordsUnknown => {
                if self.lowercased_searcher.get().is_none()
                    && self.scanned_texts.load(Ordering::Relaxed) < SCANS_BEFORE_SEARCHER
                    && self.scanned_texts.fetch_add(1, Ordering::Relaxed) < SCANS_BEFORE_SEARCHER
                {
                    // Whether each word occurs is all a set asks, and is what the searcher
                    // would find (it reports every occurrence, overlapping ones too).
                    let finders = self.word_finders.get_or_init(|| {
                        let finder = |word: &Vec<u8>| memchr::memmem::Finder::new(word).into_owned();
                        self.words.iter().map(finder).collect()
                    });
                    return with_lowercased(text, |text| {
                        for (word, finder) in finders.iter().enumerate() {
                            if finder.find(text.as_bytes()).is_some() {
                                found(word);
                            }
                        }
                    });
                }
                (&self.lowercased_searcher, Reading::FewLowercased)
            }
        };
        let searcher = searcher.get_or_init(|| word_searcher(&self.words, reading));
        let mut search = |text: &str| {
            for m in searcher.find_overlapping_iter(text) {
                found(m.pattern().as_usize());
            }
        };
        match reading {
            Reading::InAnyCase => search(text),
            Reading::Lowercased | Reading::FewLowercased => with_lowercased(text, search),
        }
    }

    fn of(members: &[LazyRegex]) -> Self {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut factors = Vec::with_capacity(members.len());
        let mut checked = Vec::with_capacity(members.len());
        let mut always = Members::with_capacity(members.len());
        let mut starts = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let Some(member_words) = words_of_pattern(&member.pattern) else {
                always.insert(index);
                factors.push(Vec::new());
                checked.push(Vec::new());
                starts.push(None);
                continue;
            };
            if member_words.indexed.is_empty() {
                always.insert(index);
            }
            checked.push(member_words.checked);
            starts.push(member_words.starts);
            let mut indexed = Vec::with_capacity(member_words.indexed.len());
            for factor in member_words.indexed {
                let mut local = Vec::with_capacity(factor.len());
                for word in factor {
                    let at = match words.iter().position(|w| *w == word) {
                        Some(at) => at,
                        None => {
                            words.push(word);
                            owners.push(Vec::new());
                            words.len() - 1
                        }
                    };
                    if owners[at].last() != Some(&index) {
                        owners[at].push(index);
                    }
                    local.push(at as u32);
                }
                indexed.push(local);
            }
            factors.push(indexed);
        }
        // Under the regexes' Unicode case folding `k` also matches the Kelvin sign and `s` the
        // long s, which a search for ASCII words in any case misses: either one in a text makes
        // every member a candidate.
        let mut folding_signs = Vec::new();
        if !words.is_empty() {
            for sign in ["\u{212A}", "\u{17F}"] {
                words.push(sign.as_bytes().to_vec());
                owners.push(Vec::new());
                folding_signs.push(words.len() as u32 - 1);
            }
        }
        let ids = Vocabulary::ids_of(&words);
        let mut by_word_id = vec![0; ids.iter().max().map_or(0, |&id| id as usize + 1) + 1];
        for (local, &id) in ids.iter().enumerate() {
            by_word_id[id as usize] = local as u32 + 1;
        }
        RequiredWords {
            words,
            searcher: OnceLock::new(),
            lowercased_searcher: OnceLock::new(),
            scanned_texts: AtomicU32::new(0),
            word_finders: OnceLock::new(),
            owners,
            factors,
            starts,
            folding_signs,
            by_word_id,
            always,
            checks: checked.iter().map(|_| AtomicU32::new(0)).collect(),
            with_checks: {
                let mut with_checks = Members::with_capacity(checked.len());
                for member in (0..checked.len()).filter(|&m| !checked[m].is_empty()) {
                    with_checks.insert(member);
                }
                with_checks
            },
            checked,
        }
    }

    /// Drops from `found` the members not yet compiled with a checked factor none of whose
    /// words is in `text`. A compiled member's regex answers as fast as the check, which is
    /// only there to spare compiling a pattern that a text cannot match: most of the patterns
    /// a document's sentences pass to this point never match (41 of the 65 of a 4 KB file).
    /// Not done on long texts (the index alone is exact, only less strict), nor on a text with
    /// a sign that folds to an ASCII letter (see [`RequiredWords::of`]).
    fn check_short_words(&self, text: &str, found: &mut Members, is_compiled: impl Fn(usize) -> bool) {
        if text.len() > CHECKED_TEXT_LIMIT || self.with_checks.is_empty() {
            return;
        }
        // Collected only when some member is to be checked: an empty collect does not allocate.
        let to_check: Vec<usize> = found
            .common(&self.with_checks)
            .filter(|&member| {
                !is_compiled(member)
                    && self.checks[member].load(Ordering::Relaxed) < CHECKS_BEFORE_COMPILING
                    && self.checks[member].fetch_add(1, Ordering::Relaxed) < CHECKS_BEFORE_COMPILING
            })
            .collect();
        if to_check.is_empty() || text.contains('\u{212A}') || text.contains('\u{17F}') {
            return;
        }
        // The standard library's substring search (vectorized for short needles) finds each
        // word in the lowercased text.
        with_lowercased(text, |lowercased| {
            // Words are whole characters (see `searchable`); one that were not would count as found.
            let holds = |word: &Vec<u8>| std::str::from_utf8(word).map_or(true, |word| lowercased.contains(word));
            for member in to_check {
                if !self.checked[member].iter().all(|factor| factor.iter().any(holds)) {
                    found.remove(member);
                }
            }
        });
    }
}

thread_local! {
    /// The text being searched, lowercased (reused: sets are asked about every sentence).
    static LOWERCASED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on `text` with ASCII letters lowercased, as the words are: a search for them is
/// then case-sensitive, and a case-sensitive searcher builds in a third of the time (it has
/// half the transitions). Offsets are those of `text`. For texts up to
/// [`DOCUMENT_INDEX_LIMIT`]: the copy is kept for the next text.
fn with_lowercased<T>(text: &str, f: impl FnOnce(&str) -> T) -> T {
    LOWERCASED.with(|lowercased| {
        let mut lowercased = lowercased.borrow_mut();
        lowercased.clear();
        lowercased.push_str(text);
        lowercased.make_ascii_lowercase();
        f(&lowercased)
    })
}

/// Texts up to this long (a sentence, a paragraph) have the members' short words checked.
const CHECKED_TEXT_LIMIT: usize = 4 << 10;

/// A member checked in this many texts is compiled at its next candidate text, whatever its
/// short words: over many documents its compiled regex answers sooner than the check (which
/// searches each word separately). A 4 KB document has about 40 sentences.
const CHECKS_BEFORE_COMPILING: u32 = 64;

/// Texts a set scans for each of its words (a SIMD substring search each) before it builds a
/// searcher of them all, which costs about as much as scanning a hundred texts so: most sets
/// search a few dozen texts this way, those of the first document, before the document index
/// knows their words (a one-file run built 16 searchers, 12% of its instructions).
const SCANS_BEFORE_SEARCHER: u32 = 64;

/// What a searcher of words reads, which decides how it is built.
#[derive(Clone, Copy)]
enum Reading {
    /// Texts in any case, many and some long: built for speed (the crate's choice, a DFA for
    /// a few words, searches faster than a contiguous NFA but takes far longer to build).
    InAnyCase,
    /// Lowercased texts (see [`with_lowercased`]), many: the crate's choice, a contiguous NFA
    /// for many words, quick to build and fast enough.
    Lowercased,
    /// Lowercased texts, few: built quickly, as a noncontiguous NFA (a contiguous one, built
    /// from it, searches faster, but the first document's 20 or so searchers took 1.9 million
    /// more instructions to build, 3% of a one-file run).
    FewLowercased,
}

/// A search for `words` (lowercase) in texts read as `reading` says.
fn word_searcher<W: AsRef<[u8]>>(words: &[W], reading: Reading) -> AhoCorasick {
    let kind = match reading {
        Reading::InAnyCase | Reading::Lowercased => None,
        Reading::FewLowercased => Some(AhoCorasickKind::NoncontiguousNFA),
    };
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(matches!(reading, Reading::InAnyCase))
        .kind(kind)
        .match_kind(MatchKind::Standard)
        .build(words)
        .expect("a few thousand short words always build")
}

/// Every required word of every set of the process, each with an id, so that one search per
/// document finds the words of all sets at once. Words are only added (while sets are first
/// used), so an id never changes.
#[derive(Default)]
struct Vocabulary {
    ids: HashMap<Vec<u8>, u32>,
    words: Vec<Vec<u8>>,
    /// The words' length in all.
    word_bytes: usize,
    /// The searcher of all words; rebuilt after words are added.
    searcher: Option<KnownSearcher>,
    /// True while a thread builds the searcher for bulk reading (see [`Vocabulary::searcher`]).
    building_for_bulk: bool,
}

/// A searcher of the vocabulary's first `words` words.
struct KnownSearcher {
    searcher: Arc<IndexSearcher>,
    words: usize,
}

/// Sized for the benchmark's 904 words (a one-file run grew it from empty, nine rehashes).
static VOCABULARY: LazyLock<Mutex<Vocabulary>> = LazyLock::new(|| {
    Mutex::new(Vocabulary {
        ids: HashMap::with_capacity(1024),
        ..Vocabulary::default()
    })
});

impl Vocabulary {
    /// The ids of `words`, adding those not known yet.
    fn ids_of(words: &[Vec<u8>]) -> Vec<u32> {
        let mut vocabulary = VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner);
        let vocabulary = &mut *vocabulary;
        words
            .iter()
            .map(|word| {
                *vocabulary.ids.entry(word.clone()).or_insert_with(|| {
                    vocabulary.word_bytes += word.len();
                    vocabulary.words.push(word.clone());
                    vocabulary.words.len() as u32 - 1
                })
            })
            .collect()
    }

    /// A searcher of every word known now, and the number of words it knows: built for reading
    /// in bulk when the documents still to come are expected to hold `BULK_SEARCH_PAYS_FROM`
    /// bytes, if the words are few enough (see [`BULK_SEARCH_WORD_BYTES`]).
    fn searcher() -> (Arc<IndexSearcher>, usize) {
        let mut vocabulary = VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner);
        let known = vocabulary.words.len();
        let in_bulk = bytes_to_come() >= BULK_SEARCH_PAYS_FROM && vocabulary.word_bytes <= BULK_SEARCH_WORD_BYTES;
        if let Some(current) = &vocabulary.searcher {
            let up_to_date = current.words == known;
            // While another thread builds for bulk, a searcher that misses the latest words
            // still serves: the index says how many it knows, and the sets with later words
            // search the document themselves.
            if (up_to_date && (current.searcher.is_bulk() || !in_bulk)) || vocabulary.building_for_bulk {
                return (Arc::clone(&current.searcher), current.words);
            }
        }
        if !in_bulk {
            let searcher = Arc::new(IndexSearcher::Quick(word_searcher(
                &vocabulary.words,
                Reading::Lowercased,
            )));
            vocabulary.searcher = Some(KnownSearcher {
                searcher: Arc::clone(&searcher),
                words: known,
            });
            return (searcher, known);
        }
        // Built outside the lock, as it takes a while (see `BULK_SEARCH_PAYS_FROM`): the other
        // threads go on with the current searcher.
        vocabulary.building_for_bulk = true;
        drop(vocabulary);
        // Every set learns its words first, so that the searcher is built once rather than
        // again each time a set is first asked (the 2,000-file benchmark built it three times:
        // sets first asked about its 96th and 160th documents added 100 words each).
        learn_waiting_sets();
        let (words, for_bulk) = {
            let vocabulary = VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner);
            (
                vocabulary.words.clone(),
                vocabulary.word_bytes <= BULK_SEARCH_WORD_BYTES,
            )
        };
        let searcher = Arc::new(match for_bulk {
            true => IndexSearcher::bulk(&words),
            false => IndexSearcher::Quick(word_searcher(&words, Reading::Lowercased)),
        });
        let mut vocabulary = VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner);
        vocabulary.building_for_bulk = false;
        // Words added meanwhile make it stale already: the next call builds again.
        vocabulary.searcher = Some(KnownSearcher {
            searcher: Arc::clone(&searcher),
            words: words.len(),
        });
        (searcher, words.len())
    }
}

/// The search of a document's prose mask for every vocabulary word.
enum IndexSearcher {
    /// The crate's choice for lowercased words (see [`Reading::Lowercased`]), searching a
    /// lowercased copy of the mask.
    Quick(AhoCorasick),
    /// A DFA of the words in any ASCII case, walked by [`DfaOccurrences`] over the mask
    /// itself (see [`BULK_SEARCH_PAYS_FROM`]).
    Bulk(Box<aho_corasick::dfa::DFA>),
}

impl IndexSearcher {
    fn is_bulk(&self) -> bool {
        matches!(self, IndexSearcher::Bulk(_))
    }

    fn bulk<W: AsRef<[u8]>>(words: &[W]) -> Self {
        let dfa = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .ascii_case_insensitive(true)
            // The walk reads every byte: a prefilter would only make the start state special.
            .prefilter(false)
            .build(words)
            .expect("a few thousand short words always build");
        IndexSearcher::Bulk(Box::new(dfa))
    }

    /// Every occurrence of a word in `mask` read with ASCII letters lowercased, overlapping ones
    /// included, as (start, end, word id), by start (see [`in_start_order`]).
    fn occurrences(&self, mask: &str) -> Vec<(u32, u32, u32)> {
        match self {
            IndexSearcher::Quick(searcher) => with_lowercased(mask, |mask| {
                in_start_order(
                    (searcher.find_overlapping_iter(mask))
                        .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32())),
                )
            }),
            IndexSearcher::Bulk(dfa) => in_start_order(DfaOccurrences::new(dfa, mask.as_bytes())),
        }
    }
}

/// The occurrences of an [`IndexSearcher::Bulk`]'s words in a text, by end, found by walking
/// its DFA over the text's bytes with the crate's `Automaton` interface. The crate's overlapping
/// search saves and restores its place for each occurrence, and prose holds one every few
/// words: walked here, the 2,000 files took 1.9% fewer instructions (0.9% of it from keeping the
/// walk's place in locals during the loop). The DFA takes letters in either case, so the mask
/// is read as it is: lowercasing each byte in this loop cost 1.4% more.
struct DfaOccurrences<'a> {
    dfa: &'a aho_corasick::dfa::DFA,
    text: &'a [u8],
    /// The next byte to read.
    at: usize,
    state: StateID,
    /// The next of the current state's matches to give, and how many it has.
    next_match: usize,
    matches: usize,
}

impl<'a> DfaOccurrences<'a> {
    fn new(dfa: &'a aho_corasick::dfa::DFA, text: &'a [u8]) -> Self {
        let state = dfa.start_state(Anchored::No).expect("built for unanchored searches");
        DfaOccurrences {
            dfa,
            text,
            at: 0,
            state,
            next_match: 0,
            matches: 0,
        }
    }

    fn occurrence(&self, i: usize) -> (u32, u32, u32) {
        let word = self.dfa.match_pattern(self.state, i);
        let end = self.at as u32;
        (end - self.dfa.pattern_len(word) as u32, end, word.as_u32())
    }
}

impl Iterator for DfaOccurrences<'_> {
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next_match < self.matches {
            self.next_match += 1;
            return Some(self.occurrence(self.next_match - 1));
        }
        // In locals, which stay in registers through the loop.
        let (dfa, mut state) = (self.dfa, self.state);
        let mut bytes = self.text[self.at..].iter();
        while let Some(&byte) = bytes.next() {
            state = dfa.next_state(Anchored::No, state, byte);
            // Without a prefilter, only match states and the dead state (which an unanchored
            // search never reaches) are special.
            if dfa.is_special(state) && dfa.is_match(state) {
                self.state = state;
                self.at = self.text.len() - bytes.len();
                self.matches = dfa.match_len(state);
                self.next_match = 1;
                return Some(self.occurrence(0));
            }
        }
        self.at = self.text.len();
        None
    }
}

/// How many bytes of prose the documents still to come must be expected to hold (see
/// [`bytes_to_come`]) for the searcher of every word to be built for reading in bulk. Built so,
/// with every set's words, it takes the benchmark's words about 42 million instructions against
/// 3 million for the crate's choice, and saves more than that within a megabyte: from 1 MiB to
/// come, 500 of the benchmark's files (2 MB) took 2.0% fewer instructions than from 3 MiB, 300
/// (1.2 MB) 0.1% fewer, and 200 (0.8 MB, below the mark) the same.
const BULK_SEARCH_PAYS_FROM: usize = 1 << 20;

/// How many bytes are indexed before the documents' average size is trusted.
const BULK_SEARCH_SAMPLE: usize = 256 << 10;

/// The bytes of prose the documents still to come are expected to hold: the run's documents
/// not indexed yet (see [`expect_documents`]) times the average size of those indexed; 0 until
/// `BULK_SEARCH_SAMPLE` bytes are indexed, or when no run said how many documents it has (the
/// language server).
fn bytes_to_come() -> usize {
    let bytes = BYTES_INDEXED.load(Ordering::Relaxed);
    let indexed = DOCUMENTS_INDEXED.load(Ordering::Relaxed);
    if bytes < BULK_SEARCH_SAMPLE || indexed == 0 {
        return 0;
    }
    let left = DOCUMENTS_EXPECTED.load(Ordering::Relaxed).saturating_sub(indexed);
    left.saturating_mul(bytes / indexed)
}

/// Says that `documents` more documents will be linted (see [`bytes_to_come`]).
pub fn expect_documents(documents: usize) {
    DOCUMENTS_EXPECTED.fetch_add(documents, Ordering::Relaxed);
}

/// Documents the process's runs said they will lint (see [`expect_documents`]).
static DOCUMENTS_EXPECTED: AtomicUsize = AtomicUsize::new(0);

/// Documents indexed so far (see [`bytes_to_come`]).
static DOCUMENTS_INDEXED: AtomicUsize = AtomicUsize::new(0);

/// The most bytes of words searched for in bulk: the searcher's size grows with them, about
/// 150 bytes a byte of word (779 of the built-in rules' words, 5,300 bytes, made 800 KB, against
/// 96 KB for the quicker build), so a team's lexicon of thousands of words keeps the smaller one.
const BULK_SEARCH_WORD_BYTES: usize = 16 << 10;

/// Bytes of prose masks indexed so far (see [`bytes_to_come`]).
static BYTES_INDEXED: AtomicUsize = AtomicUsize::new(0);

/// Documents up to this size are searched once for every set's words; the occurrences of a
/// bigger one would cost more memory than the separate searches cost time.
const DOCUMENT_INDEX_LIMIT: usize = 4 << 20;

/// The word occurrences of the document being linted on this thread (see [`with_document`]).
pub struct DocumentWords {
    /// Where the document's prose mask is.
    mask: (usize, usize),
    /// Occurrences `(start, end, word id)` in the mask, by start.
    occurrences: Vec<(u32, u32, u32)>,
    /// For each [`BLOCK`] bytes of the mask, the index of the first occurrence starting in or
    /// after them: a text's first occurrence is searched for among a block's few, not among the
    /// whole document's (the binary search's cache misses were a quarter of a set's answer).
    block_firsts: Vec<u32>,
    /// How many vocabulary words the search knew: a set with a later word searches itself.
    words_known: usize,
}

thread_local! {
    static DOCUMENT: RefCell<Option<Arc<DocumentWords>>> = const { RefCell::new(None) };
}

/// Runs `f` (the rules on one document) with the document's prose mask known, so that a set
/// asked about a sentence or another part of the mask reads the occurrences of one search of
/// the whole mask instead of searching the text itself. Threads that run some of the rules
/// share the search through [`document_words`] and [`with_document_words`].
pub fn with_document<T>(mask: &str, f: impl FnOnce() -> T) -> T {
    with_document_words(words_of_document(mask), f)
}

/// Builds the searcher of every word known now, which the process's first document index
/// needs (see [`words_of_document`]): called on an idle thread while that document is read
/// and parsed, it takes the build (0.3 ms on a one-file run) off the path to the rules. Once
/// that index is made it does nothing: rules add words as they first run, and a searcher of
/// those would be built for no document (on one thread, the call comes after the document).
pub fn prepare_document_search() {
    if no_document_indexed() {
        Vocabulary::searcher();
    }
}

/// True until the process has made a document's word index. The index covers only the sets
/// that learned their words before it was made (on first use, or at compile time for the
/// jargon lexicon); the others search the document's texts themselves.
pub fn no_document_indexed() -> bool {
    !DOCUMENT_INDEXED.load(Ordering::Relaxed)
}

static DOCUMENT_INDEXED: AtomicBool = AtomicBool::new(false);

/// One search of the document's prose mask for the words of every set (see [`with_document`]);
/// `None` for a mask over `DOCUMENT_INDEX_LIMIT`, whose sets search each text themselves.
pub fn words_of_document(mask: &str) -> Option<Arc<DocumentWords>> {
    if mask.len() > DOCUMENT_INDEX_LIMIT || u32::try_from(mask.len()).is_err() {
        return None;
    }
    DOCUMENT_INDEXED.store(true, Ordering::Relaxed);
    BYTES_INDEXED.fetch_add(mask.len(), Ordering::Relaxed);
    DOCUMENTS_INDEXED.fetch_add(1, Ordering::Relaxed);
    if mask.len() >= LEARN_ALL_FROM {
        learn_waiting_sets();
    }
    let (searcher, words_known) = Vocabulary::searcher();
    let occurrences = searcher.occurrences(mask);
    Some(Arc::new(DocumentWords {
        mask: (mask.as_ptr() as usize, mask.len()),
        block_firsts: block_firsts(&occurrences, mask.len()),
        occurrences,
        words_known,
    }))
}

/// A document this big is indexed for the words of every set built so far (see
/// [`learn_waiting_sets`]).
const LEARN_ALL_FROM: usize = 32 << 10;

/// Makes every set built so far learn its words, so that the next document's index holds them
/// all and no set searches that document's texts itself. A shorter document is indexed for the
/// sets that learned theirs before it only: learning all costs it more than the searches it
/// saves, and the sets no document asks about would add their common words (`in`, `all`) to
/// every later index. A run with megabytes to come learns all when its searcher is built for
/// bulk (see [`Vocabulary::searcher`]): there, each word learned later cost a rebuild.
fn learn_waiting_sets() {
    // Held while the sets learn, so that another big document indexed meanwhile waits for all
    // of their words (a shorter one goes on with the words known, as it would anyway).
    let mut waiting = WAITING_SETS.lock().unwrap_or_else(PoisonError::into_inner);
    for set in waiting.sets.drain(..) {
        if let Some(parts) = set.upgrade() {
            parts.required();
        }
    }
}

/// How many places an occurrence is moved back (see [`in_start_order`]) before the list is left
/// for a sort: enough for words that overlap each other, and a bound on the work for any text.
const MOVES_BEFORE_SORT: usize = 8;

/// `occurrences` by start (then end, then id), as a sort would put them. They come by end, so
/// each is only a few places from its place by start: it goes before those that came earlier
/// but start later, the shorter words inside it. Each is moved back into place as it comes, and
/// a sort is left for the rare list where one would move further. Sorted, the 2,000-file
/// benchmark's occurrences took 1.5% of its instructions.
fn in_start_order(occurrences: impl Iterator<Item = (u32, u32, u32)>) -> Vec<(u32, u32, u32)> {
    let mut sorted = Vec::new();
    let mut in_order = true;
    for occurrence in occurrences {
        let mut at = sorted.len();
        while in_order && at > 0 && sorted[at - 1] > occurrence {
            at -= 1;
            in_order = sorted.len() - at <= MOVES_BEFORE_SORT;
        }
        sorted.insert(if in_order { at } else { sorted.len() }, occurrence);
    }
    if !in_order {
        sorted.sort();
    }
    sorted
}

/// How many bytes of the mask each of [`DocumentWords::block_firsts`] covers: five
/// occurrences on average in the benchmark's documents.
const BLOCK: usize = 32;

/// [`DocumentWords::block_firsts`] for `occurrences` (by start) in a mask of `len` bytes, with
/// one more block for the mask's end.
fn block_firsts(occurrences: &[(u32, u32, u32)], len: usize) -> Vec<u32> {
    let mut firsts = Vec::with_capacity(len / BLOCK + 2);
    let mut next = 0;
    for block in 0..=len / BLOCK + 1 {
        let block_start = (block * BLOCK) as u32;
        while occurrences.get(next).is_some_and(|o| o.0 < block_start) {
            next += 1;
        }
        firsts.push(next as u32);
    }
    firsts
}

/// The word occurrences this thread's rules read, to share with the threads that run others.
pub fn document_words() -> Option<Arc<DocumentWords>> {
    DOCUMENT.with(|d| d.borrow().clone())
}

/// Runs `f` with `words` as this thread's document words, and the thread's own afterwards.
pub fn with_document_words<T>(words: Option<Arc<DocumentWords>>, f: impl FnOnce() -> T) -> T {
    /// Puts the thread's own words back even when a rule panics.
    struct Restore(Option<Arc<DocumentWords>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let own = self.0.take();
            DOCUMENT.with(|d| *d.borrow_mut() = own);
        }
    }
    let own = DOCUMENT.with(|d| d.replace(words));
    let _restore = Restore(own);
    f()
}

impl DocumentWords {
    /// True when this thread's index answers for `text` and for words with ids below
    /// `ids_needed`.
    fn answers(text: &str, ids_needed: usize) -> bool {
        DOCUMENT.with(|d| {
            d.borrow()
                .as_ref()
                .is_some_and(|doc| doc.offset_of(text, ids_needed).is_ok())
        })
    }

    /// Where `text` starts in the indexed mask, when the index answers for it and for words
    /// with ids below `ids_needed`.
    fn offset_of(&self, text: &str, ids_needed: usize) -> Result<usize, Unanswered> {
        let (mask_at, mask_len) = self.mask;
        let at = (text.as_ptr() as usize).wrapping_sub(mask_at);
        if at > mask_len || text.len() > mask_len - at {
            return Err(Unanswered::NotInDocument);
        }
        if self.words_known < ids_needed {
            return Err(Unanswered::WordsUnknown);
        }
        Ok(at)
    }

    /// Calls `found` with the id of every word occurring inside `text`, when `text` is part of
    /// the current document's mask and the search knew every id below `ids_needed`; otherwise
    /// says why it cannot answer (the caller then searches `text` itself).
    fn visit(text: &str, ids_needed: usize, mut found: impl FnMut(u32)) -> Result<(), Unanswered> {
        Self::visit_spans(text, ids_needed, |_, id| found(id))
    }

    /// [`visit`](Self::visit), with where in `text` each word occurs.
    fn visit_spans(text: &str, ids_needed: usize, mut found: impl FnMut(Range<usize>, u32)) -> Result<(), Unanswered> {
        DOCUMENT.with(|d| {
            let d = d.borrow();
            let doc = d.as_ref().ok_or(Unanswered::NoIndex)?;
            let at = doc.offset_of(text, ids_needed)?;
            let (start, end) = (at as u32, (at + text.len()) as u32);
            // The first occurrence at or after `start` starts in its block, or is the next
            // block's first.
            let block = start as usize / BLOCK;
            let (low, high) = (doc.block_firsts[block] as usize, doc.block_firsts[block + 1] as usize);
            let first = low + doc.occurrences[low..high].partition_point(|o| o.0 < start);
            for &(word_start, word_end, id) in doc.occurrences[first..].iter().take_while(|o| o.0 < end) {
                if word_end <= end {
                    found((word_start - start) as usize..(word_end - start) as usize, id);
                }
            }
            Ok(())
        })
    }
}

/// Where in a text a member's matches can be, read from where the document's word index found
/// the words of the member's first factor (every match holds one):
/// - when every match starts with one of those words (found at most `starts` bytes into the
///   match, see `PatternWords::starts`), a match starts at one of the `starts + 1` places up
///   to an occurrence, and an anchored search at each place in turn finds the leftmost;
/// - when a match is at most `longest` bytes long, it lies within `longest` bytes of an
///   occurrence: in the windows around the occurrences, those that overlap merged, a match that
///   starts in a window ends in it, so a search of each window in turn finds the matches a
///   search of the whole text finds;
/// - otherwise matches can be anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    /// Matches start at one of these places, in order.
    Starts(Vec<usize>),
    /// Matches are inside these parts of the text, in order.
    Windows(Vec<Range<usize>>),
    Anywhere,
}

impl Within {
    /// Where matches can be in a text of `len` bytes, for a member whose first factor's words
    /// occur at `spans` (in order of start), as told by its [`PatternWords::starts`] and the
    /// length of its longest match (`longest`, asked only when needed: it compiles the member).
    fn of(
        spans: impl Iterator<Item = Range<usize>>,
        starts: Option<usize>,
        longest: impl FnOnce() -> Option<usize>,
        len: usize,
    ) -> Self {
        if let Some(before) = starts {
            let mut places: Vec<usize> = spans
                .flat_map(|span| span.start.saturating_sub(before)..=span.start)
                .collect();
            places.sort_unstable();
            places.dedup();
            return Within::Starts(places);
        }
        let Some(longest) = longest() else {
            return Within::Anywhere;
        };
        let mut windows: Vec<Range<usize>> = spans
            .map(|span| span.end.saturating_sub(longest)..(span.start + longest).min(len))
            .collect();
        windows.sort_unstable_by_key(|window| window.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
        for window in windows {
            match merged.last_mut() {
                Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
                _ => merged.push(window),
            }
        }
        Within::Windows(merged)
    }

    /// The first match of `regex` (the member this was made for) in `text` starting at or
    /// after `at`, as [`CompiledRegex::find_at`] finds it.
    pub fn find_at<'h>(&self, regex: &CompiledRegex, text: &'h str, at: usize) -> Option<Match<'h>> {
        match self {
            Within::Starts(places) => {
                let first = places.partition_point(|&place| place < at);
                places[first..]
                    .iter()
                    .find_map(|&place| regex.find_anchored(text, place))
            }
            Within::Windows(windows) => {
                let first = windows.partition_point(|window| window.end <= at);
                windows[first..]
                    .iter()
                    .find_map(|window| regex.find_in(text, window.start.max(at)..window.end))
            }
            Within::Anywhere => regex.find_at(text, at),
        }
    }
}

/// Why [`DocumentWords`] cannot answer for a text.
#[derive(Debug, Clone, Copy)]
enum Unanswered {
    /// No document is indexed on this thread (it is too big, or none is being linted).
    NoIndex,
    /// The text is not part of the indexed document (a heading's normalized words).
    NotInDocument,
    /// The document's index was made before the set's words were known.
    WordsUnknown,
}

/// Sets of words, of each of which every match of a pattern contains one (`we will (add|fix)`:
/// `we will`, and `add` or `fix`).
type Factors = Vec<Vec<Vec<u8>>>;

// The words of every built-in pattern, as [`pattern_words`] reads them, keyed by the pattern
// as compiled (`SHIPPED_PATTERN_WORDS`, from `rules/pattern-words.json`, see `build.rs`).
// Reading them from the patterns at start-up was about 15% of a one-file run's work, so they
// ship with the rules; a test checks that the file is [`factors_table`] of the built-in
// patterns, and any other pattern (the team's) is read when first met.
include!(concat!(env!("OUT_DIR"), "/pattern_words.rs"));

/// A built-in pattern's words, as `build.rs` writes them (see [`PatternWords`]).
struct ShippedWords {
    indexed: &'static [&'static [&'static str]],
    checked: &'static [&'static [&'static str]],
    starts: Option<usize>,
}

/// The words a pattern needs: sets of words of which every match holds one each (factors).
#[derive(Debug, Clone, Default, PartialEq)]
struct PatternWords {
    /// The telling factors, found by the document's word index: the most telling one, and
    /// those whose words are long enough to be rare.
    indexed: Factors,
    /// The other factors of at most [`MAX_CHECKED_WORDS`] words (`if`, `and`/`but`/`so`),
    /// searched in a text the indexed ones let through, before the member runs: most of
    /// those texts lack one, and the member is then neither run nor compiled. Too common to
    /// index (`the`, `we` are in every sentence and inside many words).
    checked: Factors,
    /// When every match starts with a word of the first indexed factor: how far into the
    /// match the factor's words can begin (0 unless a word was dropped for holding a shorter
    /// one: `link` for `ink`, 1).
    starts: Option<usize>,
}

/// A factor with a word shorter than this is not indexed, not even as the pattern's most
/// telling one: a single byte (`i`, `.`, `-`) is in nearly every sentence, so it rules out
/// little, and the document's index found it thousands of times (a third of the occurrences
/// on the benchmark's files). Such a pattern runs wherever its checked words are.
const MIN_INDEXED_WORD: usize = 2;

/// A factor of more words than this is not checked.
const MAX_CHECKED_WORDS: usize = 8;

/// [`pattern_words`]: from the shipped table for a built-in pattern, else read once per
/// process for each distinct pattern (sets share patterns: the technical-jargon lexicon is
/// also the undefined-acronym rule's, headings name sections for several rules), as parsing
/// is most of the cost.
fn words_of_pattern(pattern: &str) -> Option<PatternWords> {
    if let Some(shipped) = shipped_words(pattern) {
        return shipped;
    }
    if let Some(known) = KNOWN.lock().unwrap_or_else(PoisonError::into_inner).get(pattern) {
        return known.clone();
    }
    let words = pattern_words(pattern);
    KNOWN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(pattern.to_string(), words.clone());
    words
}

/// Every pattern's words read so far, but the shipped ones.
static KNOWN: LazyLock<Mutex<HashMap<String, Option<PatternWords>>>> = LazyLock::new(Mutex::default);

/// The shipped table's words for `pattern` (`Some(None)`: none are known); `None` when the
/// table has no entry for it.
fn shipped_words(pattern: &str) -> Option<Option<PatternWords>> {
    let at = SHIPPED_PATTERN_WORDS
        .binary_search_by(|(shipped, _)| (*shipped).cmp(pattern))
        .ok()?;
    let factors = |factors: &[&[&str]]| -> Factors {
        factors
            .iter()
            .map(|words| words.iter().map(|word| word.as_bytes().to_vec()).collect())
            .collect()
    };
    Some(SHIPPED_PATTERN_WORDS[at].1.as_ref().map(|words| PatternWords {
        indexed: factors(words.indexed),
        checked: factors(words.checked),
        starts: words.starts,
    }))
}

/// A pattern's words as the table writes them.
#[derive(serde::Serialize)]
struct TableEntry {
    indexed: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checked: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    starts: Option<usize>,
}

/// `rules/pattern-words.json` for `patterns`: a JSON object from each pattern to its words read
/// afresh (`indexed` and `checked` factors, lists of words), or `null` when none is known; one
/// pattern per line, sorted.
#[doc(hidden)]
pub fn factors_table(patterns: &[String]) -> String {
    let strings = |factors: Factors| -> Option<Vec<Vec<String>>> {
        factors
            .into_iter()
            .map(|words| words.into_iter().map(|word| String::from_utf8(word).ok()).collect())
            .collect()
    };
    let mut lines: Vec<String> = patterns
        .iter()
        .map(|pattern| {
            // Words are cut at character boundaries (see `searchable`); were one not, the
            // pattern would be written as one to always run, which is never wrong.
            let entry: Option<TableEntry> = pattern_words(pattern).and_then(|words| {
                Some(TableEntry {
                    indexed: strings(words.indexed)?,
                    checked: strings(words.checked)?,
                    starts: words.starts,
                })
            });
            let key = serde_json::to_string(pattern).unwrap_or_default();
            let value = serde_json::to_string(&entry).unwrap_or_default();
            format!("  {key}: {value}")
        })
        .collect();
    lines.sort();
    lines.dedup();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// The words of `pattern`, lowercased; `None` when no factor is known (the pattern must then
/// always be run). The most telling factor is indexed (unless a word of it is shorter than
/// [`MIN_INDEXED_WORD`]); others only when their words are long enough to be rare and none is
/// a function word (`the`, `we` or `their` in every sentence would tell nothing), and the
/// rest, when short lists, are checked.
fn pattern_words(pattern: &str) -> Option<PatternWords> {
    // Parsed case-sensitively, which is several times cheaper than with Unicode case folding:
    // the words are searched in any ASCII case, and the few non-ASCII foldings are handled
    // where the words are made (see `searchable`) and searched for (the Kelvin sign).
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let all = without_implied(factors_of(&hir));
    if all.is_empty() {
        return None;
    }
    let best = (0..all.len())
        .filter(|&i| shortest(&all[i]) >= MIN_INDEXED_WORD)
        .max_by_key(|&i| telling(&all[i]));
    let mut words = PatternWords::default();
    for (i, factor) in all.into_iter().enumerate() {
        let indexed =
            Some(i) == best || (rarity(&factor) == Rarity::Rare && shortest(&factor) >= 4 && factor.len() <= 32);
        let factor = without_redundant_words(factor);
        if indexed {
            if !words.indexed.contains(&factor) {
                words.indexed.push(factor);
            }
        } else if factor.len() <= MAX_CHECKED_WORDS && !words.checked.contains(&factor) {
            words.checked.push(factor);
        }
    }
    // A factor also indexed needs no check.
    words.checked.retain(|factor| !words.indexed.contains(factor));
    // The words every match starts with, when indexed, go first (see `PatternWords::starts`).
    if let Some(starting) = starting_words(&hir) {
        let factor = without_redundant_words(starting.clone());
        if let Some(at) = words.indexed.iter().position(|indexed| *indexed == factor) {
            let factor = words.indexed.remove(at);
            // Each starting word holds a word of the factor; the index finds the earliest.
            words.starts = starting
                .iter()
                .map(|word| factor.iter().filter_map(|kept| find(word, kept)).min())
                .collect::<Option<Vec<usize>>>()
                .and_then(|offsets| offsets.into_iter().max());
            words.indexed.insert(0, factor);
        }
    }
    Some(words)
}

/// The factors of `hir` (all needed), empty when none is known. In a sequence every part's
/// match is inside the whole's, so each part's factors are the sequence's too, and so are the
/// words that each tail of the sequence starts with: in `[a-z]+n['’]t` the parts give `n`,
/// `'` or `’`, and `t`, which nearly every sentence holds, and the tail `n['’]t` gives `n't`
/// or `n’t`. An alternative gives one factor, the union of its branches' most telling ones.
fn factors_of(hir: &Hir) -> Factors {
    match hir.kind() {
        HirKind::Capture(capture) => factors_of(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min > 0 => factors_of(&repetition.sub),
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                let factors = factors_of(branch);
                let Some(best) = factors.into_iter().max_by_key(|f| telling(f)) else {
                    return Vec::new();
                };
                union.extend(best);
            }
            vec![union]
        }
        HirKind::Concat(parts) => (0..parts.len())
            .filter_map(|tail| match tail {
                0 => starting_words(hir),
                _ => starting_words(&Hir::concat(parts[tail..].to_vec())),
            })
            .chain(parts.iter().flat_map(factors_of))
            .collect(),
        _ => starting_words(hir).into_iter().collect(),
    }
}

/// `factors` without those another implies: when each word of one holds a word of another
/// (`fixed` or `resolved` implies `fully`, `fixed` or `resolved`), the other rules nothing out.
fn without_implied(factors: Factors) -> Factors {
    let implies = |a: &[Vec<u8>], b: &[Vec<u8>]| a.iter().all(|word| b.iter().any(|held| contains(word, held)));
    (0..factors.len())
        .filter(|&i| {
            !(0..factors.len()).any(|j| {
                // Of two that imply each other, the first is kept.
                j != i && implies(&factors[j], &factors[i]) && (j < i || !implies(&factors[i], &factors[j]))
            })
        })
        .map(|i| factors[i].clone())
        .collect()
}

/// How telling a factor is: its words are rare (see [`Rarity`]), then its shortest word is
/// long, and it has few words. In `(email|call|dm) (us|support)`, `us` is in one sentence of
/// every few, and the verbs rule out more though `dm` is shorter.
fn telling(factor: &[Vec<u8>]) -> (Rarity, usize, std::cmp::Reverse<usize>) {
    (rarity(factor), shortest(factor), std::cmp::Reverse(factor.len()))
}

/// How rare a factor's commonest word is, from the commonest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rarity {
    /// A single byte (`i`, `.`, `-`): in nearly every sentence, and inside many words.
    Byte,
    /// A function word (`us`, `the`): in nearly every sentence.
    FunctionWord,
    Rare,
}

fn rarity(factor: &[Vec<u8>]) -> Rarity {
    if shortest(factor) < MIN_INDEXED_WORD {
        Rarity::Byte
    } else if factor.iter().any(|word| FUNCTION_WORDS.contains(&word.trim_ascii())) {
        Rarity::FunctionWord
    } else {
        Rarity::Rare
    }
}

/// English function words (articles, pronouns, prepositions, conjunctions, auxiliaries),
/// lowercased: nearly every sentence holds some of them, whatever it is about.
const FUNCTION_WORDS: &[&[u8]] = &[
    b"a", b"about", b"all", b"also", b"an", b"and", b"any", b"are", b"as", b"at", b"be", b"been", b"but", b"by",
    b"can", b"could", b"did", b"do", b"does", b"for", b"from", b"had", b"has", b"have", b"he", b"her", b"here", b"his",
    b"i", b"if", b"in", b"into", b"is", b"it", b"its", b"me", b"more", b"my", b"no", b"not", b"of", b"on", b"or",
    b"our", b"out", b"she", b"so", b"some", b"than", b"that", b"the", b"their", b"them", b"then", b"there", b"these",
    b"they", b"this", b"those", b"to", b"up", b"us", b"was", b"we", b"were", b"what", b"when", b"which", b"who",
    b"will", b"with", b"would", b"you", b"your",
];

fn shortest(factor: &[Vec<u8>]) -> usize {
    factor.iter().map(Vec::len).min().unwrap_or(0)
}

/// A factor without the words that hold another of its words: `we` finds every `were`.
fn without_redundant_words(mut words: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    words.sort_by_key(Vec::len);
    words.dedup();
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for word in words {
        if !kept.iter().any(|k| contains(&word, k)) {
            kept.push(word);
        }
    }
    kept
}

/// The words every match of `hir` starts with, lowercased, when they are a finite set of
/// non-empty words.
fn starting_words(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let mut words: Vec<Vec<u8>> = Vec::new();
    for literal in seq.literals()? {
        let word = searchable(literal.as_bytes());
        if word.is_empty() {
            return None;
        }
        if !words.contains(&word) {
            words.push(word);
        }
    }
    Some(words)
}

/// The start of a literal that a search in any ASCII case finds whatever the case of the text:
/// lowercased, and cut before a non-ASCII letter that has other cases (`É`), or where the
/// extractor cut a character in two.
fn searchable(literal: &[u8]) -> Vec<u8> {
    let valid = match std::str::from_utf8(literal) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&literal[..e.valid_up_to()]).unwrap_or_default(),
    };
    let end = valid
        .char_indices()
        .find(|&(_, c)| !c.is_ascii() && (c.is_lowercase() || c.is_uppercase()))
        .map_or(valid.len(), |(i, _)| i);
    valid.as_bytes()[..end].to_ascii_lowercase()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Inline words of [`Members`]: sets are asked about every sentence, so the common sizes
/// must not allocate. The largest built-in set, the jargon lexicon, has 130 members and 210
/// words; 8 inline words instead of 4 cost the 2,000-file benchmark 0.6% more instructions,
/// in making, copying and reading sets of which most are empty.
const INLINE_WORDS: usize = 4;

/// A set of indices (of members, or of words), without allocation for the first 256. Loops
/// read only the words its capacity needs: most sets have fewer than 128 members and words,
/// and are asked about every sentence of every document.
#[derive(Debug, Clone)]
struct Members {
    inline: [u64; INLINE_WORDS],
    /// How many of `inline` the capacity needs.
    inline_len: usize,
    overflow: Vec<u64>,
}

impl Members {
    /// An empty set of no capacity, which costs nothing to make, pass on and read.
    fn none() -> Self {
        Members {
            inline: [0; INLINE_WORDS],
            inline_len: 0,
            overflow: Vec::new(),
        }
    }

    fn with_capacity(n: usize) -> Self {
        let words = n.div_ceil(64);
        Members {
            inline: [0; INLINE_WORDS],
            inline_len: words.min(INLINE_WORDS),
            overflow: vec![0; words.saturating_sub(INLINE_WORDS)],
        }
    }

    fn word(&self, w: usize) -> u64 {
        match w {
            0..INLINE_WORDS => self.inline[w],
            _ => self.overflow[w - INLINE_WORDS],
        }
    }

    /// The words in use, in order.
    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.inline[..self.inline_len].iter().chain(&self.overflow).copied()
    }

    fn insert(&mut self, i: usize) {
        let (w, bit) = (i / 64, 1 << (i % 64));
        // Loops read only the capacity's words: an index past it would be lost.
        debug_assert!(w < self.inline_len + self.overflow.len(), "{i} is past the capacity");
        match w {
            0..INLINE_WORDS => self.inline[w] |= bit,
            _ => self.overflow[w - INLINE_WORDS] |= bit,
        }
    }

    fn remove(&mut self, i: usize) {
        let (w, bit) = (i / 64, 1 << (i % 64));
        match w {
            0..INLINE_WORDS => self.inline[w] &= !bit,
            _ => self.overflow[w - INLINE_WORDS] &= !bit,
        }
    }

    fn contains(&self, i: usize) -> bool {
        self.word(i / 64) & (1 << (i % 64)) != 0
    }

    fn is_empty(&self) -> bool {
        self.words().all(|w| w == 0)
    }

    /// The indices, in increasing order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words()
            .enumerate()
            .flat_map(|(w, bits)| ones(bits).map(move |b| 64 * w + b))
    }

    /// The indices in both `self` and `other` (of the same capacity), in increasing order.
    fn common<'m>(&'m self, other: &'m Members) -> impl Iterator<Item = usize> + 'm {
        self.words()
            .zip(other.words())
            .enumerate()
            .flat_map(|(w, (a, b))| ones(a & b).map(move |bit| 64 * w + bit))
    }

    /// The indices, in increasing order.
    fn into_indices(self) -> impl Iterator<Item = usize> {
        let Members {
            inline,
            inline_len,
            overflow,
        } = self;
        (0..inline_len)
            .map(move |w| inline[w])
            .chain(overflow)
            .enumerate()
            .flat_map(|(w, bits)| ones(bits).map(move |b| 64 * w + b))
    }
}

/// The positions of the set bits of a word, lowest first.
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let at = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            at
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::kinds::compile_regex;

    fn set(patterns: &[&str]) -> PatternSet {
        PatternSet::compile(patterns, compile_regex).unwrap()
    }

    /// A set compiled as the built-in rules' are: each member on its first run.
    fn lazy_set(patterns: &[&str]) -> PatternSet {
        crate::rules::kinds::with_lazy_regexes(|| set(patterns))
    }

    /// Dropped sets do not pile up on the list of sets waiting to learn their words.
    #[test]
    fn the_waiting_list_keeps_to_about_the_live_sets() {
        let live: Vec<Arc<SetParts>> = (0..100).map(|_| Arc::default()).collect();
        let mut waiting = WaitingSets {
            sets: Vec::new(),
            sweep_at: MIN_SWEEP,
        };
        for parts in &live {
            waiting.push(parts);
        }
        let mut sweeps = 0;
        for _ in 0..10_000 {
            let before = waiting.sets.len();
            waiting.push(&Arc::default());
            sweeps += usize::from(waiting.sets.len() <= before);
        }
        assert!(
            waiting.sets.len() <= 2 * live.len() + 1,
            "{} entries",
            waiting.sets.len()
        );
        assert!(sweeps <= 10_000 / live.len(), "{sweeps} sweeps");
        let alive = waiting.sets.iter().filter(|set| set.strong_count() > 0).count();
        assert_eq!(alive, live.len());
    }

    /// A big document's index holds the words of sets that were never asked about a text, so
    /// none of them searches its texts itself.
    #[test]
    fn a_big_document_is_indexed_for_every_set_built_before_it() {
        let set = set(&[r"\bzanzibar\b"]);
        let clone = set.clone();
        let big = "Zanzibar, ".repeat(LEARN_ALL_FROM / 10 + 1);
        with_document(&big, || {
            assert!(set.parts.required.get().is_some(), "the set did not learn its words");
            assert!(clone.indexed(&big));
            assert!(set.word_filter().may_hold(&big[10..20]));
        });
    }

    /// The words of texts the document index cannot answer for are found alike by the scans
    /// for each word and by the searcher built after them: each word that occurs, in any case.
    #[test]
    fn scans_for_each_word_find_what_the_searcher_finds() {
        let set = set(&[
            r"\bwe will (add|fix)\b",
            r"\bsorry\b",
            r"(?:outage|incident) report",
            r"\bask\b",
        ]);
        let required = set.parts.required();
        let texts = [
            "We WILL Add it",
            "so sorry, SORRY",
            "an Outage report and an incident REPORT",
            "the \u{212A}elvin sign, a\u{17F}k",
            "nothing here to ASK",
            "sorrysorry we will fixed",
            "",
        ];
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..=SCANS_BEFORE_SEARCHER as usize / texts.len() + 1 {
            for text in texts {
                let mut found = std::collections::BTreeSet::new();
                required.find_words(Unanswered::WordsUnknown, text, |word| {
                    found.insert(word);
                });
                let lowercased = text.to_ascii_lowercase();
                let expected: std::collections::BTreeSet<usize> = (0..required.words.len())
                    .filter(|&w| contains(lowercased.as_bytes(), &required.words[w]))
                    .collect();
                assert_eq!(found, expected, "{text:?}");
                seen.extend(found);
            }
        }
        assert!(required.lowercased_searcher.get().is_some(), "the searcher was reached");
        assert_eq!(seen.len(), required.words.len(), "every word was found somewhere");
    }

    /// However a searcher of lowercased words is built (the crate's choice, quickly, or the
    /// document index's DFA walked by its own loop), it finds the same occurrences, overlapping
    /// ones included.
    #[test]
    fn searchers_built_for_any_reading_find_the_same_occurrences() {
        let words = [
            "a", "aa", "ab", "ba", "abab", "out", "outage", "age", "ink", "link", "we will", "é",
        ];
        let occurrences = |reading: Reading, text: &str| -> Vec<(u32, u32, u32)> {
            let searcher = word_searcher(&words, reading);
            with_lowercased(text, |text| {
                let found = searcher.find_overlapping_iter(text);
                let mut found: Vec<_> = found
                    .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32()))
                    .collect();
                found.sort();
                found
            })
        };
        let index_searchers = [
            IndexSearcher::Quick(word_searcher(&words, Reading::Lowercased)),
            IndexSearcher::bulk(&words),
        ];
        let fixtures = crate::test_support::markdown_fixtures();
        let mut texts: Vec<&str> = fixtures.iter().map(|(_, text)| text.as_str()).collect();
        texts.extend(["ababab baab", "Outage LINKS; We Will; café CAFÉ ÉÉ", "aaaa", ""]);
        let mut found = 0;
        for text in texts {
            let expected = occurrences(Reading::Lowercased, text);
            assert_eq!(occurrences(Reading::FewLowercased, text), expected, "{text:?}");
            for searcher in &index_searchers {
                assert_eq!(searcher.occurrences(text), expected, "{text:?}");
            }
            found += expected.len();
        }
        assert!(found > 1_000, "{found}");
    }

    fn candidates(set: &PatternSet, text: &str) -> Vec<usize> {
        set.candidates(text).map(|(i, _)| i).collect()
    }

    #[test]
    fn only_members_whose_words_occur_are_candidates() {
        let s = set(&[r"\bwe will\b", r"\bguarantee\b", r"\bnever again\b"]);
        assert_eq!(candidates(&s, "We WILL fix it"), vec![0]);
        assert_eq!(candidates(&s, "never again, we promise"), vec![2]);
        assert!(candidates(&s, "never, ever again").is_empty());
        assert!(candidates(&s, "nothing here").is_empty());
    }

    #[test]
    fn every_telling_part_of_a_sequence_must_occur() {
        let s = set(&[r"\b(?:we|they) will never\s+(?:fail|break down)\b"]);
        assert!(candidates(&s, "we will never stop").is_empty());
        assert!(candidates(&s, "it may fail").is_empty());
        assert_eq!(candidates(&s, "They will never BREAK DOWN"), vec![0]);
        // Short words (`a`) are not indexed, since they are everywhere, but checked in the
        // text while the member is not compiled.
        let s = lazy_set(&[r"\ba\s+(?:glitch|blip)\b"]);
        assert!(candidates(&s, "one glitch").is_empty());
        assert_eq!(candidates(&s, "a glitch"), vec![0]);
    }

    #[test]
    fn every_shipped_entry_is_the_words_read_from_its_pattern() {
        // What `build.rs` made of the table, against the patterns read afresh (that the table
        // holds every built-in pattern is `tests/pattern_words.rs`).
        let table: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../../rules/pattern-words.json")).unwrap();
        assert!(table.len() > 300);
        assert_eq!(SHIPPED_PATTERN_WORDS.len(), table.len());
        for pattern in table.keys() {
            let shipped = shipped_words(pattern).unwrap_or_else(|| panic!("{pattern} not found"));
            assert_eq!(shipped, pattern_words(pattern), "{pattern}");
        }
        assert_eq!(shipped_words(r"\bno such pattern\b"), None);
    }

    #[test]
    fn short_words_are_checked_until_the_member_is_compiled() {
        // A pattern of its own: a pattern is compiled once per process, for every set.
        let s = lazy_set(&[r"\bregretful\b[^.]*\bif\s+yo\b"]);
        assert!(candidates(&s, "regretful, and so").is_empty());
        assert_eq!(candidates(&s, "regretful IF yo"), vec![0]);
        assert!(s.is_match("regretful IF yo"));
        // Compiled: the regex answers, as fast as the check would.
        assert_eq!(candidates(&s, "regretful, and so"), vec![0]);
        assert!(!s.is_match("regretful, and so"));
    }

    #[test]
    fn a_member_checked_in_many_texts_is_compiled_and_run() {
        let s = lazy_set(&[r"\bpenitent\b[^.]*\bif\s+ya\b"]);
        for _ in 0..CHECKS_BEFORE_COMPILING {
            assert!(candidates(&s, "penitent, and so").is_empty());
        }
        assert_eq!(candidates(&s, "penitent, and so"), vec![0]);
        assert!(!s.is_match("penitent, and so"));
        assert!(s.is_match("penitent if ya"));
    }

    #[test]
    fn signs_that_fold_to_a_short_word_are_not_missed() {
        // `ok` matches `oK` with the Kelvin sign under Unicode case folding.
        let s = lazy_set(&[r"\bcontrite\b[^.]*\bok"]);
        assert_eq!(candidates(&s, "contrite, o\u{212A}"), vec![0]);
        assert!(s.is_match("contrite, o\u{212A}"));
    }

    #[test]
    fn the_longest_required_words_are_chosen() {
        let s = set(&[r"\b(?:we|I|\w+'ll) (?P<t>guarantee[sd]?)\b"]);
        assert!(candidates(&s, "I said we would").is_empty());
        assert_eq!(candidates(&s, "we'll GUARANTEE it"), vec![0]);
        assert!(s.is_match("we guaranteed it"));
    }

    #[test]
    fn case_folding_follows_the_regex() {
        // The Kelvin sign folds to `k` under the regex's Unicode case folding.
        let s = set(&["known"]);
        assert!(s.is_match("\u{212A}nown"));
        assert_eq!(candidates(&s, "\u{212A}nown"), vec![0]);
    }

    #[test]
    fn non_ascii_case_variants_are_not_missed() {
        let s = set(&["sorry", "café au lait", "éclair"]);
        assert!(s.is_match("ſorry"));
        assert_eq!(candidates(&s, "ſ"), vec![0, 1, 2]);
        assert!(s.is_match("CAFÉ AU LAIT"));
        assert_eq!(candidates(&s, "CAFÉ AU LAIT"), vec![1, 2]);
        // `éclair` has no word a search in any ASCII case can trust: it always runs.
        assert_eq!(candidates(&s, "ÉCLAIR"), vec![2]);
        assert!(s.is_match("ÉCLAIR"));
    }

    #[test]
    fn members_without_required_words_always_run() {
        let s = set(&[r"\w+\b", r"\w+ing\b", r"(?:a|b)?cc", r"x*"]);
        assert_eq!(candidates(&s, "zzz"), vec![0, 3]);
        assert_eq!(candidates(&s, "bing cc"), vec![0, 1, 2, 3]);
    }

    #[test]
    fn candidates_agree_with_running_every_member() {
        let patterns = [
            r"\b(?:we|our team) (?:will|shall) (?P<t>never)\b",
            r"\bnot (?:our|my) fault\b",
            r"\b(?:\d{1,2}):\d\d\b",
            r"\bstrike\b",
            r"’s\b",
        ];
        let s = set(&patterns);
        let texts = [
            "We will never do it",
            "our team shall never",
            "NOT OUR FAULT",
            "at 10:30 sharp",
            "a ſtrike",
            "it’s fine",
            "",
            "nothing at all",
        ];
        for text in texts {
            for (i, re) in s.members().iter().enumerate() {
                if re.is_match(text) {
                    assert!(candidates(&s, text).contains(&i), "{text:?} member {i}");
                }
            }
        }
    }

    #[test]
    fn the_document_search_answers_as_the_text_search_does() {
        let s = set(&[r"\bwe will\b", r"\bnever again\b", r"\bthe\b", r"he said", r"\w+ing\b"]);
        let mask = "We will fix it. He said never again; the thing is fixing. Then we willingly wait.";
        // The set's words join the process's vocabulary on first use, before the document.
        let outside: Vec<Vec<usize>> = substrings(mask).map(|t| candidates(&s, t)).collect();
        let inside: Vec<Vec<usize>> = with_document(mask, || substrings(mask).map(|t| candidates(&s, t)).collect());
        assert_eq!(inside, outside);
        // ... and the answers inside came from the document's search.
        let ids_needed = s.parts.required.get().unwrap().ids_known();
        with_document(mask, || {
            assert!(DocumentWords::visit(&mask[3..20], ids_needed, |_| ()).is_ok())
        });
        assert!(
            matches!(
                DocumentWords::visit(&mask[3..20], ids_needed, |_| ()),
                Err(Unanswered::NoIndex)
            ),
            "forgotten after the document"
        );
        // A set whose words came after the document's search searches itself.
        with_document(mask, || {
            let later = DocumentWords::visit(&mask[3..20], usize::MAX, |_| ());
            assert!(matches!(later, Err(Unanswered::WordsUnknown)));
        });
        // A text that is not part of the document is searched on its own.
        let copy = mask.to_string();
        with_document(mask, || {
            assert!(matches!(
                DocumentWords::visit(&copy, ids_needed, |_| ()),
                Err(Unanswered::NotInDocument)
            ));
            assert_eq!(candidates(&s, &copy), outside[outside.len() - 1]);
        });
    }

    /// A text the word filter says holds none of a set's words has no candidate; one outside
    /// the index, or in a set with a member that always runs, may hold some.
    #[test]
    fn texts_said_to_hold_no_words_have_no_candidates() {
        let s = set(&[r"\bwe will\b", r"\bnever again\b", r"he said", r"\bfix(ed|ing)\b"]);
        let mask = "We will fix it. He said never again; the thing is fixing. Then we willingly wait.";
        // The set's words join the process's vocabulary on first use, before the document.
        assert!(!candidates(&s, mask).is_empty());
        let texts: Vec<&str> = substrings(mask).collect();
        let may_hold = |set: &PatternSet, texts: &[&str]| -> Vec<bool> {
            let mut filter = set.word_filter();
            texts.iter().map(|text| filter.may_hold(text)).collect()
        };
        let (told, has): (Vec<bool>, Vec<bool>) = with_document(mask, || {
            let has = texts.iter().map(|t| !candidates(&s, t).is_empty()).collect();
            (may_hold(&s, &texts), has)
        });
        for ((text, &told), &has) in texts.iter().zip(&told).zip(&has) {
            assert!(told || !has, "{text:?} has a candidate");
            assert_eq!(told, has, "{text:?}: each member's words are one factor");
        }
        assert!(told.iter().any(|&t| !t) && told.iter().any(|&t| t));
        // Without the document's index, or for a copy of its text, every text may.
        assert!(may_hold(&s, &texts).iter().all(|&t| t));
        let copy = mask.to_string();
        with_document(mask, || assert_eq!(may_hold(&s, &[&copy, &mask[..2]]), [true, false]));
        // A member without a word to look for runs on every text.
        let always = set(&[r"\bwe will\b", r"\w+"]);
        assert!(!candidates(&always, mask).is_empty());
        with_document(mask, || assert!(may_hold(&always, &texts).iter().all(|&t| t)));
    }

    #[test]
    fn occurrences_are_put_in_start_order_as_a_sort_puts_them() {
        // As a search gives them, by end.
        let by_end = |text: &str, words: &[&str]| -> Vec<(u32, u32, u32)> {
            let searcher = word_searcher(words, Reading::Lowercased);
            searcher
                .find_overlapping_iter(text)
                .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32()))
                .collect()
        };
        let sorted = |mut list: Vec<(u32, u32, u32)>| {
            list.sort();
            list
        };
        let words = ["a", "aa", "ab", "b", "ba", "abab", "babababab"];
        // A few places out of order (moved back), and one word overlapping more than the moves
        // allow (left for the sort).
        for text in ["ab ba aab", "abab bab", "ababababababab", "x ab abab babababab aa", ""] {
            let found = by_end(text, &words);
            assert_eq!(in_start_order(found.iter().copied()), sorted(found.clone()), "{text}");
        }
        // In that text, one occurrence goes before more than the moves allow of those that came
        // before it: the sort is reached.
        let found = by_end("ababababababab", &words);
        let places_back = |i: usize| found[..i].iter().filter(|&&earlier| earlier > found[i]).count();
        assert!((0..found.len()).any(|i| places_back(i) > MOVES_BEFORE_SORT));
        // Any order at all comes out sorted.
        let mut state: u32 = 7;
        let scrambled: Vec<(u32, u32, u32)> = (0..200)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 20 & 63, state >> 8 & 7, state & 3)
            })
            .collect();
        assert_eq!(in_start_order(scrambled.iter().copied()), sorted(scrambled));
    }

    #[test]
    fn each_block_points_at_its_first_occurrence_or_the_next_blocks() {
        let occurrences = [(0, 4, 7), (31, 40, 1), (32, 35, 2), (95, 100, 3)];
        // Blocks of 32 bytes over a 100-byte mask, and one past its end.
        assert_eq!(block_firsts(&occurrences, 100), vec![0, 2, 3, 4, 4]);
        assert_eq!(block_firsts(&[], 0), vec![0, 0]);
    }

    /// Every substring of `text` on character boundaries, the whole text last.
    fn substrings(text: &str) -> impl Iterator<Item = &str> {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let mut pairs = Vec::new();
        for (i, &a) in cuts.iter().enumerate() {
            for &b in &cuts[i..] {
                pairs.push((a, b));
            }
        }
        pairs.retain(|&p| p != (0, text.len()));
        pairs.push((0, text.len()));
        pairs.into_iter().map(move |(a, b)| &text[a..b])
    }

    #[test]
    fn the_words_every_match_starts_with_go_first() {
        let words = pattern_words(r"\bpacket\s+loss\b").unwrap();
        assert_eq!(words.indexed, vec![vec![b"packet".to_vec()], vec![b"loss".to_vec()]]);
        assert_eq!(words.starts, Some(0));
        // `linked` is found by its `inked`, one byte in.
        let words = pattern_words(r"\b(?:link|ink)ed\b").unwrap();
        assert_eq!(words.indexed[0], vec![b"inked".to_vec()]);
        assert_eq!(words.starts, Some(1));
        // Words too short to index (`in`) do not place a match.
        let words = pattern_words(r"\b(?:in|within)\s+minutes\b").unwrap();
        assert_eq!(words.indexed, vec![vec![b"minutes".to_vec()]]);
        assert_eq!(words.starts, None);
        assert_eq!(pattern_words(r"\d+\s+nodes?\b").unwrap().starts, None);
    }

    /// A factor with a function word is the last chosen: the contact verbs are indexed, not
    /// `us`, though `dm` is shorter; `ran` or `run`, not `out`; `their` is only checked.
    #[test]
    fn function_words_tell_least() {
        let words = pattern_words(r"\b(?:email|call|dm)\s+(?:us|support)\s+(?:on|at)\b").unwrap();
        let verbs = vec![b"dm".to_vec(), b"call".to_vec(), b"email".to_vec()];
        assert_eq!(words.indexed, vec![verbs]);
        assert_eq!(words.starts, Some(0));
        let words = pattern_words(r"\b(?:ran|run|running)\s+out\s+of\b").unwrap();
        assert_eq!(words.indexed, vec![vec![b"ran".to_vec(), b"run".to_vec()]]);
        let words = pattern_words(r"\bon\s+their\s+(?:side|end)\b").unwrap();
        assert_eq!(words.indexed, vec![vec![b"end".to_vec(), b"side".to_vec()]]);
        assert!(words.checked.contains(&vec![b"their".to_vec()]));
        // A single byte tells still less than a function word.
        let words = pattern_words(r"[;—]|,\s+but\b").unwrap();
        assert!(words.checked[0].contains(&b"but".to_vec()));
        let s = set(&[r"\b(?:email|call|dm)\s+(?:us|support)\s+(?:on|at)\b"]);
        assert!(candidates(&s, "Tell us about it on Monday.").is_empty());
        assert_eq!(candidates(&s, "Please EMAIL us at once."), vec![0]);
    }

    /// A tail of a sequence gives the words it starts with (`n't`, not the `t` its last part
    /// gives); a factor that another implies is dropped.
    #[test]
    fn tails_of_a_sequence_give_words_and_implied_factors_go() {
        let words = pattern_words(r"\b[0-9A-Za-z_]+n['’]t\b").unwrap();
        let tail = vec!["n't".as_bytes().to_vec(), "n’t".as_bytes().to_vec()];
        assert_eq!(words.indexed, vec![tail]);
        let words = pattern_words(r"\bis\s+(?:fully\s+)?(?:fixed|resolved)\b").unwrap();
        let fixed = vec![b"fixed".to_vec(), b"resolved".to_vec()];
        assert_eq!(words.indexed, vec![fixed]);
        let s = set(&[r"\b[0-9A-Za-z_]+n['’]t\b", r"\bis\s+(?:fully\s+)?(?:fixed|resolved)\b"]);
        assert_eq!(candidates(&s, "It wasn’t. It is fully fixed."), vec![0, 1]);
        assert_eq!(candidates(&s, "That is fully tested. Not at all."), Vec::<usize>::new());
    }

    /// A pattern whose words include a single byte is not indexed: it is a candidate in every
    /// text (until compiled, only in short texts that hold its checked words).
    #[test]
    fn single_byte_words_are_checked_not_indexed() {
        let pattern = r"[;:]\s+but\b|\s[-–]\s";
        let words = pattern_words(pattern).unwrap();
        assert!(words.indexed.is_empty());
        let checked: Vec<Vec<u8>> = vec![b"-".to_vec(), b"but".to_vec(), "–".as_bytes().to_vec()];
        assert_eq!(words.checked, vec![checked]);
        let s = set(&[pattern, r"\bstrike\b"]);
        assert_eq!(candidates(&s, "no marks at all"), vec![0]);
        assert_eq!(candidates(&s, "a strike - then"), vec![0, 1]);
        assert!(s.is_match("slow; but up") && !s.is_match("slow, but up"));
    }

    #[test]
    fn a_set_that_learned_its_words_is_answered_by_the_next_documents_index() {
        let mask = "The quokka outage is over; a quokka outage.";
        let unknown = set(&[r"\bwombat\s+outage\b", r"\bquokka\s+outage\b"]);
        let learned = set(&[r"\bquokka\s+outage\b"]);
        learned.learn_words();
        with_document(mask, || {
            // Asked first inside the document: its words came after the index was made.
            assert_eq!(unknown.candidates_within(mask)[0].2, Within::Anywhere);
            assert_eq!(learned.candidates_within(mask)[0].2, Within::Starts(vec![4, 29]));
        });
    }

    #[test]
    fn matches_are_placed_before_their_starting_words_or_around_any() {
        let spans = || [3..5, 6..8, 18..20].into_iter();
        assert_eq!(
            Within::of(spans(), Some(0), || None, 20),
            Within::Starts(vec![3, 6, 18])
        );
        assert_eq!(
            Within::of(spans(), Some(1), || None, 20),
            Within::Starts(vec![2, 3, 5, 6, 17, 18])
        );
        // Windows of 4 bytes around each: 1..7 and 4..10 overlap; the last ends with the text.
        assert_eq!(
            Within::of(spans(), None, || Some(4), 20),
            Within::Windows(vec![1..10, 16..20])
        );
        assert_eq!(Within::of(spans(), None, || None, 20), Within::Anywhere);
    }

    #[test]
    fn a_search_where_the_index_places_matches_finds_what_a_search_of_the_whole_text_does() {
        let patterns = [
            r"\bpacket\s+loss\b",
            r"\b(?:link|ink)ed\b",
            r"\bfail(?:ed|s)?\s+over\b",
            r"\b(?-i:CDN|DNS)s?\b",
            r"\bre-?deploy(?:s|ed)?\b",
            r"(?:x|y)?\bcache\b",
            r"\d{1,3} nodes?\b",
            r"[a-z]{1,3}-nodes?\b",
            r"\bcafé\b",
            r"\bload[\s-]+balanc(?:er|ing)\b",
            // Matches one right after another.
            r"(?-i:ab)",
        ];
        let s = set(&patterns);
        let mask = "Packet  loss hit the CDNs; we inked and LINKED a\u{a0}cache. Failed over, failed\n\
                    over; x cache xcache ycache. 3 nodes redeployed re-deploy; cdn DNS, 1234 node, \
                    abcd-node, ab-nodes. Café café CAFÉ, packet loss… load-balancer, load \t balancing, unloaded balancing. ababab";
        // The set's words join the process's vocabulary on first use, before the document.
        s.candidates_within(mask);
        let agree = |text: &str| {
            let mut placed = 0;
            for (member, regex, within) in s.candidates_within(text) {
                placed += usize::from(within != Within::Anywhere);
                for at in text.char_indices().map(|(i, _)| i).chain([text.len()]) {
                    assert_eq!(
                        within.find_at(regex, text, at),
                        regex.find_at(text, at),
                        "{} in {text:?} from {at} ({within:?})",
                        patterns[member]
                    );
                }
            }
            let expected: Vec<(usize, Range<usize>)> = (s.members().iter().enumerate())
                .flat_map(|(member, regex)| regex.find_iter(text).map(move |m| (member, m.range())))
                .collect();
            let found: Vec<(usize, Range<usize>)> = s.find_all(text).into_iter().map(|(i, m)| (i, m.range())).collect();
            assert_eq!(found, expected, "in {text:?}");
            placed
        };
        with_document(mask, || {
            assert!(agree(mask) >= 6);
            let starts = s
                .candidates_within(mask)
                .iter()
                .filter(|c| matches!(c.2, Within::Starts(_)))
                .count();
            let windows = s
                .candidates_within(mask)
                .iter()
                .filter(|c| matches!(c.2, Within::Windows(_)))
                .count();
            assert!(
                starts >= 3 && windows >= 1,
                "{starts} placed by their start, {windows} in windows"
            );
            for (from, to) in [(0, 30), (20, 61), (61, 140), (100, mask.len())] {
                let (from, to) = (floor_char(mask, from), floor_char(mask, to));
                agree(&mask[from..to]);
            }
        });
        // Without an index (a document too big for one), every member searches the whole text.
        let every: Vec<(usize, Range<usize>)> = s.find_all(mask).into_iter().map(|(i, m)| (i, m.range())).collect();
        assert_eq!(every.iter().map(|(i, _)| *i).max(), Some(patterns.len() - 1));
        let expected = (s.members().iter().enumerate())
            .flat_map(|(member, regex)| regex.find_iter(mask).map(move |m| (member, m.range())));
        assert_eq!(every, expected.collect::<Vec<_>>());
        // A sign that folds to an ASCII letter hides a word from the index: nothing is placed.
        let folded = "pac\u{212A}et loss and packet loss, a \u{212A}DN";
        s.candidates_within(folded);
        with_document(folded, || assert_eq!(agree(folded), 0));
    }

    fn floor_char(text: &str, mut at: usize) -> usize {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// A set knows its own words by their vocabulary ids, and no other word, whether its id is
    /// in the set's table or past it (a word learnt later).
    #[test]
    fn a_set_reads_its_words_and_no_later_ones_from_its_table() {
        let early = set(&[r"\bzirconquartzite\b", r"\bzirconbasalt\b"]);
        let later = set(&[r"\bzirconobsidian\b"]);
        let (early, later) = (early.parts.required(), later.parts.required());
        let ids = Vocabulary::ids_of(&[
            b"zirconquartzite".to_vec(),
            b"zirconbasalt".to_vec(),
            b"zirconobsidian".to_vec(),
        ]);
        let local = |id: u32| early.local_word(id).map(|at| early.words[at].clone());
        assert_eq!(local(ids[0]).as_deref(), Some(&b"zirconquartzite"[..]));
        assert_eq!(local(ids[1]).as_deref(), Some(&b"zirconbasalt"[..]));
        assert!(
            ids[2] as usize >= early.ids_known(),
            "the later word's id is past the table"
        );
        assert_eq!(local(ids[2]), None);
        assert_eq!(local(u32::MAX), None);
        assert_eq!(later.local_word(ids[0]), None);
        assert!(later.local_word(ids[2]).is_some());
    }

    #[test]
    fn more_members_than_fit_inline() {
        let patterns: Vec<String> = (0..700).map(|i| format!(r"\bword{i}x\b")).collect();
        let s = PatternSet::compile(&patterns, compile_regex).unwrap();
        assert_eq!(
            candidates(&s, "a word7x, word511x, word512x and word699x"),
            vec![7, 511, 512, 699]
        );
        assert!(s.is_match("word650x"));
    }

    #[test]
    fn member_sets_of_every_capacity_give_back_what_was_put_in() {
        for capacity in [0, 1, 63, 64, 65, 511, 512, 513, 700] {
            let mut members = Members::with_capacity(capacity);
            let mut others = Members::with_capacity(capacity);
            assert!(members.is_empty());
            let put: Vec<usize> = (0..capacity).filter(|i| i % 7 == 3 || i + 1 == capacity).collect();
            for &i in &put {
                members.insert(i);
            }
            for i in (0..capacity).filter(|i| i % 2 == 1) {
                others.insert(i);
            }
            assert_eq!(members.is_empty(), put.is_empty(), "capacity {capacity}");
            assert_eq!(members.iter().collect::<Vec<_>>(), put, "capacity {capacity}");
            let odd: Vec<usize> = put.iter().copied().filter(|i| i % 2 == 1).collect();
            assert_eq!(members.common(&others).collect::<Vec<_>>(), odd, "capacity {capacity}");
            if let Some(&last) = put.last() {
                members.remove(last);
            }
            let kept = &put[..put.len().saturating_sub(1)];
            assert_eq!(members.into_indices().collect::<Vec<_>>(), kept, "capacity {capacity}");
        }
    }
}
