"""What reaches people on its own time or on their initiative: the staff bot and the schedule of
periodic jobs (the escalation sweep, the daily and weekly digests, the daily recompute of client
statuses)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from aiohttp import web
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hub.bootstrap.core import CLOCK, METRICS, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.links import LINKS
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.originate import can_call
from hub.bootstrap.outbox import ALERTS, BOT, PROMPTS
from hub.bootstrap.pipeline import HANDLERS
from hub.bootstrap.reports import report_jobs
from hub.bootstrap.staff import bot_context
from hub.runtime.schedule import Job, Schedule
from hub.services.client_status import StatusRules, recompute_statuses
from hub.services.conversations.health import check_channels
from hub.services.conversations.overdue import open_overdue
from hub.services.escalation import escalate_due
from notifications.digests import Digests

if TYPE_CHECKING:
    from notifications.bot.runner import StaffBot

# The staff bot on Telegram, when a token is set (aiogram is imported only then).
STAFF_BOT: web.AppKey[StaffBot] = web.AppKey("staff_bot")
SCHEDULE = web.AppKey("schedule", Schedule)

ESCALATION_SWEEP = "escalation sweep"
DAILY_DIGEST = "daily digest"
WEEKLY_DIGEST = "weekly digest"
CLIENT_STATUSES = "client statuses"
CHANNELS_HEALTH = "clients' channels"


def _running(schedule: Schedule, name: str) -> float:
    return float(schedule.busy(name))


def jobs(app: web.Application, digests: Digests) -> list[Job]:
    """Every periodic job, each a plain function of the moment it runs for."""
    settings, factory, handlers = app[SETTINGS], app[SESSIONS], app[HANDLERS]

    messages = app[MESSENGERS]

    async def sweep(now: datetime) -> int:
        """Unanswered messages past their reply time open cases; cases past their deadline
        escalate."""
        opened = await open_overdue(factory, handlers, messages.policy, messages.escalation, now)
        return opened + await escalate_due(factory, handlers, now)

    rules = StatusRules.of(settings)

    async def statuses(now: datetime) -> int:
        return await recompute_statuses(
            factory, now, rules=rules, language=settings.telegram.language
        )

    found = [
        Job(
            ESCALATION_SWEEP,
            IntervalTrigger(seconds=settings.escalation.sweep_interval.total_seconds()),
            sweep,
        ),
        Job(
            CLIENT_STATUSES,
            CronTrigger(hour=rules.at.hour, minute=rules.at.minute, timezone=rules.zone),
            statuses,
        ),
    ]
    if messages.channels:

        async def channels_health(now: datetime) -> int:
            return await check_channels(
                factory,
                messages.health_targets(settings.http.public_url),
                admin_chat_id=settings.telegram.admin_chat_id,
                language=settings.telegram.language,
                now=now,
            )

        found.append(Job(CHANNELS_HEALTH, IntervalTrigger(hours=1), channels_health))
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
    if settings.reports.enabled:
        found += report_jobs(
            settings,
            factory,
            can_call=lambda: can_call(app),
            link=app[LINKS].in_file,
            calendar=lambda: app[DIRECTORY].snapshot.calendar,
        )
    return found


async def people(app: web.Application) -> AsyncIterator[None]:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    digests = Digests(
        factory,
        at=settings.digest.time,
        zone=settings.company.timezone,
        language=settings.telegram.language,
        forgotten_after=settings.clients.forgotten_after,
        calendar=lambda: app[DIRECTORY].snapshot.calendar,
    )
    schedule = Schedule(jobs(app, digests), clock)
    app[SCHEDULE] = schedule
    for name in schedule.names:
        app[METRICS].jobs_running.labels(name).set_function(partial(_running, schedule, name))
    app[ALERTS].can_call = app[PROMPTS].can_call = lambda: can_call(app)
    staff_bot = None
    if BOT in app:
        from notifications.bot.runner import StaffBot

        context = bot_context(app)
        staff_bot = StaffBot(app[BOT], context, settings.telegram)
        app[STAFF_BOT] = staff_bot
        staff_bot.start()
    schedule.start()
    yield
    if staff_bot is not None:
        await staff_bot.stop()
    await schedule.stop()
