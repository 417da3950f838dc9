//! `--fix` and `--diff`: apply machine-applicable suggestions, lint the fixed text again, and
//! write files safely (or print a unified diff).
//!
//! Suggestions never overlap: of two overlapping ones the later is dropped (and applied in a
//! later round if it still applies). Rounds of fix-and-lint repeat until nothing changes, so
//! fixing twice equals fixing once. A file is written only when its text changed, through a
//! temporary file in its own directory and an atomic rename, keeping its permissions, line
//! endings and BOM; a crash at any point leaves it either old or new.

use crate::diagnostic::{Applicability, Diagnostic, Span, Suggestion};
use crate::engine::{lint_source, FileReport, Job, Overrides};
use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// At most this many rounds of fix-and-lint per file; real fixes settle in one or two.
const MAX_ROUNDS: usize = 8;

/// What to do with the fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the fixed files (`--fix`).
    Write,
    /// Print a unified diff, write nothing (`--diff`).
    Diff,
}

impl Mode {
    /// The mode the `--fix` and `--diff` flags ask for, if any.
    pub fn from_flags(fix: bool, diff: bool) -> Option<Mode> {
        match (fix, diff) {
            (_, true) => Some(Mode::Diff),
            (true, false) => Some(Mode::Write),
            (false, false) => None,
        }
    }
}

/// What fixing a run of files did.
#[derive(Debug, Clone, Default)]
pub struct FixSummary {
    /// Unified diffs of every file that would change (`--diff` only).
    pub diff: Option<String>,
    /// Files changed (written, or that would be).
    pub files_changed: usize,
    /// Suggestions applied.
    pub fixes_applied: usize,
    /// Things worth saying that are not errors (a symlink followed).
    pub notes: Vec<String>,
}

