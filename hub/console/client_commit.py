"""Committing a directory change made at the console (a client card, an absence), as the API
does: the numbers the change gave a card leave the triage queue and their open cases are
settled in the same transaction, and routing sees the change before the page answers."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.services.directory.triage import settle_numbers
from storage.uow import UnitOfWork


async def commit_directory(
    request: web.Request,
    uow: UnitOfWork,
    *,
    actor: str,
    settles: Mapping[str, str] | None = None,
) -> None:
    """Commit the change in ``uow`` made by ``actor``; ``settles``: the numbers it gave a card
    (``client:<id>``)."""
    handlers = request.app[HANDLERS]
    facts = await settle_numbers(uow, settles or {}, actor=actor, now=request.app[CLOCK].now())
    await handlers.within(uow, facts)
    await uow.commit()
    await request.app[DIRECTORY].catch_up()
    handlers.committed(facts)
