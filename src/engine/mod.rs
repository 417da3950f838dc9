//! Lints one document, or many in parallel: kind and audience, severities, checks,
//! suppression, order.

use crate::config::{CompiledRule, Settings};
use crate::diagnostic::{Diagnostic, Finding, Label, Level, Severity, Span};
use crate::document::{Directive, DirectiveKind, Document, MetaValue};
use crate::guard::{self, Panic};
use crate::kind::{Audience, DocKind};
use crate::rules::kinds::{pattern_set, Analysis, CheckContext, SharedAnalysis};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod groups;
pub use groups::{Placement, DOCUMENTS_PER_THREAD};

/// Command-line choices that override configuration and front matter.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--kind`.
    pub kind: Option<DocKind>,
    /// `--audience`.
    pub audience: Option<Audience>,
    /// `--select`: only these rules (names) stay on.
    pub select: Option<Vec<String>>,
    /// `--ignore`: these rules (names) are off.
    pub ignore: Vec<String>,
}

/// What linting one file gave.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The path as shown in output.
    pub path: String,
    /// The text linted (for emitters that show snippets); empty when it could not be read.
    pub source: String,
    /// Findings, sorted by start offset then rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems that kept the file from being checked (exit status 2), already worded.
    pub errors: Vec<String>,
}

/// One file to lint: its display path, where to read it, and its configuration.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// The path as shown in output.
    pub display: String,
    /// Where to read it; `None` for text already in hand (stdin).
    pub path: Option<PathBuf>,
    /// Text already read (stdin).
    pub text: Option<Vec<u8>>,
    /// The configuration that applies.
    pub settings: &'a Settings,
}

/// Says that a run will lint `documents` documents, so that searches which cost more to build
/// and less to run are built when enough text is still to come (see
/// [`pattern_set::expect_documents`]).
pub fn expect_documents(documents: usize) {
    pattern_set::expect_documents(documents);
}

/// Lints every job in parallel; reports come back in the jobs' order.
pub fn lint_jobs(jobs: &[Job<'_>], overrides: &Overrides) -> Vec<FileReport> {
    lint_jobs_then(jobs, overrides, |_, report| report)
}

/// Lints every job in parallel and hands each report, with its job's index in `jobs`, to
/// `then` on the thread that finished it, as soon as it is finished; what `then` gives comes
/// back in the jobs' order. One document has its rules spread over the pool; more are linted
/// in groups, each rule over a group's documents (see `groups`).
///
/// A caller that needs only what it makes of each report (its output, its counts) drops the
/// report in `then`: the reports are not all held until the end, and no pass of its own frees
/// them. Each pass over a group ends with a wait for its slower thread, then a wake-up of the
/// other for the next; finishing, writing and freeing a group's reports in three passes took
/// the 2,000-file benchmark 75 ms on 2 threads against 84 on one.
pub fn lint_jobs_then<R, F>(jobs: &[Job<'_>], overrides: &Overrides, then: F) -> Vec<R>
where
    R: Send,
    F: Fn(usize, FileReport) -> R + Sync,
{
    if let [job] = jobs {
        return vec![then(0, lint_first_job(job, overrides))];
    }
    let mut done = Vec::with_capacity(jobs.len());
    let mut jobs = jobs;
    // A group's documents are indexed for the words of the pattern sets that have told theirs
    // (most on first use) before the group starts. The first document of a run is linted
    // alone, so that the rest of its group are not indexed for few (100 files took 4% more
    // instructions, 5% with the jargon lexicon's words alone known).
    if let Some((first, rest)) = jobs.split_first().filter(|_| pattern_set::no_document_indexed()) {
        done.push(then(0, lint_first_job(first, overrides)));
        jobs = rest;
    }
    for group in jobs.chunks(DOCUMENTS_PER_THREAD * rayon::current_num_threads()) {
        let before = done.len();
        done.extend(groups::lint_group(group, overrides, &|at, report| {
            then(before + at, report)
        }));
    }
    done
}

/// [`lint_job`] for a run's first document, with its rules spread over the pool. The word
/// searcher its index needs is built on another thread meanwhile: that thread is idle while
/// this one reads and parses, and the build came after the parse.
fn lint_first_job(job: &Job<'_>, overrides: &Overrides) -> FileReport {
    let (report, ()) = rayon::join(
        || lint_job(job, overrides, RuleThreads::Pool),
        pattern_set::prepare_document_search,
    );
    report
}

fn lint_job(job: &Job<'_>, overrides: &Overrides, rule_threads: RuleThreads) -> FileReport {
    match read_job(job) {
        Ok(source) => lint_read_job(job, source, overrides, rule_threads),
        Err(message) => error_report(&job.display, message),
    }
}

/// [`lint_job`] once its text is read.
fn lint_read_job(job: &Job<'_>, source: String, overrides: &Overrides, rule_threads: RuleThreads) -> FileReport {
    // The source moves into the document: keeping a copy for the rare panic would double the
    // memory of a big file. After a panic the text is read again for the report's snippets.
    match guard::contain(&job.display, || {
        lint_source_on(
            job.settings,
            overrides,
            &job.display,
            job.fs_path(),
            source,
            rule_threads,
        )
    }) {
        Ok(report) => report,
        Err(panic) => job.internal_error(panic),
    }
}

impl Job<'_> {
    /// The path the configuration's globs match.
    fn fs_path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(&self.display))
    }

    /// The report of a panic while linting this job, with its text read again for snippets.
    fn internal_error(&self, panic: Panic) -> FileReport {
        internal_error(self.settings, &self.display, read_job(self).unwrap_or_default(), panic)
    }
}

