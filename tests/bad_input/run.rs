//! Running the crisislint binary with a time limit and reading what it said.

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// Exit status.
    pub status: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

/// Runs crisislint in `dir` with `args`; kills it and fails the test after `limit`.
pub fn crisislint_in(dir: &Path, args: &[&OsStr], limit: Duration) -> Run {
    crisislint_with_env(dir, args, &[], limit)
}

/// As [`crisislint_in`], with extra environment variables.
pub fn crisislint_with_env(dir: &Path, args: &[&OsStr], env: &[(&str, &str)], limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start crisislint");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for crisislint") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("crisislint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().expect("stdout reader")).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr reader")).into_owned(),
        elapsed: started.elapsed(),
    };
    assert_no_panic(&run);
    run
}

/// No panic text, no abort, no backtrace hint: crisislint never shows its insides.
pub fn assert_no_panic(run: &Run) {
    for noise in [
        "panicked",
        "RUST_BACKTRACE",
        "stack overflow",
        "fatal runtime error",
        "thread '",
    ] {
        assert!(!run.stderr.contains(noise), "`{noise}` on stderr:\n{}", run.stderr);
    }
    assert!(run.status >= 0, "killed by a signal: {run:?}");
}

/// One finding of the JSON output: path, rule, start line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path as shown.
    pub path: String,
    /// Rule name.
    pub rule: String,
    /// 1-based start line.
    pub line: u64,
    /// 1-based start column.
    pub column: u64,
    /// Start byte offset.
    pub offset: u64,
}

/// The findings of a `--format json` run; stdout must be one JSON array.
pub fn findings(run: &Run) -> Vec<Found> {
    let value: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stdout));
    value
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|f| Found {
            path: f["path"].as_str().expect("path").to_string(),
            rule: f["rule"].as_str().expect("rule").to_string(),
            line: f["start"]["line"].as_u64().expect("line"),
            column: f["start"]["column"].as_u64().expect("column"),
            offset: f["start"]["offset"].as_u64().expect("offset"),
        })
        .collect()
}

/// The error lines of stderr (`error: ...`), the summary left out.
pub fn errors(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.starts_with("error: ")).collect()
}
