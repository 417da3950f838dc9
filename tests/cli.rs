//! End to end: the built binary, its exit status, its three output formats, configuration
//! discovery and errors, standard input, positions and determinism.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary gave.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs `crisislint` in `cwd` with `args`, feeding `stdin` (or nothing).
fn crisislint_in(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or_default()).expect("write stdin");
    drop(pipe);
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        status: out.status.code().expect("exit status"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `crisislint` from the package root.
fn crisislint(args: &[&str]) -> Run {
    crisislint_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn json(run: &Run) -> Vec<Value> {
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("stdout is not one JSON array ({other:?}):\n{}", run.stdout),
    }
}

/// (path, rule, severity) of every finding in JSON output.
fn triples(run: &Run) -> Vec<(String, String, String)> {
    json(run)
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_else(|| panic!("{k} in {d}")).to_string();
            (s("path"), s("rule"), s("severity"))
        })
        .collect()
}

/// A document with one unknown rule in a suppression comment: one `invalid-directive`
/// warning, at line 3, column 25.
const ONE_WARNING: &str = "# Checkout outage\n\n<!-- crisislint-disable CL999 -->\n";
/// A document with no directive: nothing from `invalid-directive`.
const CLEAN: &str = "# Checkout outage\n\nAll good.\n";
/// No apology anywhere (missing-apology: error for incident reports, info for postmortems).
const NO_APOLOGY: &str = "# Checkout outage\n\nCheckout was down for 40 minutes because a disk filled up.\n";

#[test]
fn exit_status_follows_fail_on_from_flag_then_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    write(&tmp.path().join("clean.md"), CLEAN);
    let only = ["--select", "invalid-directive", "--no-config"];
    let run = |extra: &[&str], file: &str| {
        let mut args = only.to_vec();
        args.extend_from_slice(extra);
        args.push(file);
        crisislint_in(tmp.path(), &args, None).status
    };
    assert_eq!(run(&[], "clean.md"), 0);
    assert_eq!(run(&[], "warn.md"), 0, "a warning is below the default fail-on (error)");
    assert_eq!(run(&["--fail-on", "warning"], "warn.md"), 1);
    assert_eq!(run(&["--fail-on", "info"], "warn.md"), 1);
    assert_eq!(run(&["--fail-on", "never"], "warn.md"), 0);
    assert_eq!(run(&["--fail-on", "error"], "warn.md"), 0);

    write(&tmp.path().join("crisislint.toml"), "fail-on = \"warning\"\n");
    let with_config = |extra: &[&str]| {
        let mut args = vec!["--select", "invalid-directive"];
        args.extend_from_slice(extra);
        args.push("warn.md");
        crisislint_in(tmp.path(), &args, None).status
    };
    assert_eq!(with_config(&[]), 1, "the configuration's fail-on applies");
    assert_eq!(
        with_config(&["--fail-on", "error"]),
        0,
        "the flag wins over the configuration"
    );
}

