"""``GET /api/v1/route``: where should this call go — answered from memory, never a 5xx."""

from __future__ import annotations

import logging
import time

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import reply
from hub.auth import ROUTERS
from hub.errors import InvalidInput
from hub.keys import DIRECTORY, METRICS, NORMALIZER, SETTINGS, WRITER
from hub.phone import PhoneNumber
from routing.decision import ReasonCode, RouteDecision, default_decision
from routing.engine import decide
from storage.types import utcnow

log = logging.getLogger(__name__)


def route_call(
    app: web.Application, caller_raw: str, dialled: str, call_ref: str | None
) -> tuple[PhoneNumber, RouteDecision]:
    """Decide, record the decision for the call, and measure; shared by every vendor's routing."""
    started = time.perf_counter()
    now = utcnow()
    caller = app[NORMALIZER](caller_raw)
    try:
        decision = decide(
            caller,
            app[DIRECTORY].snapshot,
            now,
            sticky_window=app[SETTINGS].routing.sticky_window,
        )
    except Exception:
        log.exception("routing failed for %s; answering default", caller.value)
        decision = default_decision("routing error: default route", ReasonCode.ERROR)
    try:
        app[WRITER].record_decision(
            {
                "at": now,
                "caller": caller.value,
                "dialled": dialled.replace("\x00", "")[:128],
                "target": decision.target.to_json(),
                "reason": decision.reason[:300],
                "reason_code": decision.code.value,
                "call_ref": call_ref.replace("\x00", "")[:200] if call_ref else None,
            }
        )
    except Exception:
        log.exception("could not queue the routing decision record")
    app[METRICS].route_latency.observe(time.perf_counter() - started)
    return caller, decision


async def route(request: web.Request) -> web.Response:
    if "from" not in request.query:
        raise InvalidInput(
            "query parameter 'from' is required (empty means withheld)", field="from"
        )
    caller_raw = request.query["from"]
    if len(caller_raw) > 128:
        raise InvalidInput("'from' is longer than 128 characters", field="from")
    caller, decision = route_call(
        request.app, caller_raw, request.query.get("to", ""), request.query.get("call_id")
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
