//! Adopting crisislint: `--write-baseline` / `--baseline`, `init` and `completions`, end to end.

mod tools;

use tools::{crisislint_in, write};

const BEFORE: &str = "# Login outage\n\nLogins failed at 08:15 and recovered at 09:40.\n";

#[test]
fn a_baseline_hides_known_findings_wherever_they_move_and_shows_new_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(&dir.join("docs/a.md"), BEFORE);
    let args = [
        "--no-config",
        "--select",
        "missing-timezone",
        "--format",
        "short",
        "docs",
    ];
    let plain = crisislint_in(dir, &args);
    assert_eq!(plain.status, 1);
    assert_eq!(plain.stdout.lines().count(), 2, "{}", plain.stdout);

    let written = crisislint_in(dir, &[&args[..], &["--write-baseline", "baseline.json"]].concat());
    assert_eq!(written.status, 0, "{}", written.stderr);
    assert_eq!(written.stdout, "");
    assert!(
        written.stderr.contains("recorded 2 findings in baseline.json"),
        "{}",
        written.stderr
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    let texts: Vec<&str> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["08:15", "09:40"]);

    // Lines above move every finding; nothing is new.
    write(
        &dir.join("docs/a.md"),
        &format!("# Login outage\n\nA paragraph\nadded above.\n\n{}", &BEFORE[16..]),
    );
    let with = [&args[..], &["--baseline", "baseline.json"]].concat();
    let moved = crisislint_in(dir, &with);
    assert_eq!((moved.status, moved.stdout.as_str()), (0, ""), "{}", moved.stderr);
    assert!(
        moved.stderr.contains("2 known findings in baseline.json not shown"),
        "{}",
        moved.stderr
    );

    // A new time, and a second copy of a known one, are new.
    write(
        &dir.join("docs/a.md"),
        "# Login outage\n\nLogins failed at 08:15 and recovered at 09:40.\n\nThey failed again at 11:02 and at 08:15.\n",
    );
    let grown = crisislint_in(dir, &with);
    assert_eq!(grown.status, 1);
    let lines: Vec<&str> = grown.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", grown.stdout);
    assert!(
        lines[0].starts_with("docs/a.md:5:22: error: clock time `11:02`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("docs/a.md:5:35: error: clock time `08:15`"),
        "{}",
        lines[1]
    );
}

#[test]
fn a_broken_or_missing_baseline_is_an_error_that_names_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("a.md"), BEFORE);
    write(&tmp.path().join("bad.json"), "{\"version\": 1, \"findings\": [{}]}");
    let run = crisislint_in(tmp.path(), &["--no-config", "--baseline", "bad.json", "a.md"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("bad.json:1:"), "{}", run.stderr);
    let run = crisislint_in(tmp.path(), &["--no-config", "--baseline", "none.json", "a.md"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("none.json: cannot read baseline"), "{}", run.stderr);
    let run = crisislint_in(tmp.path(), &["--baseline", "a", "--write-baseline", "b", "a.md"]);
    assert_eq!(run.status, 2, "the two flags conflict");
}

#[test]
fn init_writes_a_commented_configuration_that_check_reads_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let run = crisislint_in(tmp.path(), &["init"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(tmp.path().join("crisislint.toml")).unwrap();
    assert!(text.starts_with("# crisislint configuration."));
    assert!(text.contains("\ndefault-kind = \"incident-report\"\n"));
    write(&tmp.path().join("a.md"), BEFORE);
    let check = crisislint_in(tmp.path(), &["--select", "CL301", "--format", "short", "a.md"]);
    assert_eq!(
        check.status, 1,
        "the written file is a valid configuration: {}",
        check.stderr
    );

    std::fs::write(tmp.path().join("crisislint.toml"), "fail-on = \"never\"\n").unwrap();
    let again = crisislint_in(tmp.path(), &["init"]);
    assert_eq!(again.status, 2);
    assert!(
        again.stderr.contains("crisislint.toml already exists; not overwritten"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("crisislint.toml")).unwrap(),
        "fail-on = \"never\"\n"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    let bash = crisislint_in(tmp.path(), &["completions", "bash"]);
    assert_eq!(bash.status, 0);
    assert!(
        bash.stdout.contains("complete -F _crisislint"),
        "{}",
        &bash.stdout[..200.min(bash.stdout.len())]
    );
    assert!(bash.stdout.contains("--write-baseline"));
    let zsh = crisislint_in(tmp.path(), &["completions", "zsh"]);
    assert!(zsh.stdout.starts_with("#compdef crisislint"));
    let fish = crisislint_in(tmp.path(), &["completions", "fish"]);
    assert!(fish.stdout.contains("complete -c crisislint"));
    let bad = crisislint_in(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(bad.status, 2);
}

#[test]
fn bash_accepts_the_completion_script() {
    let tmp = tempfile::tempdir().unwrap();
    let script = crisislint_in(tmp.path(), &["completions", "bash"]).stdout;
    std::fs::write(tmp.path().join("c.bash"), script).unwrap();
    // Source it and ask for completions of `crisislint --form`, as bash would on TAB.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("source ./c.bash && COMP_WORDS=(crisislint --form) COMP_CWORD=1 && _crisislint crisislint --form crisislint && printf '%s\\n' \"${COMPREPLY[@]}\"")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.lines().any(|l| l.trim() == "--format"), "{stdout}");
}
