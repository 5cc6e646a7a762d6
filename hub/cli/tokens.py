"""``dozvon token``: API tokens — issue one (its secret printed once), list them, revoke one.

``--manager`` gives the token to a person: it carries his scope (his own records, his team's,
or everything), and its role may not exceed his (``hub/services/directory/tokens.py``)."""

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
        help="what the token may do (a person's: manager or viewer; an admin's also admin)",
    )
    create.add_argument(
        "--manager",
        help="the person whose token it is (extension, id or exact name): it sees what he "
        "sees; without it the token is the company's and sees everything",
    )
    tokens.add_parser("list", help="the tokens: id, name, role, person, issued, revoked")
    revoke = tokens.add_parser("revoke", help="revoke a token: it stops working at once")
    revoke.add_argument("token", help="the token's name (or id)")
    for parser in tokens.choices.values():
        parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_token(settings, args))


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.directory.commands import TokenCreate
    from hub.services.directory.invites import find_manager
    from hub.services.directory.tokens import find_token, issue_token, revoke_token
    from storage.uow import UnitOfWork

    async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
        if args.action == "create":
            person = await find_manager(uow, args.manager) if args.manager else None
            body = TokenCreate(
                name=args.name, role=args.role, manager_id=person.id if person else None
            )
            issued = await issue_token(uow, body, actor="cli", now=datetime.now(UTC))
            await uow.commit()
            print(issued.secret)
            whose = f", {person.name}'s" if person else ""
            print(
                f"token {args.name!r} ({args.role}{whose}): keep the secret, it is not shown again",
                file=sys.stderr,
            )
        elif args.action == "list":
            people = {m.id: m.name for m in await uow.managers.list()}
            rows = [
                [
                    str(t.id),
                    t.name,
                    t.role,
                    people.get(t.manager_id, str(t.manager_id)) if t.manager_id else "",
                    f"{t.created_at:%Y-%m-%d %H:%M}",
                    t.created_by,
                    f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
                ]
                for t in await uow.tokens.all()
            ]
            print(table(["id", "name", "role", "person", "issued", "by", "revoked"], rows))
        else:
            token = await find_token(uow, args.token)
            await revoke_token(uow, token.id, actor="cli", now=datetime.now(UTC))
            await uow.commit()
            print(f"token {token.name!r} (id {token.id}) revoked")
    return 0
