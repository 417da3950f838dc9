//! `crisislint check`: discover, configure, lint in parallel, print, decide the exit status.

use super::{print_error, CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{FailOn, Settings};
use crate::discover::{self, Input, Source};
use crate::emit::{self, Format, Rendered, Summary};
use crate::engine::{self, lint_jobs, lint_jobs_then, Job, Overrides};
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

/// Runs `check`; returns the exit status.
pub fn run(args: CheckArgs) -> i32 {
    match Check::new(args) {
        Ok(check) => check.run(),
        Err(status) => status,
    }
}

struct Check {
    args: CheckArgs,
    /// The threads of this run, started before the configuration is read so that reading it
    /// can use them too.
    pool: rayon::ThreadPool,
    inputs: Vec<Input>,
    settings: Vec<Settings>,
    settings_of: Vec<usize>,
    overrides: Overrides,
    /// Problems met before linting that do not stop it (missing paths).
    errors: Vec<String>,
}

impl Check {
    /// Everything that can fail before a document is read: paths, configuration, rule names.
    fn new(args: CheckArgs) -> Result<Check, i32> {
        let fail = |message: &str| {
            print_error(message, args.color);
            empty_json_array(args.format);
            EXIT_ERROR
        };
        let mut paths = args.paths.clone();
        if paths.is_empty() {
            // `--stdin-filename` alone means standard input, as ruff reads it.
            paths.push(PathBuf::from(if args.stdin_filename.is_some() { "-" } else { "." }));
        }
        if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(fail("`-` (standard input) can be given only once"));
        }
        let found = discover::discover(&paths, args.stdin_filename.as_deref());
        let pool = match pool(args.threads, found.inputs.len()) {
            Ok(pool) => pool,
            Err(message) => return Err(fail(&message)),
        };
        // While the configuration is read (mostly on one thread), another prepares linting.
        let loaded = pool.install(|| {
            let load = || discover::load_configs(&found.inputs, &args.config_choice());
            rayon::join(load, crate::engine::warm_up).0
        });
        let mut configs = match loaded {
            Ok(configs) => configs,
            Err(errors) => {
                // Configuration errors stop the run; missing paths are worth knowing too.
                for error in found.errors.iter().chain(errors.iter().map(|e| &e.0)) {
                    print_error(error, args.color);
                }
                empty_json_array(args.format);
                return Err(EXIT_ERROR);
            }
        };
        if configs.settings.is_empty() {
            // No document to lint: rule names in --select/--ignore are still checked.
            configs.settings.push(Settings::builtin());
        }
        let resolve = |flag: &str, keys: &[String]| -> Result<Vec<String>, String> {
            keys.iter()
                .map(|k| k.trim())
                .filter(|k| !k.is_empty())
                .map(|key| resolve_rule(&configs.settings, flag, key))
                .collect()
        };
        let select = match args.select.as_deref().map(|keys| resolve("--select", keys)).transpose() {
            Ok(select) => select,
            Err(message) => return Err(fail(&message)),
        };
        let ignore = match resolve("--ignore", &args.ignore) {
            Ok(ignore) => ignore,
            Err(message) => return Err(fail(&message)),
        };
        let overrides = Overrides {
            kind: args.kind,
            audience: args.audience,
            select,
            ignore,
        };
        Ok(Check {
            pool,
            inputs: found.inputs,
            settings: configs.settings,
            settings_of: configs.of_input,
            overrides,
            errors: found.errors,
            args,
        })
    }

    fn run(mut self) -> i32 {
        let stdin = self.read_stdin();
        let jobs: Vec<Job<'_>> = self
            .inputs
            .iter()
            .zip(&self.settings_of)
            .filter_map(|(input, &index)| {
                let text = match input.source {
                    Source::Stdin => Some(stdin.clone()?),
                    Source::File(_) => None,
                };
                Some(Job {
                    display: input.display.clone(),
                    path: match &input.source {
                        Source::File(path) => Some(path.clone()),
                        Source::Stdin => None,
                    },
                    text,
                    settings: &self.settings[index],
                })
            })
            .collect();
        engine::expect_documents(jobs.len());
        let fix_mode = crate::fix::Mode::from_flags(self.args.fix, self.args.diff);
        let color = self.args.color.enabled(io::stdout().is_terminal());
        let fail_on = self.args.fail_on;
        let pool = &self.pool;
        // Without a fix or a baseline, which need every file's findings, files are linted and
        // written batch after batch, a batch being a group of the engine's: the findings of a
        // whole directory were all in memory until the output started (30 of the 68 MiB of the
        // 2,000-file benchmark; on a virtual machine fresh pages are dear). A batch is written
        // once linted: written while the next was linted, the benchmark took as long on 2
        // threads (and 1.2-1.5 MiB more), its first documents waiting for the writing thread.
        let stream = match (fix_mode, &self.args.baseline, &self.args.write_baseline) {
            (None, None, None) => emit::Stream::new(self.args.format, color),
            _ => None,
        };
        if let Some(stream) = stream {
            // The whole loop runs on the pool: from outside it, each batch would be handed to a
            // pool thread and its end handed back, two more wake-ups a batch.
            let renderer = stream.renderer();
            let output = pool.install(|| {
                let output = Mutex::new(Output {
                    stream,
                    // Standard output itself, not its lock, which a thread cannot hand to
                    // another: the pool's threads write it in turn, under `output`'s mutex. A
                    // pipe's worth per write: the default 8 KiB made 5,900 writes of the
                    // benchmark's 35 MB.
                    stdout: io::BufWriter::with_capacity(STDOUT_BUFFER, io::stdout()),
                    written: Ok(()),
                    summary: Summary::default(),
                    failing: false,
                    errors: Vec::new(),
                    next: 0,
                });
                for batch in jobs.chunks(engine::DOCUMENTS_PER_THREAD * pool.current_num_threads()) {
                    let ready: Vec<Mutex<Option<Finished>>> = batch.iter().map(|_| Mutex::default()).collect();
                    // Each report is rendered, counted and freed on the thread that finished
                    // it; only its output waits for its turn.
                    lint_jobs_then(batch, &self.overrides, |at, report| {
                        let file = Finished {
                            rendered: renderer.render(&report),
                            summary: Summary::of(std::slice::from_ref(&report)),
                            fails: fails(fail_on, &batch[at..=at], std::slice::from_ref(&report)),
                            errors: report.errors,
                        };
                        *lock(&ready[at]) = Some(file);
                        write_ready(&ready, &output);
                    });
                    let mut output = lock(&output);
                    output.write_ready(&ready);
                    output.next = 0;
                }
                let mut output = output.into_inner().unwrap_or_else(PoisonError::into_inner);
                output.written = std::mem::replace(&mut output.written, Ok(()))
                    .and_then(|()| output.stream.finish(&mut output.stdout))
                    .and_then(|()| output.stdout.flush());
                output
            });
            note_write_error(&mut self.errors, output.written);
            self.errors.extend(output.errors);
            self.print_errors_and_summary(&output.summary);
            let status = exit_status(&self.errors, output.failing);
            drop(jobs);
            // The process exits next: freeing the compiled rules and the threads would only
            // cost time (about 1 ms of a one-file run).
            std::mem::forget(self);
            return status;
        }

        let mut reports = pool.install(|| lint_jobs(&jobs, &self.overrides));
        if let Err(message) = super::baseline::apply(&self.args, &mut reports) {
            print_error(&message, self.args.color);
            empty_json_array(self.args.format);
            return EXIT_ERROR;
        }

        let fixed = fix_mode.map(|mode| crate::fix::fix_all(&jobs, &mut reports, &self.overrides, mode));

        let diff = fixed.as_ref().and_then(|f| f.diff.as_deref());
        let rules = emit::sarif::rules_of(&self.settings);
        let format = self.args.format;
        // On the pool, whose threads render the files' output in parallel.
        let written = pool.install(|| {
            let mut stdout = io::BufWriter::with_capacity(STDOUT_BUFFER, io::stdout().lock());
            match diff {
                Some(diff) => stdout.write_all(diff.as_bytes()),
                None => emit::emit_with_rules(format, &reports, &rules, &mut stdout, color),
            }
            .and_then(|()| stdout.flush())
        });
        note_write_error(&mut self.errors, written);
        self.errors
            .extend(reports.iter().flat_map(|r| r.errors.iter().cloned()));
        self.print_errors_and_summary(&Summary::of(&reports));
        if let (Some(fixed), Some(mode)) = (&fixed, fix_mode) {
            for note in &fixed.notes {
                eprintln!("note: {note}");
            }
            if !self.args.quiet {
                eprintln!("{}", fixed.line(mode));
            }
            if mode == crate::fix::Mode::Diff && self.errors.is_empty() {
                return if fixed.files_changed > 0 {
                    EXIT_FINDINGS
                } else {
                    EXIT_OK
                };
            }
        }

        let status = exit_status(&self.errors, fails(fail_on, &jobs, &reports));
        // The process exits next: freeing every file's text and findings, the compiled rules
        // and the threads would only cost time (about 1 ms of a one-file run).
        std::mem::forget(reports);
        drop(jobs);
        std::mem::forget(self);
        status
    }

    /// The errors, then for `human` output the summary line, on stderr.
    fn print_errors_and_summary(&self, summary: &Summary) {
        for error in &self.errors {
            print_error(error, self.args.color);
        }
        if self.args.format == Format::Human && !self.args.quiet && !self.args.diff {
            eprintln!("{summary}");
        }
    }

    /// Reads standard input once, if an input needs it (after configuration is validated).
    fn read_stdin(&mut self) -> Option<Vec<u8>> {
        let display = self.inputs.iter().find(|i| i.source == Source::Stdin)?.display.clone();
        let mut bytes = Vec::new();
        let limit = crate::engine::MAX_FILE_BYTES as u64;
        match io::stdin().lock().take(limit + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > limit => {
                self.errors.push(format!(
                    "{display}: standard input is more than {} MiB, the most crisislint reads; not linted",
                    limit >> 20
                ));
                None
            }
            Ok(_) => Some(bytes),
            Err(error) => {
                self.errors
                    .push(format!("{display}: cannot read standard input: {error}"));
                None
            }
        }
    }
}

