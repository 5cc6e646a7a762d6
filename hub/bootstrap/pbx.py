"""Connections the service keeps to PBXs: Asterisk's AMI stream and its FastAGI server, and the
sender of Mango's ``commands/route`` (over the app's one HTTP session, ``http_client.py``).

Started last and closed first: the AMI clients hand over what they read before they stop, and
Mango commands still being sent are cancelled while the HTTP session is still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from connectors.asterisk import AmiClient, AsteriskSettings, CallTracker, dial_target, serve_agi
from connectors.asterisk.client import EVENTS, RECORDING_EVENTS
from connectors.mango import MangoSettings, RouteCommands
from hub.bootstrap.core import CLOCK, NORMALIZER, SETTINGS
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.bootstrap.pipeline import INTAKE, ROUTER
from hub.domain.calls import CallUpdate

log = logging.getLogger(__name__)

AMI_CLIENTS = web.AppKey("ami_clients", dict[str, AmiClient])
# One per Mango connector that routes calls (``route_calls``), by the connector's name.
MANGO_COMMANDS = web.AppKey("mango_commands", dict[str, RouteCommands])


async def pbx_links(app: web.Application) -> AsyncIterator[None]:
    settings, router, intake = app[SETTINGS], app[ROUTER], app[INTAKE]
    clients: dict[str, AmiClient] = {}
    servers: list[asyncio.Server] = []
    commands: dict[str, RouteCommands] = {}
    for name, config in sorted(settings.connectors.items()):
        if isinstance(config, MangoSettings) and config.route_calls:
            commands[name] = RouteCommands(config, app[HTTP_CLIENT])
        if not isinstance(config, AsteriskSettings):
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
            events=RECORDING_EVENTS if config.records else EVENTS,
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
    app[MANGO_COMMANDS] = commands
    yield
    for sender in commands.values():
        await sender.close()
    for server in servers:
        server.close()
        await server.wait_closed()
    for client in clients.values():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.drained(), 5)
        await client.stop()
