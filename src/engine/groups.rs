//! Many documents are linted in groups, rule after rule: a rule runs over every document of a
//! group before the thread that runs it goes on to another, and it runs on the same thread from
//! one group to the next unless the threads' loads call for a move ([`rebalance`]).
//!
//! Linted document after document, each document went through every rule's automata and tables,
//! more than a core's cache holds, and every thread searched with every pattern, so each thread
//! learnt and kept every pattern's lazy DFA states (regex-automata's `Pool` keeps a search state
//! per thread). Rule after rule, a thread reads one rule's tables across a group, and a
//! pattern's search state goes with the rule (see `compiled_regex::CachePool`). On the
//! 2,000-file benchmark: 1 thread 16% faster, 2 threads 11% faster, and the 2-thread peak
//! 34.8 -> 29.2 MiB.

use super::{error_report, lint_read_job, read_job, FileReport, Job, Linting, Overrides, RuleThreads};
use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::guard::{self, Panic};
use crate::rules::kinds::pattern_set::{self, DocumentWords};
use crate::rules::kinds::{Analysis, SharedAnalysis};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// How many documents a group holds for each thread of the pool. A group's documents are all
/// parsed at once, and their findings wait for the group's last rule.
pub const DOCUMENTS_PER_THREAD: usize = 32;

/// Documents bigger than this are linted alone, rule after rule on one thread, as they are
/// read: a group keeps its documents' parses (several times their text) until its last rule.
const GROUPED_DOCUMENT_LIMIT: usize = 64 << 10;

/// Where a rule runs on groups of documents: the pool thread that ran it last, whose lazy DFAs
/// hold its patterns' states, and what it cost there. Only which thread runs what depends on
/// it, never the findings.
#[derive(Debug, Default)]
pub struct Placement {
    /// That thread's index in the pool, plus one; 0 until the rule has run on a group.
    thread: AtomicUsize,
    /// Its time per document and rule on the last group, in nanoseconds.
    nanos_per_run: AtomicU64,
    /// How many groups it has run on.
    groups: AtomicU32,
}

/// A job of a group: a report already, or a document waiting for its rules.
enum Slot<'a> {
    Done(FileReport),
    Waiting(Box<Waiting<'a>>),
}

/// A document whose rules run, rule by rule, over the group.
struct Waiting<'a> {
    linting: Linting<'a>,
    shared: SharedAnalysis,
    /// Its prose mask's words, searched once for every rule's pattern sets.
    words: Option<Arc<DocumentWords>>,
    /// The findings of each of `linting.running`, set by whichever thread ran the rule.
    found: Vec<OnceLock<Vec<Diagnostic>>>,
    /// The first panic of a rule on this document; the other rules then skip it.
    panic: OnceLock<Panic>,
}

/// Rules of one configuration to run over the group's documents: one rule, or the rules that
/// read the same shared analysis. The first of those to reach a document computes it, so they
/// stay on one thread: on two, each would compute it for some documents and learn its patterns.
struct Task<'a> {
    settings: &'a Settings,
    /// Their places in `settings.rules`, in order, each with how many documents run it.
    rules: Vec<(usize, u64)>,
}

impl Task<'_> {
    /// The task's placement, kept with its first rule.
    fn placement(&self) -> &Placement {
        &self.settings.rules[self.rules[0].0].placement
    }

    /// Its expected time on this group, from its last one: 0 when unknown.
    fn cost(&self) -> u64 {
        let per_run = self.placement().nanos_per_run.load(Ordering::Relaxed);
        per_run.saturating_mul(self.rules.iter().map(|&(_, documents)| documents).sum())
    }

    /// True when its cost was measured after its first group, which compiles its patterns.
    fn measured(&self) -> bool {
        self.placement().groups.load(Ordering::Relaxed) > 1
    }
}

/// Lints `jobs`: reads and parses them in parallel, runs each rule over all of them, then
/// finishes each report and hands it to `then` with its job's index, in one parallel pass.
/// What `then` gives comes in the jobs' order.
pub fn lint_group<R, F>(jobs: &[Job<'_>], overrides: &Overrides, then: &F) -> Vec<R>
where
    R: Send,
    F: Fn(usize, FileReport) -> R + Sync,
{
    let slots: Vec<Slot<'_>> = jobs.par_iter().map(|job| start(job, overrides)).collect();
    let waiting: Vec<&Waiting<'_>> = slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Waiting(waiting) => Some(&**waiting),
            Slot::Done(_) => None,
        })
        .collect();
    run_rules(&waiting);
    drop(waiting);
    // The threads take the documents in order, one at a time, rather than a half each: a caller
    // that writes each report in order (`check`) then keeps few of them waiting for their turn.
    let slots: Vec<Mutex<Option<Slot<'_>>>> = slots.into_iter().map(|slot| Mutex::new(Some(slot))).collect();
    let done: Vec<Mutex<Option<R>>> = slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    rayon::broadcast(|_| loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = slots.get(at) else {
            return;
        };
        let slot = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(slot) = slot {
            let finished = then(at, finish(&jobs[at], slot));
            *done[at].lock().unwrap_or_else(PoisonError::into_inner) = Some(finished);
        }
    });
    (done.into_iter())
        .map(|done| done.into_inner().unwrap_or_else(PoisonError::into_inner))
        .map(|done| done.expect("every document of the group is finished"))
        .collect()
}