/// The job's text, read and decoded; the error is already worded.
fn read_job(job: &Job<'_>) -> Result<String, String> {
    let bytes = match (&job.text, &job.path) {
        (Some(bytes), _) => bytes.clone(),
        (None, Some(path)) => read_regular_file(path)
            .map_err(|e| format!("{}: cannot read file: {}", job.display, io_reason(&e, path)))?,
        (None, None) => Vec::new(),
    };
    decode(&job.display, bytes)
}

/// Reads a file, refusing anything but a regular file: opening a named pipe would wait for a
/// writer forever, and a device never ends.
fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = match open_without_waiting(path) {
        Ok(file) => file,
        Err(error) => {
            // A socket cannot be opened: say what it is rather than the system's reason.
            let special = std::fs::metadata(path).map_or(Ok(()), |metadata| refuse_special(&metadata));
            return Err(special.err().unwrap_or(error));
        }
    };
    // The open file's metadata: asking the path first looked the path up twice (2,000 more
    // lookups on the 2,000-file benchmark).
    let metadata = file.metadata()?;
    refuse_special(&metadata)?;
    if metadata.is_file() && metadata.len() > MAX_FILE_BYTES as u64 {
        return Err(std::io::Error::other(too_large(metadata.len())));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // Through `Take`, which does not ask for the file's size again as `File::read_to_end` does.
    (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// An error for anything but a regular file or a directory (which fails to read, with its
/// own message).
fn refuse_special(metadata: &std::fs::Metadata) -> std::io::Result<()> {
    let file_type = metadata.file_type();
    if file_type.is_file() || file_type.is_dir() {
        return Ok(());
    }
    Err(std::io::Error::other(format!(
        "it is {}, not a regular file; not linted (give `-` to read standard input)",
        special_file_kind(file_type)
    )))
}

/// Opens a file to read; a named pipe opens at once instead of waiting for a writer (reads
/// of a regular file are the same either way). A device named on the command line is opened
/// before it is refused, as `cat` would open it; a walk never yields one.
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Opens a file to read, after making sure that it is not a named pipe, whose opening would
/// wait.
#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    refuse_special(&std::fs::metadata(path)?)?;
    std::fs::File::open(path)
}

/// The largest text crisislint reads. Linting takes a few bytes of memory per byte of text,
/// so a stray multi-gigabyte file would exhaust memory instead of being reported; no
/// announcement comes near this.
pub const MAX_FILE_BYTES: usize = 128 << 20;

/// Documents up to this size may have their rules run on several threads (see
/// [`RuleThreads::Pool`]); bigger ones run them one after the other, to keep memory down. On 2
/// threads the pool took about 4 MiB more whatever the size (a 10 MB document 51.0 -> 54.9 MiB
/// and 572 -> 396 ms, a 15.7 MB one 65.9 -> 70.1 MiB and 851 -> 560 ms), which stays under
/// three times the document plus 30 MB up to here and not at 50 MB (174 MiB one after the
/// other, against 178.6).
const PARALLEL_RULES_LIMIT: usize = 16 << 20;

// Every text linted must fit a document's 32-bit offsets.
const _: () = assert!(MAX_FILE_BYTES <= crate::document::MAX_DOCUMENT_BYTES);

/// The reason given for a text over [`MAX_FILE_BYTES`] of `len` bytes.
pub fn too_large(len: u64) -> String {
    format!(
        "it is {} MiB, more than the {} MiB crisislint reads; not linted",
        len >> 20,
        MAX_FILE_BYTES >> 20
    )
}

#[cfg(unix)]
fn special_file_kind(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: std::fs::FileType) -> &'static str {
    "a special file"
}

