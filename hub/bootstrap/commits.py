"""Committing a directory change (a card, a list, an absence), the same for the API and the
console: the numbers the change gave a card or a list leave the triage queue and their open
cases are settled, with the alerts, in the same transaction; routing sees the change before the
caller answers.

A person's change may take only numbers of his scope: giving a card or a list a number that
another team is still to triage, or whose open case another team answers for, would move that
number and its case away from them. Such a change is refused whole before anything is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.cases import CaseFact
from hub.domain.errors import Forbidden
from hub.domain.scope import Scope
from hub.domain.unknown import UnknownStatus
from hub.services.directory.triage import settle_numbers
from storage.uow import UnitOfWork


class OthersNumber(Forbidden):
    """A change would take ``number`` (E.164) from another team."""

    def __init__(self, number: str) -> None:
        super().__init__(f"number {number} is another team's: ask their supervisor")
        self.number = number


async def commit_directory(
    app: web.Application,
    uow: UnitOfWork,
    *,
    actor: str,
    settles: Mapping[str, str] | None = None,
    scope: Scope | None = None,
    handed: Sequence[CaseFact] = (),
) -> None:
    """Commit the change in ``uow`` made by ``actor``; ``settles``: the numbers it gave a card
    (``client:<id>``) or a list (``list:<slug>``); ``handed``: the open cases it handed to
    another manager (their alerts go with the commit). Given the ``scope`` of the person making
    it, a number it would take from another team is refused with :class:`OthersNumber` before
    anything is settled or committed (the caller's unit of work then rolls back)."""
    settles = settles or {}
    if scope is not None and not scope.everything:
        await refuse_others_numbers(uow, settles, scope)
    handlers = app[HANDLERS]
    facts = [*handed, *await settle_numbers(uow, settles, actor=actor, now=app[CLOCK].now())]
    await handlers.within(uow, facts)
    await uow.commit()
    await app[DIRECTORY].catch_up()
    handlers.committed(facts)


async def refuse_others_numbers(uow: UnitOfWork, settles: Mapping[str, str], scope: Scope) -> None:
    """Raise :class:`OthersNumber` naming the first number in ``settles`` that would leave another
    team: one still open in the triage queue outside ``scope``, or one whose active case, answered
    for outside ``scope``, the change would settle (a case already with the card it stays on is
    left as it is, and so is not taken)."""
    if not settles:
        return
    waiting = await uow.unknown.by_numbers(settles)
    cases = await uow.cases.active_for(settles)
    for number in sorted(settles):
        entry, case = waiting.get(number), cases.get(number)
        if (
            entry is not None
            and entry.status == UnknownStatus.OPEN
            and not scope.sees_unknown(entry.manager_id, entry.manager_ids)
        ):
            raise OthersNumber(number)
        if (
            case is not None
            and settles[number] != f"client:{case.client_id}"
            and not scope.owns(case.manager_id)
        ):
            raise OthersNumber(number)
