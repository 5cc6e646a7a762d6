"""Committing a directory change (a card, a list, an absence), the same for the API and the
console: the numbers the change gave a card or a list leave the triage queue and their open
cases are settled, with the alerts, in the same transaction; routing sees the change before the
caller answers."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.services.directory.triage import settle_numbers
from storage.uow import UnitOfWork


async def commit_directory(
    app: web.Application,
    uow: UnitOfWork,
    *,
    actor: str,
    settles: Mapping[str, str] | None = None,
) -> None:
    """Commit the change in ``uow`` made by ``actor``; ``settles``: the numbers it gave a card
    (``client:<id>``) or a list (``list:<slug>``)."""
    handlers = app[HANDLERS]
    facts = await settle_numbers(uow, settles or {}, actor=actor, now=app[CLOCK].now())
    await handlers.within(uow, facts)
    await uow.commit()
    await app[DIRECTORY].catch_up()
    handlers.committed(facts)
