"""``dozvon token``: API tokens — issue one (its secret printed once), list them, revoke one."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from config import Settings
from hub.cli.common import Commands, database, table


def add(commands: Commands) -> None:
    tokens = commands.add_parser("token", help="API tokens").add_subparsers(
        dest="action", required=True
    )
    create = tokens.add_parser("create", help="issue a token and print its secret once")
    create.add_argument("name", help="a name of its own among the live tokens")
    create.add_argument(
        "--role",
        choices=["admin", "manager", "pbx", "viewer"],
        required=True,
        help="what the token may do",
    )
    tokens.add_parser("list", help="the tokens: id, name, role, issued, revoked")
    revoke = tokens.add_parser("revoke", help="revoke a token: it stops working at once")
    revoke.add_argument("token", help="the token's name (or id)")
    for parser in tokens.choices.values():
        parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_token(settings, args))


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.directory.commands import TokenCreate
    from hub.services.directory.tokens import find_token, issue_token, revoke_token
    from storage.uow import UnitOfWork

    async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
        if args.action == "create":
            body = TokenCreate(name=args.name, role=args.role)
            issued = await issue_token(uow, body, actor="cli")
            await uow.commit()
            print(issued.secret)
            print(
                f"token {args.name!r} ({args.role}): keep the secret, it is not shown again",
                file=sys.stderr,
            )
        elif args.action == "list":
            rows = [
                [
                    str(t.id),
                    t.name,
                    t.role,
                    f"{t.created_at:%Y-%m-%d %H:%M}",
                    t.created_by,
                    f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
                ]
                for t in await uow.tokens.all()
            ]
            print(table(["id", "name", "role", "issued", "by", "revoked"], rows))
        else:
            token = await find_token(uow, args.token)
            await revoke_token(uow, token.id, actor="cli", now=datetime.now(UTC))
            await uow.commit()
            print(f"token {token.name!r} (id {token.id}) revoked")
    return 0
