"""Mango Office over HTTP: Mango's own paths below ``/api/v1/hooks/NAME/``.

Routing is asynchronous at Mango: when a call from a known client appears (in the IVR or a
queue), and ``route_calls`` is on, a ``commands/route`` request asks Mango to send it to the
client's manager; Mango's answer comes to ``result/route`` and is logged.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from config.settings import MangoConnector
from connectors import mango
from connectors.errors import ConnectorError
from hub.api.endpoints import Endpoint, Handler
from hub.api.http import reply
from hub.api.pbx.common import decide, post_endpoint, read_form, refuse, store, unknown_event
from hub.bootstrap.core import NORMALIZER
from hub.domain.calls import CallUpdate, Direction
from hub.domain.phone import Normalizer
from routing.decision import TargetType

log = logging.getLogger(__name__)
ATTEMPTS = 3
ROUTED_KEEP = 5000

Parser = Callable[..., list[CallUpdate]]


class RouteCommands:
    """Sends ``commands/route`` to Mango's API: a timeout per request, a few retries, once per
    call."""

    def __init__(self, config: MangoConnector) -> None:
        self._config = config
        self._routed: OrderedDict[str, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent: list[dict[str, Any]] = []

    def submit(self, entry_id: str, leg: str, extension: str) -> None:
        if entry_id in self._routed:
            return
        self._routed[entry_id] = None
        while len(self._routed) > ROUTED_KEEP:
            self._routed.popitem(last=False)
        task = asyncio.create_task(self._send(leg, extension), name=f"mango-route-{entry_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, leg: str, extension: str) -> None:
        config = self._config
        command = {"command_id": secrets.token_hex(8), "call_id": leg, "to_number": extension}
        form = mango.command_form(config.api_key, config.api_salt.get_secret_value(), command)
        url = config.api_url.rstrip("/") + "/commands/route"
        timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with (
                    aiohttp.ClientSession(timeout=timeout) as session,
                    session.post(url, data=form) as response,
                ):
                    if response.status < 500:
                        self.sent.append({**command, "status": response.status})
                        if response.status >= 400:
                            log.warning("mango refused commands/route: %s", response.status)
                        return
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("mango commands/route attempt %d failed: %s", attempt, exc)
            await asyncio.sleep(0.2 * attempt)
        log.warning("mango commands/route for %s gave up after %d attempts", leg, ATTEMPTS)


def endpoints(name: str, config: MangoConnector) -> list[Endpoint]:
    salt = config.api_salt.get_secret_value()
    commands = RouteCommands(config)

    async def checked(request: web.Request) -> dict[str, Any]:
        form = await read_form(request)
        try:
            return mango.verify(config.api_key, salt, form)
        except ConnectorError as exc:
            raise refuse(request, name, exc) from exc

    def event(parser: Parser, *, routes: bool = False) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.Response:
            body = await checked(request)
            normalize: Normalizer = request.app[NORMALIZER]
            try:
                updates = parser(body, connector=name, normalize=normalize)
            except ConnectorError as exc:
                raise refuse(request, name, exc) from exc
            if routes and config.route_calls:
                _maybe_route(request, body, updates)
            await store(request, name, updates)
            return reply({})

        return handle

    def _maybe_route(request: web.Request, body: dict[str, Any], updates: list[CallUpdate]) -> None:
        if not updates or body.get("call_state") != "Appeared" or body.get("location") == "abonent":
            return
        first = updates[0]
        if first.direction is not Direction.INBOUND:
            return
        decision = decide(request, first.caller.raw, first.callee.value, first.call_id)
        target = decision.target
        if target.type in (TargetType.MANAGER, TargetType.EXTENSION) and target.extension:
            commands.submit(first.call_id, str(body["call_id"]), target.extension)

    async def result(request: web.Request) -> web.Response:
        body = await checked(request)
        log.info("%s: Mango answered a command: %s", name, str(body)[:300])
        return reply({})

    async def other(request: web.Request) -> web.Response:
        await checked(request)
        unknown_event(name, request.match_info.get("rest", ""))
        return reply({})

    def endpoint(path: str, handler: Handler, summary: str) -> Endpoint:
        return post_endpoint(name, path, handler, summary, "mango")

    return [
        endpoint("events/call", event(mango.call_event, routes=True), "Mango: one leg's state"),
        endpoint("events/summary", event(mango.summary_event), "Mango: the call's summary"),
        endpoint("events/recording", event(mango.recording_event), "Mango: a recording"),
        endpoint("result/route", result, "Mango: the result of commands/route"),
        endpoint("{rest:.+}", other, "Mango: any other event (acknowledged and ignored)"),
    ]
