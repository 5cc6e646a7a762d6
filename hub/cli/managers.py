"""``dozvon managers``: staff."""

from __future__ import annotations

import argparse
import asyncio
import sys

from config import Settings
from hub.cli.common import Commands, database


def add(commands: Commands) -> None:
    managers = commands.add_parser("managers", help="staff").add_subparsers(
        dest="managers_command", required=True
    )
    invite = managers.add_parser("invite", help="print a one-time Telegram invite link")
    invite.add_argument("manager", help="the manager's extension, id or exact name")
    invite.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_invite(settings, args))


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from hub.domain.clock import SystemClock
    from hub.domain.errors import DozvonError
    from hub.domain.people import invite_link
    from hub.services.directory.invites import find_manager, issue_invite
    from notifications.telegram import create_bot
    from storage.uow import UnitOfWork

    telegram = settings.telegram
    if telegram.token is None:
        print("dozvon: no Telegram bot: set DOZVON_TELEGRAM__TOKEN", file=sys.stderr)
        return 2
    bot = create_bot(
        telegram.token.get_secret_value(), api_base=telegram.api_base, proxy=telegram.proxy
    )
    try:
        me = await bot.get_me()
    except Exception as exc:
        print(f"dozvon: Telegram did not answer getMe: {exc}", file=sys.stderr)
        return 1
    finally:
        await bot.session.close()
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
    print(f"{manager.name}: {invite_link(me.username or str(me.id), code)}")
    print(f"valid until {created.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)
    return 0
