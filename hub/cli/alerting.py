"""The alerts of cases a command changes (an import, a reassignment): written to the outbox in
the command's transaction, delivered by the running service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from config import Settings

if TYPE_CHECKING:
    from hub.domain.cases import CaseFact
    from notifications.alerts import Alerts
    from storage.uow import UnitOfWork


def alerting(settings: Settings) -> Callable[[UnitOfWork, Sequence[CaseFact]], Awaitable[None]]:
    """What a command does with the cases it settled or handed over: their alerts are written
    to the outbox. The alerts (and the bot library their buttons are declared with, seconds to
    import) are loaded only when there is a case to tell of."""
    made: list[Alerts] = []

    async def react(uow: UnitOfWork, facts: Sequence[CaseFact]) -> None:
        if facts:
            if not made:
                made.append(_alerts(settings))
            await made[0].react(uow, facts)

    return react


def _alerts(settings: Settings) -> Alerts:
    """The alerts about cases a command settles or hands over (an import that gives a number a
    card edits them); the running service delivers them from the outbox."""
    from zoneinfo import ZoneInfo

    from hub.domain.clock import SystemClock
    from notifications.alerts import Alerts

    return Alerts(
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        settings.escalation.after.total_seconds(),
        SystemClock(),
    )
