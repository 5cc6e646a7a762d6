"""Zadarma / Novofon over HTTP: ``POST /api/v1/hooks/NAME`` and the ``zd_echo`` URL check."""

from __future__ import annotations

import logging

from aiohttp import web

from config.settings import ZadarmaConnector
from connectors import zadarma
from connectors.errors import ConnectorError, PayloadError
from hub.api.endpoints import Endpoint, Query
from hub.api.http import reply
from hub.api.pbx.common import (
    decide,
    read_form,
    refuse,
    settings_of,
    store,
    store_soon,
    unknown_event,
    zone,
)
from hub.bootstrap.core import CLOCK, NORMALIZER

log = logging.getLogger(__name__)


def endpoints(name: str, config: ZadarmaConnector) -> list[Endpoint]:
    secret = config.api_secret.get_secret_value()

    async def echo(request: web.Request) -> web.Response:
        nonce = request.query.get("zd_echo")
        if nonce is None or len(nonce) > 200:
            raise PayloadError("zd_echo is required (Zadarma's URL check)", field="zd_echo")
        return web.Response(text=nonce)

    async def notify(request: web.Request) -> web.Response:
        form = await read_form(request)
        try:
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
        except ConnectorError as exc:
            raise refuse(request, name, exc) from exc
        if parsed.event != "NOTIFY_START":
            await store(request, name, parsed.updates)
            return reply({})
        # Zadarma waits for this answer while the call rings: decide from memory, answer, and
        # store the event meanwhile (NOTIFY_END repeats everything it says).
        decision = decide(request, parsed.caller or "", parsed.called or "", parsed.call_id)
        store_soon(request, name, parsed.updates)
        return reply(zadarma.route_answer(decision, config.return_timeout))

    path = f"/api/v1/hooks/{name}"
    return [
        Endpoint(
            method="POST",
            path=path,
            handler=notify,
            roles=None,
            summary=f"Zadarma/Novofon NOTIFY_* events ({name}); NOTIFY_START is answered "
            "with the routing JSON",
            tag="connectors",
            auth="zadarma",
        ),
        Endpoint(
            method="GET",
            path=path,
            handler=echo,
            roles=None,
            summary=f"Zadarma's URL check ({name}): answers the zd_echo value",
            tag="connectors",
            auth="none",
            query=(Query(name="zd_echo"),),
        ),
    ]