impl FixSummary {
    /// One line for standard error.
    pub fn line(&self, mode: Mode) -> String {
        if self.fixes_applied == 0 {
            return "nothing to fix".to_string();
        }
        let fixes = plural(self.fixes_applied, "fix", "fixes");
        let files = plural(self.files_changed, "file", "files");
        match mode {
            Mode::Write => format!("applied {fixes} in {files}"),
            Mode::Diff => format!("{fixes} in {files} would be applied (nothing written)"),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A step of a safe write, where tests inject faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStep {
    /// The temporary file exists, nothing written to it yet.
    Created,
    /// The new text is written and synced to the temporary file.
    Written,
    /// Permissions are copied; the rename is next.
    BeforeRename,
}

/// A hook called at each step of a write; an error aborts the write there.
pub type FaultHook<'a> = &'a (dyn Fn(&Path, WriteStep) -> io::Result<()> + Sync);

/// Fixes every report's file in place of its report: afterwards each report holds the
/// diagnostics of the fixed text (in `Mode::Diff` too, as if the diff were applied).
pub fn fix_all(jobs: &[Job<'_>], reports: &mut [FileReport], overrides: &Overrides, mode: Mode) -> FixSummary {
    fix_all_with(jobs, reports, overrides, mode, &|_, _| Ok(()))
}

/// [`fix_all`] with a fault hook for tests.
pub fn fix_all_with(
    jobs: &[Job<'_>],
    reports: &mut [FileReport],
    overrides: &Overrides,
    mode: Mode,
    fault: FaultHook<'_>,
) -> FixSummary {
    let outcomes: Vec<FileOutcome> = jobs
        .par_iter()
        .zip(reports.par_iter_mut())
        .map(|(job, report)| fix_one(job, report, overrides, mode, fault))
        .collect();
    let mut summary = FixSummary::default();
    let mut diff = String::new();
    for outcome in outcomes {
        if outcome.applied > 0 {
            summary.files_changed += 1;
            summary.fixes_applied += outcome.applied;
        }
        diff.push_str(&outcome.diff);
        summary.notes.extend(outcome.note);
    }
    if mode == Mode::Diff {
        summary.diff = Some(diff);
    }
    summary
}

#[derive(Default)]
struct FileOutcome {
    applied: usize,
    diff: String,
    note: Option<String>,
}

fn fix_one(
    job: &Job<'_>,
    report: &mut FileReport,
    overrides: &Overrides,
    mode: Mode,
    fault: FaultHook<'_>,
) -> FileOutcome {
    if !report.errors.is_empty() || applicable(&report.diagnostics).is_empty() {
        return FileOutcome::default();
    }
    let original = report.source.clone();
    let fs_path = job.path.clone().unwrap_or_else(|| PathBuf::from(&job.display));
    let relint = |text: String| lint_source(job.settings, overrides, &job.display, &fs_path, text);
    // Re-linting runs the rules again: contain a panic there as the first lint does, leaving
    // the file untouched.
    let (fixed, applied) = match crate::guard::contain(&job.display, || fix_until_settled(report, relint)) {
        Ok(settled) => settled,
        Err(panic) => {
            report.errors.push(format!(
                "{}: not fixed: internal error while checking the fixed text (please report it): {panic}",
                job.display
            ));
            return FileOutcome::default();
        }
    };
    if fixed.source == original {
        return FileOutcome::default();
    }
    let mut outcome = FileOutcome {
        applied,
        ..FileOutcome::default()
    };
    match mode {
        Mode::Diff => outcome.diff = unified_diff(&job.display, &original, &fixed.source),
        Mode::Write => {
            let Some(path) = &job.path else {
                report.errors.push(format!(
                    "{}: standard input cannot be fixed in place; use --diff",
                    job.display
                ));
                return FileOutcome::default();
            };
            match write_fixed(path, &original, &fixed.source, fault) {
                Ok(note) => outcome.note = note.map(|n| format!("{}: {n}", job.display)),
                Err(e) => {
                    report.errors.push(format!("{}: not fixed: {e}", job.display));
                    return FileOutcome::default();
                }
            }
        }
    }
    *report = fixed;
    outcome
}

/// Applies fixes and lints again until no machine-applicable suggestion changes the text.
/// Returns the last report (for the fixed text) and the number of suggestions applied.
pub fn fix_until_settled(report: &FileReport, mut relint: impl FnMut(String) -> FileReport) -> (FileReport, usize) {
    let mut current = report.clone();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let suggestions = applicable(&current.diagnostics);
        let text = apply(&current.source, &suggestions);
        if suggestions.is_empty() || text == current.source {
            break;
        }
        applied += suggestions.len();
        current = relint(text);
        if !current.errors.is_empty() {
            break;
        }
    }
    (current, applied)
}

/// The machine-applicable suggestions of `diagnostics`, in source order, none overlapping: of
/// two that overlap (or insert at the same place) the later one is dropped.
pub fn applicable(diagnostics: &[Diagnostic]) -> Vec<&Suggestion> {
    let mut all: Vec<&Suggestion> = diagnostics
        .iter()
        .filter_map(|d| d.suggestion.as_ref())
        .filter(|s| s.applicability == Applicability::MachineApplicable)
        .collect();
    all.sort_by_key(|s| (s.span.start, s.span.end));
    let mut kept: Vec<&Suggestion> = Vec::with_capacity(all.len());
    for suggestion in all {
        if kept.last().is_none_or(|last| !overlap(last.span, suggestion.span)) {
            kept.push(suggestion);
        }
    }
    kept
}

/// Whether two edits touch the same text: shared bytes, an insertion strictly inside a
/// replacement, or two insertions at one place (whose order would be a guess).
pub fn overlap(a: Span, b: Span) -> bool {
    let shared = a.start < b.end && b.start < a.end;
    let inside =
        |insert: Span, other: Span| insert.is_empty() && other.start < insert.start && insert.start < other.end;
    let same_insert = a.is_empty() && b.is_empty() && a.start == b.start;
    shared || inside(a, b) || inside(b, a) || same_insert
}

/// Applies non-overlapping suggestions (sorted by start) to `source`; line breaks in
/// replacements follow the file's own (`\r\n` in a CRLF file).
pub fn apply(source: &str, suggestions: &[&Suggestion]) -> String {
    let crlf = source.find('\n').is_some_and(|i| source[..i].ends_with('\r'));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for s in suggestions {
        if s.span.start < at || s.span.end > source.len() {
            continue;
        }
        out.push_str(&source[at..s.span.start]);
        if crlf {
            out.push_str(&s.replacement.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            out.push_str(&s.replacement);
        }
        at = s.span.end;
    }
    out.push_str(&source[at..]);
    out
}

/// A unified diff (`--- a/path`, `+++ b/path`, three lines of context) from `old` to `new`.
pub fn unified_diff(display: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}

/// Writes `new` over the file at `path`, which must still hold `original`: through a
/// temporary file in the same directory and an atomic rename, keeping its permissions. A
/// symlink is followed to its target (which is written, the link kept); the returned note says
/// so.
pub fn write_fixed(path: &Path, original: &str, new: &str, fault: FaultHook<'_>) -> io::Result<Option<String>> {
    let is_link = std::fs::symlink_metadata(path)?.file_type().is_symlink();
    let target = if is_link {
        std::fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let on_disk = std::fs::read(&target)?;
    if on_disk != original.as_bytes() {
        return Err(io::Error::other("the file changed while crisislint was checking it"));
    }
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".crisislint-fix")
        .tempfile_in(&dir)?;
    fault(&target, WriteStep::Created)?;
    temp.write_all(new.as_bytes())?;
    temp.as_file().sync_all()?;
    fault(&target, WriteStep::Written)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    temp.as_file().set_permissions(permissions)?;
    fault(&target, WriteStep::BeforeRename)?;
    temp.persist(&target).map_err(|e| e.error)?;
    // The rename is durable once the directory entry is; not every platform can sync one.
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(is_link.then(|| format!("followed the symlink and wrote {}", target.display())))
}
