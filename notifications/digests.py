"""Daily team digests for supervisors and a weekly company digest for directors. A supervisor's
digest also counts his team's forgotten clients (given ``forgotten_after``).

Time lives in the database: a digest is an outbox row whose dedup key names the recipient and the
period, so however often the job wakes, on however many instances, each digest is written once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.digest import (
    Figures,
    Window,
    daily_window,
    figures,
    is_due,
    weekly_window,
)
from hub.domain.forgotten import forgotten
from hub.domain.people import Role
from notifications.catalogue import Language, duration, text
from notifications.rows import outbox_row
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class Digests:
    def __init__(
        self,
        factory: SessionFactory,
        *,
        at: time,
        zone: str,
        language: Language,
        forgotten_after: timedelta | None = None,
        calendar: Callable[[], Calendar] = lambda: ORDINARY,
    ) -> None:
        self._forgotten_after = forgotten_after
        # The company calendar as it is now: no daily digest on a day off; the first working
        # day after days off covers them.
        self._calendar = calendar
        self._factory = factory
        self._at = at
        self._zone = ZoneInfo(zone)
        self._language = language

    @property
    def at(self) -> time:
        """When digests go out, in :attr:`zone`."""
        return self._at

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    async def daily(self, now: datetime) -> int:
        """Each supervisor's digest of his team's yesterday, once today's digest time has come;
        returns how many were new (0 when written already, by this instance or another)."""
        calendar = self._calendar()
        if not is_due(now, self._at, self._zone):
            return 0
        if not calendar.is_working_day(now.astimezone(self._zone).date()):
            return 0
        window = daily_window(now, self._zone, calendar)
        async with UnitOfWork(self._factory) as uow:
            managers = list(await uow.managers.list(active=True))
            unknown = await uow.unknown.count_open()
            rows = []
            for boss in (m for m in managers if m.role == Role.SUPERVISOR):
                team = {m.id for m in managers if m.supervisor_id == boss.id} | {boss.id}
                title = text("digest_team", self._language, name=boss.name)
                figs = await self._figures(uow, window, team, unknown)
                if self._forgotten_after is not None:
                    clients = await uow.reports.client_contacts(team)
                    count = len(forgotten(clients, now, self._forgotten_after))
                    figs = replace(figs, forgotten=count)
                key = f"digest:daily:{boss.id}:{window.label}"
                rows.append(self._row(key, boss, title, window, figs, now))
            written = await uow.outbox.enqueue(rows)
            await uow.commit()
        if written:
            log.info("%d digest(s) queued", written)
        return written

    async def weekly(self, now: datetime) -> int:
        """Each director's digest of the company's last week, on Mondays once the digest time
        has come; returns how many were new."""
        local = now.astimezone(self._zone)
        if local.weekday() != 0 or not is_due(now, self._at, self._zone):
            return 0
        window = weekly_window(now, self._zone)
        async with UnitOfWork(self._factory) as uow:
            managers = list(await uow.managers.list(active=True))
            unknown = await uow.unknown.count_open()
            figs = await self._figures(uow, window, None, unknown)
            title = text("digest_company", self._language)
            rows = [
                self._row(f"digest:weekly:{d.id}:{window.label}", d, title, window, figs, now)
                for d in managers
                if d.role == Role.DIRECTOR
            ]
            written = await uow.outbox.enqueue(rows)
            await uow.commit()
        if written:
            log.info("%d digest(s) queued", written)
        return written

    def _row(
        self, key: str, person: Manager, title: str, window: Window, figs: Figures, now: datetime
    ) -> dict[str, object]:
        median = (
            duration(figs.median_callback.total_seconds(), self._language)
            if figs.median_callback is not None
            else text("no_value", self._language)
        )
        body = text(
            "digest",
            self._language,
            title=title,
            period=window.label,
            calls_in=figs.calls_in,
            calls_out=figs.calls_out,
            missed=figs.missed,
            withheld_missed=figs.withheld_missed,
            returned=figs.returned,
            median=median,
            still_open=figs.still_open,
            escalated=figs.escalated,
            unknown_waiting=figs.unknown_waiting,
        )
        if figs.forgotten is not None and self._forgotten_after is not None:
            days = self._forgotten_after.days
            body += text("digest_forgotten", self._language, days=days, count=figs.forgotten)
        return outbox_row(key, person, "digest", body, now=now)

    @staticmethod
    async def _figures(
        uow: UnitOfWork, window: Window, team: set[int] | None, unknown: int
    ) -> Figures:
        calls = await uow.reports.call_rows(window.start, window.end, team)
        cases = await uow.reports.case_rows(window.start, window.end, team)
        return figures(window, calls, cases, unknown)