fn io_reason(e: &std::io::Error, path: &Path) -> String {
    if path.is_dir() {
        "it is a directory".to_string()
    } else {
        e.to_string()
    }
}

fn error_report(display: &str, message: String) -> FileReport {
    FileReport {
        path: display.to_string(),
        errors: vec![message],
        ..FileReport::default()
    }
}

/// Decodes a file as UTF-8, naming the problem when it is not text crisislint can read.
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(format!(
            "{display}: file is UTF-16; crisislint reads UTF-8 (convert it with `iconv -f UTF-16 -t UTF-8`)"
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        if let Some(order) = utf16_without_bom(head) {
            return Err(format!(
                "{display}: file looks like UTF-16 without a byte order mark; crisislint reads UTF-8 \
                 (convert it with `iconv -f UTF-16{order} -t UTF-8`)"
            ));
        }
        return Err(format!(
            "{display}: file looks binary (it contains NUL bytes); not linted"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let column =
            String::from_utf8_lossy(&bytes[bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..at])
                .chars()
                .count()
                + 1;
        format!(
            "{display}:{line}:{column}: file is not valid UTF-8 (invalid byte 0x{:02X} at offset {at}); not linted",
            bytes[at]
        )
    })
}

/// `LE` or `BE` when the text's NUL bytes sit in every other byte, as in UTF-16 of mostly
/// ASCII text: at least nine pairs in ten have exactly their high byte zero.
fn utf16_without_bom(head: &[u8]) -> Option<&'static str> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let high_zero = |hi: usize| head.chunks_exact(2).filter(|p| p[hi] == 0 && p[1 - hi] != 0).count();
    let (le, be) = (high_zero(1), high_zero(0));
    if le * 10 >= pairs * 9 {
        Some("LE")
    } else if be * 10 >= pairs * 9 {
        Some("BE")
    } else {
        None
    }
}

fn internal_error(settings: &Settings, display: &str, source: String, panic: Panic) -> FileReport {
    let what = panic.to_string();
    let def = settings
        .rules
        .iter()
        .find(|r| r.def.name == "internal-error")
        .map(|r| r.def.clone());
    let (rule, code) = def.as_ref().map_or(("internal-error".into(), "CL002".into()), |d| {
        (d.name.clone(), d.code.clone())
    });
    let diagnostic = Diagnostic {
        rule,
        code,
        severity: Severity::Error,
        message: format!("crisislint failed while checking this file: {what}"),
        primary: Label::new(Span::empty(0), ""),
        secondary: Vec::new(),
        help: def.and_then(|d| d.help.clone()),
        suggestion: None,
    };
    FileReport {
        path: display.to_string(),
        source,
        diagnostics: vec![diagnostic],
        errors: vec![format!(
            "{display}: internal error while linting (please report it): {what}"
        )],
    }
}

/// Lints one decoded document with one configuration.
pub fn lint_source(
    settings: &Settings,
    overrides: &Overrides,
    display: &str,
    fs_path: &Path,
    source: String,
) -> FileReport {
    lint_source_on(settings, overrides, display, fs_path, source, RuleThreads::One)
}

