"""The audit log over HTTP (admin): who changed what, when, before and after."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import PAGE_BEFORE, Endpoint, Query
from hub.api.http import (
    page,
    query_choice,
    query_int,
    query_limit,
    query_text,
    reply,
    unit_of_work,
)
from hub.domain.audit import AuditEntity
from hub.services.auth import ADMINS
from hub.services.serialisers import audit_view

ENTITIES = frozenset(AuditEntity)


async def audit_log(request: web.Request) -> web.Response:
    limit = query_limit(request)
    async with unit_of_work(request) as uow:
        entries = await uow.audit.page(
            entity=query_choice(request, "entity", ENTITIES),
            entity_id=query_text(request, "entity_id"),
            before_id=query_int(request, "before"),
            limit=limit,
        )
    return reply(page([audit_view(e) for e in entries], limit, "before"))


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/audit",
        handler=audit_log,
        roles=ADMINS,
        summary="The audit log, newest first",
        tag="audit",
        query=(
            Query(name="entity", description=", ".join(sorted(ENTITIES))),
            Query(name="entity_id"),
            *PAGE_BEFORE,
        ),
    ),
]
