"""The month-end report: unregistered numbers and the KPI «контакты уточнены», sent before
bonuses are computed.

On the report day (``reports.unregistered_day``: the month's last working day, or a day 1-28)
from ``reports.unregistered_time`` in the company's zone, and on any later run within the month
(the numbers are those that called since the previous month's report, so the days after a report
go into the next one):

* each active manager gets his own numbers: a short summary, then the list as CSV and XLSX;
* each active supervisor gets his team's (his people's and his own) with the team's KPI table;
* each active director gets the whole company's KPI table.

Time lives in the database: each message is an outbox row whose key names the month, the
manager (or team) and the recipient (``report:unregistered:2026-11:<manager>:<recipient>``,
``report:unregistered:2026-11:team-<id>:<id>``, ``report:kpi:2026-11:company:<id>``), so a run
twice, late, or on two instances at once, writes each message once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from hub.domain.kpi import KpiLine
from hub.domain.month import (
    Month,
    ReportDay,
    WorkingDay,
    is_working_day,
    report_due,
    report_window,
)
from hub.domain.people import Role
from hub.domain.unregistered import UnregisteredNumber
from hub.services.reports.files import (
    CSV_MIME,
    XLSX_MIME,
    csv_bytes,
    unregistered_table,
    xlsx_bytes,
)
from hub.services.reports.queries import refined_contacts, unregistered_numbers
from notifications.catalogue import Language, text
from notifications.rows import document, outbox_row
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
KIND = "report"


def kpi_text(
    month: Month,
    lines: Sequence[KpiLine],
    names: dict[int, str],
    language: Language,
    *,
    company: bool = False,
) -> str:
    """The KPI table as message lines: a title, one line per manager, the total."""
    scope = text("kpi_company", language) if company else ""
    body = [text("kpi_title", language, month=month.label, scope=scope)]
    body += [
        text(
            "kpi_line",
            language,
            name=names.get(line.manager_id, f"#{line.manager_id}"),
            refined=line.refined,
            triaged=line.triaged,
            created=line.clients_created,
            phones=line.phones_added,
        )
        for line in lines
    ]
    body.append(text("kpi_total", language, refined=sum(line.refined for line in lines)))
    return "\n".join(body)


class MonthEndReports:
    def __init__(
        self,
        factory: SessionFactory,
        *,
        day: ReportDay,
        at: time,
        zone: ZoneInfo,
        language: Language,
        working: WorkingDay = is_working_day,
        link: Callable[[str], str] = str,
    ) -> None:
        self._factory = factory
        self._link = link
        self._day = day
        self._at = at
        self._zone = zone
        self._language: Language = language
        self._working = working

    async def run(self, now: datetime) -> int:
        """Write the month's reports if they are due at ``now``; returns how many messages
        were new (0 when not due, or written already by this instance or another)."""
        month = report_due(now, self._day, self._at, self._zone, self._working)
        if month is None:
            return 0
        async with UnitOfWork(self._factory) as uow:
            people = list(await uow.managers.list())
            names = {p.id: p.name for p in people}
            window = report_window(month, self._day, self._at, self._zone, self._working)
            numbers = await unregistered_numbers(uow, month, self._zone, window=window)
            kpi = await refined_contacts(uow, month, self._zone, people)
            rows = []
            for person in (p for p in people if p.active):
                if person.role == Role.MANAGER:
                    rows.append(self._own(month, person, numbers, names, now))
                elif person.role == Role.SUPERVISOR:
                    team = {p.id for p in people if p.supervisor_id == person.id} | {person.id}
                    rows.append(self._team(month, person, team, numbers, kpi, names, now))
                elif person.role == Role.DIRECTOR:
                    body = kpi_text(month, kpi, names, self._language, company=True)
                    key = f"report:kpi:{month.label}:company:{person.id}"
                    rows.append(outbox_row(key, person, KIND, body, now=now))
            written = await uow.outbox.enqueue(rows)
            await uow.commit()
        if written:
            log.info("%d month-end report(s) for %s queued", written, month.label)
        return written

    def _own(
        self,
        month: Month,
        person: Manager,
        numbers: Sequence[UnregisteredNumber],
        names: dict[int, str],
        now: datetime,
    ) -> dict[str, Any]:
        mine = [n for n in numbers if n.manager_id == person.id]
        key = f"report:unregistered:{month.label}:{person.id}:{person.id}"
        if not mine:
            body = text("report_own_none", self._language, month=month.label)
            return outbox_row(key, person, KIND, body, now=now)
        body = text(
            "report_own",
            self._language,
            month=month.label,
            numbers=len(mine),
            calls=sum(n.calls for n in mine),
        )
        files = self._files(month, f"{person.id}", mine, names)
        return outbox_row(key, person, KIND, body, now=now, documents=files)

    def _team(
        self,
        month: Month,
        boss: Manager,
        team: set[int],
        numbers: Sequence[UnregisteredNumber],
        kpi: Sequence[KpiLine],
        names: dict[int, str],
        now: datetime,
    ) -> dict[str, Any]:
        theirs = [n for n in numbers if n.manager_id in team]
        members = "".join(
            text(
                "report_team_member",
                self._language,
                name=names.get(member, f"#{member}"),
                numbers=count,
            )
            for member in sorted(team)
            if (count := sum(1 for n in theirs if n.manager_id == member))
        )
        summary = text(
            "report_team",
            self._language,
            name=boss.name,
            month=month.label,
            numbers=len(theirs),
            calls=sum(n.calls for n in theirs),
            members=members,
        )
        table = kpi_text(month, [k for k in kpi if k.manager_id in team], names, self._language)
        key = f"report:unregistered:{month.label}:team-{boss.id}:{boss.id}"
        files = self._files(month, f"team-{boss.id}", theirs, names) if theirs else None
        return outbox_row(key, boss, KIND, f"{summary}\n\n{table}", now=now, documents=files)

    def _files(
        self,
        month: Month,
        whose: str,
        lines: Sequence[UnregisteredNumber],
        names: dict[int, str],
    ) -> list[dict[str, str]]:
        table = unregistered_table(
            month.label, lines, names, self._zone, self._language, link=self._link
        )
        stem = f"unregistered-{month.label}-{whose}"
        return [
            document(f"{stem}.csv", csv_bytes(table), CSV_MIME),
            document(f"{stem}.xlsx", xlsx_bytes(table), XLSX_MIME),
        ]
