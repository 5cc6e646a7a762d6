"""Calls over HTTP: the list with its filters, and one call."""

from __future__ import annotations

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
from hub.domain.calls import Direction, Outcome
from hub.domain.errors import NotFound
from hub.services.auth import READERS
from hub.services.serialisers import call_view

OUTCOMES = frozenset(Outcome)
DIRECTIONS = frozenset(Direction)


async def list_calls(request: web.Request) -> web.Response:
    limit = query_limit(request)
    number = query_phone(request, "number")
    numbers = None if number is None else [number]
    async with unit_of_work(request) as uow:
        calls = await uow.calls.page(
            numbers=numbers,
            direction=query_choice(request, "direction", DIRECTIONS),
            outcome=query_choice(request, "outcome", OUTCOMES),
            manager_id=query_int(request, "manager_id"),
            client_id=query_int(request, "client_id"),
            connector=query_text(request, "connector"),
            since=query_time(request, "since"),
            until=query_time(request, "until", until=True),
            before_id=query_int(request, "before"),
            limit=limit,
        )
    return reply(page([call_view(c) for c in calls], limit, "before"))


async def get_call(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        call = await uow.calls.get(path_int(request, "id"))
        if call is None:
            raise NotFound(f"call {request.match_info['id']} does not exist")
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