#[test]
fn every_format_reports_the_same_finding() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    let args = |format: &'static str| ["--no-config", "--select", "CL001", "--format", format, "warn.md"];

    let human = crisislint_in(tmp.path(), &args("human"), None);
    assert_eq!(human.status, 0, "{}", human.stderr);
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "warning[CL001] invalid-directive: unknown rule `CL999` in suppression"
    );
    assert_eq!(lines[1].trim_start(), "--> warn.md:3:25");
    assert!(
        human.stdout.contains("<!-- crisislint-disable CL999 -->"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("^^^^^"), "{}", human.stdout);
    assert!(human.stdout.contains("= help: "), "{}", human.stdout);
    assert!(!human.stdout.contains('\x1b'), "no color when not on a terminal");
    assert_eq!(
        human.stderr.trim(),
        "0 errors, 1 warning, 0 info in 1 file (1 file checked)"
    );

    let short = crisislint_in(tmp.path(), &args("short"), None);
    assert_eq!(
        short.stdout,
        "warn.md:3:25: warning: unknown rule `CL999` in suppression [invalid-directive]\n"
    );
    assert_eq!(short.stderr, "", "short prints no summary");

    let run = crisislint_in(tmp.path(), &args("json"), None);
    let found = json(&run);
    assert_eq!(found.len(), 1);
    let d = &found[0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "path",
        "rule",
        "code",
        "severity",
        "message",
        "help",
        "start",
        "end",
        "labels",
        "suggestion",
    ];
    expected.sort();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
    assert_eq!(d["path"], "warn.md");
    assert_eq!(d["code"], "CL001");
    assert_eq!(d["start"], serde_json::json!({"line": 3, "column": 25, "offset": 43}));
    assert_eq!(d["end"], serde_json::json!({"line": 3, "column": 30, "offset": 48}));
    assert_eq!(d["labels"], serde_json::json!([]));
    assert_eq!(d["suggestion"], Value::Null);
    assert_eq!(run.stderr, "", "json prints no summary");
}

#[test]
fn color_is_opt_in_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    let base = ["--no-config", "--select", "CL001", "warn.md"];
    let always = crisislint_in(tmp.path(), &[&base[..], &["--color", "always"]].concat(), None);
    assert!(always.stdout.contains("\x1b["), "{}", always.stdout);
    let never = crisislint_in(tmp.path(), &[&base[..], &["--color", "never"]].concat(), None);
    assert!(!never.stdout.contains('\x1b'));
}

#[test]
fn quiet_drops_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    let run = crisislint_in(tmp.path(), &["-q", "--no-config", "--select", "CL001", "warn.md"], None);
    assert!(run.stdout.contains("warning[CL001]"));
    assert_eq!(run.stderr, "");
}

#[test]
fn standard_input_is_named_by_stdin_filename_and_configured_by_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("crisislint.toml"),
        "[[kind-globs]]\nglob = \"postmortems/*.md\"\nkind = \"postmortem\"\n\n[severity.postmortem]\ninvalid-directive = \"error\"\n",
    );
    let args = ["--select", "CL001", "--format", "json", "-"];
    let unnamed = crisislint_in(tmp.path(), &args, Some(ONE_WARNING.as_bytes()));
    assert_eq!(
        triples(&unnamed),
        [("-".into(), "invalid-directive".into(), "warning".into())]
    );
    let named = crisislint_in(
        tmp.path(),
        &[&args[..], &["--stdin-filename", "postmortems/db.md"]].concat(),
        Some(ONE_WARNING.as_bytes()),
    );
    assert_eq!(
        triples(&named),
        [("postmortems/db.md".into(), "invalid-directive".into(), "error".into())]
    );
    assert_eq!(named.status, 1);
    let short = crisislint_in(
        tmp.path(),
        &["--select", "CL001", "--format", "short", "--stdin-filename", "x.md"],
        Some(ONE_WARNING.as_bytes()),
    );
    assert!(short.stdout.starts_with("x.md:3:25: warning: "), "{}", short.stdout);
}

