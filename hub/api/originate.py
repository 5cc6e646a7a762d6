"""Click-to-call over HTTP: ``POST /api/v1/calls/originate`` asks the PBX to ring a manager, then
a number. 202: the PBX took the request (the call itself is reported by the PBX as it happens).
A token of a person rings the phones of his scope only: a manager's his own (else 403)."""

from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from hub.api.endpoints import Endpoint
from hub.api.http import actor, read_model, reply
from hub.api.scoped import scope_of
from hub.bootstrap.originate import ORIGINATOR
from hub.domain.errors import Forbidden
from hub.services.auth import EDITORS
from hub.services.directory.commands import Body, Id, PhoneText


class OriginateBody(Body):
    manager_id: Id
    number: PhoneText


async def originate(request: web.Request) -> web.Response:
    body = await read_model(request, OriginateBody)
    if not scope_of(request).owns(body.manager_id):
        raise Forbidden(f"this token may not ring manager {body.manager_id}: outside its scope")
    result = await request.app[ORIGINATOR].originate(
        body.manager_id, body.number, actor=actor(request)
    )
    return reply(asdict(result), status=202)


ENDPOINTS = [
    Endpoint(
        method="POST",
        path="/api/v1/calls/originate",
        handler=originate,
        roles=EDITORS,
        summary="Click-to-call: the PBX rings the manager's phone, then the number",
        tag="calls",
        body=OriginateBody,
        status=202,
    ),
]
