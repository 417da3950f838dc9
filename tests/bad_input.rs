//! Hostile and broken input, end to end against the binary: each case states the exit
//! status, the message on stderr (naming the file and the problem), that nothing panics, and
//! that the other files are still linted. Big inputs are generated here, never committed.

#[path = "bad_input/run.rs"]
mod run;

use run::{crisislint_in, errors, findings, Found, Run};
use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

/// Small cases; generous for a loaded machine.
const QUICK: Duration = Duration::from_secs(30);
/// Big generated inputs (the debug build lints a 20 MB line in about 5 s).
const HEAVY: Duration = Duration::from_secs(120);

/// A document with one finding every rule agrees on: a clock time without a zone.
const GOOD: &str = "# Checkout outage\n\nAt 10:30 payments failed.\n";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `crisislint --no-config -q --format json ARGS...` in `dir`.
fn lint(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut all: Vec<&OsStr> = ["--no-config", "-q", "--format", "json"].map(OsStr::new).to_vec();
    all.extend(args.iter().map(OsStr::new));
    crisislint_in(dir, &all, limit)
}

fn rules_of<'a>(found: &'a [Found], path: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|f| f.path == path)
        .map(|f| f.rule.as_str())
        .collect()
}

/// `good.md` was linted: its clock time was found at line 3, column 4.
fn assert_good_linted(found: &[Found]) {
    assert!(
        found
            .iter()
            .any(|f| f.path == "good.md" && f.rule == "missing-timezone" && (f.line, f.column) == (3, 4)),
        "good.md still linted: {found:?}"
    );
}

#[test]
fn invalid_utf8_is_named_with_its_position_and_the_others_are_linted() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "bad.md", b"# Title\nhello \xff world\n");
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["bad.md", "good.md"], QUICK);
    assert_eq!(run.status, 2);
    assert_eq!(
        errors(&run),
        ["error: bad.md:2:7: file is not valid UTF-8 (invalid byte 0xFF at offset 14); not linted"]
    );
    let found = findings(&run);
    assert!(rules_of(&found, "bad.md").is_empty());
    assert_good_linted(&found);
}

#[test]
fn a_utf8_bom_is_linted_with_columns_that_do_not_count_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "bom.md", "\u{feff}# Outage\nAt 10:30 payments failed.\n");
    write(
        tmp.path(),
        "bom-front-matter.md",
        "\u{feff}---\ncrisislint: {kind: postmortem}\n---\nAt 10:30 payments failed.\n",
    );
    let run = lint(tmp.path(), &["bom.md", "bom-front-matter.md"], QUICK);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found = findings(&run);
    let time = |path: &str| {
        found
            .iter()
            .find(|f| f.path == path && f.rule == "missing-timezone")
            .cloned()
    };
    // Column 4 on line 2; the offset counts the BOM's three bytes.
    let bom = time("bom.md").expect("time found");
    assert_eq!(
        (bom.line, bom.column, bom.offset),
        (2, 4, 3 + "# Outage\n".len() as u64 + 3)
    );
    // The title `Outage` is column 3 of line 1: `#`, space, then the title; the BOM is not a column.
    assert!(
        found.iter().any(|f| f.path == "bom.md" && (f.line, f.column) == (1, 3)),
        "{found:?}"
    );
    // Front matter after a BOM is still front matter: the kind is read, the time is found.
    let fm = time("bom-front-matter.md").expect("time found after front matter");
    assert_eq!((fm.line, fm.column), (4, 4));
}

