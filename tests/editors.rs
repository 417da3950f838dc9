//! The editor recipes in docs/editors.md, checked against `--format short`: Vim's errorformat
//! read by Vim itself, and the VS Code problem matcher's pattern.

mod tools;

use serde_json::Value;
use std::process::{Command, Stdio};
use tools::{crisislint, root, tool};

const FIXTURE: &str = "tests/data/positions.md";

fn docs() -> String {
    std::fs::read_to_string(root().join("docs/editors.md")).unwrap()
}

/// The first fenced block of `language` after `marker` in docs/editors.md.
fn block(marker: &str, language: &str) -> String {
    let docs = docs();
    let after = &docs[docs
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in docs/editors.md"))..];
    let open = format!("```{language}\n");
    let start = after.find(&open).unwrap() + open.len();
    after[start..start + after[start..].find("```").unwrap()].to_string()
}

/// (line, column, severity, message, rule) of every finding, from the JSON output.
fn expected() -> Vec<(u64, u64, String, String, String)> {
    let run = crisislint(&["--no-config", "--format", "json", FIXTURE]);
    let findings: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            let start = &f["start"];
            (
                start["line"].as_u64().unwrap(),
                start["column"].as_u64().unwrap(),
                s("severity"),
                s("message"),
                s("rule"),
            )
        })
        .collect()
}

#[test]
fn the_vs_code_problem_matcher_reads_every_field_of_short_output() {
    let tasks: Value = serde_json::from_str(&block("tasks.json", "json")).expect("the tasks.json block is JSON");
    let matcher = &tasks["tasks"][0]["problemMatcher"];
    let pattern = &matcher["pattern"];
    let regex = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |k: &str| pattern[k].as_u64().unwrap() as usize;
    let short = crisislint(&["--no-config", "--format", "short", FIXTURE]);
    let got: Vec<(u64, u64, String, String, String)> = short
        .stdout
        .lines()
        .map(|line| {
            let c = regex.captures(line).unwrap_or_else(|| panic!("no match: {line}"));
            assert_eq!(&c[group("file")], FIXTURE);
            let text = |k: &str| c[group(k)].to_string();
            (
                text("line").parse().unwrap(),
                text("column").parse().unwrap(),
                text("severity"),
                text("message"),
                text("code"),
            )
        })
        .collect();
    assert_eq!(got, expected());
    assert_eq!(
        tasks["tasks"][0]["args"],
        serde_json::json!(["check", "--format", "short", "."])
    );
}

#[test]
fn vim_fills_the_quickfix_list_with_the_documented_errorformat() {
    let vim = tool("VIM", "none", "vim");
    let setting = block("### Vim and Neovim", "vim");
    let errorformat = setting
        .lines()
        .find(|l| l.starts_with("setlocal errorformat="))
        .expect("an errorformat line");
    let tmp = tempfile::tempdir().unwrap();
    let short = crisislint(&["--no-config", "--format", "short", FIXTURE]);
    std::fs::write(tmp.path().join("short.txt"), &short.stdout).unwrap();
    let script = format!(
        "{errorformat}\ncfile short.txt\n\
         call writefile([json_encode(map(getqflist(), {{_, e -> [e.valid, bufname(e.bufnr), e.lnum, e.col, e.type, e.text]}}))], 'qf.json')\n\
         qall!\n"
    );
    std::fs::write(tmp.path().join("qf.vim"), script).unwrap();
    let status = Command::new(vim)
        .args(["-Nu", "NONE", "-i", "NONE", "-es", "-S", "qf.vim"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let list: Vec<(u64, String, u64, u64, String, String)> =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("qf.json")).unwrap()).unwrap();
    let want: Vec<(u64, String, u64, u64, String, String)> = expected()
        .into_iter()
        .map(|(line, column, severity, message, rule)| {
            let kind = severity[..1].to_string();
            (
                1,
                FIXTURE.to_string(),
                line,
                column,
                kind,
                format!("{message} [{rule}]"),
            )
        })
        .collect();
    assert_eq!(list, want);
}

#[test]
fn the_example_workflow_uses_the_actions_inputs_and_keeps_expressions_out_of_scripts() {
    let workflow = std::fs::read_to_string(root().join("docs/examples/crisislint.yml")).unwrap();
    let guide = std::fs::read_to_string(root().join("docs/github-action.md")).unwrap();
    assert!(
        guide.contains(workflow.split_once('\n').unwrap().1),
        "the guide shows the example file"
    );
    let action = yaml_rust2::YamlLoader::load_from_str(&std::fs::read_to_string(root().join("action.yml")).unwrap())
        .unwrap()
        .remove(0);
    let docs = yaml_rust2::YamlLoader::load_from_str(&workflow).expect("the example is YAML");
    let steps = docs[0]["jobs"]["crisislint"]["steps"].as_vec().unwrap();
    let ours = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("crisislint/crisislint@"))
        })
        .expect("the example uses the action");
    for (key, _) in ours["with"].as_hash().unwrap() {
        let key = key.as_str().unwrap();
        assert!(!action["inputs"][key].is_badvalue(), "the action has no input `{key}`");
    }
    assert!(
        steps.iter().all(|s| s["run"].is_badvalue()),
        "no script in the example to splice into"
    );
}
