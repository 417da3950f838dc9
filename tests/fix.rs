//! `--fix` and `--diff`: what is applied, what is written and how, and that fixing settles.

use crisislint::config::Settings;
use crisislint::diagnostic::{Applicability, Diagnostic, Label, Severity, Span, Suggestion};
use crisislint::engine::{lint_jobs, Job, Overrides};
use crisislint::fix::{self, Mode, WriteStep};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn crisislint(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or_default().as_bytes()).expect("stdin");
    drop(pipe);
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        status: out.status.code().expect("exit status"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

const ASSUME_UTC: &str = "[rules.missing-timezone]\nassume = \"UTC\"\n";
const NOTICE: &str =
    "# Checkout outage\n\nCheckout failed at 10:00 because a certificate expired, and again at 11:15.\n";
const FIXED: &str =
    "# Checkout outage\n\nCheckout failed at 10:00 UTC because a certificate expired, and again at 11:15 UTC.\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("crisislint.toml"), ASSUME_UTC).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn timezone_findings(run: &Run) -> usize {
    let all: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    all.iter().filter(|d| d["rule"] == "missing-timezone").count()
}

#[test]
fn fix_writes_the_assumed_zone_and_reports_what_remains_in_the_fixed_text() {
    let dir = project(&[("a.md", NOTICE)]);
    let before = crisislint(dir.path(), &["--format", "json", "a.md"], None);
    assert_eq!(timezone_findings(&before), 2);
    let run = crisislint(dir.path(), &["--fix", "--format", "json", "a.md"], None);
    assert_eq!(read(dir.path(), "a.md"), FIXED);
    assert_eq!(timezone_findings(&run), 0, "{}", run.stdout);
    let all: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let apology = all
        .iter()
        .find(|d| d["rule"] == "missing-apology")
        .expect("still reported");
    assert_eq!(apology["start"]["offset"], 2);
    assert!(run.stderr.contains("applied 2 fixes in 1 file"), "{}", run.stderr);
}

