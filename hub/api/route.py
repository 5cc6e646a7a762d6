"""``GET /api/v1/route``: where should this call go — answered from memory, never a 5xx."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import reply
from hub.bootstrap.pipeline import ROUTER
from hub.domain.errors import InvalidInput
from hub.services.auth import ROUTERS


async def route(request: web.Request) -> web.Response:
    if "from" not in request.query:
        raise InvalidInput(
            "query parameter 'from' is required (empty means withheld)", field="from"
        )
    caller_raw = request.query["from"]
    if len(caller_raw) > 128:
        raise InvalidInput("'from' is longer than 128 characters", field="from")
    caller, decision = request.app[ROUTER].route(
        caller_raw, request.query.get("to", ""), request.query.get("call_id")
    )
    body = decision.to_json()
    body["caller"] = caller.value
    return reply(body)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/route",
        handler=route,
        roles=ROUTERS,
        summary="Where should a call from this number go now",
        tag="routing",
        query=(
            Query(name="from", description="caller id in any format"),
            Query(name="to", description="the dialled line"),
            Query(name="call_id", description="the PBX's call id, to link the decision"),
        ),
    ),
]
