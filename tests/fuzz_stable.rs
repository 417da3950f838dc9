//! Randomized robustness tests on stable Rust (cargo-fuzz's equivalent, see the README's
//! "Robustness" section): hostile Markdown through every rule and every output format, and
//! random configuration TOML through the strict parser and compiler.
//!
//! - `smoke`: 200 inputs in every test run.
//! - `long_run` (ignored): `CRISISLINT_FUZZ_ITERS` inputs (default 100,000), seeded by
//!   `CRISISLINT_FUZZ_SEED` (default: the clock); every failing input is written to
//!   `target/fuzz-failures/` and the run fails at the end.
//! - `regressions`: every input under `tests/data/regressions/` that once failed.

mod fuzz_harness;
#[path = "fuzz_stable/generate.rs"]
mod generate;

use generate::Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;

/// One input: Markdown or configuration.
enum Input {
    Markdown(String),
    Config(String),
}

/// The repository's fixtures and examples, and the rules' examples: real text to mutate.
static FIXTURES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    let mut dirs = vec![root.join("fixtures"), root.join("examples")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                texts.extend(std::fs::read_to_string(&path).ok());
            }
        }
    }
    texts.sort();
    // Every rule's own examples: short texts that reach each rule's triggers.
    for def in crisislint::config::builtin_rules() {
        texts.extend(def.examples.iter().map(|e| e.text.clone()));
    }
    texts
});

impl Input {
    fn generate(rng: &mut Rng) -> Input {
        match rng.below(10) {
            0 | 1 => Input::Config(generate::config(rng)),
            2..=4 if !FIXTURES.is_empty() => Input::Markdown(generate::mutated_fixture(rng, &FIXTURES)),
            _ => Input::Markdown(generate::markdown(rng)),
        }
    }

    fn check(&self) {
        match self {
            Input::Markdown(text) => {
                fuzz_harness::check_document(text);
                fuzz_harness::lint_everything(text);
            }
            Input::Config(text) => fuzz_harness::check_config(text),
        }
    }

    fn text(&self) -> &str {
        match self {
            Input::Markdown(t) | Input::Config(t) => t,
        }
    }

    fn extension(&self) -> &'static str {
        match self {
            Input::Markdown(_) => "md",
            Input::Config(_) => "toml",
        }
    }
}

thread_local! {
    static PLACE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `iterations` inputs from `seed`; returns the failures as (input, panic message).
fn run(seed: u64, iterations: u64) -> Vec<(Input, String)> {
    let previous_hook = std::panic::take_hook();
    // Quiet, but the place of each panic is kept: it tells failures apart.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
        PLACE.with(|p| *p.borrow_mut() = place.unwrap_or_default());
    }));
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    for _ in 0..iterations {
        let input = Input::generate(&mut rng);
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| input.check())) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let place = PLACE.with(|p| p.borrow().clone());
            failures.push((input, format!("at {place}: {message}")));
        }
    }
    std::panic::set_hook(previous_hook);
    failures
}

fn report(failures: &[(Input, String)], dir: &Path) -> String {
    let mut out = String::new();
    for (i, (input, message)) in failures.iter().enumerate() {
        std::fs::create_dir_all(dir).expect("failure directory");
        let path = dir.join(format!("failure-{i}.{}", input.extension()));
        std::fs::write(&path, input.text()).expect("write failing input");
        let saved = path.display().to_string();
        let message: String = message.chars().take(300).collect();
        out.push_str(&format!("- {message}\n  input: {}\n", saved));
    }
    out
}

/// Where a run's failing inputs are written.
fn failure_dir(run: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-failures")
        .join(run)
}

#[test]
fn smoke() {
    let failures = run(0x5EED, 200);
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        report(&failures, &failure_dir("smoke"))
    );
}

#[test]
#[ignore = "long-running: cargo test --release --test fuzz_stable -- --ignored --nocapture"]
fn long_run() {
    let iterations = std::env::var("CRISISLINT_FUZZ_ITERS").map_or(100_000, |v| v.parse().expect("a number"));
    let seed = std::env::var("CRISISLINT_FUZZ_SEED").map_or_else(
        |_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        },
        |v| v.parse().expect("a number"),
    );
    let started = Instant::now();
    let failures = run(seed, iterations);
    println!(
        "fuzz_stable: seed {seed}, {iterations} inputs in {:.1} s, {} failures",
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    let dir = failure_dir(&seed.to_string());
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        report(&failures, &dir)
    );
}

/// Every input that once made crisislint fail, kept as a fixture, still passes.
#[test]
fn regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/data/regressions") {
        let path = entry.expect("entry").path();
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let input = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => Input::Markdown(text),
            Some("toml") => Input::Config(text),
            _ => continue,
        };
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| input.check())) {
            let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
            panic!("{}: {message}", path.display());
        }
        count += 1;
    }
    assert!(count > 0, "no regression fixture found in {}", dir.display());
}
