"""The performance table in one run: the hot path on SQLite and PostgreSQL, three instances, memory.

    make bench      # or: .venv/bin/python -m bench.run [--seconds 10] [--clients 100000]
                    #       [--databases sqlite,postgresql] [--no-cluster] [--no-memory]
                    #       [--source DIR]

For each database (SQLite, then a throwaway PostgreSQL), bench/hot_path.py's rows: the bare
aiohttp handler (the baseline) and ``dozvon serve`` with the seeded clients, driven by wrk with one
thread — routing at 32 and 4 connections, routing at 4 while ingestion at 16 runs at the same time,
ingestion alone, a client import, the vendors' routing endpoints — each with its ratio to the
baseline measured in the same run and what is wanted of it; then whether every acknowledged
update was stored, and how long after the load everything stored was folded. Then three instances
behind nginx on one PostgreSQL (bench/cluster.py) and memory and start-up at 100,000 and 1,000,000
clients (bench/memory.py). Everything is saved to bench/results/latest.json.

The exit status is 1 when an acknowledged update was not stored, something stored was not folded
within two minutes, or a three-instance check failed; a row short of its target is only reported.

``--source DIR``: the service (its schema, seeding and import too) runs from another checkout of
the project, e.g. a git worktree of an older commit; the load generator stays this one. The
three-instance and memory rows always run this checkout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import hot_path
from bench.common import ensure_wrk
from bench.databases import bench_database
from bench.hot_path import IMPORT, RESULTS, Setup, import_label, say, targets

MEMORY_SIZES = "100000,1000000"


# The ingestion runs of the hot path, by the prefix of their event ids.
RUN_NAMES = {"mix": "during routing", "paced": "paced during routing", "ing": "alone"}


def revision(tree: Path) -> str:
    """The tree's commit (short), ``+`` when it has uncommitted changes."""
    head = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (head or "?") + ("+" if dirty else "")


def table(database: str, setup: Setup, found: dict[str, Any]) -> tuple[list[str], bool]:
    """The database's rows as printed, and whether its checks (stored, folded) passed.
    ``found["revision"]``: the tree's revision when the run started."""
    wanted = targets(database)
    rows: dict[str, dict[str, Any]] = found["rows"]
    lines = [
        f"{database}, {setup.clients:,} clients, {found['revision']}, wrk -t1, "
        f"{setup.seconds} s per load",
        f"{'':28} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  wanted",
    ]
    if "jobs_s" in found:
        lines.insert(
            1,
            f"measured once the start-up jobs (statuses, reports) were done, "
            f"{found['jobs_s']:.1f} s after the service was ready",
        )
    for name, r in rows.items():
        ratio = f"{r['ratio']:6.2f}x" if "ratio" in r else f"{'—':>7}"
        target = wanted[name].text if name in wanted else ""
        lines.append(
            f"{name:28} {r['rps']:9.0f} {ratio} {r['p50_us'] / 1000:8.2f} "
            f"{r['p99_us'] / 1000:8.2f} {r['errors'] + r['non2xx']:7d}  {target}"
        )
        if name == "ingest c16" and IMPORT in found:
            lines.append(_import_line(found[IMPORT], wanted[IMPORT].text))
    if IMPORT in found and "ingest c16" not in rows:
        lines.append(_import_line(found[IMPORT], wanted[IMPORT].text))
    ok = True
    if "ingestion" in found:
        runs = found["ingestion"]["runs"]
        parts = [
            f"{RUN_NAMES.get(prefix, prefix)}: {run['acknowledged']} "
            f"acknowledged, {run['stored']} stored"
            + (" (wrk ran out of updates and repeated the last)" if run["ran_out"] else "")
            for prefix, run in runs.items()
        ]
        stored = found["ingestion"]["ok"]
        lines += [
            "",
            f"ingestion {'; '.join(parts)}: " + ("all committed" if stored else "LOST EVENTS"),
        ]
        folded = found["folded"]
        if folded["seconds"] is not None:
            lines.append(
                f"folded {folded['seconds']:.1f} s after the load ended "
                f"({folded['unfolded_when_checked']} updates not yet folded when checked)"
            )
        else:
            lines.append(
                f"NOT FOLDED: {folded['left']} updates left {hot_path.FOLD_WITHIN:.0f} s after "
                "the load ended"
            )
        ok = stored and folded["seconds"] is not None
    notes = found.get("log", {})
    lines.append(f"the service's log: {sum(notes.values())} warnings and errors")
    lines += [f"    {n} x {what}" for what, n in notes.items()]
    lines.append("")
    for v in found["verdicts"]:
        errors = f" ({v['errors']} errors)" if v["errors"] else ""
        met = "meets" if v["met"] else "MISSES"
        bare = f"; the bare handler under the same loads: {v['bare']}" if v.get("bare") else ""
        lines.append(
            f"{v['row']}: {v['figure']} — {met} {v['wanted']}{errors} (before: {v['before']}{bare})"
        )
    return lines, ok


