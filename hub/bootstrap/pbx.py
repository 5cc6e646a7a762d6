"""Connections the service keeps to PBXs: Asterisk's AMI stream and its FastAGI server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from config.settings import AsteriskConnector
from connectors.asterisk.agi import serve_agi
from connectors.asterisk.client import AmiClient
from connectors.asterisk.route import dial_target
from connectors.asterisk.tracker import CallTracker
from hub.bootstrap.core import CLOCK, NORMALIZER, SETTINGS
from hub.bootstrap.pipeline import INTAKE, ROUTER
from hub.domain.calls import CallUpdate

log = logging.getLogger(__name__)

AMI_CLIENTS = web.AppKey("ami_clients", dict[str, AmiClient])


async def pbx_links(app: web.Application) -> AsyncIterator[None]:
    settings, router, intake = app[SETTINGS], app[ROUTER], app[INTAKE]
    clients: dict[str, AmiClient] = {}
    servers: list[asyncio.Server] = []
    for name, config in sorted(settings.connectors.items()):
        if not isinstance(config, AsteriskConnector):
            continue

        async def submit(updates: list[CallUpdate], name: str = name) -> object:
            return await intake.store(name, updates)

        client = AmiClient(
            name,
            host=config.host,
            port=config.port,
            username=config.username,
            secret=config.secret.get_secret_value(),
            tracker=CallTracker(name, app[NORMALIZER]),
            submit=submit,
            clock=app[CLOCK].now,
            reconnect_max=config.reconnect_max.total_seconds(),
        )
        client.start()
        clients[name] = client
        if config.agi_port is not None:
            prefix = config.channel_prefix

            def route(caller: str, dialled: str, call: str | None, prefix: str = prefix) -> str:
                return dial_target(router.decide(caller, dialled, call), prefix)

            servers.append(await serve_agi(config.agi_host, config.agi_port, route))
            log.info("%s: FastAGI routing on %s:%d", name, config.agi_host, config.agi_port)
    app[AMI_CLIENTS] = clients
    yield
    for server in servers:
        server.close()
        await server.wait_closed()
    for client in clients.values():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.drained(), 5)
        await client.stop()