#[test]
fn utf16_text_is_refused_with_a_conversion_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("# Outage\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("# Outage\n".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    write(tmp.path(), "le.md", &utf16le);
    write(tmp.path(), "be.md", &utf16be);
    write(tmp.path(), "le-no-bom.md", &utf16le[2..]);
    write(tmp.path(), "be-no-bom.md", &utf16be[2..]);
    write(tmp.path(), "good.md", GOOD);
    let run = lint(
        tmp.path(),
        &["le.md", "be.md", "le-no-bom.md", "be-no-bom.md", "good.md"],
        QUICK,
    );
    assert_eq!(run.status, 2);
    let hint = "file is UTF-16; crisislint reads UTF-8 (convert it with `iconv -f UTF-16 -t UTF-8`)";
    let guess = |order: &str| {
        format!(
            "file looks like UTF-16 without a byte order mark; crisislint reads UTF-8 \
             (convert it with `iconv -f UTF-16{order} -t UTF-8`)"
        )
    };
    assert_eq!(
        errors(&run),
        [
            format!("error: be-no-bom.md: {}", guess("BE")),
            format!("error: be.md: {hint}"),
            format!("error: le-no-bom.md: {}", guess("LE")),
            format!("error: le.md: {hint}"),
        ]
    );
    assert_good_linted(&findings(&run));
}

#[test]
fn a_binary_file_named_explicitly_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    write(tmp.path(), "logo.png", png);
    write(tmp.path(), "docs/sneaky.md", png);
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["logo.png", "docs", "good.md"], QUICK);
    assert_eq!(run.status, 2);
    assert_eq!(
        errors(&run),
        [
            "error: docs/sneaky.md: file looks binary (it contains NUL bytes); not linted",
            "error: logo.png: file looks binary (it contains NUL bytes); not linted",
        ]
    );
    assert_good_linted(&findings(&run));
}

#[test]
fn empty_and_whitespace_only_files_are_linted_and_findings_sit_at_1_1() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "empty.md", "");
    write(tmp.path(), "blank.md", " \n\t\n\r\n   ");
    let run = lint(
        tmp.path(),
        &["empty.md", "blank.md", "--kind", "incident-report"],
        QUICK,
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(errors(&run).is_empty(), "{}", run.stderr);
    let found = findings(&run);
    for path in ["empty.md", "blank.md"] {
        let rules = rules_of(&found, path);
        for absent in [
            "missing-apology",
            "missing-explanation",
            "missing-impact",
            "missing-remediation",
        ] {
            assert!(rules.contains(&absent), "{path}: {rules:?}");
        }
    }
    assert!(
        found.iter().all(|f| (f.line, f.column, f.offset) == (1, 1, 0)),
        "{found:?}"
    );
}