/// Reads and parses a job; a document too big for a group is linted right away.
fn start<'a>(job: &'a Job<'_>, overrides: &'a Overrides) -> Slot<'a> {
    let source = match read_job(job) {
        Ok(source) => source,
        Err(message) => return Slot::Done(error_report(&job.display, message)),
    };
    if source.len() > GROUPED_DOCUMENT_LIMIT {
        return Slot::Done(lint_read_job(job, source, overrides, RuleThreads::One));
    }
    let started = guard::contain(&job.display, || {
        Linting::start(job.settings, overrides, &job.display, job.fs_path(), source)
            .map(|linting| (pattern_set::words_of_document(&linting.doc.mask), linting))
    });
    match started {
        Ok(Ok((words, linting))) => Slot::Waiting(Box::new(Waiting {
            found: linting.running.iter().map(|_| OnceLock::new()).collect(),
            linting,
            shared: SharedAnalysis::default(),
            words,
            panic: OnceLock::new(),
        })),
        Ok(Err(report)) => Slot::Done(report),
        Err(panic) => Slot::Done(job.internal_error(panic)),
    }
}

/// Runs every rule that some document runs, each over all the documents, on the pool's threads.
///
/// Each thread first runs the tasks placed on it, the costliest first; then tasks placed
/// nowhere yet, which it takes; then, idle, the tasks other threads have not started, the
/// cheapest first, which stay placed where they were.
fn run_rules(waiting: &[&Waiting<'_>]) {
    let tasks = tasks(waiting);
    if tasks.is_empty() {
        return;
    }
    let threads = rayon::current_num_threads();
    // One list per thread, then one of the rules placed nowhere (or on a thread of another
    // pool), each of the first sorted costliest first.
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); threads + 1];
    for (at, task) in tasks.iter().enumerate() {
        let thread = task.placement().thread.load(Ordering::Relaxed);
        let list = match thread {
            1.. if thread <= threads => thread - 1,
            _ => threads,
        };
        lists[list].push(at);
    }
    rebalance(&tasks, &mut lists[..threads]);
    for list in &mut lists[..threads] {
        list.sort_by_key(|&at| Reverse(tasks[at].cost()));
    }
    let taken: Vec<AtomicBool> = tasks.iter().map(|_| AtomicBool::new(false)).collect();
    rayon::broadcast(|thread| {
        let me = thread.index();
        let others = (1..threads).map(|step| (me + step) % threads);
        let order = (lists[me].iter())
            .chain(&lists[threads])
            .chain(others.flat_map(|other| lists[other].iter().rev()));
        for &at in order {
            // Whoever takes a task first runs it; the swap makes sure only one does.
            if !taken[at].swap(true, Ordering::Relaxed) {
                run_task(&tasks[at], waiting, me);
            }
        }
    });
}

