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
    # Query parameters other than ``query`` are refused (400 naming them). Only endpoints of our
    # own API are held to it: a vendor's webhook gets the vendor's query string, whatever it is.
    strict_query: bool = True

    def known_query(self) -> frozenset[str] | None:
        """The query parameters this endpoint takes, or None when it takes whatever comes."""
        if self.auth != "bearer" or not self.strict_query:
            return None
        return frozenset(q.name for q in self.query)


LIMIT = Query(name="limit", type="integer", description="page size, at most 1000")
PAGE_AFTER = (Query(name="after", type="integer", description="cursor from `next`"), LIMIT)
PAGE_BEFORE = (Query(name="before", type="integer", description="cursor from `next`"), LIMIT)
SINCE = Query(
    name="since",
    description="from this moment (ISO-8601 with offset) or day (YYYY-MM-DD, its start in "
    "company.timezone)",
)
UNTIL = Query(
    name="until",
    description="before this moment (ISO-8601 with offset), or up to the end of this day "
    "(YYYY-MM-DD in company.timezone)",
)
