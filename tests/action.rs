//! The GitHub Action's script (`action/crisislint_action.py`), run as the runner would: the
//! `GITHUB_*` and `INPUT_*` variables, an event file, and a temporary repository holding a
//! pull request's commits. Also checks that `action.yml` passes every input through the
//! environment and never splices one into a script.

mod tools;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use tools::{root, write, Run};

fn git(repo: &Path, args: &[&str]) -> String {
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
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A file name that runs code if a script ever splices it into a shell command.
const HOSTILE: &str = "docs/$(touch pwned) a,b:c.md";

/// Twelve unzoned times on lines 3-14, findings the pull request did not touch.
fn old_text() -> String {
    let mut text = String::from("# Checkout outage\n\n");
    for i in 0..12 {
        text.push_str(&format!("- Retry {i} failed at 10:{:02}.\n", 10 + i));
    }
    text
}

struct Pr {
    dir: tempfile::TempDir,
    base: String,
}

/// A repository with a base commit and a pull request's commit checked out.
fn pull_request() -> Pr {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "--quiet", "-b", "main"]);
    git(repo, &["config", "user.email", "test@example.com"]);
    git(repo, &["config", "user.name", "test"]);
    // Only missing-timezone (errors) and invalid-directive (warnings) are on, to count exactly.
    write(
        &repo.join("crisislint.toml"),
        &tools::only_rules(&["missing-timezone", "invalid-directive"]),
    );
    write(&repo.join("docs/old.md"), &old_text());
    write(&repo.join("docs/untouched.md"), "# Other\n\nDown at 07:00.\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "--quiet", "-m", "base"]);
    let base = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["checkout", "--quiet", "-b", "feature"]);
    // The pull request appends two unzoned times to old.md and adds a file with a hostile name.
    write(
        &repo.join("docs/old.md"),
        &format!("{}\n## Update\n\nFixed at 11:30. Checked at 11:45.\n", old_text()),
    );
    write(
        &repo.join(HOSTILE),
        "# New\n\nBack at 12:00.\n<!-- crisislint-disable CL999 -->\n",
    );
    write(&repo.join("notes.txt"), "Down at 09:00.\n");
    git(repo, &["add", "."]);
    git(repo, &["commit", "--quiet", "-m", "pr"]);
    Pr { dir, base }
}

struct ActionRun {
    run: Run,
    summary: String,
    outputs: String,
}

fn run_action(repo: &Path, event_name: &str, event: serde_json::Value, inputs: &[(&str, &str)]) -> ActionRun {
    let runner = tempfile::tempdir().unwrap();
    let event_path = runner.path().join("event.json");
    std::fs::write(&event_path, event.to_string()).unwrap();
    let summary = runner.path().join("summary.md");
    let outputs = runner.path().join("outputs");
    let mut command = Command::new("python3");
    command
        .arg(root().join("action/crisislint_action.py"))
        .current_dir(repo)
        .env("CRISISLINT_BIN", tools::crisislint_bin())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_WORKSPACE", repo)
        .env("GITHUB_ACTION_PATH", root());
    for (name, value) in inputs {
        command.env(name, value);
    }
    let run: Run = command.output().expect("python3 runs the action script").into();
    ActionRun {
        run,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
    }
}

fn pr_event(base: &str) -> serde_json::Value {
    // A fork's pull request: the head is another repository; nothing here needs a token.
    serde_json::json!({"number": 7, "pull_request": {
        "base": {"sha": base, "ref": "main"},
        "head": {"ref": "feature; rm -rf /", "repo": {"full_name": "someone/fork"}},
    }})
}

