//! The pre-commit hook, driven by the real `pre-commit` (from PyPI, installed by
//! `.ci/install-tools`): `pre-commit try-repo` builds the hook from this checkout, as a user's
//! `.pre-commit-config.yaml` would, and runs it in a temporary git repository.

mod tools;

use std::path::Path;
use std::process::Command;
use tools::{root, tool, write, Run};

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn try_repo(repo: &Path, files: &[&str]) -> Run {
    let pre_commit = tool("PRE_COMMIT", "venv/bin/pre-commit", "pre-commit");
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    Command::new(pre_commit)
        .arg("try-repo")
        .arg(root())
        .arg("crisislint")
        .arg("--verbose")
        .arg("--files")
        .args(files)
        .current_dir(repo)
        // Environments and the hook's build are kept between runs; the build is a quick one
        // (the hook is tested, not the optimiser).
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .env("CARGO_TARGET_DIR", cache.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env_remove("NO_COLOR")
        .output()
        .expect("pre-commit runs")
        .into()
}

#[test]
fn pre_commit_try_repo_fails_on_a_bad_announcement_and_passes_a_good_one() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "--quiet"]);
    git(repo, &["config", "user.email", "test@example.com"]);
    git(repo, &["config", "user.name", "test"]);
    // Only missing-timezone is on here, so the good announcement needs no apology.
    write(
        &repo.join("crisislint.toml"),
        &format!("fail-on = \"error\"\n\n{}", tools::only_rules(&["missing-timezone"])),
    );
    write(
        &repo.join("bad.md"),
        "# Login outage\n\nLogins failed from 08:15 until 09:40.\n",
    );
    write(
        &repo.join("good.md"),
        "# Login outage\n\nLogins failed from 08:15 until 09:40 UTC.\n",
    );
    write(&repo.join("notes.txt"), "It failed at 08:15.\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "--quiet", "-m", "announcements"]);

    let bad = try_repo(repo, &["bad.md"]);
    let output = format!("{}{}", bad.stdout, bad.stderr);
    assert_eq!(bad.status, 1, "{output}");
    assert!(output.contains("crisislint") && output.contains("Failed"), "{output}");
    assert!(
        output.contains("missing-timezone"),
        "the diagnostics are shown:\n{output}"
    );
    assert!(output.contains("bad.md:3:"), "{output}");

    let good = try_repo(repo, &["good.md", "notes.txt"]);
    let output = format!("{}{}", good.stdout, good.stderr);
    assert_eq!(good.status, 0, "{output}");
    assert!(output.contains("Passed"), "{output}");
    assert!(
        !output.contains("notes.txt"),
        "only Markdown is passed to the hook:\n{output}"
    );

    let text_only = try_repo(repo, &["notes.txt"]);
    let output = format!("{}{}", text_only.stdout, text_only.stderr);
    assert_eq!(text_only.status, 0, "{output}");
    assert!(output.contains("(no files to check)Skipped"), "{output}");
}
