"""Memory and start-up at scale: ``dozvon serve`` with 100,000 and 1,000,000 clients.

    .venv/bin/python -m bench.memory --database sqlite --sizes 100000,1000000

For each size: seeds the clients (one phone each, 50 managers) straight through the driver,
starts the service, and records how long the routing snapshot took to load (the service's own
log line), how long the service took to answer ``/readyz``, its RSS once loaded and after each of
two full reloads of the snapshot (``routing.full_reload_interval`` set short), and the routing
latency two clients see while those reloads run: the slowest request is the longest the event
loop was held, set against the same figures outside the reloads.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert, text

from bench.common import (
    TOKEN,
    free_port,
    manager_rows,
    phone,
    serve,
    service_env,
    settle_sequences,
    stop,
    wait_ready,
)
from bench.databases import bench_database
from config.settings import DatabaseSettings
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Manager

ROOT = Path(__file__).parent.parent
# Rows per statement (or COPY) when seeding.
SEED_CHUNK = 50_000
MANAGERS = 50
# Full reloads watched per size, and how often the service runs one.
RELOADS = 2
CONNECTIONS = 2

_LOADED = re.compile(r"directory loaded: .* in ([\d.]+)s")
_RELOADED = re.compile(r"^(\S+ \S+) .*directory reloaded in ([\d.]+)s")


async def fast_seed(url: str, clients: int) -> None:
    """Migrate, then add ``MANAGERS`` managers and ``clients`` clients with one phone each
    (``bench.common.phone(i)`` for client ``i``), through the driver in large chunks: COPY on
    PostgreSQL, ``executemany`` on SQLite."""
    engine = create_engine(DatabaseSettings(url=url))
    now = datetime.now(UTC)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(insert(Manager), manager_rows(MANAGERS))
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            postgres = engine.dialect.name == "postgresql"
            stamp: Any = now if postgres else now.replace(tzinfo=None).isoformat(" ")
            for start in range(1, clients + 1, SEED_CHUNK):
                ids = range(start, min(start + SEED_CHUNK, clients + 1))
                cards = [
                    (i, f"Client {i}", 1 + i % MANAGERS, "potential", "", stamp, stamp) for i in ids
                ]
                phones = [(i, i, phone(i)) for i in ids]
                if postgres:
                    await driver.copy_records_to_table(
                        "clients", records=cards, columns=_CLIENT_COLUMNS
                    )
                    await driver.copy_records_to_table(
                        "client_phones", records=phones, columns=_PHONE_COLUMNS
                    )
                else:
                    await driver.executemany(_insert_sql("clients", _CLIENT_COLUMNS), cards)
                    await driver.executemany(_insert_sql("client_phones", _PHONE_COLUMNS), phones)
            await settle_sequences(conn)
        if engine.dialect.name == "postgresql":
            async with engine.connect() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


_CLIENT_COLUMNS = ["id", "name", "manager_id", "status", "notes", "created_at", "updated_at"]
_PHONE_COLUMNS = ["id", "client_id", "number"]


def _insert_sql(table: str, columns: list[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - constants


def rss_mb(pid: int, field_name: str = "VmRSS") -> float:
    """A process's resident memory (``VmRSS``) or its peak (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no {field_name} for process {pid}")


def children_rss_mb(pid: int) -> float:
    """The resident memory of a process's children (the service's folding process), in MB."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                total += rss_mb(int(entry.name))
        except (OSError, ValueError):
            continue  # gone meanwhile
    return total


@dataclass
class Probe:
    """What the routing clients and the memory sampler saw while the service ran."""

    requests: list[tuple[float, float]] = field(default_factory=list)  # (sent at, seconds)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (at, MB)
    failures: int = 0


def _reloads(log: Path) -> list[tuple[float, float]]:
    """(start, end) wall-clock times of every full reload the service logged."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        match = _RELOADED.search(line)
        if match:
            # The service logs local time, as this process reads it.
            logged = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")  # noqa: DTZ007
            end = logged.timestamp()
            found.append((end - float(match.group(2)), end))
    return found


async def _probe(base: str, pid: int, log: Path, clients: int, seconds: float) -> Probe:
    """Route random clients' numbers over ``CONNECTIONS`` connections, one request at a time
    each, and sample RSS, until ``RELOADS`` full reloads are logged and a second has passed."""
    probe = Probe()
    done = asyncio.Event()
    rng = random.Random(7)
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def route(session: aiohttp.ClientSession) -> None:
        while not done.is_set():
            number = phone(rng.randint(1, clients))
            sent = time.time()
            started = time.perf_counter()
            async with session.get(
                f"{base}/api/v1/route", params={"from": number, "to": "74950001122"}
            ) as response:
                await response.read()
                if response.status != 200:
                    probe.failures += 1
            probe.requests.append((sent, time.perf_counter() - started))

    async def watch() -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probe.rss.append((time.time(), rss_mb(pid)))
            reloads = _reloads(log)
            if len(reloads) >= RELOADS and time.time() > reloads[RELOADS - 1][1] + 1:
                break
            await asyncio.sleep(0.25)
        done.set()

    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        await asyncio.gather(watch(), *(route(session) for _ in range(CONNECTIONS)))
    return probe


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _latency(probe: Probe, reloads: list[tuple[float, float]]) -> dict[str, float]:
    during: list[float] = []
    outside: list[float] = []
    for sent, seconds in probe.requests:
        overlaps = any(sent < end and sent + seconds > start for start, end in reloads)
        (during if overlaps else outside).append(seconds * 1000)
    return {
        "reload_requests": len(during),
        "reload_max_ms": max(during, default=0.0),
        "reload_p99_ms": _percentile(during, 0.99),
        "quiet_max_ms": max(outside, default=0.0),
        "quiet_p99_ms": _percentile(outside, 0.99),
    }