#[test]
fn a_20_mb_single_line_is_linted_in_bounded_time_with_exact_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let filler = "service was slow for some customers and ".repeat(20 * 1024 * 1024 / 40);
    let line = format!("At 10:30 the {filler}recovered at 11:45.\n");
    write(tmp.path(), "long.md", &line);
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["long.md", "good.md"], HEAVY);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found = findings(&run);
    let times: Vec<(u64, u64)> = found
        .iter()
        .filter(|f| f.path == "long.md" && f.rule == "missing-timezone")
        .map(|f| (f.line, f.column))
        .collect();
    let last = line.find("11:45").unwrap() as u64 + 1;
    assert_eq!(times, [(1, 4), (1, last)]);
    assert_good_linted(&found);

    // Human output shows the long line as a window around each finding, not 20 MB per finding.
    let args = [
        "--no-config",
        "-q",
        "--color",
        "never",
        "--select",
        "CL301,CL101",
        "long.md",
    ]
    .map(OsStr::new);
    let run = crisislint_in(tmp.path(), &args, HEAVY);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stdout.len() < 4096, "{} bytes of output", run.stdout.len());
    assert!(
        run.stdout.contains(&format!("--> long.md:1:{last}\n")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("customers and recovered at 11:45.\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn nesting_100000_deep_does_not_overflow_the_stack() {
    let tmp = tempfile::tempdir().unwrap();
    let depth = 100_000;
    write(
        tmp.path(),
        "quotes.md",
        format!("{} At 10:30 it failed.\n", ">".repeat(depth)),
    );
    write(
        tmp.path(),
        "list.md",
        format!("{}At 10:30 it failed.\n", "- ".repeat(depth)),
    );
    write(
        tmp.path(),
        "ordered.md",
        format!("{}At 10:30 it failed.\n", "1. ".repeat(depth)),
    );
    write(
        tmp.path(),
        "mixed.md",
        format!("{}At 10:30 it failed.\n", "> - ".repeat(depth / 2)),
    );
    write(
        tmp.path(),
        "emphasis.md",
        format!("{}At 10:30{}\n", "*_".repeat(depth), "_*".repeat(depth)),
    );
    write(
        tmp.path(),
        "brackets.md",
        format!("{}At 10:30{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    let names = [
        "quotes.md",
        "list.md",
        "ordered.md",
        "mixed.md",
        "emphasis.md",
        "brackets.md",
    ];
    let run = lint(tmp.path(), &names, HEAVY);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found = findings(&run);
    let column = |path: &str| {
        found
            .iter()
            .find(|f| f.path == path && f.rule == "missing-timezone")
            .map(|f| f.column)
    };
    // The time is found in the innermost container, at its exact column.
    assert_eq!(column("quotes.md"), Some(depth as u64 + 5));
    assert_eq!(column("list.md"), Some(2 * depth as u64 + 4));
    assert_eq!(column("ordered.md"), Some(3 * depth as u64 + 4));
    assert_eq!(column("mixed.md"), Some(2 * depth as u64 + 4));
    assert_eq!(column("emphasis.md"), Some(2 * depth as u64 + 4));
    assert_eq!(column("brackets.md"), Some(depth as u64 + 4));
}

#[test]
fn an_unterminated_code_fence_runs_to_the_end_and_unterminated_front_matter_is_text() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "fence.md", "# Outage\n\n```\nAt 10:30 the job ran.\n");
    write(tmp.path(), "tilde.md", "# Outage\n\n~~~~\nAt 10:30 the job ran.\n~~~\n");
    write(
        tmp.path(),
        "front.md",
        "---\ncrisislint: {kind: postmortem}\n\nAt 10:30 payments failed.\n",
    );
    let run = lint(tmp.path(), &["fence.md", "tilde.md", "front.md"], QUICK);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(errors(&run).is_empty(), "{}", run.stderr);
    let found = findings(&run);
    // Code is not prose, to the end of the file when the fence is never closed.
    assert!(!rules_of(&found, "fence.md").contains(&"missing-timezone"), "{found:?}");
    assert!(!rules_of(&found, "tilde.md").contains(&"missing-timezone"), "{found:?}");
    // Front matter that never closes is not front matter: its text is linted as Markdown.
    assert!(
        found
            .iter()
            .any(|f| f.path == "front.md" && f.rule == "missing-timezone" && (f.line, f.column) == (4, 4)),
        "{found:?}"
    );
}

#[test]
fn thousands_of_comments_and_directives_are_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("# Outage\n\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "<!-- note {i} -->\n<!-- crisislint-disable-next-line CL301 -->\nAt 10:{:02} it failed.\n\n",
            i % 60
        ));
        text.push_str("<!-- crisislint-disable non-apology -->\n<!-- crisislint-enable non-apology -->\n");
        text.push_str("<!-- crisislint-disable-next-line no-such-rule -->\nWe are sorry.\n\n");
    }
    text.push_str("<!-- unterminated comment at the end\nAt 12:00 it failed.\n");
    write(tmp.path(), "many.md", &text);
    let run = lint(tmp.path(), &["many.md"], HEAVY);
    assert!(run.status == 1, "{}", run.stderr);
    let found = findings(&run);
    let count = |rule: &str| found.iter().filter(|f| f.rule == rule).count();
    assert_eq!(
        count("missing-timezone"),
        0,
        "every time is suppressed or inside a comment"
    );
    assert_eq!(count("invalid-directive"), 5_000, "every unknown rule is reported");
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_dangling_links_are_reported_not_followed_forever() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "docs/a.md", GOOD);
    symlink("..", dir.join("docs/up")).unwrap();
    symlink("../docs", dir.join("docs/self")).unwrap();
    symlink("loop2.md", dir.join("loop1.md")).unwrap();
    symlink("loop1.md", dir.join("loop2.md")).unwrap();
    symlink("gone.md", dir.join("dangling.md")).unwrap();
    write(dir, "good.md", GOOD);
    let run = lint(dir, &["docs", "loop1.md", "dangling.md", "good.md"], QUICK);
    assert_eq!(run.status, 2);
    let errs = errors(&run);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("error: loop1.md: cannot follow symbolic link: "),
        "{errs:?}"
    );
    assert_eq!(
        errs[1],
        "error: dangling.md: symbolic link to a file that does not exist"
    );
    let found = findings(&run);
    // The walk does not follow directory links, so docs/a.md is linted exactly once.
    let a = found
        .iter()
        .filter(|f| f.path == "docs/a.md" && f.rule == "missing-timezone")
        .count();
    assert_eq!(a, 1, "{found:?}");
    assert_good_linted(&found);
}

