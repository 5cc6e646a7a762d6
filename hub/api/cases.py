"""Callback cases and the outbox over HTTP."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from hub.api.endpoints import PAGE_AFTER, PAGE_BEFORE, SINCE, UNTIL, Endpoint, Query
from hub.api.http import (
    actor,
    page,
    path_int,
    query_int,
    query_limit,
    query_status,
    query_time,
    read_model,
    reply,
    unit_of_work,
)
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.cases import CaseStatus
from hub.domain.errors import NotFound
from hub.services.auth import ADMINS, EDITORS, READERS
from hub.services.cases import close_case
from hub.services.directory.commands import Body, Reason
from hub.services.serialisers import case_view, outbox_view

STATUSES = frozenset(CaseStatus)
OUTBOX_STATUSES = frozenset({"pending", "sent", "dead", "unreachable", "superseded"})


class CloseRequest(Body):
    reason: Reason


async def list_cases(request: web.Request) -> web.Response:
    limit = query_limit(request)
    async with unit_of_work(request) as uow:
        cases = await uow.cases.page(
            status=query_status(request, STATUSES),
            manager_id=query_int(request, "manager_id"),
            since=query_time(request, "since"),
            until=query_time(request, "until", until=True),
            after_id=query_int(request, "after", 0) or 0,
            limit=limit,
        )
    return reply(page([case_view(c) for c in cases], limit, "after"))


async def one_case(request: web.Request) -> web.Response:
    case_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        case = await uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"callback case {case_id} does not exist")
    return reply(case_view(case))


async def close(request: web.Request) -> web.Response:
    case_id = path_int(request, "id")
    body = await read_model(request, CloseRequest)
    case = await close_case(
        request.app[SESSIONS],
        request.app[HANDLERS],
        case_id,
        body.reason,
        actor=actor(request),
        now=request.app[CLOCK].now(),
    )
    return reply(case_view(case))


async def outbox(request: web.Request) -> web.Response:
    limit = query_limit(request)
    async with unit_of_work(request) as uow:
        counts = await uow.outbox.counts()
        rows = await uow.outbox.page(
            status=query_status(request, OUTBOX_STATUSES),
            before_id=query_int(request, "before"),
            limit=limit,
        )
    items = [outbox_view(r) for r in rows]
    body = page(items, limit, "before")
    body["counts"] = counts
    return reply(body)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/callback-cases",
        handler=list_cases,
        roles=READERS,
        summary="Callback cases",
        tag="callbacks",
        query=(
            Query(
                name="status",
                description="open, escalated, returned, closed, withdrawn or all",
            ),
            Query(name="manager_id", type="integer"),
            replace(SINCE, description=f"first missed {SINCE.description}"),
            replace(UNTIL, description=f"first missed {UNTIL.description}"),
            *PAGE_AFTER,
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/callback-cases/{id}",
        handler=one_case,
        roles=READERS,
        summary="One callback case: who answers for it and why, who was told, how it ended",
        tag="callbacks",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/callback-cases/{id}/close",
        handler=close,
        roles=EDITORS,
        summary="Close a case by hand, with a reason",
        tag="callbacks",
        body=CloseRequest,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/outbox",
        handler=outbox,
        roles=ADMINS,
        summary="Messages to people and their delivery state",
        tag="callbacks",
        query=(
            Query(
                name="status",
                description="pending, sent, dead, unreachable, superseded or all",
            ),
            *PAGE_BEFORE,
        ),
    ),
]
