#!/usr/bin/env python3
"""The crisislint GitHub Action's script: lint, annotate, summarize, write SARIF, fail.

Runs on the runner's own Python 3 with the standard library only. Every input arrives through
environment variables (INPUT_*, GITHUB_*), never spliced into a shell script, and every command
runs without a shell, so a file or branch name cannot run code.

Environment:
  CRISISLINT_BIN      the crisislint binary (default: `crisislint` on PATH)
  INPUT_PATHS         files or directories to lint, one per line (default: the Markdown files
                      changed in the pull request, or `.` outside pull requests)
  INPUT_ALL_FILES     `true`: lint INPUT_PATHS (default `.`) whole, not only changed files
  INPUT_CONFIG        a crisislint.toml to use for every file (monorepos)
  INPUT_FAIL_ON       error | warning | info | never (default: the configuration's, else error)
  INPUT_SARIF_FILE    write SARIF 2.1.0 here (for github/codeql-action/upload-sarif)
  INPUT_ANNOTATIONS   `false`: no annotations
  INPUT_SUMMARY       `false`: no job summary
  GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT: set by GitHub
"""

import json
import os
import re
import subprocess
import sys

# GitHub shows at most this many annotations of each level per step and drops the rest.
ANNOTATIONS_PER_LEVEL = 10
MARKDOWN = (".md", ".markdown")
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def env(name, default=""):
    return os.environ.get(name, default).strip()


def flag(name, default):
    value = env(name, default).lower()
    if value not in ("true", "false"):
        fail_usage(f"{name} must be true or false, not {value!r}")
    return value == "true"


def fail_usage(message):
    print(f"::error title=crisislint action::{escape(message)}")
    sys.exit(2)