#[test]
fn a_path_that_does_not_exist_is_named_and_the_others_are_linted() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["missing.md", "good.md", "no/such/dir"], QUICK);
    assert_eq!(run.status, 2);
    assert_eq!(
        errors(&run),
        [
            "error: missing.md: no such file or directory",
            "error: no/such/dir: no such file or directory"
        ]
    );
    assert_good_linted(&findings(&run));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    write(tmp.path(), "good.md", GOOD);
    write(tmp.path(), "walked/x.md", GOOD);
    std::process::Command::new("mkfifo")
        .arg(tmp.path().join("walked/pipe.md"))
        .status()
        .expect("mkfifo");
    // A pipe named on the command line is an error; one met in a walk is not a Markdown file.
    let run = lint(tmp.path(), &["pipe.md", "good.md", "walked"], QUICK);
    assert_eq!(run.status, 2);
    assert_eq!(
        errors(&run),
        ["error: pipe.md: cannot read file: it is a named pipe (FIFO), not a regular file; not linted (give `-` to read standard input)"]
    );
    let found = findings(&run);
    assert_good_linted(&found);
    assert!(!rules_of(&found, "walked/x.md").is_empty());
}

#[cfg(unix)]
#[test]
fn a_device_or_a_socket_named_explicitly_is_refused_as_what_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.md", GOOD);
    // A socket cannot be opened at all: the error still says what it is.
    let _listener = std::os::unix::net::UnixListener::bind(tmp.path().join("sock.md")).unwrap();
    for (path, what) in [("/dev/zero", "a device"), ("sock.md", "a socket")] {
        let run = lint(tmp.path(), &[path, "good.md"], QUICK);
        assert_eq!(run.status, 2);
        assert_eq!(
            errors(&run),
            [format!(
                "error: {path}: cannot read file: it is {what}, not a regular file; not linted (give `-` to read standard input)"
            )]
        );
        assert_good_linted(&findings(&run));
    }
}

#[test]
fn a_directory_where_a_file_is_expected_is_an_error_even_for_root() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.md", GOOD);
    std::fs::create_dir(tmp.path().join("conf.toml")).unwrap();
    let run = crisislint_in(
        tmp.path(),
        &["--config", "conf.toml", "--format", "json", "good.md"].map(OsStr::new),
        QUICK,
    );
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout.trim(), "[]", "JSON output stays valid");
    let errs = errors(&run);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("error: conf.toml: cannot read configuration: ") && errs[0].contains("directory"),
        "{errs:?}"
    );

    // A rule directory that is a file; a directory named like a rule file inside a rule
    // directory is not a rule file and is passed over.
    write(tmp.path(), "crisislint.toml", "rule-dirs = [\"team\", \"good.md\"]\n");
    std::fs::create_dir_all(tmp.path().join("team/shout.toml")).unwrap();
    let run = crisislint_in(tmp.path(), &["--format", "json", "good.md"].map(OsStr::new), QUICK);
    assert_eq!(run.status, 2);
    let errs = errors(&run);
    assert!(
        errs.len() == 1 && errs[0].starts_with("error: crisislint.toml:1:") && errs[0].contains("good.md"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_linted_and_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(tmp.path().join(name), GOOD).unwrap();
    std::fs::create_dir(tmp.path().join("dir")).unwrap();
    std::fs::write(tmp.path().join("dir").join(name), GOOD).unwrap();
    let args: Vec<&OsStr> = ["--no-config", "-q", "--format", "json"]
        .map(OsStr::new)
        .into_iter()
        .chain([name, OsStr::new("dir")])
        .collect();
    let run = crisislint_in(tmp.path(), &args, QUICK);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found = findings(&run);
    for path in ["caf\u{fffd}.md", "dir/caf\u{fffd}.md"] {
        assert!(
            rules_of(&found, path).contains(&"missing-timezone"),
            "{path}: {found:?}"
        );
    }
}

/// Runs with `crisislint.toml` = `config` beside `good.md`; returns the run.
fn with_config(config: &str) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "crisislint.toml", config);
    write(tmp.path(), "good.md", GOOD);
    let run = crisislint_in(tmp.path(), &["--format", "json", "good.md"].map(OsStr::new), QUICK);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[]", "JSON output stays valid");
    run
}

