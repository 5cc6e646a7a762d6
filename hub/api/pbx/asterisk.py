"""Asterisk's routing over HTTP: ``GET /api/v1/hooks/NAME/route?from=&to=`` for ``CURL()``.

The answer is plain text — the target to ``Dial()``, ``HANGUP``, or nothing for the default —
because that is what a dialplan can use directly. ``CURL()`` does not encode the ``+`` of a
number, so the query is decoded without turning ``+`` into a space. The AMI client and the
FastAGI server are not HTTP: the app starts them (``hub/bootstrap/pbx.py``).
"""

from __future__ import annotations

from urllib.parse import unquote

from aiohttp import web

from connectors import asterisk
from connectors.asterisk import AsteriskSettings
from hub.api.endpoints import Endpoint, Query
from hub.api.pbx.common import decide, hook_endpoint, refusing


def raw_query(query_string: str) -> dict[str, str]:
    """``from=+7916...&to=...`` with only %-escapes decoded (``+`` stays ``+``)."""
    found: dict[str, str] = {}
    for part in query_string.split("&"):
        key, _, value = part.partition("=")
        if key:
            found.setdefault(unquote(key), unquote(value))
    return found


def endpoints(name: str, config: AsteriskSettings) -> list[Endpoint]:
    key = config.route_key.get_secret_value() if config.route_key else None

    async def route(request: web.Request) -> web.Response:
        query = raw_query(request.query_string)
        with refusing(request, name):
            asterisk.verify(key, query.get("key"))
        caller = query.get("from", "")[:128]
        decision = decide(request, caller, query.get("to", "")[:128], query.get("call_id"))
        return web.Response(text=asterisk.dial_target(decision, config.channel_prefix))

    return [
        hook_endpoint(
            name,
            "route",
            route,
            f"Routing for the Asterisk dialplan's CURL() ({name}): plain text, "
            "e.g. PJSIP/101, HANGUP, or empty for the default",
            auth="none",
            method="GET",
            query=(
                Query(name="from", description="the caller as Asterisk has it"),
                Query(name="to", description="the dialled number"),
                Query(name="call_id", description="the channel's Linkedid (optional)"),
                Query(name="key", description="route_key, when configured"),
            ),
        )
    ]
