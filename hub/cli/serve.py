"""``dozvon serve``: apply migrations and run the HTTP service."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets

from pydantic import SecretStr

from config import Settings
from config.settings import AdminSettings
from hub.cli.common import Commands

log = logging.getLogger("dozvon")


def add(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="apply migrations and run the HTTP service")
    serve.set_defaults(run=run)


async def _upgrade(settings: Settings) -> None:
    from hub.bootstrap.database import open_database

    async with open_database(settings.database, migrate=True):
        pass


def run(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from hub.app import create_app

    asyncio.run(_upgrade(settings))
    if settings.admin.token is None:
        token = secrets.token_urlsafe(24)
        settings = settings.model_copy(update={"admin": AdminSettings(token=SecretStr(token))})
        log.warning(
            "no admin token configured (DOZVON_ADMIN__TOKEN); for this run it is: %s", token
        )
    if settings.hooks.generic_secret is None:
        log.warning("no generic hook secret (DOZVON_HOOKS__GENERIC_SECRET): the hook is disabled")
    log.info("listening on http://%s:%d", settings.http.host, settings.http.port)
    web.run_app(
        create_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        print=None,
        access_log=None,
    )
    return 0