/// The output's buffer: a Linux pipe's capacity.
const STDOUT_BUFFER: usize = 64 << 10;

/// True when a finding of `reports` has a severity that fails the run (`--fail-on`, else the
/// job's configuration, else `error`).
fn fails(fail_on: Option<FailOn>, jobs: &[Job<'_>], reports: &[crate::engine::FileReport]) -> bool {
    jobs.iter().zip(reports).any(|(job, report)| {
        let fail_on = fail_on.or(job.settings.fail_on).unwrap_or(FailOn::Error);
        report.diagnostics.iter().any(|d| fail_on.fails(d.severity))
    })
}

/// What the output needs of a report, kept once the report is freed.
struct Finished {
    rendered: io::Result<Rendered>,
    summary: Summary,
    fails: bool,
    errors: Vec<String>,
}

/// The streamed output, and what it has counted so far.
struct Output {
    stream: emit::Stream,
    stdout: io::BufWriter<io::Stdout>,
    /// The first write error; nothing is written after it.
    written: io::Result<()>,
    summary: Summary,
    failing: bool,
    errors: Vec<String>,
    /// The batch's next file to write.
    next: usize,
}

impl Output {
    /// Writes the batch's files that are ready, in order, up to the first that is not.
    fn write_ready(&mut self, ready: &[Mutex<Option<Finished>>]) {
        while let Some(file) = ready.get(self.next).and_then(|slot| lock(slot).take()) {
            self.next += 1;
            self.summary += file.summary;
            self.failing |= file.fails;
            self.errors.extend(file.errors);
            if self.written.is_ok() {
                self.written = (file.rendered).and_then(|r| self.stream.write_rendered(&r, &mut self.stdout));
            }
        }
    }
}

/// Writes the files that are ready, if no other thread is writing: files are finished in any
/// order on the pool's threads, and written in order by whichever finds the next one ready, so
/// that a batch's output is not all held until its end, and no thread waits for another's
/// writing. A file made ready while another thread held the output is written by that thread,
/// which looks again after letting go; at the latest, at the batch's end.
fn write_ready(ready: &[Mutex<Option<Finished>>], output: &Mutex<Output>) {
    loop {
        let next = match output.try_lock() {
            Ok(mut output) => {
                output.write_ready(ready);
                output.next
            }
            // Another thread is writing (or panicked while writing: the batch's end drains).
            Err(_) => return,
        };
        if !ready.get(next).is_some_and(|slot| lock(slot).is_some()) {
            return;
        }
    }
}

/// Locks `mutex`; a panic while it was held leaves its data as it was (a count, a buffer).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Records a failed write, except a closed pipe (`crisislint ... | head`).
fn note_write_error(errors: &mut Vec<String>, written: io::Result<()>) {
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            errors.push(format!("cannot write the output: {error}"));
        }
    }
}

