"""Calls over HTTP: the list with its filters, and one call.

A token of a person sees the calls of his scope: those his team took (a supervisor also those
nobody took); another's call is a 404. A client's whole history is ``/clients/{id}/calls``."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from hub.api.endpoints import PAGE_BEFORE, SINCE, UNTIL, Endpoint, Query
from hub.api.http import (
    page,
    path_int,
    query_choice,
    query_int,
    query_limit,
    query_phone,
    query_text,
    query_time,
    reply,
    unit_of_work,
)
from hub.api.scoped import kept, own_only, scope_of
from hub.domain.calls import Direction, Outcome
from hub.domain.errors import NotFound
from hub.services.auth import READERS
from hub.services.serialisers import call_view
from storage.models import Call
from storage.uow import UnitOfWork

OUTCOMES = frozenset(Outcome)
DIRECTIONS = frozenset(Direction)


async def list_calls(request: web.Request) -> web.Response:
    limit = query_limit(request)
    number = query_phone(request, "number")
    numbers = None if number is None else [number]
    direction = query_choice(request, "direction", DIRECTIONS)
    outcome = query_choice(request, "outcome", OUTCOMES)
    manager_id, client_id = query_int(request, "manager_id"), query_int(request, "client_id")
    connector = query_text(request, "connector")
    since, until = query_time(request, "since"), query_time(request, "until", until=True)
    before = query_int(request, "before")
    scope, mine = scope_of(request), own_only(request)
    if mine is not None and manager_id not in (None, mine):
        return reply(page([], limit, "before"))
    async with unit_of_work(request) as uow:

        async def fetch(last: Call | None, size: int) -> Sequence[Call]:
            return await uow.calls.page(
                numbers=numbers,
                direction=direction,
                outcome=outcome,
                manager_id=mine if manager_id is None else manager_id,
                client_id=client_id,
                connector=connector,
                since=since,
                until=until,
                before_id=before if last is None else last.id,
                limit=size,
            )

        keep = None if scope.everything else (lambda c: scope.owns(c.manager_id))
        calls = await kept(fetch, keep, limit)
    return reply(page([call_view(c) for c in calls], limit, "before"))


async def seen_call(request: web.Request, uow: UnitOfWork, call_id: int) -> Call:
    """The call, if the token's scope sees it (another's is as if it did not exist)."""
    call = await uow.calls.get(call_id)
    if call is None or not scope_of(request).owns(call.manager_id):
        raise NotFound(f"call {call_id} does not exist")
    return call


async def get_call(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        call = await seen_call(request, uow, path_int(request, "id"))
        return reply(call_view(call))


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/calls",
        handler=list_calls,
        roles=READERS,
        summary="Calls, newest first, with filters",
        tag="calls",
        query=(
            Query(name="number", description="any format; normalised to E.164"),
            Query(name="direction"),
            Query(name="outcome"),
            Query(name="manager_id", type="integer"),
            Query(name="client_id", type="integer"),
            Query(name="connector"),
            SINCE,
            UNTIL,
            *PAGE_BEFORE,
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/calls/{id}",
        handler=get_call,
        roles=READERS,
        summary="One call",
        tag="calls",
    ),
]
