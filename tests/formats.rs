//! The GitHub formats end to end: `--format github` (workflow commands), `--format sarif`
//! (checked by the official SARIF validator) and `--format summary`, with the positions
//! fixture's expected positions written out in each consumer's unit.

mod tools;

use serde_json::Value;
use std::path::Path;
use tools::{crisislint, crisislint_in, root, tool, write};

const FIXTURE: &str = "tests/data/positions.md";
const SELECT: &str = "missing-apology,missing-timezone,invalid-directive";

/// A document whose second time gets a suggested zone (the zone the first one uses).
const SUGGESTS: &str = "# Login outage\n\nLogins failed from 08:15 UTC; the fix was deployed at 08:50.\n";

fn sarif_of(run: &tools::Run) -> Value {
    assert!(run.status <= 1, "status {}: {}", run.status, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout))
}

#[test]
fn github_commands_sit_at_scalar_value_columns_of_the_positions_fixture() {
    let run = crisislint(&["--no-config", "--select", SELECT, "--format", "github", FIXTURE]);
    let got: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .map(|l| {
            let (head, message) = l
                .split_once("::")
                .map(|(_, rest)| rest.split_once("::").unwrap())
                .unwrap();
            (head, message)
        })
        .collect();
    // GitHub's columns are the editor's: 1-based, one per character, `endColumn` after the text.
    let want = [
        "error file=tests/data/positions.md,line=1,col=3,endLine=1,endColumn=25,title=CL101 missing-apology",
        "error file=tests/data/positions.md,line=3,col=45,endLine=3,endColumn=50,title=CL301 missing-timezone",
        "warning file=tests/data/positions.md,line=5,col=30,endLine=5,endColumn=35,title=CL001 invalid-directive",
        "error file=tests/data/positions.md,line=7,col=9,endLine=7,endColumn=15,title=CL301 missing-timezone",
    ];
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), want, "{}", run.stdout);
    assert!(
        got[1]
            .1
            .starts_with("clock time `14:05` has no timezone%0Ahelp: add a zone"),
        "{}",
        got[1].1
    );
    assert_eq!(run.status, 1);
}

#[test]
fn github_escapes_percent_and_newlines_in_messages_and_colons_and_commas_in_properties() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("db: a,b.md"),
        "# Database outage\n\nWrites failed for an hour.\n",
    );
    let run = crisislint_in(
        tmp.path(),
        &[
            "--no-config",
            "--select",
            "missing-remediation",
            "--format",
            "github",
            ".",
        ],
    );
    let line = run.stdout.lines().next().expect("one command");
    assert!(line.starts_with("::error file=db%3A a%2Cb.md,line=1,col=3,"), "{line}");
    assert!(
        line.contains(",title=CL103 missing-remediation::no remediation plan%0Ahelp: "),
        "{line}"
    );
    // The help says "80%"; GitHub would read a bare `%` followed by two hex digits as an escape.
    assert!(line.contains("passes 80%25"), "{line}");
    assert!(!line.contains('\r') && run.stdout.lines().count() == 1);
}

#[test]
fn sarif_regions_count_utf16_code_units_of_the_positions_fixture() {
    let log = sarif_of(&crisislint(&[
        "--no-config",
        "--select",
        SELECT,
        "--format",
        "sarif",
        FIXTURE,
    ]));
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let regions: Vec<(String, [u64; 4])> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            let n = |k: &str| region[k].as_u64().unwrap();
            let rule = r["ruleId"].as_str().unwrap().to_string();
            (rule, [n("startLine"), n("startColumn"), n("endLine"), n("endColumn")])
        })
        .collect();
    // Scalar columns (see tests/cli.rs) plus one for each emoji before the column (two UTF-16
    // units); CJK characters and tabs are one unit; the BOM is not counted.
    let want = [
        ("CL101", [1, 3, 1, 26]),
        ("CL301", [3, 46, 3, 51]),
        ("CL001", [5, 31, 5, 36]),
        ("CL301", [7, 10, 7, 16]),
    ];
    let want: Vec<(String, [u64; 4])> = want.iter().map(|(r, p)| (r.to_string(), *p)).collect();
    assert_eq!(regions, want);
    for result in run["results"].as_array().unwrap() {
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "tests/data/positions.md");
    }
}

