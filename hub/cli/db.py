"""``dozvon db``: the database's migrations."""

from __future__ import annotations

import argparse
import asyncio

from config import Settings
from hub.cli.common import Commands, database


def add(commands: Commands) -> None:
    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="migrate to the newest revision")
    down = db.add_parser("downgrade", help="migrate back to a revision ('base' drops all)")
    down.add_argument("revision", help="a revision id, or 'base'")
    db.add_parser("current", help="print the current and the newest revision")
    for parser in db.choices.values():
        parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_db(settings, args))


async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.migrate import current_revision, downgrade, head_revision, upgrade

    async with database(settings, migrate=False) as opened:
        engine = opened.engine
        if args.db_command == "upgrade":
            await upgrade(engine)
            print(f"database at revision {await current_revision(engine)}")
        elif args.db_command == "downgrade":
            await downgrade(engine, args.revision)
            print(f"database at revision {await current_revision(engine)}")
        else:
            print(f"current: {await current_revision(engine)}  head: {head_revision()}")
    return 0
