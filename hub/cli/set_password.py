"""``dozvon managers set-password MANAGER``: print a one-time link with which the person sets
his console password (and so can log in).

The link is absolute with ``http.public_url``, else with the address the service listens on;
it works once, for three days. ``--login`` gives him a login of his own first (without one he
logs in with his extension).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from config import Settings
from hub.cli.common import Commands, database


def add(managers: Commands) -> None:
    """Add ``set-password`` to the ``dozvon managers`` subcommands."""
    command = managers.add_parser(
        "set-password", help="print a one-time link to set a person's console password"
    )
    command.add_argument("manager", help="the person's extension, id or exact name")
    command.add_argument(
        "--login", help="the login he will log in with (else: his extension), e.g. ivan.petrov"
    )
    command.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_link(settings, args))


async def _link(settings: Settings, args: argparse.Namespace) -> int:
    from hub.domain.clock import SystemClock
    from hub.domain.errors import DozvonError
    from hub.domain.logins import password_link
    from hub.services.directory.invites import find_manager
    from hub.services.logins.links import issue_link
    from storage.uow import UnitOfWork

    http = settings.http
    base = http.public_url or f"http://{http.host}:{http.port}"
    try:
        async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
            manager = await find_manager(uow, args.manager)
            code, link = await issue_link(
                uow, manager.id, actor="cli", now=SystemClock().now(), login=args.login
            )
            await uow.commit()
    except DozvonError as exc:
        print(f"dozvon: {exc.message}", file=sys.stderr)
        return 2
    print(f"{manager.name}: {password_link(base, code)}")
    username = manager.login or manager.extension
    print(
        f"log in as {username!r}; the link works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC",
        file=sys.stderr,
    )
    return 0
