"""Daily team digests for supervisors and a weekly company digest for directors.

Time lives in the database: a digest is an outbox row whose dedup key names the recipient and the
period, so however often the job wakes, on however many instances, each digest is written once.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from hub.digest import (
    CallRow,
    CaseRow,
    Figures,
    Window,
    daily_window,
    figures,
    is_due,
    weekly_window,
)
from notifications.catalogue import Language, duration, text
from notifications.rows import outbox_row
from storage.db import SessionFactory
from storage.models import Call, CallbackCase, Client, Manager
from storage.types import utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class Digests:
    def __init__(self, factory: SessionFactory, *, at: str, zone: str, language: Language) -> None:
        hours, minutes = at.split(":")
        self._factory = factory
        self._at = time(int(hours), int(minutes))
        self._zone = ZoneInfo(zone)
        self._language = language

    async def run(self, now: datetime | None = None) -> int:
        """Write every digest that is due and not yet written; returns how many were new."""
        moment = now or utcnow()
        if not is_due(moment, self._at, self._zone):
            return 0
        written = 0
        async with UnitOfWork(self._factory) as uow:
            managers = list(await uow.managers.list(active=True))
            unknown = await uow.unknown.count_open()
            daily = daily_window(moment, self._zone)
            rows = []
            for boss in (m for m in managers if m.role == "supervisor"):
                team = {m.id for m in managers if m.supervisor_id == boss.id} | {boss.id}
                title = text("digest_team", self._language, name=boss.name)
                figs = await self._figures(uow, daily, team, unknown)
                rows.append(
                    self._row(
                        f"digest:daily:{boss.id}:{daily.label}", boss, title, daily, figs, moment
                    )
                )
            if moment.astimezone(self._zone).weekday() == 0:
                weekly = weekly_window(moment, self._zone)
                figs = await self._figures(uow, weekly, None, unknown)
                title = text("digest_company", self._language)
                for director in (m for m in managers if m.role == "director"):
                    rows.append(
                        self._row(
                            f"digest:weekly:{director.id}:{weekly.label}",
                            director,
                            title,
                            weekly,
                            figs,
                            moment,
                        )
                    )
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
        return outbox_row(key, person, "digest", body, now=now)

    @staticmethod
    async def _figures(
        uow: UnitOfWork, window: Window, team: set[int] | None, unknown: int
    ) -> Figures:
        """Calls of the window answered by the team, or from the team's clients, or from
        nobody's number (withheld and unknown callers count for every team)."""
        calls = (
            select(Call.direction, Call.outcome, Call.started_at, Call.caller_kind)
            .outerjoin(Client, Client.id == Call.client_id)
            .where(Call.started_at >= window.start, Call.started_at < window.end)
        )
        cases = select(
            CallbackCase.status,
            CallbackCase.first_missed_at,
            CallbackCase.returned_at,
            CallbackCase.escalated_at,
        ).where(
            CallbackCase.first_missed_at < window.end,
            or_(
                CallbackCase.status.in_(("open", "escalated")),
                CallbackCase.returned_at >= window.start,
                CallbackCase.escalated_at >= window.start,
            ),
        )
        if team is not None:
            calls = calls.where(
                or_(
                    Call.manager_id.in_(team),
                    Client.manager_id.in_(team),
                    (Call.manager_id.is_(None) & Call.client_id.is_(None)),
                )
            )
            cases = cases.where(
                or_(CallbackCase.manager_id.in_(team), CallbackCase.manager_id.is_(None))
            )
        call_rows = [
            CallRow(direction=d, outcome=o, started_at=s, caller_kind=k)
            for d, o, s, k in await uow.session.execute(calls)
        ]
        case_rows = [
            CaseRow(status=s, first_missed_at=f, returned_at=r, escalated_at=e)
            for s, f, r, e in await uow.session.execute(cases)
        ]
        return figures(window, call_rows, case_rows, unknown)