#[test]
fn configuration_errors_name_file_line_and_column_and_stop_before_linting() {
    let cases = [
        // An unclosed array is reported at its opening bracket.
        ("default-kind = \"postmortem\"\nfail-on = [\n", "crisislint.toml:2:12"),
        (
            "default-kind = \"postmortem\"\ncolour = \"red\"\n",
            "crisislint.toml:2:1",
        ),
        ("[severity]\nmissing-apologies = \"off\"\n", "crisislint.toml:2:1"),
        ("default-kind = \"memo\"\n", "crisislint.toml:1:16"),
    ];
    for (config, position) in cases {
        let tmp = tempfile::tempdir().unwrap();
        write(&tmp.path().join("crisislint.toml"), config);
        write(&tmp.path().join("warn.md"), ONE_WARNING);
        let run = crisislint_in(tmp.path(), &["--format", "json", "warn.md"], None);
        assert_eq!(run.status, 2, "{config}: {}", run.stderr);
        assert_eq!(json(&run), Vec::<Value>::new(), "nothing is linted");
        assert!(
            run.stderr.contains(position),
            "{config}: want {position} in\n{}",
            run.stderr
        );
        let human = crisislint_in(tmp.path(), &["warn.md"], None);
        assert_eq!(human.stdout, "", "{config}");
        assert_eq!(human.status, 2);
    }
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("crisislint.toml"),
        "[severity]\nmissing-apologies = \"off\"\n",
    );
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    let run = crisislint_in(tmp.path(), &["."], None);
    assert!(run.stderr.contains("did you mean `missing-apology`?"), "{}", run.stderr);
    assert!(
        run.stderr.contains("missing-apologies = \"off\""),
        "the snippet: {}",
        run.stderr
    );

    let named = crisislint_in(tmp.path(), &["--config", "nope.toml", "."], None);
    assert_eq!(named.status, 2);
    assert!(named.stderr.contains("nope.toml"), "{}", named.stderr);
    let ignored = crisislint_in(tmp.path(), &["--no-config", "--select", "CL001", "."], None);
    assert_eq!(ignored.status, 0, "{}", ignored.stderr);
}

#[test]
fn unknown_rules_in_select_or_ignore_are_usage_errors_with_a_suggestion() {
    for flag in ["--select", "--ignore"] {
        let run = crisislint(&[
            "--no-config",
            flag,
            "CL001,missing-apolgy",
            "--format",
            "json",
            "README.md",
        ]);
        assert_eq!(run.status, 2);
        assert!(run.stderr.contains("unknown rule `missing-apolgy`"), "{}", run.stderr);
        assert!(run.stderr.contains("did you mean `missing-apology`?"), "{}", run.stderr);
        assert_eq!(json(&run), Vec::<Value>::new());
    }
    assert_eq!(crisislint(&["--threads", "0", "README.md"]).status, 2);
    assert_eq!(crisislint(&["--kind", "memo", "README.md"]).status, 2);
    assert_eq!(crisislint(&["--no-such-flag"]).status, 2);
    assert_eq!(crisislint(&["--help"]).status, 0);
}

#[test]
fn ignore_switches_a_rule_off_by_name_or_code() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    for key in ["invalid-directive", "cl001"] {
        let run = crisislint_in(
            tmp.path(),
            &["--no-config", "--format", "json", "--ignore", key, "warn.md"],
            None,
        );
        assert!(triples(&run).iter().all(|t| t.1 != "invalid-directive"), "{key}");
    }
}

#[test]
fn a_missing_path_or_an_unreadable_file_is_an_error_and_the_others_are_still_linted() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    std::fs::write(tmp.path().join("latin1.md"), b"# Caf\xe9 outage\n\nSorry.\n").unwrap();
    let run = crisislint_in(
        tmp.path(),
        &[
            "--no-config",
            "--select",
            "CL001",
            "--format",
            "json",
            "warn.md",
            "gone.md",
            "latin1.md",
        ],
        None,
    );
    assert_eq!(run.status, 2);
    assert_eq!(
        triples(&run),
        [("warn.md".into(), "invalid-directive".into(), "warning".into())]
    );
    assert!(
        run.stderr.contains("gone.md: no such file or directory"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("latin1.md:1:6: file is not valid UTF-8"),
        "{}",
        run.stderr
    );
    let human = crisislint_in(tmp.path(), &["--no-config", "--select", "CL001", "."], None);
    assert_eq!(human.status, 2);
    assert!(
        human
            .stderr
            .contains("0 errors, 1 warning, 0 info in 1 file (1 file checked)"),
        "{}",
        human.stderr
    );
}