def _import_line(found: dict[str, Any], target: str) -> str:
    return (
        f"{import_label(found['rows']):28} {found['seconds']:7.1f} s  ({found['created']} "
        f"created; the command took {found['command_s']:.1f} s{_settled(found)})  {target:>9}"
    )


def _settled(found: dict[str, Any]) -> str:
    """How long the service took to be idle before the import (absent from older results)."""
    settled = found.get("settled_s")
    return "" if settled is None else f", begun once the service was idle, {settled:.1f} s on"


def _memory(databases: list[str], sizes: list[int], report: dict[str, Any]) -> None:
    """bench/memory.py's rows, printed as each is measured."""
    try:
        from bench import memory

        each, show = memory.each_memory_row, memory.format_row
    except (ImportError, AttributeError) as exc:
        print(f"\nmemory rows not measured: bench/memory.py does not offer them ({exc})")
        report["memory"] = {"error": str(exc)}
        return
    print("\nmemory and start-up")
    report["memory"] = []
    for database in databases:
        for row in each(database, sizes):
            print(show(row), flush=True)
            report["memory"].append(row)
            _save(report)


def _save(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=int, default=10, help="each load (default 10)")
    parser.add_argument("--clients", type=int, default=100_000, help="seeded clients")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows imported")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument(
        "--rows",
        default=",".join(hot_path.GROUPS),
        help=f"the hot path's groups of rows, comma-separated: {', '.join(hot_path.GROUPS)}",
    )
    parser.add_argument("--no-cluster", action="store_true", help="no three-instance rows")
    parser.add_argument("--no-memory", action="store_true", help="no memory rows")
    parser.add_argument("--memory-sizes", default=MEMORY_SIZES, help="clients, comma-separated")
    parser.add_argument("--source", type=Path, help="run the service from this checkout")
    args = parser.parse_args()
    databases = [d for d in args.databases.split(",") if d]
    groups = [g for g in args.rows.split(",") if g]
    unknown = [d for d in databases if d not in ("sqlite", "postgresql")]
    unknown += [g for g in groups if g not in hot_path.GROUPS]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}")
    source = args.source.resolve() if args.source else None
    if source is not None and not (source / "hub" / "cli").is_dir():
        parser.error(f"{source} is not a checkout of the project")
    setup = Setup(
        wrk=ensure_wrk(),
        seconds=args.seconds,
        clients=args.clients,
        import_rows=args.import_rows,
        source=source,
        groups=groups,
    )
    report: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision(setup.tree),
        "source": str(source) if source else None,
        "seconds": args.seconds,
        "clients": args.clients,
        "databases": {},
    }
    ok = True
    for database in databases:
        measured = revision(setup.tree)
        with bench_database(database) as (url, work):
            found = {"revision": measured, **hot_path.measure(setup, url, work, database)}
        lines, checked = table(database, setup, found)
        ok = ok and checked
        report["databases"][database] = found
        _save(report)
        print("", *lines, sep="\n", flush=True)
    if not args.no_cluster:
        from bench.cluster import cluster_rows
        from bench.cluster import table as cluster_table

        say("three instances behind nginx ...")
        measured = revision(hot_path.ROOT)
        result = cluster_rows(setup.wrk, args.seconds, args.clients)
        report["cluster"] = {"revision": measured, **result}
        _save(report)
        print(
            f"\npostgresql, {args.clients:,} clients, {measured}: one instance "
            "against three behind nginx (route -c32, ingest -c16)",
            *cluster_table(result),
            sep="\n",
            flush=True,
        )
        ok = ok and bool(result["integrity"]["ok"])
    if not args.no_memory:
        sizes = [int(size.replace("_", "")) for size in args.memory_sizes.split(",")]
        _memory(databases, sizes, report)
    _save(report)
    print(f"\nsaved to {RESULTS / 'latest.json'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
