#!/usr/bin/env python3
"""crisislint benchmark: one command, one table.

Generates its inputs with ../shared/bench/gen_corpus.py, measures the parse-only floor
(bench/parse_floor.rs: read + every pulldown-cmark event, same options, no rules), crisislint
with one thread and with all cores, single-file latency, peak RSS, growth with document size,
and the prose linters users would pick instead (proselint, write-good, alex, textlint,
markdownlint-cli2) plus typos as the Rust reference (also on the 2,000 files, in turn with
crisislint), installed from the registries into bench/.tools. Prints a Markdown table and the
target ratios; writes it to bench/results.md.

    python3 bench/bench.py            # everything (peers installed on first run)
    python3 bench/bench.py --no-peers # crisislint and the floor only
    python3 bench/bench.py --quick    # fewer runs and smaller inputs, to try the script

Warm cache: every command runs once untimed, then --runs times; the table gives the median
and the min-max spread. The floor and crisislint, with one thread and all cores, run in turn
on each input (one run of each, --runs times), so that a slow spell of a shared machine falls
on all four alike: the targets are ratios between them. crisislint and typos run in turn the
same way, 15 times each (--quick: as many as the rest). Peak RSS is the largest ru_maxrss of
any timed run (os.wait4).
This is a benchmark, not a test: nothing here is run by CI.
"""
import argparse, os, shutil, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WORK = ROOT / "bench" / ".work"
TOOLS = ROOT / "bench" / ".tools"
BIN = ROOT / "target" / "release" / "crisislint"
FLOOR = ROOT / "target" / "release" / "examples" / "parse-floor"


