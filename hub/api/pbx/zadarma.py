"""Zadarma / Novofon over HTTP: ``POST /api/v1/hooks/NAME`` and the ``zd_echo`` URL check."""

from __future__ import annotations

from aiohttp import web

from connectors import zadarma
from connectors.errors import PayloadError
from connectors.zadarma import ZadarmaSettings
from hub.api.endpoints import Endpoint, Query
from hub.api.http import reply
from hub.api.pbx.common import (
    decide,
    hook_endpoint,
    read_form,
    refusing,
    settings_of,
    store,
    store_soon,
    unknown_event,
    zone,
)
from hub.bootstrap.core import CLOCK, NORMALIZER


def endpoints(name: str, config: ZadarmaSettings) -> list[Endpoint]:
    secret = config.api_secret.get_secret_value()

    async def echo(request: web.Request) -> web.Response:
        nonce = request.query.get("zd_echo")
        if nonce is None or len(nonce) > 200:
            raise PayloadError("zd_echo is required (Zadarma's URL check)", field="zd_echo")
        return web.Response(text=nonce)

    async def notify(request: web.Request) -> web.Response:
        form = await read_form(request, name)
        with refusing(request, name):
            if not zadarma.verify(secret, request.headers.get("Signature"), form):
                unknown_event(name, form.get("event", ""))
                return reply({})
            parsed = zadarma.parse(
                form,
                connector=name,
                normalize=request.app[NORMALIZER],
                zone=zone(settings_of(request), config.timezone),
                now=request.app[CLOCK].now(),
            )
        if parsed.event != "NOTIFY_START":
            await store(request, name, parsed.updates)
            return reply({})
        # Zadarma waits for this answer while the call rings: decide from memory, answer, and
        # store the event meanwhile (NOTIFY_END repeats everything it says).
        decision = decide(request, parsed.caller or "", parsed.called or "", parsed.call_id)
        store_soon(request, name, parsed.updates)
        return reply(zadarma.route_answer(decision, config.return_timeout))

    return [
        hook_endpoint(
            name,
            "",
            notify,
            f"Zadarma/Novofon NOTIFY_* events ({name}); NOTIFY_START is answered "
            "with the routing JSON",
            auth="zadarma",
        ),
        hook_endpoint(
            name,
            "",
            echo,
            f"Zadarma's URL check ({name}): answers the zd_echo value",
            auth="none",
            method="GET",
            query=(Query(name="zd_echo"),),
        ),
    ]
