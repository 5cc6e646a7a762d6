"""The endpoint table type: one list drives both the router and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from pydantic import BaseModel

from hub.domain.people import TokenRole

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    name: str
    type: str = "string"
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One route. ``roles=None`` means the endpoint authenticates by other means (or is public)."""

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    roles: frozenset[TokenRole] | None
    body: type[BaseModel] | None = None
    query: tuple[Query, ...] = ()
    status: int = 200
    auth: str = "bearer"
    # Also opened without a token by a signed link (hub/domain/links.py): a link in a message.
    signed: bool = False


LIMIT = Query(name="limit", type="integer", description="page size, at most 1000")
PAGE_AFTER = (Query(name="after", type="integer", description="cursor from `next`"), LIMIT)
PAGE_BEFORE = (Query(name="before", type="integer", description="cursor from `next`"), LIMIT)
