"""``dozvon serve``: apply migrations and run the HTTP service.

Everything that can fail for a reason the admin must fix is tried before any work starts: the
port is bound first, then the database reached and migrated; only then does the app start its
workers and jobs. A failure is one line on stderr naming the cause and what to do, and a non-zero
exit status; nothing has been written.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import secrets
import socket
import sys

from pydantic import SecretStr

from config import Settings
from config.settings import AdminSettings
from hub.cli.common import Commands, database
from hub.runtime.loops import event_loop, keep_collector_away, share_interpreter

log = logging.getLogger("dozvon")

_WHY = {
    errno.EADDRINUSE: "the port is taken (another dozvon, or another service): stop it, or set "
    "http.port (DOZVON_HTTP__PORT)",
    errno.EACCES: "not allowed: ports below 1024 need privileges; use a port above 1024 "
    "(behind nginx, see docs/deploy.md)",
    errno.EADDRNOTAVAIL: "this machine has no such address: check http.host (DOZVON_HTTP__HOST)",
}


def add(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="apply migrations and run the HTTP service")
    serve.set_defaults(run=run)


class CannotListen(Exception):
    """The configured address cannot be listened on; the message says why and what to do."""


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, before anything else starts (or :class:`CannotListen`)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise CannotListen(
            f"cannot listen on {host}:{port}: {exc.strerror}: check http.host"
        ) from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
        raise CannotListen(f"cannot listen on {host}:{port}: {why}") from exc
    return sock


async def _migrate(settings: Settings) -> None:
    async with database(settings, migrate=True):
        pass


async def _collector_away(app: object) -> None:
    keep_collector_away()


def run(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from hub.app import create_app
    from hub.logs import AccessLogger

    http = settings.http
    try:
        sock = listen(http.host, http.port)
    except CannotListen as exc:
        print(f"dozvon: {exc}", file=sys.stderr)
        return 1
    try:
        asyncio.run(_migrate(settings))
    except BaseException:
        sock.close()
        raise
    if settings.admin.token is None:
        token = secrets.token_urlsafe(24)
        settings = settings.model_copy(update={"admin": AdminSettings(token=SecretStr(token))})
        log.warning(
            "no admin token configured (DOZVON_ADMIN__TOKEN); for this run it is: %s", token
        )
    if settings.hooks.generic_secret is None:
        log.warning("no generic hook secret (DOZVON_HOOKS__GENERIC_SECRET): the hook is disabled")
    loop = event_loop(settings.http.uvloop)
    share_interpreter()
    log.info("listening on http://%s:%d (%s)", http.host, http.port, type(loop).__module__)
    app = create_app(settings, fold_apart=settings.ingest.fold_apart(settings.database))
    app.on_startup.append(_collector_away)
    web.run_app(
        app,
        sock=sock,
        print=None,
        access_log=logging.getLogger("aiohttp.access") if settings.log.access else None,
        access_log_class=AccessLogger,
        loop=loop,
    )
    return 0
