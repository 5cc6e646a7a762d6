"""Daily team digests for supervisors and a weekly company digest for directors. A supervisor's
digest also counts his team's forgotten clients (given ``forgotten_after``).

Time lives in the database: a digest is an outbox row whose dedup key names the recipient and the
period, so however often the job wakes, on however many instances, each digest is written once.

Each digest carries a chart (notifications/charts.py) as its picture, the text as the caption:
missed and called back per day of the period, and the time to callback. The figures are read in
a transaction that only reads, the chart is drawn in a worker thread with no transaction open
(SQLite has one write lock, and ingestion needs it), and the rows are written after. This
instance remembers which digests of the current period it has queued, so a later wake-up of the
same day draws nothing again; the dedup key still decides what is written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.chart_figures import per_day, waits
from hub.domain.digest import (
    CallRow,
    CaseRow,
    Figures,
    Window,
    daily_window,
    figures,
    is_due,
    weekly_window,
)
from hub.domain.forgotten import ForgottenTally
from hub.domain.people import Role
from notifications.catalogue import Language, duration, text
from notifications.charts import digest_chart
from notifications.rows import outbox_row, photo
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Draft:
    """A digest read but not yet drawn and written."""

    recipients: Sequence[tuple[str, Manager]]  # (dedup key, person)
    title: str
    figures: Figures
    calls: Sequence[CallRow]
    cases: Sequence[CaseRow]


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
        # Per kind of digest: the period last queued and the keys queued for it.
        self._queued: dict[str, tuple[str, set[str]]] = {}

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
        drafts = []
        async with UnitOfWork(self._factory, read_only=True) as uow:
            managers = list(await uow.managers.list(active=True))
            unknown = await uow.unknown.count_open()
            for boss in (m for m in managers if m.role == Role.SUPERVISOR):
                key = f"digest:daily:{boss.id}:{window.label}"
                if self._was_queued("daily", window.label, key):
                    continue
                team = {m.id for m in managers if m.supervisor_id == boss.id} | {boss.id}
                calls, cases = await self._rows(uow, window, team)
                figs = figures(window, calls, cases, unknown)
                if self._forgotten_after is not None:
                    tally = ForgottenTally(now, self._forgotten_after, keep=0)
                    async for page in uow.reports.client_contact_pages(team):
                        tally.add(page)
                    figs = replace(figs, forgotten=sum(tally.counts.values()))
                title = text("digest_team", self._language, name=boss.name)
                drafts.append(_Draft([(key, boss)], title, figs, calls, cases))
        return await self._write("daily", window, drafts, now)

    async def weekly(self, now: datetime) -> int:
        """Each director's digest of the company's last week, on Mondays once the digest time
        has come; returns how many were new."""
        local = now.astimezone(self._zone)
        if local.weekday() != 0 or not is_due(now, self._at, self._zone):
            return 0
        window = weekly_window(now, self._zone)
        async with UnitOfWork(self._factory, read_only=True) as uow:
            managers = list(await uow.managers.list(active=True))
            directors = [
                (f"digest:weekly:{d.id}:{window.label}", d)
                for d in managers
                if d.role == Role.DIRECTOR
            ]
            directors = [
                (k, d) for k, d in directors if not self._was_queued("weekly", window.label, k)
            ]
            if not directors:
                return 0
            unknown = await uow.unknown.count_open()
            calls, cases = await self._rows(uow, window, None)
        figs = figures(window, calls, cases, unknown)
        title = text("digest_company", self._language)
        draft = _Draft(directors, title, figs, calls, cases)
        return await self._write("weekly", window, [draft], now)

    def _was_queued(self, kind: str, label: str, key: str) -> bool:
        queued = self._queued.get(kind)
        return queued is not None and queued[0] == label and key in queued[1]

    async def _write(
        self, kind: str, window: Window, drafts: Sequence[_Draft], now: datetime
    ) -> int:
        """Draw each draft's chart and write its rows; returns how many were new."""
        rows = []
        for draft in drafts:
            chart = await asyncio.to_thread(self._chart, window, draft)
            for key, person in draft.recipients:
                rows.append(self._row(key, person, draft.title, window, draft.figures, chart, now))
        if not rows:
            return 0
        async with UnitOfWork(self._factory) as uow:
            written = await uow.outbox.enqueue(rows)
            await uow.commit()
        label, keys = self._queued.get(kind, ("", set()))
        keys = keys if label == window.label else set()
        self._queued[kind] = (window.label, keys | {str(row["dedup_key"]) for row in rows})
        if written:
            log.info("%d digest(s) queued", written)
        return written

    def _chart(self, window: Window, draft: _Draft) -> bytes:
        days = per_day(window, self._zone, draft.calls, draft.cases)
        return digest_chart(days, waits(window, draft.cases), self._language).png()

    def _row(
        self,
        key: str,
        person: Manager,
        title: str,
        window: Window,
        figs: Figures,
        chart: bytes,
        now: datetime,
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
        picture = photo(f"digest-{window.label}.png", chart)
        return outbox_row(key, person, "digest", body, now=now, documents=[picture])

    @staticmethod
    async def _rows(
        uow: UnitOfWork, window: Window, team: set[int] | None
    ) -> tuple[list[CallRow], list[CaseRow]]:
        calls = await uow.reports.call_rows(window.start, window.end, team)
        cases = await uow.reports.case_rows(window.start, window.end, team)
        return calls, cases
