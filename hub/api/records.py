"""Read-only records over HTTP: calls, the audit log; and API tokens for the administrator."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import PAGE_BEFORE, Endpoint, Query
from hub.api.http import (
    actor,
    page,
    path_int,
    query_choice,
    query_int,
    query_limit,
    query_time,
    read_model,
    reply,
    unit_of_work,
)
from hub.api.schemas import TokenCreate
from hub.auth import ADMINS, READERS
from hub.directory.tokens import issue_token, revoke_token, token_view
from hub.errors import InvalidInput, NotFound
from hub.keys import NORMALIZER, VERIFIER
from hub.views import audit_view, call_view

OUTCOMES = frozenset({"answered", "missed", "busy", "abandoned", "unanswered"})
DIRECTIONS = frozenset({"inbound", "outbound", "internal"})


async def list_calls(request: web.Request) -> web.Response:
    limit = query_limit(request)
    numbers: list[str] | None = None
    raw = request.query.get("number")
    if raw:
        number = request.app[NORMALIZER](raw)
        if number.kind.value == "invalid":
            raise InvalidInput(f"{raw!r} is not a phone number", field="number")
        numbers = [number.value]
    async with unit_of_work(request) as uow:
        calls = await uow.calls.page(
            numbers=numbers,
            direction=query_choice(request, "direction", DIRECTIONS),
            outcome=query_choice(request, "outcome", OUTCOMES),
            manager_id=query_int(request, "manager_id"),
            client_id=query_int(request, "client_id"),
            connector=request.query.get("connector") or None,
            since=query_time(request, "since"),
            until=query_time(request, "until"),
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


async def audit_log(request: web.Request) -> web.Response:
    limit = query_limit(request)
    async with unit_of_work(request) as uow:
        entries = await uow.audit.page(
            entity=request.query.get("entity") or None,
            entity_id=request.query.get("entity_id") or None,
            before_id=query_int(request, "before"),
            limit=limit,
        )
    return reply(page([audit_view(e) for e in entries], limit, "before"))


async def list_tokens(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        return reply({"items": [token_view(t) for t in await uow.tokens.all()]})


async def create_token(request: web.Request) -> web.Response:
    body = await read_model(request, TokenCreate)
    async with unit_of_work(request) as uow:
        view = await issue_token(uow, body, actor=actor(request))
        await uow.commit()
    request.app[VERIFIER].forget()
    return reply(view, 201)


async def delete_token(request: web.Request) -> web.Response:
    token_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        view = await revoke_token(uow, token_id, actor=actor(request))
        await uow.commit()
    request.app[VERIFIER].forget()
    return reply(view)


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
            Query(name="since", description="ISO-8601 with offset"),
            Query(name="until", description="ISO-8601 with offset"),
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
    Endpoint(
        method="GET",
        path="/api/v1/audit",
        handler=audit_log,
        roles=ADMINS,
        summary="The audit log, newest first",
        tag="audit",
        query=(
            Query(name="entity"),
            Query(name="entity_id"),
            *PAGE_BEFORE,
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/tokens",
        handler=list_tokens,
        roles=ADMINS,
        summary="API tokens (never their secrets)",
        tag="tokens",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/tokens",
        handler=create_token,
        roles=ADMINS,
        summary="Issue a token; its secret is shown once",
        tag="tokens",
        body=TokenCreate,
        status=201,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/tokens/{id}",
        handler=delete_token,
        roles=ADMINS,
        summary="Revoke a token",
        tag="tokens",
    ),
]