/// 2 when something could not be done, 1 when a finding fails the run, else 0.
fn exit_status(errors: &[String], failing: bool) -> i32 {
    if !errors.is_empty() {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// A pool of `threads` threads (all cores by default), local to this run, for reading the
/// configuration, linting and rendering the output.
fn pool(threads: Option<u32>, jobs: usize) -> Result<rayon::ThreadPool, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.map_or(cores, |n| n as usize);
    // More threads than files would only idle (`--threads 100000` spent minutes starting
    // them), but the rules of a single file run on up to one thread per core.
    let useful = if jobs == 1 { cores } else { jobs };
    let threads = threads.min(useful).max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))
}

/// The rule name for a name or code given to `flag`, from whichever configuration knows it.
fn resolve_rule(settings: &[Settings], flag: &str, key: &str) -> Result<String, String> {
    if let Some(name) = settings.iter().find_map(|s| s.names.resolve(key)) {
        return Ok(name.to_string());
    }
    let hint = settings
        .iter()
        .find_map(|s| s.names.closest(key))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown rule `{key}` in {flag}{hint} (`crisislint rules` lists every rule)"
    ))
}

/// Keeps stdout one valid JSON array even when nothing could be linted.
fn empty_json_array(format: Format) {
    if format == Format::Json {
        println!("[]");
    }
}
