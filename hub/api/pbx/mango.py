"""Mango Office over HTTP: Mango's own paths below ``/api/v1/hooks/NAME/``.

Routing is asynchronous at Mango: when a call from a known client appears (in the IVR or a
queue), and ``route_calls`` is on, a ``commands/route`` request asks Mango to send it to the
client's manager (``connectors/mango/client.py``, started by the app with its one HTTP session);
Mango's answer comes to ``result/route`` and is logged, as is the result of a click-to-call's
``commands/callback`` (``result/callback``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

from connectors import mango
from connectors.mango import MangoSettings
from hub.api.endpoints import Endpoint, Handler
from hub.api.http import reply
from hub.api.pbx.common import decide, hook_endpoint, read_form, refusing, store, unknown_event
from hub.bootstrap.core import NORMALIZER
from hub.bootstrap.pbx import MANGO_COMMANDS
from hub.domain.calls import CallUpdate, Direction
from routing.decision import TargetType

log = logging.getLogger(__name__)

Parser = Callable[..., list[CallUpdate]]


def endpoints(name: str, config: MangoSettings) -> list[Endpoint]:
    salt = config.api_salt.get_secret_value()

    async def checked(request: web.Request) -> dict[str, Any]:
        form = await read_form(request, name)
        with refusing(request, name):
            return mango.verify(config.api_key, salt, form)

    def event(parser: Parser, *, routes: bool = False) -> Handler:
        async def handle(request: web.Request) -> web.Response:
            body = await checked(request)
            with refusing(request, name):
                updates = parser(body, connector=name, normalize=request.app[NORMALIZER])
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
            commands = request.app[MANGO_COMMANDS][name]
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
        return hook_endpoint(name, path, handler, f"{summary} ({name})", auth="mango")

    return [
        endpoint("events/call", event(mango.call_event, routes=True), "Mango: one leg's state"),
        endpoint("events/summary", event(mango.summary_event), "Mango: the call's summary"),
        endpoint("events/recording", event(mango.recording_event), "Mango: a recording"),
        endpoint("result/route", result, "Mango: the result of commands/route"),
        endpoint("result/callback", result, "Mango: the result of commands/callback"),
        endpoint("{rest:.+}", other, "Mango: any other event (acknowledged and ignored)"),
    ]
