"""Two revisions measured alternately on the same machine: what a change bought.

    .venv/bin/python -m bench.ab REV_A REV_B [--seconds 10] [--rows baseline,route,mixed,ingest]
        [--rounds 2] [--database sqlite] [--clients 100000] [--pause 0]

Each revision is checked out in a git worktree of its own (``.`` is this working tree as it
is, uncommitted changes included); then bench/hot_path.py's rows run against A, B, A, B ...
(``--rounds`` times each, ``--pause`` seconds between runs), every run on a fresh database with the
service started from that revision's tree and the same load generator. Printed: each row's
figures for A and B side by side, every run's and the median, and B's median over A's. The
worktrees are removed at the end; the figures are saved to bench/results/ab-latest.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench import hot_path
from bench.common import ensure_wrk
from bench.databases import bench_database
from bench.hot_path import BY_NAME, IMPORT, RESULTS, ROOT, Setup, import_label, say

DEFAULT_ROWS = "baseline,route,mixed,ingest"
# (label, key in the row's figures, how it is printed): the figures compared for each row.
FIGURES = (
    ("req/s", "rps", "{:.0f}"),
    ("ratio", "ratio", "{:.2f}"),
    ("p99 ms", "p99_ms", "{:.2f}"),
    ("seconds", "seconds", "{:.1f}"),
)


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def describe(rev: str) -> str:
    if rev == ".":
        return f"the working tree ({_git('rev-parse', '--short', 'HEAD')} and its changes)"
    return _git("log", "-1", "--format=%h %s", rev)[:90]


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A worktree of ``rev`` (detached), removed afterwards; ``.``: this tree itself."""
    if rev == ".":
        yield ROOT
        return
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    path = Path(tempfile.mkdtemp(prefix="dozvon-ab-"))
    _git("worktree", "add", "--detach", "--quiet", str(path), commit)
    try:
        yield path
    finally:
        _git("worktree", "remove", "--force", str(path))


def _figures(found: dict[str, Any]) -> dict[str, dict[str, float]]:
    """One run's figures by row: req/s, ratio, p99 in ms; the import's seconds."""
    rows: dict[str, dict[str, float]] = {}
    for name, r in found["rows"].items():
        rows[name] = {"rps": r["rps"], "p99_ms": r["p99_us"] / 1000}
        if "ratio" in r:
            rows[name]["ratio"] = r["ratio"]
        errors = r["errors"] + r["non2xx"]
        if errors:
            rows[name]["errors"] = errors
    if IMPORT in found:
        rows[import_label(found[IMPORT]["rows"])] = {"seconds": found[IMPORT]["seconds"]}
    return rows


def _problems(found: dict[str, Any]) -> list[str]:
    problems = []
    if "ingestion" in found and not found["ingestion"]["ok"]:
        problems.append("LOST EVENTS")
    if "folded" in found and found["folded"]["seconds"] is None:
        problems.append(f"{found['folded']['left']} updates not folded")
    return problems


def _cell(values: list[float], form: str) -> str:
    return " ".join(form.format(v) for v in values)


def table(runs: dict[str, list[dict[str, dict[str, float]]]]) -> list[str]:
    """Each row's figures: A's runs, A's median, B's runs, B's median, B / A."""
    a, b = runs["A"], runs["B"]
    names = [n for n in (*BY_NAME, *(k for k in a[0] if k.startswith("import"))) if n in a[0]]
    lines = [
        f"{'row':22} {'figure':7} {'A runs':>24} {'A median':>9} {'B runs':>24} "
        f"{'B median':>9} {'B / A':>6}"
    ]
    for name in names:
        first = True
        for label, key, form in FIGURES:
            va = [run[name][key] for run in a if key in run.get(name, {})]
            vb = [run[name][key] for run in b if key in run.get(name, {})]
            if not va or not vb:
                continue
            ma, mb = statistics.median(va), statistics.median(vb)
            change = f"{mb / ma:5.2f}x" if ma else ""
            lines.append(
                f"{name if first else '':22} {label:7} {_cell(va, form):>24} "
                f"{form.format(ma):>9} {_cell(vb, form):>24} {form.format(mb):>9} {change:>6}"
            )
            first = False
        errors = [run[name].get("errors", 0) for run in (*a, *b) if name in run]
        if any(errors):
            lines.append(f"{'':22} errors  {' '.join(str(int(e)) for e in errors)} (A, B, A, B…)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("rev_a", metavar="REV_A", help="a commit, or . for this working tree")
    parser.add_argument("rev_b", metavar="REV_B", help="a commit, or . for this working tree")
    parser.add_argument("--seconds", type=int, default=10, help="each load (default 10)")
    parser.add_argument(
        "--rows",
        default=DEFAULT_ROWS,
        help=f"groups of rows, comma-separated, of: {', '.join(hot_path.GROUPS)}",
    )
    parser.add_argument("--rounds", type=int, default=2, help="runs of each revision (A B A B)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--pause", type=float, default=0, help="seconds between runs")
    args = parser.parse_args()
    groups = [g for g in args.rows.split(",") if g]
    unknown = [g for g in groups if g not in hot_path.GROUPS]
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)}")
    revs = {"A": args.rev_a, "B": args.rev_b}
    described = {side: describe(rev) for side, rev in revs.items()}
    wrk_path = ensure_wrk()
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"A": [], "B": []}
    raw: list[dict[str, Any]] = []
    problems: list[str] = []
    with ExitStack() as stack:
        trees = {side: stack.enter_context(checkout(rev)) for side, rev in revs.items()}
        for round_ in range(args.rounds):
            for side in ("A", "B"):
                if raw and args.pause:
                    time.sleep(args.pause)
                say(f"round {round_ + 1} of {args.rounds}: {side} = {described[side]}")
                setup = Setup(
                    wrk=wrk_path,
                    seconds=args.seconds,
                    clients=args.clients,
                    import_rows=args.import_rows,
                    source=trees[side],
                    groups=groups,
                )
                with bench_database(args.database) as (url, work):
                    found = hot_path.measure(setup, url, work, args.database)
                runs[side].append(_figures(found))
                raw.append({"side": side, "round": round_ + 1, **found})
                problems += [f"{side} run {round_ + 1}: {p}" for p in _problems(found)]
                RESULTS.mkdir(exist_ok=True)
                (RESULTS / "ab-latest.json").write_text(
                    json.dumps({"revisions": described, "runs": raw}, indent=2, default=str)
                )
    print(
        f"\n{args.database}, {args.clients:,} clients, wrk -t1, {args.seconds} s per load, "
        f"runs in the order {' '.join(['A', 'B'] * args.rounds)}",
        f"A = {revs['A']}: {described['A']}",
        f"B = {revs['B']}: {described['B']}",
        "",
        *table(runs),
        sep="\n",
    )
    for problem in problems:
        print(problem)
    print(f"\nsaved to {RESULTS / 'ab-latest.json'}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