#[test]
fn configuration_errors_name_the_file_line_and_column() {
    let cases = [
        ("default-kind = \n", "error: crisislint.toml:1:16: string values must be quoted"),
        (
            "fail-on = \"error\"\nbogus-key = 1\n",
            "error: crisislint.toml:2:1: unknown field `bogus-key`, expected one of",
        ),
        (
            "[severity]\nmissing-timezon = \"off\"\n",
            "error: crisislint.toml:2:1: unknown rule `missing-timezon`; did you mean `missing-timezone`?",
        ),
        (
            "rule-dirs = \"team\"\n",
            "error: crisislint.toml:1:13: invalid type: string \"team\", expected a sequence",
        ),
        (
            "[rules.missing-timezone]\nassume = 3\n",
            "error: crisislint.toml:1:1: in options for `missing-timezone`: invalid type: integer `3`, expected a string",
        ),
        (
            &format!("organization = {}\n", "[".repeat(10_000)),
            "error: crisislint.toml:1:",
        ),
    ];
    for (config, expected) in cases {
        let run = with_config(config);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with(expected), "{config:?}:\n{}", run.stderr);
    }
}

#[test]
fn invalid_and_huge_patterns_are_reported_at_their_line_within_the_regex_limits() {
    let run = with_config(
        "[rules.missing-remediation]\nmin-section-words = 3\nextra-cues = [\n  'we fixed it',\n  '(unclosed',\n]\n",
    );
    assert!(
        run.stderr.starts_with(
            "error: crisislint.toml:5:3: in options for `missing-remediation`: in `extra-cues`: invalid pattern `(unclosed`"
        ),
        "{}",
        run.stderr
    );
    let run = with_config("[rules.missing-remediation]\nextra-cues = [\n  'fine',\n  '\\w{1000}{1000}',\n]\n");
    assert!(
        run.stderr.starts_with(
            "error: crisislint.toml:4:3: in options for `missing-remediation`: in `extra-cues`: pattern `\\w{1000}{1000}` is too large (its compiled form exceeds 4 MiB)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.elapsed < Duration::from_secs(10), "bounded: {:?}", run.elapsed);
}

/// A team rule file whose `cues` are `cues`.
fn team_rule(cues: &str) -> String {
    format!(
        "name = \"shouting\"\ncode = \"ACME901\"\nsummary = \"shouting\"\nseverity = \"warning\"\n\
         docs = \"## What it does\\nx\\n## Why is this bad\\nx\\n## Example\\nx\"\n\n[check]\n\
         kind = \"presence\"\nmessage = \"no shouting\"\nheadings = []\ncues = {cues}\n"
    )
}

#[test]
fn bad_patterns_in_a_team_rule_file_are_reported_at_that_file_and_line() {
    for (cues, expected) in [
        (
            "['ok', '(unclosed']",
            "error: team/shout.toml:11:16: in `cues`: invalid pattern `(unclosed`",
        ),
        (
            "[\n  'a{1000}{1000}{1000}',\n]",
            "error: team/shout.toml:12:4: in `cues`: pattern `a{1000}{1000}{1000}` is too large",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "crisislint.toml", "rule-dirs = [\"team\"]\n");
        write(tmp.path(), "team/shout.toml", team_rule(cues));
        write(tmp.path(), "good.md", GOOD);
        let run = crisislint_in(tmp.path(), &["--format", "json", "good.md"].map(OsStr::new), QUICK);
        assert_eq!(run.status, 2);
        assert!(run.stderr.starts_with(expected), "{cues}:\n{}", run.stderr);
        assert!(run.elapsed < Duration::from_secs(10), "bounded: {:?}", run.elapsed);
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.md", GOOD);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--threads", "0"],
            "error: invalid value '0' for '--threads <N>': 0 is not in 1..=1024",
        ),
        (
            &["--threads", "100000"],
            "error: invalid value '100000' for '--threads <N>': 100000 is not in 1..=1024",
        ),
        (
            &["--threads", "many"],
            "error: invalid value 'many' for '--threads <N>'",
        ),
        (&["--threads", "-1"], "error: unexpected argument '-1' found"),
        (
            &["--format", "xml"],
            "error: invalid value 'xml' for '--format <FORMAT>'",
        ),
        (
            &["--fail-on", "panic"],
            "error: invalid value 'panic' for '--fail-on <SEVERITY>'",
        ),
        (&["--kind", "memo"], "error: invalid value 'memo' for '--kind <KIND>'"),
        (
            &["--color", "rainbow"],
            "error: invalid value 'rainbow' for '--color <WHEN>'",
        ),
        (&["--bogus"], "error: unexpected argument '--bogus' found"),
        (
            &["--config", "x.toml", "--no-config"],
            "error: the argument '--config <FILE>' cannot be used with '--no-config'",
        ),
        (
            &["--select", "missing-timezon"],
            "error: unknown rule `missing-timezon` in --select; did you mean `missing-timezone`?",
        ),
        (&["-", "-"], "error: `-` (standard input) can be given only once"),
    ];
    for (args, expected) in cases {
        let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        all.push(OsStr::new("good.md"));
        let run = crisislint_in(tmp.path(), &all, QUICK);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{args:?}:\n{}", run.stderr);
        assert!(!run.stdout.contains("missing-timezone"), "{args:?}: nothing linted");
    }
}

