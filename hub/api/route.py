"""``GET /api/v1/route``: where should this call go — answered from memory, never a 5xx."""

from __future__ import annotations

from functools import lru_cache

import orjson
from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import encoded, query_value
from hub.bootstrap.pipeline import ROUTER
from hub.domain.errors import InvalidInput
from hub.services.auth import ROUTERS
from routing.decision import RouteDecision


@lru_cache(maxsize=8192)
def _encoded(decision: RouteDecision) -> bytes:
    """A decision's JSON, without its closing brace: encoded once for each different answer
    (there are few: a target and a reason per manager, list and fallback)."""
    return orjson.dumps(decision.to_json())[:-1]


async def route(request: web.Request) -> web.Response:
    caller_raw = query_value(request, "from")
    if caller_raw is None:
        raise InvalidInput(
            "query parameter 'from' is required (empty means withheld)", field="from"
        )
    if len(caller_raw) > 128:
        raise InvalidInput("'from' is longer than 128 characters", field="from")
    caller, decision = request.app[ROUTER].route(
        caller_raw, query_value(request, "to") or "", query_value(request, "call_id")
    )
    return encoded(_encoded(decision) + b',"caller":' + orjson.dumps(caller.value) + b"}")


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