def sh(cmd, **kw):
    print("+", " ".join(map(str, cmd)), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def run_once(cmd, env=None):
    """Wall time (s), peak RSS (KiB) and exit code of one run."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def summary(results):
    times = [r[0] for r in results]
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "rss": max(r[1] for r in results), "code": results[-1][2]}


def measure(cmd, runs, env=None):
    """Median wall time (s), min, max, peak RSS (KiB), exit code; one untimed warm-up run."""
    return measure_in_turn([cmd], runs, env)[0]


def measure_in_turn(cmds, runs, env=None):
    """`measure` of several commands, run in turn (one run of each, `runs` times): a slow spell
    of the machine then falls on all of them alike, and the targets are ratios between them."""
    for cmd in cmds:
        run_once(cmd, env)
    results = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            results[i].append(run_once(cmd, env))
    return [summary(r) for r in results]


def size_of(path):
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*.md"))


def generate(quick):
    gen = SHARED / "bench" / "gen_corpus.py"
    big = "5MB" if quick else "50MB"
    specs = {
        "dir": ["--files", "200" if quick else "2000", "--size", "4096"],
        "big": ["--one-file", big],
        "one": ["--files", "1", "--size", "4096"],
        "mb1": ["--one-file", "1MB"],
        "mb10": ["--one-file", "10MB"],
        "peers": ["--files", "100", "--size", "4096"],
        "peer-big": ["--one-file", "1MB", "--seed", "2"],
    }
    for name, args in specs.items():
        out = WORK / (name + ("-quick" if quick and name in ("dir", "big") else ""))
        if not out.exists():
            sh([sys.executable, str(gen), str(out), *args], stdout=subprocess.DEVNULL)
    pick = lambda name: WORK / (name + ("-quick" if quick and name in ("dir", "big") else ""))
    single = lambda d: next(Path(d).rglob("*.md"))
    return {"dir": pick("dir"), "big": single(pick("big")), "one": single(pick("one")),
            "mb1": single(pick("mb1")), "mb10": single(pick("mb10")),
            "peers": pick("peers"), "peer-big": single(pick("peer-big"))}


def install_peers():
    """Peers from their registries into bench/.tools; returns {name: argv prefix}."""
    py, node, cargo = TOOLS / "py", TOOLS / "node", TOOLS / "cargo"
    if not (py / "bin").exists():
        sh([sys.executable, "-m", "pip", "install", "--quiet", "--prefix", str(py), "proselint"])
    if not (node / "node_modules").exists():
        node.mkdir(parents=True, exist_ok=True)
        sh(["npm", "install", "--silent", "--prefix", str(node), "write-good", "alex", "textlint",
            "textlint-rule-write-good", "markdownlint-cli2"])
    if not (cargo / "bin" / "typos").exists():
        sh(["cargo", "install", "--quiet", "--locked", "--root", str(cargo), "typos-cli"])
    site = next((py / "lib").glob("python3*/site-packages"))
    nb = node / "node_modules" / ".bin"
    return {
        "proselint": ["env", f"PYTHONPATH={site}", str(py / "bin" / "proselint"), "check"],
        "write-good": [str(nb / "write-good"), "--parse"],
        "alex": [str(nb / "alex"), "--quiet"],
        "textlint": [str(nb / "textlint"), "--rule", "write-good", "--format", "json", "--rules-base-directory", str(node / "node_modules")],
        "markdownlint-cli2": [str(nb / "markdownlint-cli2")],
        "typos": [str(cargo / "bin" / "typos"), "--format", "json"],
    }


# Runs of crisislint and typos, in turn, on each input they share.
TYPOS_RUNS = 15


def files_of(path):
    path = Path(path)
    return [str(path)] if path.is_file() else sorted(str(p) for p in path.rglob("*.md"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = ap.parse_args()
    runs = 2 if args.quick else args.runs

    sh(["cargo", "build", "--release", "--quiet", "--bin", "crisislint", "--example", "parse-floor"], cwd=ROOT)
    inputs = generate(args.quick)
    cores = os.cpu_count()
    rows, figures = [], {}

    def record(label, m, data, note):
        mb = size_of(data) / 1e6
        nfiles = len(files_of(data))
        figures[label] = dict(m, mb=mb)
        rows.append(f"| {label} | {nfiles} | {mb:.1f} | {m['median']*1000:.0f} ({m['min']*1000:.0f}-{m['max']*1000:.0f}) "
                    f"| {nfiles / m['median']:.0f} | {mb / m['median']:.1f} | {m['rss'] / 1024:.0f} | {m['code']} | {note} |")
        return m

    def row(label, cmd, data, note="", runs=runs):
        return record(label, measure([str(c) for c in cmd], runs), data, note)

    check = [BIN, "check", "--format", "json", "--no-config"]
    for target in ("dir", "big"):
        data = inputs[target]
        group = [
            (f"floor, 1 thread, {target}", [FLOOR, "--threads", "1", data]),
            (f"floor, {cores} threads, {target}", [FLOOR, data]),
            (f"crisislint, 1 thread, {target}", [*check, "--threads", "1", data]),
            (f"crisislint, {cores} threads, {target}", [*check, data]),
        ]
        measured = measure_in_turn([[str(c) for c in cmd] for _, cmd in group], runs)
        for (label, _), m in zip(group, measured):
            record(label, m, data, "in turn with the other three")
    row("crisislint, one 4 KB file (latency)", [*check, inputs["one"]], inputs["one"], "process start included", runs=max(runs, 20))
    # Growth: the 50 MB file is the `big` row above.
    for target in ("mb1", "mb10"):
        data = inputs[target]
        row(f"crisislint, 1 thread, {target}", [*check, "--threads", "1", data], data, "growth")

    if not args.no_peers:
        peers = install_peers()
        in_turn = runs if args.quick else max(runs, TYPOS_RUNS)
        for data_key in ("peers", "peer-big"):
            data = inputs[data_key]
            # typos uses every core unless told otherwise: it is compared thread count for
            # thread count, in turn with crisislint (as the floor is), and with more runs: each
            # run takes about 0.1 s, and 5 medians measured apart differed by up to 2x from one
            # benchmark run to the next. The other peers run on one thread.
            group = [
                (f"crisislint, 1 thread, {data_key}", [*check, "--threads", "1", data]),
                (f"typos, 1 thread, {data_key}", [*peers["typos"], "--threads", "1", data]),
                (f"crisislint, {cores} threads, {data_key}", [*check, data]),
                (f"typos, {data_key}", [*peers["typos"], data]),
            ]
            measured = measure_in_turn([[str(c) for c in cmd] for _, cmd in group], in_turn)
            for (label, _), m in zip(group, measured):
                record(label, m, data, f"in turn with the other three, {in_turn} runs")
            for name, prefix in peers.items():
                if name != "typos":
                    row(f"{name}, {data_key}", [*prefix, *files_of(data)], data, "peer")
        # typos on the 2,000 files too, in turn with crisislint and as many times: the per-file
        # cost once both have started, and a simpler tool's distance from the floor. (With 5
        # runs, typos / crisislint on 1 thread read 1.31x, 1.19x and 0.81x in three runs of one
        # afternoon.)
        data = inputs["dir"]
        group = [
            ("crisislint, 1 thread, dir, with typos", [*check, "--threads", "1", data]),
            ("typos, 1 thread, dir", [*peers["typos"], "--threads", "1", data]),
            (f"crisislint, {cores} threads, dir, with typos", [*check, data]),
            ("typos, dir", [*peers["typos"], data]),
        ]
        measured = measure_in_turn([[str(c) for c in cmd] for _, cmd in group], in_turn)
        for (label, _), m in zip(group, measured):
            record(label, m, data, f"in turn with the other three, {in_turn} runs")

    f = figures
    def ratio(a, b):
        return f[a]["median"] / f[b]["median"] if a in f and b in f else float("nan")
    per_mb = lambda key: f[key]["median"] / f[key]["mb"]
    big_key = f"crisislint, 1 thread, big"
    lines = [
        f"Machine: {cores} cores, {os.uname().sysname} {os.uname().release}, {runs} runs per figure (median, min-max).",
        "",
        "| what | files | MB | ms median (min-max) | files/s | MB/s | peak RSS MiB | exit | note |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "| target | measured |",
        "|---|---|",
        f"| 1 thread vs floor, directory (<= 1.5x) | {ratio('crisislint, 1 thread, dir', 'floor, 1 thread, dir'):.2f}x |",
        f"| 1 thread vs floor, big file (<= 1.5x) | {ratio(big_key, 'floor, 1 thread, big'):.2f}x |",
        f"| all cores speed-up, directory (>= 1.8x on 2 cores) | {ratio('crisislint, 1 thread, dir', f'crisislint, {cores} threads, dir'):.2f}x |",
        f"| time per MB, big file / directory (<= 1.25) | {per_mb(big_key) / per_mb('crisislint, 1 thread, dir'):.2f} |",
        f"| ms per MB at 1 / 10 / 50 MB (linear: about equal) | {per_mb('crisislint, 1 thread, mb1') * 1000:.0f} / "
        f"{per_mb('crisislint, 1 thread, mb10') * 1000:.0f} / {per_mb(big_key) * 1000:.0f} |",
        f"| single 4 KB file (< 10 ms) | {f['crisislint, one 4 KB file (latency)']['median'] * 1000:.1f} ms |",
        f"| peak RSS vs 3x largest file + 30 MB | {f[big_key]['rss'] / 1024:.0f} MiB vs {3 * f[big_key]['mb'] * 1e6 / 2**20 + 30:.0f} MiB |",
    ]
    if not args.no_peers:
        for data_key in ("peers", "peer-big"):
            ours = f[f"crisislint, 1 thread, {data_key}"]["median"]
            for name in ("proselint", "write-good", "alex", "textlint", "markdownlint-cli2"):
                key = f"{name}, {data_key}"
                if key in f:
                    lines.append(f"| {name} / crisislint, {data_key} | {f[key]['median'] / ours:.2f}x |")
            lines.append(f"| typos / crisislint, {data_key}, {cores} threads each | "
                         f"{ratio(f'typos, {data_key}', f'crisislint, {cores} threads, {data_key}'):.2f}x |")
            lines.append(f"| typos / crisislint, {data_key}, 1 thread each | "
                         f"{ratio(f'typos, 1 thread, {data_key}', f'crisislint, 1 thread, {data_key}'):.2f}x |")
        lines += [
            f"| typos / crisislint, dir, {cores} threads each | "
            f"{ratio('typos, dir', f'crisislint, {cores} threads, dir, with typos'):.2f}x |",
            f"| typos / crisislint, dir, 1 thread each | "
            f"{ratio('typos, 1 thread, dir', 'crisislint, 1 thread, dir, with typos'):.2f}x |",
            f"| typos, 1 thread, vs floor, directory (reference) | {ratio('typos, 1 thread, dir', 'floor, 1 thread, dir'):.2f}x |",
        ]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