/// Which threads run the rules on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleThreads {
    /// The caller's: a big document's, whose shared analyses are freed as its rules go, or a
    /// document among many (a group's too big for it, a fix's re-lint).
    One,
    /// Those of the current rayon pool: one document (an editor's, or a commit of one file),
    /// whose first run compiles the patterns each rule needs, and cores would be idle.
    Pool,
}

/// What linting needs whatever the documents, done ahead: the parser's patterns, and the
/// clock-time scanners of the default configuration. Call it on a thread that would otherwise
/// wait for the configuration.
pub fn warm_up() {
    Document::warm_up();
    crate::rules::kinds::timestamp::shared::warm_up();
}

/// [`lint_source`], with the rules run on `rule_threads`; findings are the same either way.
pub fn lint_source_on(
    settings: &Settings,
    overrides: &Overrides,
    display: &str,
    fs_path: &Path,
    source: String,
    rule_threads: RuleThreads,
) -> FileReport {
    let linting = match Linting::start(settings, overrides, display, fs_path, source) {
        Ok(linting) => linting,
        Err(report) => return report,
    };
    let running = &linting.running;
    let mut shared = SharedAnalysis::default();
    // A big document's rules run one after the other, so that each shared analysis is freed
    // once the last rule that reads it has run; memory is what bounds them. A small one's
    // may be spread over the pool: compiling the patterns each rule needs dominates there.
    let rule_threads = match linting.doc.source.len() > PARALLEL_RULES_LIMIT {
        true => RuleThreads::One,
        false => rule_threads,
    };
    let mut diagnostics = Vec::new();
    // One search of the mask finds the words of every rule's pattern sets.
    pattern_set::with_document(&linting.doc.mask, || match rule_threads {
        RuleThreads::One => {
            for (at, rule) in running.iter().enumerate() {
                diagnostics.extend(linting.findings(rule, &shared));
                for &analysis in rule.rule.check.reads() {
                    if !running[at + 1..]
                        .iter()
                        .any(|later| later.rule.check.reads().contains(&analysis))
                    {
                        shared.release(analysis);
                    }
                }
            }
        }
        RuleThreads::Pool => {
            // A shared analysis is computed by the first rule that reads it, and a second
            // reader waits for it, idle. So the analyses start first, each as a task of its
            // own, then the rules that read none, then those that read one: a thread that
            // takes a reader has usually been beaten to it by the analysis.
            let words = pattern_set::document_words();
            let mut analyses: Vec<Analysis> = Vec::new();
            for analysis in running.iter().flat_map(|r| r.rule.check.reads()) {
                if !analyses.contains(analysis) {
                    analyses.push(*analysis);
                }
            }
            let mut order: Vec<usize> = (0..running.len()).collect();
            order.sort_by_key(|&at| !running[at].rule.check.reads().is_empty());
            let per_rule: Vec<OnceLock<Vec<Diagnostic>>> = running.iter().map(|_| OnceLock::new()).collect();
            rayon::scope_fifo(|scope| {
                let (linting, shared, words, per_rule) = (&linting, &shared, &words, &per_rule);
                for &analysis in &analyses {
                    scope.spawn_fifo(move |_| {
                        pattern_set::with_document_words(words.clone(), || analysis.compute(&linting.context(shared)))
                    });
                }
                for &at in &order {
                    scope.spawn_fifo(move |_| {
                        let findings = pattern_set::with_document_words(words.clone(), || {
                            linting.findings(&linting.running[at], shared)
                        });
                        let _ = per_rule[at].set(findings);
                    });
                }
            });
            // In the rules' order, whichever thread ran them: the output does not depend on
            // the threads.
            diagnostics.extend(per_rule.into_iter().flat_map(OnceLock::into_inner).flatten());
        }
    });
    linting.finish(diagnostics)
}

/// A document parsed, with its kind, its audience and the rules that run on it: what linting
/// does before the rules run and after.
struct Linting<'a> {
    settings: &'a Settings,
    overrides: &'a Overrides,
    doc: Document,
    /// The report so far: path, and errors in front matter.
    report: FileReport,
    kind: DocKind,
    audience: Audience,
    /// Rules the front matter turns off.
    disabled: Vec<&'a str>,
    /// The rules that run, in the configuration's order.
    running: Vec<Running<'a>>,
    /// Findings before the rules': unknown rules named in front matter.
    diagnostics: Vec<Diagnostic>,
}

