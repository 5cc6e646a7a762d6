"""``dozvon managers channels MANAGER``: where a person is told — his e-mail address, his MAX
user id and the order of his channels — shown, and changed with the same options as
``managers add`` takes (``--email``, ``--max-user``, ``--channels max,telegram,email``).

An empty value clears: ``--email ''`` removes the address, ``--channels ''`` goes back to the
company's order. Each change goes through the directory's service, audited as ``cli``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from pydantic import ValidationError

from config import Settings
from hub.cli.common import Commands, database


def _user_id(text: str) -> int | None:
    """A MAX user id as typed ("" clears it)."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a MAX user id (digits)")
    return int(text)


def _channels(text: str) -> list[str]:
    """``max,telegram,email`` as a list ("" for the company's order)."""
    return [name.strip().lower() for name in text.split(",") if name.strip()]


def options(parser: argparse.ArgumentParser) -> None:
    """Add the staff channels' options to ``parser`` (an option not given is not set)."""
    parser.add_argument(
        "--email",
        default=argparse.SUPPRESS,
        help="his e-mail address, for alerts by mail ('' clears it)",
    )
    parser.add_argument(
        "--max-user",
        type=_user_id,
        default=argparse.SUPPRESS,
        metavar="ID",
        help="his user id on MAX, where the staff bot writes to him ('' clears it)",
    )
    parser.add_argument(
        "--channels",
        type=_channels,
        default=argparse.SUPPRESS,
        metavar="LIST",
        help="the order he is told in, e.g. max,telegram,email ('': the company's order)",
    )


def given(args: argparse.Namespace) -> dict[str, Any]:
    """The staff channels' fields the options set, an empty one as None."""
    found: dict[str, Any] = {}
    if hasattr(args, "email"):
        found["email"] = args.email.strip() or None
    if hasattr(args, "max_user"):
        found["max_user_id"] = args.max_user
    if hasattr(args, "channels"):
        found["channels"] = args.channels
    return found


def refused(exc: ValidationError) -> str:
    """A field the directory refused, in one line for stderr."""
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"dozvon: {where}: {error['msg'].removeprefix('Value error, ')}"


def add(managers: Commands) -> None:
    """Add ``channels`` to the ``dozvon managers`` subcommands."""
    shown = managers.add_parser(
        "channels",
        help="show or set where a person is told: e-mail, MAX user id, the channels' order",
    )
    shown.add_argument("manager", help="the person's extension, id or exact name")
    options(shown)
    shown.set_defaults(run=lambda settings, args: asyncio.run(_channels_of(settings, args)))


def describe(view: dict[str, Any]) -> str:
    """A person's channels as the command prints them: one a line, in the order tried."""
    addresses = {
        "telegram": f"chat {view['telegram_chat_id']}" if view["telegram_chat_id"] else None,
        "max": f"user {view['max_user_id']}" if view["max_user_id"] else None,
        "email": view["email"],
    }
    lines = []
    for place, channel in enumerate(view["channels"], start=1):
        address = addresses.get(channel) or "not set"
        mark = " (unreachable)" if channel in view["unreachable"] else ""
        lines.append(f"{place}. {channel}: {address}{mark}")
    return "\n".join(lines)


async def _channels_of(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.directory.commands import ManagerUpdate
    from hub.services.directory.invites import find_manager
    from hub.services.directory.managers import update_manager
    from hub.services.serialisers import manager_view
    from storage.uow import UnitOfWork

    try:
        body = ManagerUpdate.model_validate(given(args))
    except ValidationError as exc:
        print(refused(exc), file=sys.stderr)
        return 2
    async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
        manager = await find_manager(uow, args.manager)
        if body.model_fields_set:
            manager = await update_manager(
                uow, manager.id, body, actor="cli", region=settings.phone.default_region
            )
            await uow.commit()
        view = manager_view(manager)
    print(f"{manager.name} (id {manager.id})")
    print(describe(view))
    return 0