#[test]
fn more_threads_than_files_is_fine() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["--threads", "1024", "good.md"], QUICK);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_good_linted(&findings(&run));
}

#[test]
fn a_panic_in_one_file_becomes_internal_error_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "boom.md", GOOD);
    write(tmp.path(), "good.md", GOOD);
    let args = ["--no-config", "--format", "json", "boom.md", "good.md"].map(OsStr::new);
    let env = [(crisislint::guard::TEST_PANIC_VAR, "boom.md")];
    let run = run::crisislint_with_env(tmp.path(), &args, &env, QUICK);
    assert_eq!(run.status, 2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let boom: Vec<&serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "boom.md")
        .collect();
    assert_eq!(
        boom.len(),
        1,
        "only the internal error for the file that failed: {boom:?}"
    );
    assert_eq!(boom[0]["code"], "CL002");
    assert_eq!(boom[0]["rule"], "internal-error");
    assert_eq!(boom[0]["severity"], "error");
    let message = boom[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "crisislint failed while checking this file: {} (at src/guard.rs:",
            crisislint::guard::TEST_PANIC_MESSAGE
        )),
        "{message}"
    );
    let help = boom[0]["help"].as_str().unwrap();
    assert!(help.contains("please report it") && help.contains("/issues"), "{help}");
    // One clean line on stderr, no panic hook noise (checked by `crisislint_with_env`).
    assert_eq!(
        errors(&run),
        [format!(
            "error: boom.md: internal error while linting (please report it): {}",
            message.trim_start_matches("crisislint failed while checking this file: ")
        )]
    );
    assert_good_linted(&findings(&run));

    // Human output shows the diagnostic with its help, too.
    let args = ["--no-config", "--color", "never", "boom.md", "good.md"].map(OsStr::new);
    let run = run::crisislint_with_env(tmp.path(), &args, &env, QUICK);
    assert_eq!(run.status, 2);
    assert!(
        run.stdout
            .contains("error[CL002] internal-error: crisislint failed while checking this file"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("= help: this is a bug in crisislint"),
        "{}",
        run.stdout
    );
}