/// A front-matter value parsed; `None`, with the error in `errors`, when it does not parse.
fn front_matter_value<T>(meta: &MetaValue, errors: &mut Vec<String>, position: &dyn Fn(Span) -> String) -> Option<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match meta.value.parse() {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(format!("{}: in front matter: {e}", position(meta.span)));
            None
        }
    }
}

/// A rule that runs on a document.
struct Running<'a> {
    /// Its place in [`Settings::rules`].
    index: usize,
    rule: &'a CompiledRule,
    severity: Severity,
}

impl<'a> Linting<'a> {
    /// Parses `source` and decides what runs on it; `Err` is the finished report of a text
    /// that is too large, or whose front matter names an unknown kind or audience.
    fn start(
        settings: &'a Settings,
        overrides: &'a Overrides,
        display: &str,
        fs_path: &Path,
        source: String,
    ) -> Result<Self, FileReport> {
        // Files and standard input are refused before they are read; text from elsewhere (an
        // editor's buffer) is refused here.
        if source.len() > MAX_FILE_BYTES {
            return Err(error_report(
                display,
                format!("{display}: {}", too_large(source.len() as u64)),
            ));
        }
        let doc = Document::parse(display, source);
        let mut report = FileReport {
            path: display.to_string(),
            ..FileReport::default()
        };
        let fm = &doc.front_matter;
        let position = |span: Span| {
            let pos = doc.lines.line_col(&doc.source, span.start);
            format!("{display}:{}:{}", pos.line, pos.column)
        };
        if let Some(error) = &fm.error {
            report.errors.push(format!("{}: {}", position(error.span), error.value));
        }
        let glob = settings.glob_kind(fs_path);
        let kind = match (overrides.kind, &fm.kind) {
            (Some(kind), _) => Some(kind),
            (None, Some(meta)) => front_matter_value(meta, &mut report.errors, &position),
            (None, None) => Some(glob.map_or(settings.default_kind, |g| g.0)),
        };
        let audience = match (overrides.audience, &fm.audience) {
            (Some(a), _) => Some(a),
            (None, Some(meta)) => front_matter_value(meta, &mut report.errors, &position),
            (None, None) => glob.and_then(|g| g.1).or(kind.map(DocKind::default_audience)),
        };
        let (Some(kind), Some(audience)) = (kind, audience) else {
            report.source = doc.source;
            return Err(report);
        };

        let mut disabled: Vec<&str> = Vec::new();
        let mut diagnostics = Vec::new();
        for meta in &fm.disable {
            match settings.names.resolve(&meta.value) {
                Some(name) => disabled.push(name),
                None => diagnostics.extend(unknown_rule_diagnostic(settings, &meta.value, meta.span, kind)),
            }
        }
        let mut linting = Linting {
            settings,
            overrides,
            doc,
            report,
            kind,
            audience,
            disabled,
            running: Vec::new(),
            diagnostics,
        };
        linting.running = (settings.rules.iter().enumerate())
            .filter_map(|(index, rule)| {
                let severity = linting.level(rule).severity()?;
                Some(Running { index, rule, severity })
            })
            .collect();
        Ok(linting)
    }

    /// The level `rule` has on this document: configuration, then front matter, then flags.
    fn level(&self, rule: &CompiledRule) -> Level {
        let name = rule.def.name.as_str();
        let overrides = self.overrides;
        let off = self.disabled.contains(&name)
            || overrides
                .select
                .as_ref()
                .is_some_and(|select| !select.iter().any(|s| s == name))
            || overrides.ignore.iter().any(|s| s == name);
        match off {
            true => Level::Off,
            false => self.settings.level(&rule.def, self.kind),
        }
    }

    /// What every rule and analysis reads.
    fn context<'s>(&'s self, shared: &'s SharedAnalysis) -> CheckContext<'s> {
        CheckContext {
            doc: &self.doc,
            kind: self.kind,
            audience: self.audience,
            organization: &self.settings.organization,
            shared,
        }
    }

