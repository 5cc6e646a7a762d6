"""Calls over HTTP: the list with its filters, and one call.

A token of a person sees the calls of his scope (``Scope.sees_call``): those his team took or
answers for, a missed call of his team's client, and for a supervisor those of nobody (neither a
manager nor a client with one); another's call is a 404. A client's whole history is
``/clients/{id}/calls``."""

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
from hub.api.scoped import own_only, scope_of
from hub.domain.calls import Direction, Outcome
from hub.domain.errors import NotFound
from hub.services.auth import READERS
from hub.services.scope import kept
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
        owners: dict[int, int | None] = {}

        async def fetch(last: Call | None, size: int) -> Sequence[Call]:
            rows = await uow.calls.page(
                numbers=numbers,
                direction=direction,
                outcome=outcome,
                manager_id=manager_id,
                client_id=client_id,
                connector=connector,
                since=since,
                until=until,
                before_id=before if last is None else last.id,
                limit=size,
            )
            if not scope.everything:
                owners.update(await client_managers(uow, rows))
            return rows

        keep = (
            None
            if scope.everything
            else (lambda c: scope.sees_call(c.manager_id, owners.get(c.id)))
        )
        calls = await kept(fetch, keep, limit)
    return reply(page([call_view(c) for c in calls.rows], limit, "before", resume=calls.resume))


async def client_managers(uow: UnitOfWork, calls: Sequence[Call]) -> dict[int, int | None]:
    """By call id, the personal manager of the client of each call that no manager answers for
    (one query for them all)."""
    wanted = {c.id: c.client_id for c in calls if c.manager_id is None and c.client_id}
    managers = await uow.cases.client_managers(wanted.values())
    return {call_id: managers.get(client_id) for call_id, client_id in wanted.items()}


async def seen_call(request: web.Request, uow: UnitOfWork, call_id: int) -> Call:
    """The call, if the token's scope sees it (another's is as if it did not exist)."""
    call = await uow.calls.get(call_id)
    scope = scope_of(request)
    if call is not None and not scope.everything:
        owner = (await client_managers(uow, [call])).get(call.id)
        if not scope.sees_call(call.manager_id, owner):
            call = None
    if call is None:
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
