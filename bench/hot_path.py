"""The hot path's rows: routing and durable ingestion against a bare aiohttp handler, one database.

``measure`` is one run on one database: the directory seeded, the bare handler measured (GET at
32 and 4 connections, POST at 16), then ``dozvon serve``: routing at 32 connections and right
after at 4, routing at 4 while an ingestion load at 16 runs at the same time (two wrk started
together), ingestion alone, the vendors' routing endpoints; every acknowledged update checked
stored, and the time it takes until everything stored is folded; last, a client import through
``dozvon import clients`` while the (idle) service runs. Every load is wrk with one thread;
ingestion sends each update once (fresh event ids, one update per request).

``source``: the service, the seeding's schema and the import run from another checkout of the
project (its folder first on PYTHONPATH); the load generator and the requests stay this one's.
bench/run.py prints the rows; bench/ab.py compares two revisions with them.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench import vendor_requests
from bench.common import (
    free_port,
    ingest_lines,
    phone,
    requests_file,
    route_lines,
    serve,
    service_env,
    settle_sequences,
    stop,
    wait_idle,
    wait_jobs,
    wait_ready,
    wrk,
    wrk_command,
    wrk_env,
    wrk_result,
)
from config.settings import DatabaseSettings
from storage.db import create_engine

ROOT = Path(__file__).parent.parent
RESULTS = ROOT / "bench" / "results"
# Updates per second of load prepared for each ingestion run: more than it takes, so none is
# sent twice (wrk repeats the last request when it runs out).
INGEST_PER_SECOND = 8000
FOLD_WITHIN = 120.0
VENDORS = ("zadarma", "twilio", "asterisk")
GROUPS = ("baseline", "route", "mixed", "ingest", "vendors", "import")


# The paced ingestion beside routing: updates a second, far above a large office's peak (500
# people taking two calls a minute each, six updates a call: about 100), far below what the
# service takes at most — the load a PBX puts on it, not a flood.
PACED = 500
INGEST_CONNECTIONS = 16
# Paced, each of many connections pauses long between its requests, so that the rate depends
# little on how long each takes to answer (the rate reached is what the table shows).
PACED_CONNECTIONS = 50


# The bare handler's GET at 4 connections while its POST takes a load at the same time (two wrk
# started together, as for routing beside ingestion): what the machine itself allows the routing
# rows measured that way — two load generators and a server on the same processors.
BARE_TOGETHER = "baseline GET c4 + POST c16"
BARE_PACED = f"baseline GET c4 + POST {PACED}/s"
# Their POST halves: what the ingestion beside routing is divided by.
BARE_POSTING = "baseline POST c16 + GET c4"
BARE_POSTING_PACED = f"baseline POST {PACED}/s + GET c4"


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    group: str
    baseline: str | None  # the row whose req/s this one's is divided by


ROWS = (
    Row("baseline GET c32", "baseline", None),
    Row("route c32", "route", "baseline GET c32"),
    Row("baseline GET c4", "baseline", None),
    Row("route c4", "route", "baseline GET c4"),
    Row(BARE_TOGETHER, "baseline", None),
    Row(BARE_POSTING, "baseline", None),
    Row("route c4 + ingest", "mixed", BARE_TOGETHER),
    Row("ingest during route", "mixed", BARE_POSTING),
    Row(BARE_PACED, "baseline", None),
    Row(BARE_POSTING_PACED, "baseline", None),
    Row(f"route c4 + ingest {PACED}/s", "mixed", BARE_PACED),
    Row(f"ingest {PACED}/s during route", "mixed", BARE_POSTING_PACED),
    Row("baseline POST c16", "baseline", None),
    Row("ingest c16", "ingest", "baseline POST c16"),
    *(
        Row(f"{vendor} c{c}", "vendors", f"baseline GET c{c}")
        for vendor in VENDORS
        for c in (32, 4)
    ),
)
BY_NAME = {row.name: row for row in ROWS}
IMPORT = "import"


@dataclass(frozen=True, slots=True)
class Target:
    """A figure's bound: ``key`` of the row's figures (``ratio``, ``p99_us``, ``seconds``)."""

    key: str
    limit: float
    at_least: bool
    before: str  # the figure before the hot paths were reworked

    @property
    def text(self) -> str:
        if self.key == "ratio":
            return f"≥ {self.limit:g}×"
        if self.key == "p99_us":
            return f"p99 ≤ {self.limit / 1000:g} ms"
        return f"≤ {self.limit:g} s"

    def figure(self, figures: dict[str, Any]) -> str:
        value = figures[self.key]
        if self.key == "ratio":
            return f"{value:.2f}×"
        if self.key == "p99_us":
            return f"p99 {value / 1000:.2f} ms"
        return f"{value:.1f} s"

    def met(self, figures: dict[str, Any]) -> bool:
        value = figures[self.key]
        return bool(value >= self.limit if self.at_least else value <= self.limit)


def targets(database: str) -> dict[str, Target]:
    """What each row should reach."""
    ingest = 0.3 if database == "postgresql" else 0.15
    return {
        "route c32": Target("ratio", 0.5, at_least=True, before="0.29×"),
        "route c4": Target("p99_us", 5000, at_least=False, before="p99 95 ms"),
        "route c4 + ingest": Target("p99_us", 5000, at_least=False, before="p99 95 ms, alone"),
        f"route c4 + ingest {PACED}/s": Target(
            "p99_us", 5000, at_least=False, before="p99 95 ms, alone"
        ),
        "ingest c16": Target(
            "ratio",
            ingest,
            at_least=True,
            before="0.05×" if database == "sqlite" else "0.11×, the README's",
        ),
        IMPORT: Target("seconds", 9, at_least=False, before="9 s"),
    }


def verdicts(database: str, found: dict[str, Any]) -> list[dict[str, Any]]:
    """Each measured row with a target: its figure, the target, and whether it meets it (a row
    with errors never does)."""
    rows: dict[str, dict[str, Any]] = found["rows"]
    judged = []
    for name, target in targets(database).items():
        figures = found.get(IMPORT) if name == IMPORT else rows.get(name)
        if figures is None or target.key not in figures:
            continue
        errors = figures.get("errors", 0) + figures.get("non2xx", 0)
        bare = rows.get(BY_NAME[name].baseline or "") if name in BY_NAME else None
        judged.append(
            {
                # The bare handler's p99 under the same loads, for a p99 target.
                "bare": target.figure(bare) if target.key == "p99_us" and bare else None,
                "row": import_label(figures["rows"]) if name == IMPORT else name,
                "figure": target.figure(figures),
                "wanted": target.text,
                "before": target.before,
                "errors": errors,
                "met": target.met(figures) and not errors,
            }
        )
    return judged


def import_label(rows: int) -> str:
    return f"import {rows // 1000}k" if rows % 1000 == 0 else f"import {rows}"


@dataclass(frozen=True, slots=True)
class Setup:
    wrk: str
    seconds: int
    clients: int
    import_rows: int = 100_000
    source: Path | None = None  # another checkout the service runs from; None: this one
    groups: Collection[str] = GROUPS

    @property
    def tree(self) -> Path:
        return self.source or ROOT

    def python_env(self, **extra: str) -> dict[str, str]:
        return {"PYTHONPATH": str(self.tree), **extra}

    def command_env(self, url: str) -> dict[str, str]:
        """What a one-off command of the tree (the seeding, ``dozvon import``) runs with."""
        return {**os.environ, "DOZVON_DATABASE__URL": url, **self.python_env()}


_STARTED = time.monotonic()


def say(what: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {what}", file=sys.stderr, flush=True)


# The seeding runs in the tree the service runs from (its models and migrations), with this
# tree's bench/common.py loaded by path.
_SEED = """
import asyncio, importlib.util, sys
spec = importlib.util.spec_from_file_location("bench_common", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
asyncio.run(module.seed(sys.argv[2], int(sys.argv[3])))
"""


def seed(setup: Setup, url: str, work: Path) -> None:
    """bench.common.seed in the tree's schema; on PostgreSQL the id sequences then moved past
    the seeded ids (given explicitly), for the import's new cards, and the tables analysed."""
    subprocess.run(
        [sys.executable, "-c", _SEED, str(ROOT / "bench" / "common.py"), url, str(setup.clients)],
        env=setup.command_env(url),
        cwd=work,
        check=True,
    )
    if url.startswith("postgresql"):
        asyncio.run(_after_seed(url))


async def _after_seed(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.begin() as conn:
            await settle_sequences(conn)
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


def measure(setup: Setup, url: str, work: Path, database: str) -> dict[str, Any]:
    """One run on one database: ``{"rows": {name: wrk's figures and "ratio"}, "import": ...,
    "ingestion": ..., "folded": ...}`` for the groups asked for."""
    say(f"{database}: seeding {setup.clients} clients ({setup.tree}) ...")
    seed(setup, url, work)
    rows: dict[str, dict[str, Any]] = {}
    if "baseline" in setup.groups:
        say(f"{database}: the bare handler ...")
        rows |= _baseline(setup, work)
    found = _service_rows(setup, url, work, database)
    rows |= found.pop("rows")
    for name, figures in rows.items():
        baseline = BY_NAME[name].baseline
        if baseline in rows:
            figures["ratio"] = figures["rps"] / rows[baseline]["rps"]
    found = {"rows": {name: rows[name] for name in BY_NAME if name in rows}, **found}
    found["verdicts"] = verdicts(database, found)
    return found


def _baseline(setup: Setup, work: Path) -> dict[str, dict[str, Any]]:
    get = requests_file(work / "bare_get.txt", ["GET\t/bare\t\t"])
    post = requests_file(
        work / "bare_post.txt",
        [
            line.replace("/api/v1/hooks/generic", "/bare", 1)
            for line in ingest_lines(100, clients=setup.clients, prefix="bare")
        ],
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bare = subprocess.Popen(
        [sys.executable, "-m", "bench.bare", "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE
    )
    try:
        wait_ready(f"{base}/bare", bare)
        rows = {
            "baseline GET c32": wrk(setup.wrk, base, get, setup.seconds, cycle=True),
            "baseline GET c4": wrk(setup.wrk, base, get, setup.seconds, cycle=True, connections=4),
            "baseline POST c16": wrk(
                setup.wrk, base, post, setup.seconds, cycle=True, connections=16
            ),
        }
        if "mixed" in setup.groups:
            rows[BARE_TOGETHER], rows[BARE_POSTING] = _together(
                setup.wrk, base, get, post, setup.seconds
            )
            rows[BARE_PACED], rows[BARE_POSTING_PACED] = _together(
                setup.wrk, base, get, post, setup.seconds, paced=PACED
            )
        return rows
    finally:
        bare.terminate()
        bare.wait()


def _ingest_file(
    setup: Setup, work: Path, prefix: str, first: int, count: int | None = None
) -> tuple[Path, int]:
    """``count`` updates (enough for a flood, by default) for one ingestion run; ``first`` lines
    are skipped so that its callers are not an earlier run's (whose missed calls would join
    cases rather than open them)."""
    count = count or setup.seconds * INGEST_PER_SECOND
    lines = ingest_lines(first + count, clients=setup.clients, prefix=prefix)[first:]
    return requests_file(work / f"ingest-{prefix}.txt", lines), len(lines)


def _service_rows(setup: Setup, url: str, work: Path, database: str) -> dict[str, Any]:
    groups, seconds = setup.groups, setup.seconds
    route_file = requests_file(work / "route.txt", route_lines(20_000, clients=setup.clients))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = service_env(
        url,
        port,
        **vendor_requests.CONNECTORS,
        DOZVON_CONNECTORS__TW__PUBLIC_URL=base,
        **setup.python_env(),
    )
    rows: dict[str, dict[str, Any]] = {}
    runs: dict[str, dict[str, Any]] = {}  # ingestion runs, by event-id prefix
    found: dict[str, Any] = {}
    log = work / "serve.log"
    server = serve(env, work, log)
    try:
        wait_ready(f"{base}/readyz", server)
        found["jobs_s"] = wait_jobs(base, server.pid)
        say(f"{database}: start-up jobs done {found['jobs_s']:.1f} s after ready")
        # Not counted: the service looks each number up once (what it caches) first.
        wrk(setup.wrk, base, route_file, min(seconds, 2), cycle=True)
        if "route" in groups:
            say(f"{database}: routing ...")
            rows["route c32"] = wrk(setup.wrk, base, route_file, seconds, cycle=True)
            rows["route c4"] = wrk(setup.wrk, base, route_file, seconds, cycle=True, connections=4)
        ingest_ended = None
        if "mixed" in groups:
            say(f"{database}: routing while ingesting ...")
            file, lines = _ingest_file(setup, work, "mix", 0)
            rows["route c4 + ingest"], rows["ingest during route"] = _together(
                setup.wrk, base, route_file, file, seconds
            )
            runs["mix"] = rows["ingest during route"] | {"lines": lines}
            say(f"{database}: routing while ingesting {PACED} updates a second ...")
            flood = seconds * INGEST_PER_SECOND
            file, lines = _ingest_file(setup, work, "paced", flood, 2 * PACED * seconds)
            rows[f"route c4 + ingest {PACED}/s"], rows[f"ingest {PACED}/s during route"] = (
                _together(setup.wrk, base, route_file, file, seconds, paced=PACED)
            )
            runs["paced"] = rows[f"ingest {PACED}/s during route"] | {"lines": lines}
            ingest_ended = time.monotonic()
        if "ingest" in groups:
            say(f"{database}: ingesting ...")
            first = seconds * INGEST_PER_SECOND + 2 * PACED * seconds
            file, lines = _ingest_file(setup, work, "ing", first)
            rows["ingest c16"] = wrk(setup.wrk, base, file, seconds, cycle=False, connections=16)
            runs["ing"] = rows["ingest c16"] | {"lines": lines}
            ingest_ended = time.monotonic()
        if ingest_ended is not None:
            found["folded"] = asyncio.run(_folded(url, ingest_ended))
            found["ingestion"] = asyncio.run(_stored(url, runs))
        if "vendors" in groups:
            say(f"{database}: the vendors' routing ...")
            rows |= _vendors(setup, work, base)
        if IMPORT in groups:
            # The import beside an idle service: not beside the storing and folding of what the
            # vendors' rows left waiting (tens of thousands of updates, for a minute on SQLite).
            settled = wait_idle(server.pid)
            say(f"{database}: idle {settled:.1f} s later; importing {setup.import_rows} rows ...")
            found[IMPORT] = _import(setup, url, work) | {"settled_s": round(settled, 1)}
    except BaseException:
        print(f"the service's log ({log}), last lines:", file=sys.stderr)
        print(*log.read_text(errors="replace").splitlines()[-30:], sep="\n", file=sys.stderr)
        raise
    finally:
        stop(server, 60)
        RESULTS.mkdir(exist_ok=True)
        shutil.copy(log, RESULTS / f"serve-{database}.log")
    found["log"] = _log_notes(log)
    return {"rows": rows, **found}


def _together(
    wrk_path: str,
    base: str,
    route_file: Path,
    ingest_file: Path,
    seconds: int,
    *,
    paced: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Routing at 4 connections and ingestion at 16, two wrk started together; ``paced``: the
    ingestion sends about this many updates a second (PACED_CONNECTIONS, each pausing between
    its requests), else as many as the service takes."""
    ingesting = PACED_CONNECTIONS if paced else INGEST_CONNECTIONS
    pause = round(1000 * ingesting / paced) if paced else 0
    loads = [
        subprocess.Popen(
            wrk_command(wrk_path, base, file, seconds, connections=connections),
            env=wrk_env(cycle=cycle, delay_ms=pause if file == ingest_file else 0),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for file, connections, cycle in (
            (route_file, 4, True),
            (ingest_file, ingesting, False),
        )
    ]
    results = []
    for load in loads:
        out, err = load.communicate()
        if load.returncode:
            raise SystemExit(f"wrk failed ({load.returncode}): {err}")
        results.append(wrk_result(out))
    return results[0], results[1]


def _vendors(setup: Setup, work: Path, base: str) -> dict[str, dict[str, Any]]:
    made = {
        "zadarma": vendor_requests.zadarma(20_000, phone, setup.clients),
        "twilio": vendor_requests.twilio(20_000, phone, setup.clients, base),
        "asterisk": vendor_requests.asterisk(20_000, phone, setup.clients),
    }
    rows = {}
    for vendor, lines in made.items():
        file = requests_file(work / f"{vendor}.txt", lines)
        for connections in (32, 4):
            rows[f"{vendor} c{connections}"] = wrk(
                setup.wrk, base, file, setup.seconds, cycle=True, connections=connections
            )
    return rows


async def _scalar(url: str, query: str, **params: Any) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(query), params)).scalar_one())
    finally:
        await engine.dispose()


async def _folded(url: str, since: float) -> dict[str, Any]:
    """Wait (at most ``FOLD_WITHIN`` s) until every stored update is folded; how long after
    ``since`` (the end of the last ingestion load) that was."""
    query = "SELECT count(*) FROM call_events WHERE folded = false"
    first = await _scalar(url, query)
    left = first
    while left and time.monotonic() - since < FOLD_WITHIN:
        await asyncio.sleep(0.25)
        left = await _scalar(url, query)
    return {
        "unfolded_when_checked": first,
        "left": left,
        "seconds": round(time.monotonic() - since, 2) if not left else None,
    }


async def _stored(url: str, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every acknowledged update of each run stored (wrk counts answers; a request in flight
    when it stops may be stored unanswered, so stored may exceed acknowledged)."""
    found: dict[str, Any] = {}
    for prefix, run in runs.items():
        stored = await _scalar(
            url, "SELECT count(*) FROM call_events WHERE event_id LIKE :p", p=f"{prefix}-%"
        )
        answered = run["requests"] - run["non2xx"]
        acknowledged = min(answered, run["lines"])
        found[prefix] = {
            "acknowledged": acknowledged,
            "stored": stored,
            "ran_out": answered > run["lines"],
            "ok": stored >= acknowledged,
        }
    return {"runs": found, "ok": all(r["ok"] for r in found.values())}


def _import(setup: Setup, url: str, work: Path) -> dict[str, Any]:
    """``dozvon import clients`` of ``import_rows`` new cards (managers by extension); the
    importer's own time (it prints it), and the command's from start to exit."""
    managers = 50  # bench.common.seed: extensions 101 to 150
    file = work / "import.csv"
    file.write_text(
        "name,manager,phones\n"
        + "".join(
            f"Imported {i},{101 + i % managers},+7926{i:07d}\n" for i in range(setup.import_rows)
        )
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "import", "clients", "--quiet", str(file)],
        env=setup.command_env(url),
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    applied = re.search(r"applied in ([\d.]+)\s*s", done.stdout)
    created = re.search(r"(\d+) created", done.stdout)
    if done.returncode or applied is None:
        raise SystemExit(f"the import failed ({done.returncode}): {done.stdout}{done.stderr}")
    return {
        "rows": setup.import_rows,
        "created": int(created.group(1)) if created else None,
        "seconds": float(applied.group(1)),
        "command_s": round(wall, 2),
    }


def _log_notes(log: Path) -> dict[str, int]:
    """The service's warnings and errors, by their first words."""
    found: dict[str, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        level = next((w for w in (" WARNING ", " ERROR ") if w in line[:40]), None)
        if level is not None:
            what = f"{level.strip()} {line.split(level, 1)[1][:80]}"
            found[what] = found.get(what, 0) + 1
    return found