def _rss_after(probe: Probe, at: float) -> float:
    """The first RSS sample taken a second after ``at`` (the last one if none is)."""
    later = [mb for sampled, mb in probe.rss if sampled >= at + 1]
    return later[0] if later else probe.rss[-1][1]


def measure(url: str, work: Path, clients: int, reload_every: float) -> dict[str, Any]:
    """One size on one database: seed, start, load, two reloads under routing load."""
    started = time.perf_counter()
    asyncio.run(fast_seed(url, clients))
    seeded = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / f"serve-{clients}.log"
    env = service_env(
        url,
        port,
        DOZVON_LOG__LEVEL="INFO",
        DOZVON_ROUTING__FULL_RELOAD_INTERVAL=f"{reload_every}s",
    )
    started = time.perf_counter()
    process = serve(env, ROOT, log)
    try:
        wait_ready(f"{base}/readyz", process, timeout=600)
        ready = time.perf_counter() - started
        loaded = _LOADED.search(log.read_text(errors="replace"))
        rss_loaded = rss_mb(process.pid)
        probe = asyncio.run(_probe(base, process.pid, log, clients, seconds=600))
        peak = rss_mb(process.pid, "VmHWM")
        # By now long started (it starts beside the service, at a lower priority).
        rss_children = children_rss_mb(process.pid)
    except BaseException:
        print(f"the service's log ({log}), last lines:", file=sys.stderr)
        print(*log.read_text(errors="replace").splitlines()[-30:], sep="\n", file=sys.stderr)
        raise
    finally:
        stopping = time.perf_counter()
        stop(process, 120)
        stopped = time.perf_counter() - stopping
    reloads = _reloads(log)
    if len(reloads) < RELOADS:
        raise SystemExit(f"the service logged {len(reloads)} full reloads in 600 s; see {log}")
    return {
        "clients": clients,
        "seed_s": seeded,
        "load_s": float(loaded.group(1)) if loaded else float("nan"),
        "ready_s": ready,
        "reload_s": max(end - start for start, end in reloads),
        "rss_loaded_mb": rss_loaded,
        "rss_children_mb": rss_children,
        **{
            f"rss_reload{n + 1}_mb": _rss_after(probe, end)
            for n, (_, end) in enumerate(reloads[:RELOADS])
        },
        "rss_peak_mb": peak,
        "stop_s": stopped,
        "requests": len(probe.requests),
        "failures": probe.failures,
        **_latency(probe, reloads),
    }


def memory_rows(
    database: str, sizes: list[int], *, reload_every: float = 10.0
) -> list[dict[str, Any]]:
    """One row per size: seed and load times, RSS, and routing latency during full reloads."""
    return list(each_memory_row(database, sizes, reload_every=reload_every))


def each_memory_row(
    database: str, sizes: list[int], *, reload_every: float = 10.0
) -> Iterator[dict[str, Any]]:
    """``memory_rows``, each row as soon as it is measured."""
    for size in sizes:
        with bench_database(database) as (url, work):
            yield {"database": database, **measure(url, work, size, reload_every)}


def format_row(row: dict[str, Any]) -> str:
    parts = [
        f"{row['database']:<10} {row['clients']:>9,} clients: seeded {row['seed_s']:5.1f} s",
        f"snapshot loaded in {row['load_s']:5.2f} s, ready in {row['ready_s']:5.1f} s",
        f"full reload {row['reload_s']:5.2f} s",
        f"RSS {row['rss_loaded_mb']:4.0f} MB loaded, {row['rss_reload1_mb']:4.0f} / "
        f"{row['rss_reload2_mb']:4.0f} MB after reloads, peak {row['rss_peak_mb']:4.0f} MB"
        + (
            f" (+ {row['rss_children_mb']:.0f} MB in its child processes: folding)"
            if row.get("rss_children_mb")
            else ""
        ),
        f"stopped in {row['stop_s']:.1f} s",
        f"routing during reloads ({row['reload_requests']} requests) max "
        f"{row['reload_max_ms']:.1f} ms, p99 {row['reload_p99_ms']:.1f} ms",
        f"outside them max {row['quiet_max_ms']:.1f} ms, p99 {row['quiet_p99_ms']:.1f} ms",
    ]
    if row["failures"]:
        parts.append(f"{row['failures']} requests failed")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sizes", default="100000,1000000", help="client counts, comma-separated")
    parser.add_argument(
        "--reload-every", type=float, default=10.0, help="routing.full_reload_interval, seconds"
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    for kind in kinds:
        for row in each_memory_row(kind, sizes, reload_every=args.reload_every):
            print(format_row(row), flush=True)


if __name__ == "__main__":
    main()