#[test]
fn fixing_twice_equals_fixing_once() {
    let dir = project(&[("a.md", NOTICE)]);
    crisislint(dir.path(), &["--fix", "a.md"], None);
    let once = read(dir.path(), "a.md");
    let inode = std::fs::metadata(dir.path().join("a.md")).unwrap().ino();
    let second = crisislint(dir.path(), &["--fix", "a.md"], None);
    assert_eq!(read(dir.path(), "a.md"), once);
    assert!(second.stderr.contains("nothing to fix"), "{}", second.stderr);
    // Nothing changed, so nothing was written: the same file, not a renamed copy.
    assert_eq!(std::fs::metadata(dir.path().join("a.md")).unwrap().ino(), inode);
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = project(&[("a.md", NOTICE)]);
    let run = crisislint(dir.path(), &["--diff", "a.md"], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(read(dir.path(), "a.md"), NOTICE);
    assert!(
        run.stdout.starts_with("--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,3 @@\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!("-{}", NOTICE.lines().nth(2).unwrap())));
    assert!(run.stdout.contains(&format!("+{}", FIXED.lines().nth(2).unwrap())));
    let clean = project(&[("a.md", FIXED)]);
    let run = crisislint(clean.path(), &["--diff", "a.md"], None);
    assert_eq!((run.status, run.stdout.as_str()), (0, ""));
}

#[test]
fn standard_input_can_be_diffed_but_not_fixed_in_place() {
    let dir = project(&[]);
    let diff = crisislint(dir.path(), &["--diff", "-", "--stdin-filename", "s.md"], Some(NOTICE));
    assert!(diff.stdout.starts_with("--- a/s.md"), "{}", diff.stdout);
    let fix = crisislint(dir.path(), &["--fix", "-"], Some(NOTICE));
    assert_eq!(fix.status, 2);
    assert!(fix.stderr.contains("cannot be fixed in place"), "{}", fix.stderr);
}

#[test]
fn permissions_line_endings_and_bom_are_kept() {
    let crlf = format!("\u{feff}{}", NOTICE.replace('\n', "\r\n"));
    let dir = project(&[("a.md", &crlf)]);
    let path = dir.path().join("a.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    crisislint(dir.path(), &["--fix", "a.md"], None);
    assert_eq!(
        read(dir.path(), "a.md"),
        format!("\u{feff}{}", FIXED.replace('\n', "\r\n"))
    );
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file is left behind");
}

#[test]
fn a_symlink_is_followed_to_its_target_and_the_note_says_so() {
    let dir = project(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("real.md"), NOTICE).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("real.md"), dir.path().join("link.md")).unwrap();
    let run = crisislint(dir.path(), &["--fix", "link.md"], None);
    assert_eq!(read(elsewhere.path(), "real.md"), FIXED);
    assert!(std::fs::symlink_metadata(dir.path().join("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        run.stderr.contains("note: link.md: followed the symlink and wrote"),
        "{}",
        run.stderr
    );
}

fn suggestion(start: usize, end: usize, text: &str, applicability: Applicability) -> Diagnostic {
    Diagnostic {
        rule: "r".into(),
        code: "X1".into(),
        severity: Severity::Warning,
        message: "m".into(),
        primary: Label::new(Span::new(start, end), ""),
        secondary: Vec::new(),
        help: None,
        suggestion: Some(Suggestion {
            span: Span::new(start, end),
            replacement: text.into(),
            applicability,
        }),
    }
}

#[test]
fn overlapping_suggestions_keep_the_earlier_and_only_machine_applicable_ones_apply() {
    use Applicability::{MachineApplicable as M, MaybeIncorrect as Maybe};
    let diagnostics = [
        suggestion(4, 9, "B", M),
        suggestion(0, 3, "A", M),
        suggestion(6, 8, "overlaps B", M),
        suggestion(9, 9, "+", M),
        suggestion(9, 9, "second insert at 9", M),
        suggestion(12, 12, "inside", M),
        suggestion(10, 14, "C", M),
        suggestion(15, 16, "maybe", Maybe),
    ];
    let kept = fix::applicable(&diagnostics);
    let spans: Vec<(usize, usize)> = kept.iter().map(|s| (s.span.start, s.span.end)).collect();
    assert_eq!(spans, [(0, 3), (4, 9), (9, 9), (10, 14)]);
    assert_eq!(fix::apply("abc defgh ijkl mn", &kept), "A B+ C mn");
}

fn settings(dir: &Path) -> Settings {
    Settings::load(&dir.join("crisislint.toml")).expect("config")
}

fn jobs<'a>(settings: &'a Settings, paths: &[PathBuf]) -> Vec<Job<'a>> {
    paths
        .iter()
        .map(|p| Job {
            display: p.file_name().unwrap().to_string_lossy().into_owned(),
            path: Some(p.clone()),
            text: None,
            settings,
        })
        .collect()
}

#[test]
fn a_fault_at_any_step_leaves_the_file_as_it_was_and_no_temporary_file() {
    for step in [WriteStep::Created, WriteStep::Written, WriteStep::BeforeRename] {
        let dir = project(&[("a.md", NOTICE)]);
        let settings = settings(dir.path());
        let jobs = jobs(&settings, &[dir.path().join("a.md")]);
        let mut reports = lint_jobs(&jobs, &Overrides::default());
        let fail_at = |_: &Path, at: WriteStep| {
            if at == step {
                Err(std::io::Error::other("injected fault"))
            } else {
                Ok(())
            }
        };
        let summary = fix::fix_all_with(&jobs, &mut reports, &Overrides::default(), Mode::Write, &fail_at);
        assert_eq!(summary.files_changed, 0);
        assert_eq!(read(dir.path(), "a.md"), NOTICE, "{step:?}");
        assert!(
            reports[0].errors[0].contains("injected fault"),
            "{:?}",
            reports[0].errors
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "{step:?}: temporary file left"
        );
    }
}

#[test]
fn a_run_that_fails_midway_leaves_every_file_old_or_new() {
    let names: Vec<String> = (0..12).map(|i| format!("f{i:02}.md")).collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), NOTICE)).collect();
    let dir = project(&files);
    let settings = settings(dir.path());
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
    let jobs = jobs(&settings, &paths);
    let mut reports = lint_jobs(&jobs, &Overrides::default());
    // Files whose name ends in an odd digit fail just before their rename: the crash point.
    let crash = |path: &Path, at: WriteStep| {
        let odd = path
            .to_string_lossy()
            .trim_end_matches(".md")
            .ends_with(['1', '3', '5', '7', '9']);
        if odd && at == WriteStep::BeforeRename {
            Err(std::io::Error::other("crash"))
        } else {
            Ok(())
        }
    };
    let summary = fix::fix_all_with(&jobs, &mut reports, &Overrides::default(), Mode::Write, &crash);
    assert_eq!(summary.files_changed, 6);
    for name in &names {
        let text = read(dir.path(), name);
        assert!(text == NOTICE || text == FIXED, "{name} is half written: {text:?}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 13);
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = project(&[("a.md", NOTICE)]);
    let settings = settings(dir.path());
    let jobs = jobs(&settings, &[dir.path().join("a.md")]);
    let mut reports = lint_jobs(&jobs, &Overrides::default());
    std::fs::write(dir.path().join("a.md"), "# Edited meanwhile\n").unwrap();
    fix::fix_all(&jobs, &mut reports, &Overrides::default(), Mode::Write);
    assert_eq!(read(dir.path(), "a.md"), "# Edited meanwhile\n");
    assert!(
        reports[0].errors[0].contains("changed while"),
        "{:?}",
        reports[0].errors
    );
}
