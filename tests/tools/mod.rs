//! The real clients the integration tests drive, and a runner for the built binary.
//!
//! A missing tool fails the test with the command that installs it: these tests never skip.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The package root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built `crisislint` binary.
pub fn crisislint_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_crisislint"))
}

/// A tool: `$env_var` if set, else `.tools/<installed>` (from `.ci/install-tools`), else `name`
/// on `PATH`; panics with the install command when none is there.
pub fn tool(env_var: &str, installed: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        return PathBuf::from(path);
    }
    let local = root().join(".tools").join(installed);
    if local.is_file() {
        return local;
    }
    let on_path = std::env::var_os("PATH").map(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    on_path.flatten().unwrap_or_else(|| {
        panic!("`{name}` is not installed: run `.ci/install-tools` (or set {env_var}); this test does not skip")
    })
}

/// Output of a command, with stdout and stderr as text.
pub struct Run {
    /// Exit status (-1 when killed by a signal).
    pub status: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs the binary in `cwd` with no standard input.
pub fn crisislint_in(cwd: &Path, args: &[&str]) -> Run {
    Command::new(crisislint_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
        .into()
}

/// Runs the binary from the package root.
pub fn crisislint(args: &[&str]) -> Run {
    crisislint_in(root(), args)
}

/// Writes a file, creating its directory.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A `[severity]` table that switches off every rule but `keep` (names), read from
/// `crisislint rules`, so tests that count findings are not moved by rules added later.
pub fn only_rules(keep: &[&str]) -> String {
    let run = crisislint(&["rules", "--no-config", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).expect("rules as JSON");
    let mut table = String::from("[severity]\n");
    for rule in rules.as_array().expect("an array") {
        let name = rule["name"].as_str().expect("a name");
        if !keep.contains(&name) && name != "internal-error" {
            table.push_str(&format!("{name} = \"off\"\n"));
        }
    }
    table
}
