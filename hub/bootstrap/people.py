"""What reaches people on its own time or on their initiative: the staff bot and the schedule of
periodic jobs (the escalation sweep, the daily and weekly digests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.outbox import BOT
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.people import Redemption
from hub.runtime.schedule import Job, Schedule
from hub.services.cases import close_case
from hub.services.directory.invites import redeem
from hub.services.escalation import escalate_due
from notifications.bot.context import BotContext
from notifications.bot.runner import StaffBot
from notifications.digests import Digests
from storage.models import Manager

STAFF_BOT = web.AppKey("staff_bot", StaffBot)
SCHEDULE = web.AppKey("schedule", Schedule)

ESCALATION_SWEEP = "escalation sweep"
DAILY_DIGEST = "daily digest"
WEEKLY_DIGEST = "weekly digest"


def jobs(app: web.Application, digests: Digests) -> list[Job]:
    """Every periodic job, each a plain function of the moment it runs for."""
    settings, factory, handlers = app[SETTINGS], app[SESSIONS], app[HANDLERS]

    async def sweep(now: datetime) -> int:
        return await escalate_due(factory, handlers, now)

    found = [
        Job(
            ESCALATION_SWEEP,
            IntervalTrigger(seconds=settings.escalation.sweep_interval.total_seconds()),
            sweep,
        )
    ]
    if settings.digest.enabled:
        at, zone = digests.at, digests.zone
        found += [
            Job(
                DAILY_DIGEST,
                CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
                digests.daily,
            ),
            Job(
                WEEKLY_DIGEST,
                CronTrigger(day_of_week="mon", hour=at.hour, minute=at.minute, timezone=zone),
                digests.weekly,
            ),
        ]
    return found


async def people(app: web.Application) -> AsyncIterator[None]:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    digests = Digests(
        factory,
        at=settings.digest.time,
        zone=settings.company.timezone,
        language=settings.telegram.language,
    )
    schedule = Schedule(jobs(app, digests), clock)
    app[SCHEDULE] = schedule
    staff_bot = None
    if BOT in app:

        async def close(person: Manager, case_id: int, reason: str) -> object:
            return await close_case(
                factory,
                app[HANDLERS],
                case_id,
                reason,
                actor=person.name,
                now=clock.now(),
                by=person,
            )

        async def redeem_code(code: str, chat_id: int) -> Redemption:
            return await redeem(factory, code, chat_id, now=clock.now())

        context = BotContext(
            factory=factory,
            close_case=close,
            redeem=redeem_code,
            clock=clock,
            language=settings.telegram.language,
            zone=ZoneInfo(settings.company.timezone),
        )
        staff_bot = StaffBot(app[BOT], context, settings.telegram)
        app[STAFF_BOT] = staff_bot
        staff_bot.start()
    schedule.start()
    yield
    if staff_bot is not None:
        await staff_bot.stop()
    await schedule.stop()
