"""The escalation sweep with a million open callback cases, a thousand of them due.

    make bench-sweep                # or: .venv/bin/python -m bench.sweep [--database postgresql]

Seeds the cases, then runs the real sweep (claim, alerts to supervisor and director written to
the outbox, commit). Reports the time of a sweep that finds nothing due, of the sweep that
escalates the thousand (and per escalation), the query plan of the claim as the database runs
it, and — as the baseline measured in the same run — a full scan of the cases table, which is
what the sweep would cost without its index.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.databases import bench_database
from config.settings import DatabaseSettings
from hub.domain.cases import CaseFact
from hub.domain.clock import SystemClock
from hub.services.escalation import escalate_due
from hub.services.facts import FactHandlers
from notifications.alerts import Alerts
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import CallbackCase, Manager
from storage.types import utcnow

HERE = Path(__file__).parent
CHUNK = 20_000


async def _seed(engine: AsyncEngine, total: int, due: int) -> None:
    now = utcnow()
    later = now + timedelta(hours=12)
    async with engine.begin() as conn:
        # Every row names the same keys: an executemany takes its columns from the first row.
        await conn.execute(
            insert(Manager),
            [
                {"id": 1, "name": "Director", "role": "director", "supervisor_id": None},
                {"id": 2, "name": "Supervisor", "role": "supervisor", "supervisor_id": None},
                {"id": 3, "name": "Manager", "role": "manager", "supervisor_id": 2},
            ],
        )
    for start in range(0, total, CHUNK):
        rows: list[dict[str, Any]] = []
        for i in range(start, min(start + CHUNK, total)):
            first = now - timedelta(hours=30 if i % (total // due) == 0 else 1)
            deadline = now - timedelta(minutes=1) if i % (total // due) == 0 else later
            rows.append(
                {
                    "number": f"+7900{i:07d}",
                    "manager_id": 3,
                    "status": "open",
                    "missed_count": 1,
                    "first_missed_at": first,
                    "last_missed_at": first,
                    "escalate_at": deadline,
                }
            )
        async with engine.begin() as conn:
            await conn.execute(insert(CallbackCase), rows)
        print(f"\r  {min(start + CHUNK, total):,} cases", end="", file=sys.stderr)
    print(file=sys.stderr)
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("ANALYZE callback_cases"))
        else:
            await conn.execute(text("ANALYZE"))


async def _plan(engine: AsyncEngine, statement: str, params: Any) -> list[str]:
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        if engine.dialect.name == "sqlite":
            cursor = await driver.execute(explain + statement, params)
            return [str(row[-1]) for row in await cursor.fetchall()]
        rows = await driver.fetch(explain + statement, *params)
        return [str(row[0]) for row in rows]


async def _full_scan(engine: AsyncEngine) -> float:
    """What finding the due cases costs without the index: every row read."""
    hint = " NOT INDEXED" if engine.dialect.name == "sqlite" else ""
    query = text(
        f"SELECT count(*) FROM callback_cases{hint} "  # noqa: S608 (a constant hint)
        "WHERE status = 'open' AND escalate_at + 0 <= :now"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM callback_cases "
        "WHERE status || '' = 'open' AND escalate_at + interval '0' <= :now"
    )
    timings = []
    for _ in range(3):
        async with engine.connect() as conn:
            started = time.perf_counter()
            await conn.execute(query, {"now": utcnow()})
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def _run(url: str, total: int, due: int) -> dict[str, Any]:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await upgrade(engine)
        print(f"seeding {total:,} open cases, {due:,} due ...", file=sys.stderr)
        started = time.perf_counter()
        await _seed(engine, total, due)
        seeded = time.perf_counter() - started
        factory = create_session_factory(engine)
        alerts = Alerts("ru", ZoneInfo("Europe/Moscow"), 86400, SystemClock())
        handlers = FactHandlers(within_map={CaseFact: [alerts.react]})

        async def sweep() -> int:
            return await escalate_due(factory, handlers, utcnow())

        captured: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
            if "escalate_at <=" in statement and statement.lstrip().upper().startswith("SELECT"):
                captured.append((statement, params))

        event.listen(engine.sync_engine, "before_cursor_execute", capture)
        started = time.perf_counter()
        escalated = await sweep()
        busy = time.perf_counter() - started
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
        idle_times = []
        for _ in range(5):
            started = time.perf_counter()
            assert await sweep() == 0
            idle_times.append(time.perf_counter() - started)
        idle = statistics.median(idle_times)
        scan = await _full_scan(engine)
        plan = await _plan(engine, *captured[0]) if captured else []
        async with engine.connect() as conn:
            queued = (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
        uses_index = any("ix_callback_cases_due" in line for line in plan)
        return {
            "database": engine.dialect.name,
            "open_cases": total,
            "due": due,
            "seed_seconds": round(seeded, 1),
            "escalated": escalated,
            "messages_queued": queued,
            "sweep_with_due_ms": round(busy * 1000, 1),
            "per_escalation_ms": round(busy * 1000 / max(escalated, 1), 3),
            "sweep_nothing_due_ms": round(idle * 1000, 2),
            "full_scan_ms": round(scan * 1000, 1),
            "nothing_due_vs_full_scan": round(idle / scan, 4),
            "claim_plan": plan,
            "claim_uses_index": uses_index,
        }
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with bench_database(args.database) as (url, _):
        result = asyncio.run(_run(url, args.cases, args.due))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = HERE / "results" / f"sweep-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not result["claim_uses_index"] or result["escalated"] != args.due:
        sys.exit("the claim did not use ix_callback_cases_due, or escalated the wrong number")


if __name__ == "__main__":
    main()