#[test]
fn a_walk_takes_markdown_only_and_honours_gitignore_but_named_files_are_always_linted() {
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "docs/b.md",
        "docs/a.markdown",
        "docs/notes.txt",
        "docs/.draft/x.md",
        "build/out.md",
    ] {
        write(&tmp.path().join(name), ONE_WARNING);
    }
    write(&tmp.path().join(".gitignore"), "build/\n");
    let args = ["--no-config", "--select", "CL001", "--format", "json"];
    let walked = crisislint_in(tmp.path(), &args, None);
    let paths: Vec<String> = triples(&walked).into_iter().map(|t| t.0).collect();
    assert_eq!(paths, ["docs/a.markdown", "docs/b.md"], "no path means `.`");
    let named = crisislint_in(tmp.path(), &[&args[..], &["docs", "docs/notes.txt"]].concat(), None);
    let paths: Vec<String> = triples(&named).into_iter().map(|t| t.0).collect();
    assert_eq!(paths, ["docs/a.markdown", "docs/b.md", "docs/notes.txt"]);
}

/// Expected findings in `tests/data/positions.md` (a BOM, CRLF line ends, tabs, emoji and CJK
/// text before every finding): rule, severity, then start and end as (line, column, offset).
type Expected = (&'static str, &'static str, (u64, u64, u64), (u64, u64, u64));

fn check_positions(select: &str, expected: &[Expected]) {
    let args = ["--no-config", "--select", select, "tests/data/positions.md"];
    let run = crisislint(&[&args[..], &["--format", "json"]].concat());
    let found = json(&run);
    let got: Vec<(String, String, Value, Value)> = found
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["start"].clone(),
                d["end"].clone(),
            )
        })
        .collect();
    let want: Vec<(String, String, Value, Value)> = expected
        .iter()
        .map(|(rule, severity, start, end)| {
            let pos = |p: &(u64, u64, u64)| serde_json::json!({"line": p.0, "column": p.1, "offset": p.2});
            (rule.to_string(), severity.to_string(), pos(start), pos(end))
        })
        .collect();
    assert_eq!(got, want, "json:\n{}", run.stdout);

    let short = crisislint(&[&args[..], &["--format", "short"]].concat());
    let got: Vec<String> = short
        .stdout
        .lines()
        .map(|line| {
            let (location, rest) = line.split_once(": ").expect("path:line:col: ...");
            let rule = rest.rsplit_once(" [").expect("[rule]").1.trim_end_matches(']');
            let severity = rest.split_once(": ").expect("severity: message").0;
            format!("{location} {severity} {rule}")
        })
        .collect();
    let want: Vec<String> = expected
        .iter()
        .map(|(rule, severity, start, _)| format!("tests/data/positions.md:{}:{} {severity} {rule}", start.0, start.1))
        .collect();
    assert_eq!(got, want, "short:\n{}", short.stdout);
}

#[test]
fn positions_count_scalar_values_after_a_bom_crlf_tabs_emoji_and_cjk() {
    // Line 5 is `付款 🛒<TAB><!-- crisislint-disable CL999 -->`: the unknown rule `CL999`
    // starts at column 30 (2 CJK, space, emoji, tab, 24 characters of comment) and byte 147.
    check_positions(
        "invalid-directive",
        &[("invalid-directive", "warning", (5, 30, 147), (5, 35, 152))],
    );
}

#[test]
fn rule_findings_sit_at_the_right_line_and_column_after_a_bom_crlf_tabs_emoji_and_cjk() {
    // The title `Checkout outage 🛒 支付中断` follows the BOM and `# `: column 3, byte 5; it
    // ends at column 25, byte 38 (before the CR). `14:05` on line 3 follows two CJK
    // characters, an emoji and a tab; `9:30pm` on line 7 likewise.
    check_positions(
        "missing-apology,missing-timezone,invalid-directive",
        &[
            ("missing-apology", "error", (1, 3, 5), (1, 25, 38)),
            ("missing-timezone", "error", (3, 45, 93), (3, 50, 98)),
            ("invalid-directive", "warning", (5, 30, 147), (5, 35, 152)),
            ("missing-timezone", "error", (7, 9, 175), (7, 15, 181)),
        ],
    );
}