/// (command, file, line) of every workflow command printed.
fn annotations(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| {
            let (head, _) = l[2..].split_once("::").unwrap();
            let (command, properties) = head.split_once(' ').unwrap();
            let props: BTreeMap<&str, &str> = properties.split(',').filter_map(|p| p.split_once('=')).collect();
            (
                command.to_string(),
                props["file"].to_string(),
                props["line"].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_pull_request_gets_changed_lines_annotated_first_a_summary_sarif_and_a_failing_status() {
    let pr = pull_request();
    let repo = pr.dir.path();
    let action = run_action(
        repo,
        "pull_request",
        pr_event(&pr.base),
        &[("INPUT_SARIF_FILE", "crisislint.sarif"), ("INPUT_FAIL_ON", "error")],
    );
    assert_eq!(
        action.run.status, 1,
        "errors fail the step:\n{}\n{}",
        action.run.stdout, action.run.stderr
    );
    assert!(!repo.join("pwned").exists(), "a file name ran as shell code");
    assert!(!repo.join("docs/pwned").exists(), "a file name ran as shell code");

    let got = annotations(&action.run.stdout);
    let errors: Vec<&(String, String, String)> = got.iter().filter(|a| a.0 == "error").collect();
    let warnings: Vec<&(String, String, String)> = got.iter().filter(|a| a.0 == "warning").collect();
    // 15 errors (12 old + 2 new in old.md, 1 in the new file): GitHub would show 10, so the
    // three on changed lines come first, then the old ones in file order.
    assert_eq!(errors.len(), 10, "{}", action.run.stdout);
    let hostile = "docs/$(touch pwned) a%2Cb%3Ac.md";
    let first: Vec<(&str, &str)> = errors[..4].iter().map(|a| (a.1.as_str(), a.2.as_str())).collect();
    assert_eq!(
        first,
        [
            (hostile, "3"),
            ("docs/old.md", "18"),
            ("docs/old.md", "18"),
            ("docs/old.md", "3")
        ]
    );
    assert_eq!(warnings.len(), 1);
    assert_eq!((warnings[0].1.as_str(), warnings[0].2.as_str()), (hostile, "4"));
    assert!(
        !action.run.stdout.contains("untouched.md"),
        "only changed files are linted"
    );
    assert!(!action.run.stdout.contains("notes.txt"));

    assert!(
        action
            .summary
            .starts_with("## crisislint\n\n**15 errors, 1 warning, 0 info in 2 files"),
        "{}",
        action.summary
    );
    assert!(action.summary.contains("### docs/old.md"));
    assert!(
        action
            .summary
            .contains("11 findings are annotated on the diff (those on changed lines first); 5 more"),
        "{}",
        action.summary
    );

    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("crisislint.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 16);
    assert!(action.outputs.contains("findings=16\n"), "{}", action.outputs);
    assert!(action.outputs.contains("sarif-file=crisislint.sarif\n"));
}

#[test]
fn fail_on_paths_config_and_all_files_inputs_are_honoured() {
    let pr = pull_request();
    let repo = pr.dir.path();
    let never = run_action(repo, "pull_request", pr_event(&pr.base), &[("INPUT_FAIL_ON", "never")]);
    assert_eq!(never.run.status, 0, "{}", never.run.stderr);
    assert_eq!(
        annotations(&never.run.stdout).len(),
        11,
        "annotations are written all the same"
    );

    // `paths` narrows the changed files; `all-files` lints them whole.
    let narrowed = run_action(
        repo,
        "pull_request",
        pr_event(&pr.base),
        &[("INPUT_PATHS", "docs/old.md\n")],
    );
    assert!(narrowed.outputs.contains("findings=14\n"), "{}", narrowed.outputs);
    let whole = run_action(repo, "pull_request", pr_event(&pr.base), &[("INPUT_ALL_FILES", "true")]);
    assert!(
        whole.outputs.contains("findings=17\n"),
        "untouched.md too: {}",
        whole.outputs
    );

    // A configuration for every file (a monorepo's), here one that makes times warnings.
    let quiet = std::fs::read_to_string(repo.join("crisislint.toml")).unwrap();
    write(
        &repo.join("ci/times.toml"),
        &format!("{quiet}missing-timezone = \"warning\"\n"),
    );
    let configured = run_action(
        repo,
        "pull_request",
        pr_event(&pr.base),
        &[("INPUT_CONFIG", "ci/times.toml"), ("INPUT_PATHS", "docs/old.md")],
    );
    assert_eq!(
        configured.run.status, 0,
        "warnings do not fail by default: {}",
        configured.run.stderr
    );
    let got = annotations(&configured.run.stdout);
    assert!(got.iter().all(|a| a.0 == "warning"));

    // Run from a subdirectory (a monorepo's docs folder): paths are relative to it.
    let sub = run_action(&repo.join("docs"), "pull_request", pr_event(&pr.base), &[]);
    assert!(sub.outputs.contains("findings=16\n"), "{}", sub.outputs);
    assert_eq!(
        annotations(&sub.run.stdout)[1],
        ("error".into(), "old.md".into(), "18".into())
    );

    let bad = run_action(
        repo,
        "pull_request",
        pr_event(&pr.base),
        &[("INPUT_FAIL_ON", "sometimes")],
    );
    assert_eq!(bad.run.status, 2);
    assert!(bad
        .run
        .stdout
        .contains("::error title=crisislint action::fail-on must be"));
}

#[test]
fn outside_pull_requests_and_without_markdown_changes() {
    let pr = pull_request();
    let repo = pr.dir.path();
    let push = run_action(repo, "push", serde_json::json!({}), &[]);
    assert_eq!(push.run.status, 1);
    assert!(
        push.outputs.contains("findings=17\n"),
        "a push lints everything: {}",
        push.outputs
    );

    // A pull request that changes no Markdown.
    let head = git(repo, &["rev-parse", "HEAD"]);
    write(&repo.join("notes.txt"), "Changed.\n");
    git(repo, &["commit", "--quiet", "-am", "notes"]);
    let quiet = run_action(repo, "pull_request", pr_event(&head), &[]);
    assert_eq!(quiet.run.status, 0, "{}", quiet.run.stderr);
    assert_eq!(annotations(&quiet.run.stdout), vec![]);
    assert!(quiet.summary.contains("No Markdown file changed in this pull request."));
}

#[test]
fn a_shallow_checkout_of_the_merge_commit_fetches_the_base() {
    // As actions/checkout leaves a pull request: a depth-1 clone of the merge commit.
    let pr = pull_request();
    let origin = pr.dir.path();
    git(origin, &["checkout", "--quiet", "main"]);
    git(origin, &["merge", "--quiet", "--no-ff", "-m", "merge", "feature"]);
    let clone_dir = tempfile::tempdir().unwrap();
    let clone = clone_dir.path().join("work");
    let url = format!("file://{}", origin.display());
    git(clone_dir.path(), &["clone", "--quiet", "--depth=1", &url, "work"]);
    let action = run_action(&clone, "pull_request", pr_event(&pr.base), &[]);
    assert_eq!(action.run.status, 1, "{}\n{}", action.run.stdout, action.run.stderr);
    assert!(action.outputs.contains("findings=16\n"), "{}", action.outputs);
    let errors = annotations(&action.run.stdout);
    assert_eq!(errors[1], ("error".into(), "docs/old.md".into(), "18".into()));
}

#[test]
fn action_yml_passes_inputs_only_through_the_environment() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("action.yml is YAML");
    let action = &docs[0];
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_hash().unwrap();
    for name in ["paths", "all-files", "config", "fail-on", "sarif-file"] {
        assert!(
            inputs.contains_key(&yaml_rust2::Yaml::String(name.into())),
            "input {name}"
        );
    }
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let script = steps
        .iter()
        .find_map(|s| s["run"].as_str().filter(|r| r.contains("crisislint_action.py")))
        .expect("a step runs the script");
    assert!(script.contains("$GITHUB_ACTION_PATH/action/crisislint_action.py"));
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "an expression is spliced into a script: {run}");
        }
    }
    let lint = steps.iter().find(|s| s["id"].as_str() == Some("lint")).unwrap();
    for input in inputs.keys().filter_map(|k| k.as_str()).filter(|k| *k != "version") {
        let variable = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert_eq!(
            lint["env"][variable.as_str()].as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{variable}"
        );
    }
}
