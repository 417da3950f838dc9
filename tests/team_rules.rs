//! Team rules end to end: a temporary project with a `crisislint.toml` whose `rule-dirs` holds
//! `forbid` and `require` rules, run through the binary (`check`, `rules`, `explain`, `--fix`),
//! and the errors a broken team rule gives.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn crisislint(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs");
    Run {
        status: out.status.code().expect("exit status"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const FORBID: &str = r#"name = "no-regret-formula"
code = "ACME101"
summary = "a formula that sounds like an apology and is not one"
severity = "warning"
help = "say what you are sorry for"
docs = '''
## What it does

Flags "we regret any inconvenience" and friends.
'''

[check]
kind = "forbid"
machine-applicable = true
phrases = [
    { pattern = 'we regret', replacement = "we are sorry for" },
    'synergy',
]
"#;

const REQUIRE: &str = r###"name = "status-page-link"
code = "ACME102"
summary = "the announcement does not link to the status page"
severity = { status-update = "error", incident-report = "warning", postmortem = "off", security-disclosure = "warning" }
help = "link to https://status.example.com so readers can follow along"
docs = "## What it does\n\nRequires a link to the status page.\n"

[check]
kind = "require"
message = "no link to the status page"
patterns = ['status\.example\.com']
search = "source"
"###;

/// A project with both team rules and one announcement.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("crisislint.toml"), "rule-dirs = [\"team-rules\"]\n");
    write(&dir.path().join("team-rules/no-regret-formula.toml"), FORBID);
    write(&dir.path().join("team-rules/status-page-link.toml"), REQUIRE);
    write(&dir.path().join("team-rules/README.md"), "not a rule file\n");
    write(
        &dir.path().join("notice.md"),
        "# Sign-in outage\n\nWe regret the trouble: nobody could sign in for 20 minutes because a certificate expired.\n",
    );
    dir
}

fn findings(run: &Run) -> Vec<Value> {
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(items)) => items,
        _ => panic!("not a JSON array:\n{}\n{}", run.stdout, run.stderr),
    }
}

#[test]
fn team_rules_run_with_the_built_ins() {
    let dir = project();
    let run = crisislint(dir.path(), &["check", "--format", "json", "notice.md"]);
    let all = findings(&run);
    let team: Vec<&Value> = all
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("ACME"))
        .collect();
    assert_eq!(team.len(), 2, "{all:#?}");
    let forbid = team
        .iter()
        .find(|d| d["rule"] == "no-regret-formula")
        .expect("forbid finding");
    assert_eq!(forbid["message"], "\"We regret\" is on the list of phrases to avoid");
    assert_eq!(forbid["severity"], "warning");
    assert_eq!(forbid["suggestion"]["replacement"], "We are sorry for");
    assert_eq!(forbid["suggestion"]["applicability"], "machine-applicable");
    let require = team
        .iter()
        .find(|d| d["rule"] == "status-page-link")
        .expect("require finding");
    assert_eq!(require["message"], "no link to the status page");
    assert_eq!(require["severity"], "warning");
    assert_eq!(require["start"]["line"], 1);
}

#[test]
fn rules_and_explain_show_team_rules() {
    let dir = project();
    let rules = crisislint(dir.path(), &["rules"]);
    assert_eq!(rules.status, 0, "{}", rules.stderr);
    let line = rules
        .stdout
        .lines()
        .find(|l| l.starts_with("ACME102"))
        .expect("team rule listed");
    assert!(
        line.contains("status-page-link") && line.contains("E  W  –  W"),
        "{line}"
    );
    let json = crisislint(dir.path(), &["rules", "--format", "json"]);
    assert!(json.stdout.contains("\"no-regret-formula\""));

    let explain = crisislint(dir.path(), &["explain", "ACME101"]);
    assert_eq!(explain.status, 0, "{}", explain.stderr);
    assert!(
        explain.stdout.starts_with("# ACME101 no-regret-formula"),
        "{}",
        explain.stdout
    );
    assert!(explain.stdout.contains("Team rule, from `"), "{}", explain.stdout);
    assert!(explain.stdout.contains("no-regret-formula.toml`"));
    let builtin = crisislint(dir.path(), &["explain", "CL101"]);
    assert!(!builtin.stdout.contains("Team rule"));
}