#[test]
fn sibling_folders_use_their_own_configuration_and_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // `reports/` keeps the default kind; `reviews/` makes every file a postmortem and raises
    // invalid-directive for postmortems only.
    write(
        &root.join("reports/crisislint.toml"),
        "default-kind = \"incident-report\"\n",
    );
    write(
        &root.join("reviews/crisislint.toml"),
        "[[kind-globs]]\nglob = \"*.md\"\nkind = \"postmortem\"\n\n[severity.postmortem]\ninvalid-directive = \"error\"\n",
    );
    let text = format!("{NO_APOLOGY}\n<!-- crisislint-disable CL999 -->\n");
    write(&root.join("reports/db.md"), &text);
    write(&root.join("reviews/db.md"), &text);
    let run = crisislint_in(
        root,
        &[
            "--format",
            "json",
            "--select",
            "invalid-directive,missing-apology",
            "reports",
            "reviews",
        ],
        None,
    );
    let got = triples(&run);
    let of = |path: &str, rule: &str| -> Vec<&str> {
        got.iter()
            .filter(|t| t.0 == path && t.1 == rule)
            .map(|t| t.2.as_str())
            .collect()
    };
    assert_eq!(of("reports/db.md", "invalid-directive"), ["warning"], "{got:?}");
    assert_eq!(of("reviews/db.md", "invalid-directive"), ["error"], "{got:?}");
    assert_eq!(of("reports/db.md", "missing-apology"), ["error"], "{got:?}");
    assert_eq!(of("reviews/db.md", "missing-apology"), ["info"], "{got:?}");
}