#[test]
fn sarif_lists_every_rule_and_points_results_at_them() {
    let log = sarif_of(&crisislint(&["--no-config", "--format", "sarif", FIXTURE]));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "crisislint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let listed: Value =
        serde_json::from_str(&crisislint(&["rules", "--no-config", "--format", "json"]).stdout).unwrap();
    let mut codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    codes.sort();
    assert_eq!(
        rules.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(),
        codes
    );
    for rule in rules {
        for key in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(!rule[key].is_null(), "{key} missing in {rule}");
        }
        assert!(["error", "warning", "note", "none"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
}

/// (ruleId, fingerprint) of every result.
fn fingerprints(dir: &Path) -> Vec<(String, String)> {
    let log = sarif_of(&crisislint_in(dir, &["--no-config", "--format", "sarif", "a.md"]));
    let mut prints: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let print = r["partialFingerprints"]["crisislint/v1"].as_str().unwrap().to_string();
            (r["ruleId"].as_str().unwrap().to_string(), print)
        })
        .collect();
    prints.sort();
    prints
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere_and_tell_copies_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let body = "Logins failed at 08:15 and again at 09:40.";
    write(&tmp.path().join("a.md"), &format!("# Login outage\n\n{body}\n"));
    let before = fingerprints(tmp.path());
    let times: Vec<&(String, String)> = before.iter().filter(|p| p.0 == "CL301").collect();
    assert_eq!(times.len(), 2);
    assert_ne!(times[0].1, times[1].1);
    write(
        &tmp.path().join("a.md"),
        &format!("# Login outage\n\nA new first paragraph\nover two lines.\n\n{body}\n"),
    );
    assert_eq!(
        fingerprints(tmp.path()),
        before,
        "moved findings keep their fingerprints"
    );
    write(
        &tmp.path().join("a.md"),
        &format!("# Login outage\n\n{body} Fixed at 10:05.\n"),
    );
    let after = fingerprints(tmp.path());
    assert_eq!(after.iter().filter(|p| p.0 == "CL301").count(), 3);
    assert!(before.iter().all(|p| after.contains(p)), "old ones unchanged, one new");
}

#[test]
fn sarif_carries_suggestions_as_fixes() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("a.md"), SUGGESTS);
    let log = sarif_of(&crisislint_in(
        tmp.path(),
        &["--no-config", "--select", "CL301", "--format", "sarif", "a.md"],
    ));
    let result = &log["runs"][0]["results"][0];
    let change = &result["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "a.md");
    let replacement = &change["replacements"][0];
    // An insertion right after `08:50` (columns 55-59): an empty deleted region at column 60.
    assert_eq!(
        replacement["deletedRegion"],
        serde_json::json!({"startLine": 3, "startColumn": 60, "endLine": 3, "endColumn": 60})
    );
    assert_eq!(replacement["insertedContent"]["text"], " UTC");
}

/// Validates a SARIF file with `sarif-multitool validate`; returns its findings as
/// `level rule: message` lines (notes left out).
fn validate(file: &Path) -> Vec<String> {
    let validator = tool(
        "SARIF_MULTITOOL",
        "node/node_modules/.bin/sarif-multitool",
        "sarif-multitool",
    );
    let out = file.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&out);
    let policy = root().join("tests/data/sarif-validator-policy.xml");
    let run: tools::Run = std::process::Command::new(&validator)
        .arg("validate")
        .arg(file)
        .arg("--output")
        .arg(&out)
        .arg("--config")
        .arg(&policy)
        .output()
        .expect("the validator runs")
        .into();
    assert_eq!(run.status, 0, "validator failed:\n{}\n{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("the validator wrote its log"))
        .expect("the validator's log is JSON");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["level"] != "note")
        .map(|r| format!("{} {}: {}", r["level"], r["ruleId"], r["message"]))
        .collect()
}

#[test]
fn the_official_validator_accepts_our_sarif_and_rejects_a_broken_log() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(&docs.join("a b,c.md"), SUGGESTS);
    std::fs::copy(root().join(FIXTURE), docs.join("positions.md")).unwrap();
    for entry in std::fs::read_dir(root().join("fixtures/missing-timezone")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            std::fs::copy(&path, docs.join(path.file_name().unwrap())).unwrap();
        }
    }
    let run = crisislint_in(tmp.path(), &["--no-config", "--format", "sarif", "docs"]);
    let log = sarif_of(&run);
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 10);
    assert!(run.stdout.contains("\"fixes\""));
    let ours = tmp.path().join("crisislint.sarif");
    std::fs::write(&ours, &run.stdout).unwrap();
    assert_eq!(validate(&ours), Vec::<String>::new());

    // The same log broken twice: the validator must see it (this proves it ran on the file).
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.md".into();
    let bad = tmp.path().join("broken.sarif");
    std::fs::write(&bad, broken.to_string()).unwrap();
    let errors = validate(&bad);
    assert!(errors.iter().any(|e| e.contains("JSON1008")), "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("SARIF1002")), "{errors:#?}");
}

#[test]
fn the_summary_is_one_markdown_table_per_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("ok.md"), "# Fine\n\nNothing to see.\n");
    write(
        &tmp.path().join("a|b.md"),
        "# Outage\n\nIt failed at 08:15. It recovered at 09:10.\n",
    );
    let run = crisislint_in(
        tmp.path(),
        &["--no-config", "--select", "CL301", "--format", "summary", "."],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let want = "## crisislint\n\n**2 errors, 0 warnings, 0 info in 1 file (2 files checked)**\n\n### a\\|b.md\n\n\
                | Line | Severity | Rule | Message |\n| ---: | --- | --- | --- |\n";
    assert!(run.stdout.starts_with(want), "{}", run.stdout);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("| 1:") || l.starts_with("| 3:"))
        .collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    assert!(rows[0].starts_with(
        "| 3:14 | 🔴 error | `CL301` missing-timezone | clock time \\`08:15\\` has no timezone<br>help: "
    ));
    assert!(rows[1].starts_with("| 3:37 | 🔴 error | `CL301` missing-timezone | clock time \\`09:10\\`"));
    let clean = crisislint_in(
        tmp.path(),
        &["--no-config", "--format", "summary", "ok.md", "--select", "CL301"],
    );
    assert_eq!(clean.stdout, "## crisislint\n\nNo findings in 1 file.\n");
}