#[test]
fn team_rules_are_configured_selected_and_suppressed_like_built_ins() {
    let dir = project();
    write(
        &dir.path().join("crisislint.toml"),
        "rule-dirs = [\"team-rules\"]\n[rules.no-regret-formula]\nextra-phrases = ['sign in']\n[severity]\nACME102 = \"off\"\n",
    );
    let run = crisislint(dir.path(), &["--format", "json", "--select", "ACME101", "notice.md"]);
    let all = findings(&run);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|d| d["rule"] == "no-regret-formula"));
    write(
        &dir.path().join("quiet.md"),
        "# Outage\n\n<!-- crisislint-disable-next-line ACME101 -->\nWe regret it.\n",
    );
    let run = crisislint(dir.path(), &["--format", "json", "--select", "ACME101", "quiet.md"]);
    assert!(findings(&run).is_empty(), "{}", run.stdout);
}

#[test]
fn fix_applies_a_team_replacement() {
    let dir = project();
    let run = crisislint(dir.path(), &["--fix", "--select", "ACME101", "notice.md"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let fixed = std::fs::read_to_string(dir.path().join("notice.md")).unwrap();
    assert!(fixed.contains("We are sorry for the trouble"), "{fixed}");
}

/// The error a broken rule file gives, with the project's config.
fn error_for(rule_file: &str) -> String {
    let dir = project();
    write(&dir.path().join("team-rules/zz-broken.toml"), rule_file);
    let run = crisislint(dir.path(), &["--format", "json", "notice.md"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[]");
    run.stderr
}

fn forbid_with(name: &str, code: &str, check: &str) -> String {
    format!(
        "name = \"{name}\"\ncode = \"{code}\"\nsummary = \"s\"\nseverity = \"warning\"\ndocs = \"d\"\n\n[check]\n{check}\n"
    )
}

#[test]
fn a_bad_pattern_names_the_rule_file_and_line() {
    let error = error_for(&forbid_with(
        "broken",
        "ACME900",
        "kind = \"forbid\"\nphrases = [\n  'fine',\n  'un (closed',\n]",
    ));
    assert!(error.contains("zz-broken.toml:11:4:"), "{error}");
    assert!(error.contains("invalid pattern `un (closed`"), "{error}");

    let error = error_for(&forbid_with(
        "broken",
        "ACME900",
        "kind = \"require\"\nmessage = \"m\"\npatterns = [\"a{1000}{1000}\"]",
    ));
    assert!(error.contains("zz-broken.toml:10:"), "{error}");
}

#[test]
fn names_and_codes_may_not_collide() {
    let error = error_for(&forbid_with(
        "missing-apology",
        "ACME900",
        "kind = \"forbid\"\nphrases = ['x']",
    ));
    assert!(
        error.contains("zz-broken.toml:1:") && error.contains("already used by a built-in rule"),
        "{error}"
    );

    let error = error_for(&forbid_with("other", "CL101", "kind = \"forbid\"\nphrases = ['x']"));
    assert!(
        error.contains("zz-broken.toml:2:") && error.contains("reserved for built-in rules"),
        "{error}"
    );

    let error = error_for(&forbid_with("other", "ACME101", "kind = \"forbid\"\nphrases = ['x']"));
    assert!(
        error.contains("already used by") && error.contains("no-regret-formula.toml"),
        "{error}"
    );

    let error = error_for(&forbid_with(
        "Not_Kebab",
        "ACME900",
        "kind = \"forbid\"\nphrases = ['x']",
    ));
    assert!(error.contains("kebab-case"), "{error}");
}

#[test]
fn unknown_keys_kinds_and_empty_checks_are_errors() {
    let error = error_for(&forbid_with("x", "ACME900", "kind = \"forbid\"\nphrase = ['x']"));
    assert!(error.contains("zz-broken.toml:") && error.contains("phrase"), "{error}");

    let error = error_for(&forbid_with("x", "ACME900", "kind = \"forbidden\""));
    assert!(error.contains("unknown variant `forbidden`"), "{error}");

    let error = error_for(&forbid_with("x", "ACME900", "kind = \"meta\""));
    assert!(error.contains("reserved for crisislint"), "{error}");

    let error = error_for(&forbid_with("x", "ACME900", "kind = \"require\"\nmessage = \"m\""));
    assert!(error.contains("nothing could satisfy this rule"), "{error}");

    let error = error_for(&forbid_with(
        "x",
        "ACME900",
        "kind = \"forbid\"\nphrases = [{ pattern = 'x', replace = 'y' }]",
    ));
    assert!(error.contains("zz-broken.toml:"), "{error}");
}

#[test]
fn a_missing_rule_directory_points_at_the_configuration() {
    let dir = project();
    write(
        &dir.path().join("crisislint.toml"),
        "fail-on = \"error\"\nrule-dirs = [\"nowhere\"]\n",
    );
    let run = crisislint(dir.path(), &["notice.md"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("crisislint.toml:2:") && run.stderr.contains("cannot read rule directory"),
        "{}",
        run.stderr
    );
}