/// Moves tasks from the thread with the most work to the one with the least, by the costs
/// measured on the last group, while they differ by more than [`UNEVEN`] of a thread's share:
/// at most [`MOVES_PER_GROUP`] tasks, so that a rule is seldom learnt on two threads. Until
/// every placed task has been measured after its first group, nothing moves.
fn rebalance(tasks: &[Task<'_>], lists: &mut [Vec<usize>]) {
    if !lists.iter().flatten().all(|&at| tasks[at].measured()) {
        return;
    }
    let mut loads: Vec<u64> = lists
        .iter()
        .map(|list| list.iter().map(|&at| tasks[at].cost()).sum())
        .collect();
    let share = loads.iter().sum::<u64>() / loads.len() as u64;
    for _ in 0..MOVES_PER_GROUP {
        let (Some(most), Some(least)) = (
            (0..loads.len()).max_by_key(|&t| loads[t]),
            (0..loads.len()).min_by_key(|&t| loads[t]),
        ) else {
            return;
        };
        let gap = loads[most] - loads[least];
        if gap <= share / UNEVEN {
            return;
        }
        // The task whose move narrows the gap most: the one whose cost is nearest half of it.
        let Some(moved) = (0..lists[most].len())
            .filter(|&i| tasks[lists[most][i]].cost() < gap)
            .min_by_key(|&i| (gap / 2).abs_diff(tasks[lists[most][i]].cost()))
        else {
            return;
        };
        let at = lists[most].swap_remove(moved);
        lists[least].push(at);
        loads[most] -= tasks[at].cost();
        loads[least] += tasks[at].cost();
        tasks[at].placement().thread.store(least + 1, Ordering::Relaxed);
    }
}

/// Threads' loads may differ by this fraction of a thread's share (1/20: 5%) before rules move.
const UNEVEN: u64 = 20;

/// At most this many rules move between threads per group.
const MOVES_PER_GROUP: usize = 2;

/// The rules the documents run, each once, in tasks (see [`Task`]).
fn tasks<'a>(waiting: &[&Waiting<'a>]) -> Vec<Task<'a>> {
    // Usually one configuration; a repository may have one per directory.
    let mut configurations: Vec<(&Settings, Vec<u64>)> = Vec::new();
    for doc in waiting {
        let settings = doc.linting.settings;
        let at = match configurations.iter().position(|(s, _)| std::ptr::eq(*s, settings)) {
            Some(at) => at,
            None => {
                configurations.push((settings, vec![0; settings.rules.len()]));
                configurations.len() - 1
            }
        };
        for running in &doc.linting.running {
            configurations[at].1[running.index] += 1;
        }
    }
    let mut tasks = Vec::new();
    for (settings, documents) in configurations {
        // Which task reads each analysis. A rule joins the task of the first analysis it reads
        // that has one (no built-in rule reads two analyses that other rules read apart).
        let mut readers: Vec<(Analysis, usize)> = Vec::new();
        for (index, documents) in documents.into_iter().enumerate().filter(|&(_, d)| d > 0) {
            let reads = settings.rules[index].check.reads();
            let joined = readers.iter().find(|(analysis, _)| reads.contains(analysis));
            let task = match joined {
                Some(&(_, task)) => task,
                None => {
                    tasks.push(Task {
                        settings,
                        rules: Vec::new(),
                    });
                    tasks.len() - 1
                }
            };
            tasks[task].rules.push((index, documents));
            for &analysis in reads {
                if !readers.iter().any(|(a, _)| *a == analysis) {
                    readers.push((analysis, task));
                }
            }
        }
    }
    tasks
}

/// Runs a task's rules, one after the other, each over the documents that run it, on thread
/// `me`; places the task there if it was placed nowhere.
fn run_task(task: &Task<'_>, waiting: &[&Waiting<'_>], me: usize) {
    let started = Instant::now();
    let mut runs = 0u64;
    for &(index, _) in &task.rules {
        for doc in waiting {
            let linting = &doc.linting;
            if !std::ptr::eq(linting.settings, task.settings) || doc.panic.get().is_some() {
                continue;
            }
            let Ok(at) = linting.running.binary_search_by_key(&index, |r| r.index) else {
                continue;
            };
            runs += 1;
            let found = guard::contain(&linting.report.path, || {
                pattern_set::with_document_words(doc.words.clone(), || {
                    linting.findings(&linting.running[at], &doc.shared)
                })
            });
            match found {
                Ok(found) => drop(doc.found[at].set(found)),
                Err(panic) => drop(doc.panic.set(panic)),
            }
        }
    }
    let placement = task.placement();
    let nanos = started.elapsed().as_nanos() / u128::from(runs.max(1));
    (placement.nanos_per_run).store(u64::try_from(nanos).unwrap_or(u64::MAX), Ordering::Relaxed);
    placement.groups.fetch_add(1, Ordering::Relaxed);
    // A task taken over by an idle thread stays placed where it was: that thread was idle
    // this time, and moving it for good is for `rebalance` to decide.
    let _ = (placement.thread).compare_exchange(0, me + 1, Ordering::Relaxed, Ordering::Relaxed);
}

