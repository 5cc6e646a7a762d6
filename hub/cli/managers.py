"""``dozvon managers``: the staff — add, list, invite to the bot, hand one's work to another,
where each is told (``managers_channels``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from config import Settings
from hub.cli import managers_channels, managers_import, set_password
from hub.cli.common import Commands, database, table


def add(commands: Commands) -> None:
    managers = commands.add_parser("managers", help="staff").add_subparsers(
        dest="action", required=True
    )
    new = managers.add_parser("add", help="add a manager (or a supervisor, the director)")
    new.add_argument("name", help="as colleagues know him: «Иван Петров»")
    new.add_argument(
        "--role",
        choices=["manager", "supervisor", "director", "admin"],
        default="manager",
        help="what he does (default: manager)",
    )
    new.add_argument("--extension", help="his extension on the PBX, e.g. 101")
    new.add_argument("--mobile", help="his mobile number, any format")
    new.add_argument("--supervisor", help="his supervisor's extension, id or exact name")
    managers_channels.options(new)
    new.set_defaults(run=lambda settings, args: asyncio.run(_add(settings, args)))
    listing = managers.add_parser(
        "list", help="the staff: id, name, role, extension, supervisor, channels that reach him"
    )
    listing.set_defaults(run=lambda settings, args: asyncio.run(_list(settings)))
    invite = managers.add_parser("invite", help="print a one-time invite link to the staff bot")
    invite.add_argument("manager", help="the manager's extension, id or exact name")
    invite.add_argument(
        "--channel",
        choices=("telegram", "max"),
        default="telegram",
        help="the staff bot on Telegram (default) or on MAX",
    )
    invite.set_defaults(run=lambda settings, args: asyncio.run(_invite(settings, args)))
    hand = managers.add_parser(
        "reassign",
        help="hand a manager's clients, open callback cases and queued numbers to another",
    )
    hand.add_argument("source", metavar="FROM", help="the leaving manager: extension, id or name")
    hand.add_argument("target", metavar="TO", help="who takes over: extension, id or name")
    hand.add_argument(
        "--clients",
        nargs="+",
        default=["all"],
        metavar="ID",
        help="'all' (the default: with his open cases and queued numbers) or client ids",
    )
    hand.set_defaults(run=lambda settings, args: asyncio.run(_reassign(settings, args)))
    managers_import.add(managers)
    managers_channels.add(managers)
    set_password.add(managers)


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from hub.cli.managers_channels import given, refused
    from hub.services.directory.commands import ManagerCreate
    from hub.services.directory.invites import find_manager
    from hub.services.directory.managers import create_manager
    from storage.uow import UnitOfWork

    async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
        boss = await find_manager(uow, args.supervisor) if args.supervisor else None
        try:
            body = ManagerCreate(
                name=args.name,
                role=args.role,
                extension=args.extension,
                mobile=args.mobile,
                supervisor_id=boss.id if boss else None,
                **given(args),
            )
        except ValidationError as exc:
            print(refused(exc), file=sys.stderr)
            return 2
        manager = await create_manager(uow, body, actor="cli", region=settings.phone.default_region)
        await uow.commit()
    print(f"manager {manager.id}: {manager.name} ({manager.role})")
    return 0


async def _list(settings: Settings) -> int:
    from notifications.rows import address, order
    from storage.uow import UnitOfWork

    async with database(settings) as opened, UnitOfWork(opened.sessions, read_only=True) as uow:
        staff = list(await uow.managers.list())
    names = {m.id: m.name for m in staff}
    rows = [
        [
            str(m.id),
            m.name,
            m.role,
            m.extension or "",
            names.get(m.supervisor_id or 0, ""),
            ",".join(c for c in order(m) if address(m, c) is not None),
            "" if m.active else "no",
        ]
        for m in staff
    ]
    header = ["id", "name", "role", "extension", "supervisor", "channels", "active"]
    print(table(header, rows))
    return 0


async def _reassign(settings: Settings, args: argparse.Namespace) -> int:
    from hub.cli.alerting import alerting
    from hub.services.directory.invites import find_manager
    from hub.services.directory.reassign import reassign
    from storage.uow import UnitOfWork

    only: list[int] | None = None
    if args.clients != ["all"]:
        if not all(c.isdigit() for c in args.clients):
            print("dozvon: --clients takes 'all' or client ids", file=sys.stderr)
            return 2
        only = [int(c) for c in args.clients]
    async with database(settings) as opened, UnitOfWork(opened.sessions) as uow:
        source = await find_manager(uow, args.source)
        target = await find_manager(uow, args.target)
        done = await reassign(
            uow, source.id, target.id, clients=only, actor="cli", now=datetime.now(UTC)
        )
        # The cases' new manager is told by the running service, from the outbox.
        await alerting(settings)(uow, done.handed)
        await uow.commit()
    print(
        f"{source.name} → {target.name}: {done.clients} clients, {done.cases} open cases, "
        f"{done.unknown_numbers} numbers in the triage queue"
    )
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from hub.domain.clock import SystemClock
    from hub.domain.errors import DozvonError
    from hub.domain.people import invite_link
    from hub.services.directory.invites import find_manager, issue_invite
    from storage.uow import UnitOfWork

    telegram = settings.telegram
    username = await (_max_bot(settings) if args.channel == "max" else _telegram_bot(settings))
    if username is None:
        return 2 if not _has_bot(settings, args.channel) else 1
    try:
        async with (
            database(settings) as opened,
            UnitOfWork(opened.sessions) as uow,
        ):
            manager = await find_manager(uow, args.manager)
            code, created = await issue_invite(
                uow, manager.id, actor="cli", ttl=telegram.invite_ttl, now=SystemClock().now()
            )
            await uow.commit()
    except DozvonError as exc:
        print(f"dozvon: {exc.message}", file=sys.stderr)
        return 2
    print(f"{manager.name}: {invite_link(username, code, channel=args.channel)}")
    print(f"valid until {created.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)
    return 0


def _has_bot(settings: Settings, channel: str) -> bool:
    token = settings.max.token if channel == "max" else settings.telegram.token
    return token is not None


async def _telegram_bot(settings: Settings) -> str | None:
    """The staff bot's @name on Telegram (None, said on stderr, without one)."""
    from notifications.telegram import create_bot

    telegram = settings.telegram
    if telegram.token is None:
        print("dozvon: no Telegram bot: set DOZVON_TELEGRAM__TOKEN", file=sys.stderr)
        return None
    bot = create_bot(
        telegram.token.get_secret_value(), api_base=telegram.api_base, proxy=telegram.proxy
    )
    try:
        me = await bot.get_me()
    except Exception as exc:
        print(f"dozvon: Telegram did not answer getMe: {exc}", file=sys.stderr)
        return None
    finally:
        await bot.session.close()
    return me.username or str(me.id)


async def _max_bot(settings: Settings) -> str | None:
    """The staff bot's name on MAX (None, said on stderr, without one)."""
    import aiohttp

    from hub.domain.errors import DozvonError
    from notifications.max_bot.api import MaxBotApi

    if settings.max.token is None:
        print("dozvon: no MAX bot: set DOZVON_MAX__TOKEN", file=sys.stderr)
        return None
    async with aiohttp.ClientSession() as session:
        try:
            me = await MaxBotApi(settings.max, session).me()
        except DozvonError as exc:
            print(f"dozvon: MAX did not answer /me: {exc.message}", file=sys.stderr)
            return None
    return str(me.get("username") or me.get("user_id") or "")