    /// The findings of one running rule.
    fn findings(&self, running: &Running<'_>, shared: &SharedAnalysis) -> Vec<Diagnostic> {
        let mut findings = Vec::new();
        running.rule.check.check(&self.context(shared), &mut findings);
        findings
            .into_iter()
            .map(|f| into_diagnostic(running.rule, running.severity, f))
            .collect()
    }

    /// The report, from the rules' findings in the rules' order: with directives checked,
    /// suppressions applied, and findings sorted.
    fn finish(self, found: impl IntoIterator<Item = Diagnostic>) -> FileReport {
        let directives = directive_diagnostics(self.settings, &self.doc, self.kind, &|rule| self.level(rule));
        let Linting {
            settings,
            doc,
            mut report,
            mut diagnostics,
            ..
        } = self;
        diagnostics.extend(found);
        diagnostics.extend(directives);
        let suppressed = Suppressions::new(settings, &doc);
        diagnostics.retain(|d| d.code.starts_with("CL00") || !suppressed.covers(&d.rule, d.primary.span.start));
        drop_deferred(settings, &mut diagnostics);
        diagnostics.sort_by(|a, b| {
            (a.primary.span.start, a.primary.span.end, &a.rule).cmp(&(
                b.primary.span.start,
                b.primary.span.end,
                &b.rule,
            ))
        });
        diagnostics.dedup();
        // Kept until the output is written, with every other file's: without the spare capacity
        // of its growth (3.6 MiB less at the peak of the 2,000-file benchmark).
        diagnostics.shrink_to_fit();
        report.diagnostics = diagnostics;
        report.source = doc.source;
        report
    }
}

/// Drops findings of rules that defer to others (`Check::defers_to`) where a shown finding
/// of one of those rules already labels the same text (CL112 at a heading that CL102 names as a
/// near miss).
fn drop_deferred(settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    for rule in settings.rules.iter().filter(|r| !r.check.defers_to().is_empty()) {
        let defers_to = rule.check.defers_to();
        let named = |d: &Diagnostic| {
            defers_to
                .iter()
                .any(|k| *k == d.rule || k.eq_ignore_ascii_case(&d.code))
        };
        let labelled: Vec<Span> = diagnostics
            .iter()
            .filter(|d| named(d))
            .flat_map(|d| d.secondary.iter().map(|l| l.span))
            .collect();
        if !labelled.is_empty() {
            diagnostics.retain(|d| d.rule != rule.def.name || !labelled.contains(&d.primary.span));
        }
    }
}

fn into_diagnostic(rule: &CompiledRule, severity: Severity, f: Finding) -> Diagnostic {
    Diagnostic {
        rule: rule.def.name.clone(),
        code: rule.def.code.clone(),
        severity,
        message: f.message,
        primary: f.primary,
        secondary: f.secondary,
        help: f.help.or_else(|| rule.def.help.clone()),
        suggestion: f.suggestion,
    }
}

fn meta_rule<'s>(settings: &'s Settings, name: &str) -> Option<&'s CompiledRule> {
    settings.rules.iter().find(|r| r.def.name == name)
}

fn unknown_rule_diagnostic(settings: &Settings, key: &str, span: Span, kind: DocKind) -> Option<Diagnostic> {
    let rule = meta_rule(settings, "invalid-directive")?;
    let severity = settings.level(&rule.def, kind).severity()?;
    let help = match settings.names.closest(key) {
        Some(name) => format!("did you mean `{name}`? `crisislint rules` lists every rule"),
        None => "name a rule by its name or code; `crisislint rules` lists them".to_string(),
    };
    Some(into_diagnostic(
        rule,
        severity,
        Finding::new(span, format!("unknown rule `{key}` in suppression")).with_help(help),
    ))
}