/// The job's report, once every rule has run.
fn finish(job: &Job<'_>, slot: Slot<'_>) -> FileReport {
    let waiting = match slot {
        Slot::Done(report) => return report,
        Slot::Waiting(waiting) => *waiting,
    };
    let Waiting {
        linting, found, panic, ..
    } = waiting;
    if let Some(panic) = panic.into_inner() {
        return super::internal_error(job.settings, &job.display, linting.doc.source, panic);
    }
    let found = found.into_iter().flat_map(OnceLock::into_inner).flatten();
    match guard::contain(&job.display, || linting.finish(found)) {
        Ok(report) => report,
        Err(panic) => job.internal_error(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{lint_jobs_then, lint_source};
    use std::path::Path;

    /// Every fixture, a document too big for a group and one with an unknown kind, as jobs.
    fn jobs(settings: &Settings) -> Vec<Job<'_>> {
        let mut texts: Vec<(String, String)> = crate::test_support::markdown_fixtures()
            .into_iter()
            .map(|(path, text)| (path.display().to_string(), text))
            .collect();
        let paragraph = "The API was down from 10:00 to 11:30 because of a DNS misconfiguration.\n\n";
        texts.push((
            "big.md".into(),
            paragraph.repeat(GROUPED_DOCUMENT_LIMIT / paragraph.len() + 1),
        ));
        texts.push(("unknown-kind.md".into(), "---\nkind: memo\n---\n# Outage\n".into()));
        (texts.into_iter())
            .map(|(display, text)| Job {
                display,
                path: None,
                text: Some(text.into_bytes()),
                settings,
            })
            .collect()
    }

    #[test]
    fn a_group_gives_each_document_the_findings_it_gets_alone() {
        let settings = Settings::builtin();
        let jobs = jobs(&settings);
        assert!(
            jobs.len() > 2 * DOCUMENTS_PER_THREAD,
            "{} jobs: more than one group",
            jobs.len()
        );
        let select = Overrides {
            select: Some(vec![
                "missing-apology".into(),
                "non-apology".into(),
                "technical-jargon".into(),
            ]),
            ..Overrides::default()
        };
        for overrides in [Overrides::default(), select] {
            let alone: Vec<FileReport> = (jobs.iter())
                .map(|job| {
                    let text = String::from_utf8(job.text.clone().unwrap()).unwrap();
                    lint_source(&settings, &overrides, &job.display, Path::new(&job.display), text)
                })
                .collect();
            assert!(alone.iter().map(|r| r.diagnostics.len()).sum::<usize>() > 100);
            // Twice on each pool: the second time, rules run where the first placed them.
            for threads in [1, 3, 3] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                // Each report comes to `then` with its own job.
                let grouped = pool.install(|| lint_jobs_then(&jobs, &overrides, |at, r| (jobs[at].display.clone(), r)));
                assert_eq!(grouped.len(), alone.len());
                for ((job, grouped), alone) in grouped.iter().zip(&alone) {
                    assert_eq!(*job, alone.path);
                    assert_eq!(grouped.path, alone.path);
                    assert_eq!(grouped.diagnostics, alone.diagnostics, "{}", alone.path);
                    assert_eq!(grouped.errors, alone.errors, "{}", alone.path);
                    assert_eq!(grouped.source, alone.source, "{}", alone.path);
                }
            }
        }
    }

    /// A rule whose check panics on a document that contains its text.
    #[derive(Debug)]
    struct PanicsOn(&'static str);

    impl crate::rules::kinds::Check for PanicsOn {
        fn check(&self, cx: &crate::rules::kinds::CheckContext<'_>, _: &mut Vec<crate::diagnostic::Finding>) {
            assert!(!cx.doc.source.contains(self.0), "a rule failed");
        }
    }

    #[test]
    fn a_rule_that_panics_on_one_document_fails_that_document_only() {
        let mut settings = Settings::builtin();
        let mut def = (*settings.rules[0].def).clone();
        def.name = "panics".into();
        settings.rules.push(crate::config::CompiledRule {
            def: Arc::new(def),
            check: Box::new(PanicsOn("BOOM")),
            placement: Placement::default(),
        });
        let overrides = Overrides::default();
        let texts = [
            "# Outage\n\nThe API was down.\n",
            "# BOOM\n\nThe API was down.\n",
            "# Fine\n\nSorry.\n",
        ];
        let jobs: Vec<Job<'_>> = (texts.iter().enumerate())
            .map(|(i, text)| Job {
                display: format!("doc-{i}.md"),
                path: None,
                text: Some(text.as_bytes().to_vec()),
                settings: &settings,
            })
            .collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let reports = pool.install(|| lint_group(&jobs, &overrides, &|_, report| report));
        let failed = &reports[1];
        assert_eq!(failed.diagnostics.len(), 1, "{:?}", failed.diagnostics);
        assert_eq!(failed.diagnostics[0].code, "CL002");
        assert!(
            failed.diagnostics[0].message.contains("a rule failed"),
            "{}",
            failed.diagnostics[0].message
        );
        assert_eq!(failed.errors.len(), 1);
        assert_eq!(failed.source, texts[1], "the text is kept for snippets");
        for at in [0, 2] {
            let alone = lint_source(
                &settings,
                &overrides,
                &jobs[at].display,
                Path::new(&jobs[at].display),
                texts[at].into(),
            );
            assert_eq!(reports[at].diagnostics, alone.diagnostics);
            assert!(reports[at].errors.is_empty());
        }
    }

    /// A waiting document of `text` that runs every rule on.
    fn waiting<'a>(settings: &'a Settings, overrides: &'a Overrides, text: &str) -> Waiting<'a> {
        let linting = Linting::start(settings, overrides, "t.md", Path::new("t.md"), text.into()).unwrap();
        Waiting {
            found: linting.running.iter().map(|_| OnceLock::new()).collect(),
            linting,
            shared: SharedAnalysis::default(),
            words: None,
            panic: OnceLock::new(),
        }
    }

    #[test]
    fn rules_that_read_one_analysis_are_one_task_and_every_rule_is_in_one() {
        let settings = Settings::builtin();
        let overrides = Overrides::default();
        let doc = waiting(&settings, &overrides, "# Outage\n\nSorry.\n");
        let tasks = tasks(&[&doc]);
        let mut indexes: Vec<usize> = tasks
            .iter()
            .flat_map(|t| t.rules.iter().map(|&(index, _)| index))
            .collect();
        indexes.sort_unstable();
        let running: Vec<usize> = doc.linting.running.iter().map(|r| r.index).collect();
        assert_eq!(indexes, running);
        let task_of = |index: usize| tasks.iter().position(|t| t.rules.iter().any(|&(i, _)| i == index));
        let mut shared = 0;
        for analysis in [Analysis::Apologies, Analysis::Clock, Analysis::Zoning, Analysis::Dates] {
            let readers: Vec<usize> = (running.iter().copied())
                .filter(|&index| settings.rules[index].check.reads().contains(&analysis))
                .collect();
            assert!(readers.len() > 1, "{analysis:?} has {} readers", readers.len());
            let task = task_of(readers[0]);
            assert!(readers.iter().all(|&index| task_of(index) == task), "{analysis:?}");
            shared += readers.len();
        }
        assert!(shared >= 8, "{shared} readers of shared analyses");
        for task in &tasks {
            assert!(task.rules.windows(2).all(|w| w[0].0 < w[1].0), "rules in order");
            assert!(task.rules.iter().all(|&(_, documents)| documents == 1));
        }
    }

    #[test]
    fn rebalancing_moves_a_few_tasks_from_the_busiest_thread_and_only_measured_ones() {
        let settings = Settings::builtin();
        let overrides = Overrides::default();
        let doc = waiting(&settings, &overrides, "# Outage\n\nSorry.\n");
        let tasks = tasks(&[&doc]);
        let measure = |at: usize, nanos: u64, groups: u32| {
            let placement = tasks[at].placement();
            placement.thread.store(1, Ordering::Relaxed);
            placement.nanos_per_run.store(nanos, Ordering::Relaxed);
            placement.groups.store(groups, Ordering::Relaxed);
        };
        let load = |list: &[usize]| list.iter().map(|&at| tasks[at].cost()).sum::<u64>();
        // Everything on the first of two threads, one task measured on its first group only.
        for at in 0..tasks.len() {
            measure(at, 1000 * (at as u64 + 1), if at == 0 { 1 } else { 2 });
        }
        let mut lists = vec![(0..tasks.len()).collect::<Vec<_>>(), Vec::new()];
        rebalance(&tasks, &mut lists);
        assert!(lists[1].is_empty(), "nothing moves before every cost is measured");

        measure(0, 1000, 2);
        let before = load(&lists[0]);
        rebalance(&tasks, &mut lists);
        assert_eq!(lists[1].len(), MOVES_PER_GROUP);
        assert_eq!(load(&lists[0]) + load(&lists[1]), before);
        for &at in &lists[1] {
            assert_eq!(
                tasks[at].placement().thread.load(Ordering::Relaxed),
                2,
                "placed on the second"
            );
        }
        // Each round narrows the gap until the loads are within the allowed unevenness.
        let mut gap = before;
        for _ in 0..tasks.len() {
            rebalance(&tasks, &mut lists);
            let now = load(&lists[0]).abs_diff(load(&lists[1]));
            assert!(now <= gap);
            gap = now;
        }
        assert!(
            gap <= before / 2 / UNEVEN + tasks.iter().map(Task::cost).min().unwrap(),
            "gap {gap} of {before}"
        );
        let moved = lists[1].clone();
        rebalance(&tasks, &mut lists);
        assert_eq!(lists[1], moved, "balanced: nothing moves");
    }
}