/// A team rule file is data: shell syntax and paths in it are matched or printed as text,
/// never run or opened, and keys that could point elsewhere do not exist.
#[test]
fn a_team_rule_file_cannot_run_commands_or_read_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rule = "name = \"shouting\"\ncode = \"ACME901\"\nsummary = \"shouting\"\nseverity = \"warning\"\n\
        help = \"$(touch pwned-help) `touch pwned-tick` {{include /etc/passwd}}\"\n\
        docs = \"## What it does\\nx\\n## Why is this bad\\nx\\n## Example\\nx\"\n\n[check]\n\
        kind = \"presence\"\nmessage = \"no $(touch pwned-message) and no /etc/passwd\"\nheadings = ['/etc/passwd']\n\
        cues = ['ran \\$\\(touch pwned', 'in /etc/shadow']\n";
    write(dir, "crisislint.toml", "rule-dirs = [\"team\"]\n");
    write(dir, "team/shout.toml", rule);
    write(dir, "with-cue.md", "# Outage\n\nWe ran $(touch pwned) by mistake.\n");
    write(dir, "path-cue.md", "# Outage\n\nNothing in /etc/shadow changed.\n");
    write(dir, "without.md", "# Outage\n\nNothing else.\n");
    let run = crisislint_in(
        dir,
        &[
            "--format",
            "json",
            "--select",
            "ACME901",
            "with-cue.md",
            "path-cue.md",
            "without.md",
        ]
        .map(OsStr::new),
        QUICK,
    );
    assert_eq!(run.status, 0, "warnings only: {}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found = json.as_array().unwrap();
    // The cues (regexes at word boundaries) matched their literal text; the document without them got the finding, whose
    // message and help are the rule file's text, verbatim.
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["path"], "without.md");
    assert_eq!(found[0]["message"], "no $(touch pwned-message) and no /etc/passwd");
    assert_eq!(
        found[0]["help"],
        "$(touch pwned-help) `touch pwned-tick` {{include /etc/passwd}}"
    );
    let created: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(created.is_empty(), "nothing ran: {created:?}");

    // No key of a rule file names another file.
    for key in [
        "include = \"/etc/passwd\"\n",
        "command = \"touch pwned\"\n",
        "extends = \"../other.toml\"\n",
    ] {
        write(dir, "team/shout.toml", format!("{key}{rule}"));
        let run = crisislint_in(dir, &["--format", "json", "without.md"].map(OsStr::new), QUICK);
        assert_eq!(run.status, 2, "{key}");
        assert!(
            run.stderr.starts_with("error: team/shout.toml:1:1: unknown field"),
            "{key}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_file_too_large_to_be_an_announcement_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    // Sparse: 200 MiB of nothing, written instantly.
    let huge = std::fs::File::create(tmp.path().join("huge.md")).unwrap();
    huge.set_len(200 << 20).unwrap();
    write(tmp.path(), "good.md", GOOD);
    let run = lint(tmp.path(), &["huge.md", "good.md"], QUICK);
    assert_eq!(run.status, 2);
    assert_eq!(
        errors(&run),
        ["error: huge.md: cannot read file: it is 200 MiB, more than the 128 MiB crisislint reads; not linted"]
    );
    assert_good_linted(&findings(&run));
}

#[test]
fn endless_standard_input_is_cut_off() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_crisislint"))
        .args(["--no-config", "-q", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let chunk = vec![b'a'; 1 << 20];
    // Writing stops with a broken pipe once crisislint has read its fill and exited.
    let written = (0..1024).take_while(|_| stdin.write_all(&chunk).is_ok()).count();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(written < 1024, "crisislint kept reading");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: -: standard input is more than 128 MiB, the most crisislint reads; not linted\n"
    );
}
