"""The alerts of cases a command changes (an import, a reassignment): written to the outbox in
the command's transaction, delivered by the running service. Their «Запись» button links to the
recording as the service's would; «Позвонить» is left off: whether a phone system can place the
call is known to the running service, which adds it at the case's next edit."""

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
                made.append(await _alerts(settings, uow))
            await made[0].react(uow, facts)

    return react


async def _alerts(settings: Settings, uow: UnitOfWork) -> Alerts:
    """The alerts about cases a command settles or hands over (an import that gives a number a
    card edits them), with the service's links (its key read in the command's transaction)."""
    from zoneinfo import ZoneInfo

    from hub.domain.clock import SystemClock
    from hub.services.links import Links, secret_in
    from notifications.alerts import Alerts

    http, clock = settings.http, SystemClock()
    configured = http.link_secret.get_secret_value() if http.link_secret else None
    links = Links(
        await secret_in(uow, configured), clock, public_url=http.public_url, ttl=http.link_ttl
    )
    alerts = Alerts(
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        settings.escalation.after.total_seconds(),
        clock,
    )
    alerts.recording_link = links.recording
    return alerts