def escape(text):
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def git(*args, check=True):
    """Runs git without a shell and with literal pathspecs; its stdout as text."""
    result = subprocess.run(
        ["git", "--literal-pathspecs", *args], capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def normal(path):
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def pull_request_base(event):
    """The commit to diff against, fetched if the checkout is shallow; None outside PRs."""
    if env("GITHUB_EVENT_NAME") not in PULL_REQUEST_EVENTS:
        return None
    base = ((event.get("pull_request") or {}).get("base") or {}).get("sha")
    if not base or not re.fullmatch(r"[0-9a-f]{40}", base):
        fail_usage("the pull request event has no base commit")
    if git("cat-file", "-e", f"{base}^{{commit}}", check=False).returncode != 0:
        git("fetch", "--no-tags", "--depth=1", "origin", base)
    merge_base = git("merge-base", base, "HEAD", check=False)
    # With the usual shallow checkout of the merge commit there is no merge base to find, and
    # the diff from the base to the merge commit is exactly the pull request's change.
    return merge_base.stdout.strip() if merge_base.returncode == 0 else base


def under(path, roots):
    return not roots or any(r in (".", "") or path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def changed_markdown(base, roots):
    """Markdown files added, copied, modified or renamed since `base`, within `roots`."""
    out = git("diff", "--name-only", "--relative", "-z", "--no-renames", "--diff-filter=ACMR", base, "HEAD").stdout
    files = [normal(p) for p in out.split("\0") if p]
    return [p for p in files if p.lower().endswith(MARKDOWN) and under(p, roots) and os.path.isfile(p)]


def changed_lines(base, path):
    """The line numbers of `path` that the pull request added or changed."""
    out = git("diff", "-U0", "--no-color", "--no-ext-diff", base, "HEAD", "--", path).stdout
    lines = set()
    for line in out.splitlines():
        match = HUNK.match(line)
        if match:
            start, count = int(match.group(1)), int(match.group(2) or "1")
            lines.update(range(start, start + count))
    return lines


def crisislint(fmt, options, targets):
    binary = env("CRISISLINT_BIN") or "crisislint"
    command = [binary, "check", "--format", fmt, "--color", "never", *options, "--", *targets]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.stderr:
        sys.stderr.write(result.stderr)
    return result


def annotate(findings, commands, lines_of):
    """Prints at most ANNOTATIONS_PER_LEVEL commands per level, changed lines first; returns
    (annotated, hidden)."""
    by_level = {}
    for finding, command in zip(findings, commands):
        changed = finding["start"]["line"] in lines_of(finding["path"])
        by_level.setdefault(finding["severity"], []).append((not changed, command))
    shown = hidden = 0
    for level in ("error", "warning", "info"):
        ordered = sorted(by_level.get(level, []), key=lambda item: item[0])  # stable: file order
        for _, command in ordered[:ANNOTATIONS_PER_LEVEL]:
            print(command)
        shown += min(len(ordered), ANNOTATIONS_PER_LEVEL)
        hidden += max(0, len(ordered) - ANNOTATIONS_PER_LEVEL)
    return shown, hidden


def append(path_variable, text):
    path = env(path_variable)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(text)


def main():
    event = {}
    if env("GITHUB_EVENT_PATH") and os.path.isfile(env("GITHUB_EVENT_PATH")):
        with open(env("GITHUB_EVENT_PATH"), encoding="utf-8") as f:
            event = json.load(f)
    roots = [normal(p.strip()) for p in os.environ.get("INPUT_PATHS", "").splitlines() if p.strip()]
    fail_on = env("INPUT_FAIL_ON")
    if fail_on and fail_on not in ("error", "warning", "info", "never"):
        fail_usage(f"fail-on must be error, warning, info or never, not {fail_on!r}")
    options = []
    if env("INPUT_CONFIG"):
        options += ["--config", env("INPUT_CONFIG")]
    if fail_on:
        options += ["--fail-on", fail_on]
    annotations = flag("INPUT_ANNOTATIONS", "true")
    summary = flag("INPUT_SUMMARY", "true")

    base = None if flag("INPUT_ALL_FILES", "false") else pull_request_base(event)
    if base is None:
        targets, lines_of = roots or ["."], lambda path: ()
    else:
        targets = changed_markdown(base, roots)
        cache = {}
        lines_of = lambda path: cache.setdefault(normal(path), changed_lines(base, normal(path)))
        if not targets:
            print("crisislint: no Markdown file changed in this pull request")
            if summary:
                append("GITHUB_STEP_SUMMARY", "## crisislint\n\nNo Markdown file changed in this pull request.\n")
            append("GITHUB_OUTPUT", "findings=0\n")
            return 0

    result = crisislint("json", options, targets)
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"::error title=crisislint::{escape('crisislint failed: ' + result.stderr.strip())}")
        return 2
    shown = hidden = 0
    if annotations and findings:
        commands = crisislint("github", options, targets).stdout.splitlines()
        if len(commands) != len(findings):
            print("::error title=crisislint::the github and json outputs disagree; please report it")
            return 2
        shown, hidden = annotate(findings, commands, lines_of)
    if summary:
        text = crisislint("summary", options, targets).stdout
        if hidden:
            text += (
                f"\n> [!NOTE]\n> {shown} findings are annotated on the diff (those on changed lines "
                f"first); {hidden} more are listed above only, as GitHub shows at most "
                f"{ANNOTATIONS_PER_LEVEL} annotations of each level per step.\n"
            )
        append("GITHUB_STEP_SUMMARY", text + "\n")
    sarif_file = env("INPUT_SARIF_FILE")
    if "\n" in sarif_file or "\r" in sarif_file:
        fail_usage("sarif-file must be one line")
    if sarif_file:
        sarif = crisislint("sarif", options, targets).stdout
        with open(sarif_file, "w", encoding="utf-8") as out:
            out.write(sarif)
        append("GITHUB_OUTPUT", f"sarif-file={sarif_file}\n")
    append("GITHUB_OUTPUT", f"findings={len(findings)}\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