/// CL001 for malformed directives and directives naming unknown rules.
fn directive_diagnostics(
    settings: &Settings,
    doc: &Document,
    kind: DocKind,
    level_of: &dyn Fn(&CompiledRule) -> Level,
) -> Vec<Diagnostic> {
    let Some(rule) = meta_rule(settings, "invalid-directive") else {
        return Vec::new();
    };
    let Some(severity) = level_of(rule).severity() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for directive in &doc.directives {
        if directive.kind == DirectiveKind::Malformed {
            let wanted = ["disable", "enable", "disable-next-line", "disable-file"];
            let closest = wanted
                .iter()
                .max_by(|a, b| {
                    strsim::jaro_winkler(a, &directive.keyword).total_cmp(&strsim::jaro_winkler(b, &directive.keyword))
                })
                .copied()
                .unwrap_or("disable");
            let finding = Finding::new(
                directive.span,
                format!("unknown suppression directive `crisislint-{}`", directive.keyword),
            )
            .with_help(format!(
                "write `crisislint-{closest}`; the directives are disable, enable, disable-next-line and disable-file"
            ));
            out.push(into_diagnostic(rule, severity, finding));
            continue;
        }
        for (key, span) in &directive.rules {
            if settings.names.resolve(key).is_none() {
                out.extend(unknown_rule_diagnostic(settings, key, *span, kind));
            }
        }
    }
    out
}

/// Which rules are suppressed where, from the document's directives.
struct Suppressions {
    /// (rule name or `None` for all, byte range).
    ranges: Vec<(Option<String>, Span)>,
}

impl Suppressions {
    fn new(settings: &Settings, doc: &Document) -> Self {
        let mut ranges = Vec::new();
        let mut open: Vec<(Option<String>, usize)> = Vec::new();
        let names = |d: &Directive| -> Vec<Option<String>> {
            if d.rules.is_empty() {
                vec![None]
            } else {
                d.rules
                    .iter()
                    .filter_map(|(k, _)| settings.names.resolve(k))
                    .map(|n| Some(n.to_string()))
                    .collect()
            }
        };
        let len = doc.source.len();
        for d in &doc.directives {
            match d.kind {
                DirectiveKind::DisableFile => ranges.extend(names(d).into_iter().map(|n| (n, Span::new(0, len)))),
                DirectiveKind::DisableNextLine => {
                    let line = next_non_blank_line(doc, d.span.end);
                    ranges.extend(names(d).into_iter().map(|n| (n, line)));
                }
                DirectiveKind::Disable => open.extend(names(d).into_iter().map(|n| (n, d.span.start))),
                DirectiveKind::Enable => {
                    let closing = names(d);
                    open.retain(|(name, start)| {
                        let closes = closing.contains(&None) || closing.contains(name);
                        if closes {
                            ranges.push((name.clone(), Span::new(*start, d.span.end)));
                        }
                        !closes
                    });
                }
                DirectiveKind::Malformed => {}
            }
        }
        ranges.extend(open.into_iter().map(|(n, start)| (n, Span::new(start, len))));
        Suppressions { ranges }
    }

    fn covers(&self, rule: &str, offset: usize) -> bool {
        self.ranges.iter().any(|(name, span)| {
            name.as_deref().is_none_or(|n| n == rule) && (span.contains_offset(offset) || span.start == offset)
        })
    }
}

/// The byte range of the first non-blank line that starts after `offset`.
fn next_non_blank_line(doc: &Document, offset: usize) -> Span {
    let mut line = doc.lines.line_of(offset) + 1;
    while line < doc.lines.line_count() {
        let range = doc.lines.line_span(&doc.source, line);
        if !doc.source[range.clone()].trim().is_empty() {
            return Span::new(range.start, range.end.max(range.start + 1).min(doc.source.len()));
        }
        line += 1;
    }
    Span::empty(doc.source.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_gets_the_same_findings_with_its_rules_on_one_thread_or_several() {
        let settings = Settings::builtin();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let mut findings = 0;
        for (path, text) in crate::test_support::markdown_fixtures() {
            let lint = |threads| lint_source_on(&settings, &Overrides::default(), "t.md", &path, text.clone(), threads);
            let one = lint(RuleThreads::One);
            let several = pool.install(|| lint(RuleThreads::Pool));
            assert_eq!(one.diagnostics, several.diagnostics, "{}", path.display());
            assert_eq!(one.errors, several.errors, "{}", path.display());
            findings += one.diagnostics.len();
        }
        assert!(findings > 500, "{findings} findings");
    }
}
