"""How long after a big client import the running service routes the imported clients.

    .venv/bin/python -m bench.routing_feed --rows 100000 --database postgresql

Starts the service's app (its directory refresh at the default ``routing.refresh_interval``),
runs ``import_clients`` with ``--rows`` new cards spread over five managers, and prints how long
the import took and how long after its end every imported number routed to its manager.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aiohttp import web

from bench.databases import bench_database
from config.settings import DatabaseSettings, RoutingSettings
from hub.app import create_app
from hub.bootstrap.directory import DIRECTORY
from hub.domain.phone import Normalizer
from hub.services.csv_source import SourceRow
from hub.services.importer import import_clients
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Manager
from tests.support.settings import make_settings


async def run(url: str, rows: int) -> dict[str, float]:
    engine = create_engine(DatabaseSettings(url=url))
    await upgrade(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        managers = [Manager(name=f"M{i}", role="manager", extension=f"3{i:02}") for i in range(5)]
        session.add_all(managers)
        await session.commit()
        ids = [m.id for m in managers]
    app = create_app(make_settings(url, routing=RoutingSettings()))
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        source = [
            SourceRow(
                line=i + 2,
                name=f"Imported {i}",
                manager=f"3{i % 5:02}",
                phones=(f"+7926{i:07}",),
                status="",
            )
            for i in range(rows)
        ]
        expected = {f"+7926{i:07}": ids[i % 5] for i in range(rows)}
        started = time.monotonic()
        await import_clients(sessions, source, Normalizer("RU"))
        ended = time.monotonic()
        cache = app[DIRECTORY]
        while True:
            snapshot = cache.snapshot
            pending = [
                n
                for n, m in expected.items()
                if (c := snapshot.client_by_phone.get(n)) is None
                or snapshot.clients[c].manager_id != m
            ]
            if not pending:
                break
            if time.monotonic() - ended > 120:
                raise SystemExit(f"{len(pending)} numbers still unrouted after 120 s")
            await asyncio.sleep(0.05)
        routed = time.monotonic()
        return {"import_s": ended - started, "routed_after_end_s": routed - ended}
    finally:
        await runner.cleanup()
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for kind in kinds:
        with bench_database(kind) as (url, _):
            figures = asyncio.run(run(url, args.rows))
        print(
            f"{kind}: {args.rows} rows imported in {figures['import_s']:.1f} s; every one routed "
            f"{figures['routed_after_end_s']:.2f} s after the import's end"
        )


if __name__ == "__main__":
    main()