#[test]
fn output_is_identical_for_every_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    // Enough files for several of the engine's groups, which are written as they are linted,
    // with every thread count.
    for i in 0..300 {
        let text = format!("# Outage {i}\n\n<!-- crisislint-disable CL9{:02} -->\n\nAt {}:15 the site failed. <!-- crisislint-disabel -->\n", i % 100, i % 24);
        write(&tmp.path().join(format!("d{}/n{}.md", i % 3, 300 - i)), &text);
    }
    let run = |threads: &str, format: &str| {
        let r = crisislint_in(
            tmp.path(),
            &["--no-config", "--threads", threads, "--format", format],
            None,
        );
        (r.stdout, r.status)
    };
    for format in ["json", "short", "human"] {
        let one = run("1", format);
        assert_eq!(one, run("4", format), "{format}");
        assert_eq!(one, run("2", format), "{format}");
    }
    let found = json(&crisislint_in(tmp.path(), &["--no-config", "--format", "json"], None));
    let keys: Vec<(PathBuf, u64, String)> = found
        .iter()
        .map(|d| {
            (
                PathBuf::from(d["path"].as_str().unwrap()),
                d["start"]["offset"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "ordered by path, then start, then rule");
    assert!(keys.len() >= 600);
}

#[test]
fn rules_lists_every_rule_and_explain_prints_one() {
    let run = crisislint(&["rules", "--no-config", "--format", "json"]);
    assert_eq!(run.status, 0);
    let rules = json(&run);
    assert!(rules.len() >= 9);
    for rule in &rules {
        for key in ["name", "code", "default_severity", "severity", "summary"] {
            assert!(!rule[key].is_null(), "{key} in {rule}");
        }
    }
    let human = crisislint(&["rules", "--no-config"]);
    for rule in &rules {
        assert!(human.stdout.contains(rule["name"].as_str().unwrap()));
    }
    let by_name = crisislint(&["explain", "--no-config", "invalid-directive"]);
    assert_eq!(by_name.status, 0);
    assert!(by_name.stdout.contains("## What it does"), "{}", by_name.stdout);
    assert!(by_name
        .stdout
        .contains("| status-update | incident-report | postmortem | security-disclosure |"));
    assert!(
        by_name.stdout.starts_with("# CL001 invalid-directive\n"),
        "{}",
        by_name.stdout
    );
    assert_eq!(crisislint(&["explain", "--no-config", "cl001"]).stdout, by_name.stdout);
    let typo = crisislint(&["explain", "--no-config", "missing-apolgy"]);
    assert_eq!(typo.status, 2);
    assert!(
        typo.stderr.contains("did you mean `missing-apology`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn the_readme_rule_table_is_the_output_of_crisislint_rules() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let begin = "<!-- rules:begin (generated: crisislint rules --format markdown) -->\n";
    let end = "<!-- rules:end -->";
    let start = readme.find(begin).expect("README has the rules:begin marker") + begin.len();
    let stop = readme[start..].find(end).expect("README has the rules:end marker") + start;
    let table = crisislint(&["rules", "--no-config", "--format", "markdown"]).stdout;
    assert!(
        readme[start..stop] == table,
        "the README's rule table is stale; replace it with the output of \
         `cargo run -q -- rules --no-config --format markdown`:\n{table}"
    );
}

#[test]
fn the_readme_example_runs_from_a_fresh_clone() {
    let run = crisislint(&["examples/outage-2024-03-14.md"]);
    assert!(run.status == 0 || run.status == 1, "{}", run.stderr);
    assert!(run.stderr.contains("(1 file checked)"), "{}", run.stderr);
}

#[test]
fn the_readme_json_sample_has_the_schema_the_binary_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```json\n").expect("README has a JSON sample") + "```json\n".len();
    let stop = readme[start..].find("```").unwrap() + start;
    let sample: Vec<Value> = serde_json::from_str(&readme[start..stop]).expect("the README's JSON sample parses");
    let shape = |v: &Value| -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("warn.md"), ONE_WARNING);
    let printed = json(&crisislint_in(
        tmp.path(),
        &["--no-config", "--format", "json", "warn.md"],
        None,
    ));
    assert_eq!(shape(&sample[0]), shape(&printed[0]));
    assert_eq!(shape(&sample[0]["start"]), shape(&printed[0]["start"]));
}

#[test]
fn a_folder_without_markdown_is_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = crisislint_in(tmp.path(), &["--select", "missing-apology", "."], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "0 errors, 0 warnings, 0 info in 0 files (0 files checked)"
    );
}

#[test]
fn output_written_batch_by_batch_is_the_output_written_at_once() {
    // Without `--baseline`, files are linted and written in batches of 256; with one (here
    // empty), all at once. 520 files cross two batch ends; some are clean, one is not text.
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..520 {
        let text = match i % 3 {
            0 => format!("# Outage {i}\n\nThe API was down from 10:00 to 11:30.\n"),
            1 => String::new(),
            _ => format!("# Fine {i}\n\nWe are sorry: logins failed from 10:00 UTC to 10:20 UTC.\n"),
        };
        write(&tmp.path().join(format!("docs/{i:03}.md")), &text);
    }
    std::fs::write(tmp.path().join("docs/binary.md"), b"\0\0\0").unwrap();
    write(&tmp.path().join("empty.json"), r#"{"version": 1, "findings": []}"#);
    for format in ["json", "human"] {
        let args = ["--no-config", "--threads", "2", "--format", format, "docs"];
        let streamed = crisislint_in(tmp.path(), &args, None);
        let at_once = crisislint_in(tmp.path(), &[&args[..], &["--baseline", "empty.json"]].concat(), None);
        assert_eq!(streamed.status, 2, "{format}: the binary file is an error");
        assert_eq!(streamed.status, at_once.status, "{format}");
        assert_eq!(streamed.stderr, at_once.stderr, "{format}");
        assert!(streamed.stdout == at_once.stdout, "{format}: the outputs differ");
    }
}
