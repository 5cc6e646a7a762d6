"""Callback cases and the outbox over HTTP.

A token of a person sees the cases of his scope and those he was told of (another team's case
is a 404), and closes one as the bot lets him (``hub/domain/cases.py: may_close``), in his
name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aiohttp import web

from hub.api.endpoints import PAGE_AFTER, PAGE_BEFORE, SINCE, UNTIL, Endpoint, Query
from hub.api.http import (
    actor,
    page,
    path_int,
    principal,
    query_choice,
    query_int,
    query_limit,
    query_status,
    query_time,
    read_model,
    reply,
    unit_of_work,
)
from hub.api.scoped import scope_of, sees_case
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.cases import CaseStatus
from hub.domain.errors import Forbidden, NotFound
from hub.services.auth import ADMINS, EDITORS, READERS
from hub.services.cases import close_case
from hub.services.directory.commands import Body, Reason
from hub.services.scope import kept
from hub.services.serialisers import case_view, outbox_view
from storage.models import CallbackCase
from storage.uow import UnitOfWork

STATUSES = frozenset(CaseStatus)
# A missed call to call back, or a client's message nobody answered.
KINDS = frozenset({"call", "message"})
OUTBOX_STATUSES = frozenset({"pending", "sent", "dead", "unreachable", "superseded", "rerouted"})


class CloseRequest(Body):
    reason: Reason


async def list_cases(request: web.Request) -> web.Response:
    limit = query_limit(request)
    scope = scope_of(request)
    status, manager_id = query_status(request, STATUSES), query_int(request, "manager_id")
    kind = query_choice(request, "kind", KINDS)
    since, until = query_time(request, "since"), query_time(request, "until", until=True)
    after = query_int(request, "after", 0) or 0
    async with unit_of_work(request) as uow:

        async def fetch(last: CallbackCase | None, size: int) -> Sequence[CallbackCase]:
            return await uow.cases.page(
                status=status,
                kind=kind,
                manager_id=manager_id,
                since=since,
                until=until,
                after_id=after if last is None else last.id,
                limit=size,
            )

        keep = None if scope.everything else (lambda c: sees_case(scope, c.manager_id, c.told))
        cases = await kept(fetch, keep, limit)
    return reply(page([case_view(c) for c in cases.rows], limit, "after", resume=cases.resume))


async def _case(request: web.Request, uow: UnitOfWork, case_id: int) -> CallbackCase:
    """The case, if the token's scope sees it (another's is as if it did not exist)."""
    case = await uow.cases.get(case_id)
    if case is None or not sees_case(scope_of(request), case.manager_id, case.told):
        raise NotFound(f"callback case {case_id} does not exist")
    return case


async def one_case(request: web.Request) -> web.Response:
    case_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        case = await _case(request, uow, case_id)
    return reply(case_view(case))


async def close(request: web.Request) -> web.Response:
    case_id = path_int(request, "id")
    body = await read_model(request, CloseRequest)
    person_id = principal(request).person_id
    closer = None
    if person_id is not None:
        async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
            await _case(request, uow, case_id)
            closer = await uow.managers.get(person_id)
        if closer is None:
            raise Forbidden("the token's person is no longer in the directory")
    case = await close_case(
        request.app[SESSIONS],
        request.app[HANDLERS],
        case_id,
        body.reason,
        actor=actor(request),
        now=request.app[CLOCK].now(),
        by=closer,
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
            Query(name="kind", description="call (a missed call) or message (unanswered)"),
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
