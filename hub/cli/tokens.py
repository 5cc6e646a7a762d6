"""``dozvon token``: API tokens."""

from __future__ import annotations

import argparse
import asyncio

from config import Settings
from hub.cli.common import Commands, database


def add(commands: Commands) -> None:
    tokens = commands.add_parser("token", help="API tokens").add_subparsers(
        dest="token_command", required=True
    )
    create = tokens.add_parser("create", help="issue a token and print its secret once")
    create.add_argument("name", help="a name of its own, to tell the token by")
    create.add_argument(
        "--role",
        choices=["admin", "manager", "pbx", "viewer"],
        required=True,
        help="what the token may do",
    )
    create.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_token(settings, args))


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.directory.commands import TokenCreate
    from hub.services.directory.tokens import issue_token
    from storage.uow import UnitOfWork

    async with (
        database(settings) as opened,
        UnitOfWork(opened.sessions) as uow,
    ):
        issued = await issue_token(uow, TokenCreate(name=args.name, role=args.role), actor="cli")
        await uow.commit()
    print(issued.secret)
    return 0
