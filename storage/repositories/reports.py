"""Read-only figures over calls, cases, clients and the audit log: what digests and reports are
made of (the month-end report of unregistered numbers, the KPI, forgotten clients)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, true, union
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.calls import CallState, Direction, EndReason
from hub.domain.cases import ACTIVE
from hub.domain.digest import CallRow, CaseRow
from hub.domain.forgotten import ClientContact
from hub.domain.kpi import AuditRow, Resolution
from hub.domain.report_figures import PeriodCall, PeriodCase
from hub.domain.unregistered import UnregisteredCall
from storage.models import (
    AuditEntry,
    Call,
    CallbackCase,
    CallEvent,
    Client,
    ClientPhone,
    ListEntry,
    Manager,
    UnknownNumber,
)
from storage.repositories.sets import among, batches

# What the KPI «контакты уточнены» reads from the audit log (see hub/domain/kpi.py).
# Rows of a whole-table read turned into objects at a time, between turns of the event loop.
PAGE = 500

_KPI_ENTRIES = or_(
    and_(AuditEntry.entity == "unknown_number", AuditEntry.action == "triage"),
    and_(AuditEntry.entity == "client", AuditEntry.action.in_(("create", "update"))),
)


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def call_rows(
        self, start: datetime, end: datetime, team: Collection[int] | None
    ) -> list[CallRow]:
        """Calls that started in [start, end): answered by the team, or from the team's clients,
        or from nobody's number (withheld and unknown callers count for every team)."""
        calls = (
            select(Call.direction, Call.outcome, Call.started_at, Call.caller_kind)
            .outerjoin(Client, Client.id == Call.client_id)
            .where(Call.started_at >= start, Call.started_at < end)
        )
        if team is not None:
            calls = calls.where(
                or_(
                    Call.manager_id.in_(team),
                    Client.manager_id.in_(team),
                    (Call.manager_id.is_(None) & Call.client_id.is_(None)),
                )
            )
        return [
            CallRow(direction=d, outcome=o, started_at=s, caller_kind=k)
            for d, o, s, k in await self._session.execute(calls)
        ]

    async def case_rows(
        self, start: datetime, end: datetime, team: Collection[int] | None
    ) -> list[CaseRow]:
        """Cases that matter to the period: opened before its end and still active, or returned
        or escalated within it; the team's and nobody's."""
        cases = select(
            CallbackCase.status,
            CallbackCase.first_missed_at,
            CallbackCase.returned_at,
            CallbackCase.escalated_at,
        ).where(
            CallbackCase.first_missed_at < end,
            or_(
                CallbackCase.status.in_(sorted(ACTIVE)),
                CallbackCase.returned_at >= start,
                CallbackCase.escalated_at >= start,
            ),
        )
        if team is not None:
            cases = cases.where(
                or_(CallbackCase.manager_id.in_(team), CallbackCase.manager_id.is_(None))
            )
        return [
            CaseRow(status=s, first_missed_at=f, returned_at=r, escalated_at=e)
            for s, f, r, e in await self._session.execute(cases)
        ]

    async def unregistered_calls(
        self, start: datetime, end: datetime, managers: Collection[int] | None
    ) -> list[UnregisteredCall]:
        """Inbound calls started in [start, end) from numbers no card and no list holds, once
        per manager each reached: he answered it, a ringing update of it names his extension,
        or the number is his in the triage queue (see hub/domain/unregistered.py)."""
        columns = (Call.id, Call.external_number, Call.started_at, Call.recording_url)
        unregistered = (
            Call.direction == Direction.INBOUND.value,
            Call.external_number.is_not(None),
            Call.started_at >= start,
            Call.started_at < end,
            ~exists().where(ClientPhone.number == Call.external_number),
            ~exists().where(ListEntry.number == Call.external_number),
        )

        def reaching(manager: Any) -> Select[Any]:
            query = select(*columns, manager.label("manager_id")).where(*unregistered)
            return query if managers is None else query.where(manager.in_(list(managers)))

        answered = reaching(Call.manager_id).where(Call.manager_id.is_not(None))
        rang = (
            reaching(Manager.id)
            .join(
                CallEvent,
                and_(
                    CallEvent.connector == Call.connector,
                    CallEvent.vendor_call_id == Call.vendor_call_id,
                    CallEvent.state == CallState.RINGING.value,
                ),
            )
            .join(Manager, Manager.extension == CallEvent.extension)
        )
        owned = reaching(UnknownNumber.manager_id).join(
            UnknownNumber, UnknownNumber.number == Call.external_number
        )
        rows = await self._session.execute(union(answered, rang, owned))
        return [
            UnregisteredCall(
                call_id=call_id,
                number=number,
                manager_id=manager_id,
                started_at=started_at,
                recording_url=recording_url,
            )
            for call_id, number, started_at, recording_url, manager_id in rows
            if manager_id is not None
        ]

    async def kpi_audit(self, start: datetime, end: datetime) -> list[AuditRow]:
        """The audit entries of [start, end) the KPI counts: triages, cards created and changed."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.at >= start, AuditEntry.at < end, _KPI_ENTRIES)
            .order_by(AuditEntry.id)
        )
        return [
            AuditRow(
                actor=e.actor,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
            )
            for e in await self._session.scalars(query)
        ]

    async def resolutions(self, start: datetime, end: datetime) -> list[Resolution]:
        """Unknown numbers resolved in [start, end) by someone the queue names."""
        query = select(UnknownNumber.number, UnknownNumber.resolved_by).where(
            UnknownNumber.resolved_by.is_not(None),
            UnknownNumber.resolved_at >= start,
            UnknownNumber.resolved_at < end,
        )
        return [
            Resolution(number=number, resolved_by=by)
            for number, by in await self._session.execute(query)
            if by
        ]

    async def client_contacts(self, managers: Collection[int] | None) -> list[ClientContact]:
        """Every client (of ``managers``, if given) with his last answered call: one with his
        card, or from or to any of his numbers (calls from before the number was his count)."""
        return [c async for page in self.client_contact_pages(managers) for c in page]

    async def client_contact_pages(
        self, managers: Collection[int] | None
    ) -> AsyncIterator[list[ClientContact]]:
        """:meth:`client_contacts` a page at a time, for a reader that keeps what it needs of
        each (a million clients' contacts at once are a few hundred megabytes)."""
        answered = Call.answered_at.is_not(None)
        mine = true() if managers is None else Client.manager_id.in_(list(managers))
        by_card = (
            select(Call.client_id, func.max(Call.answered_at))
            .join(Client, Client.id == Call.client_id)
            .where(answered, mine)
            .group_by(Call.client_id)
        )
        by_number = (
            select(ClientPhone.client_id, func.max(Call.answered_at))
            .join(Call, Call.external_number == ClientPhone.number)
            .join(Client, Client.id == ClientPhone.client_id)
            .where(answered, mine)
            .group_by(ClientPhone.client_id)
        )
        # Every client is a row here: read a page at a time, the event loop serving between
        # pages (a whole table turned into objects at once held it for a good part of a second).
        last: dict[int, datetime] = {}
        for query in (by_card, by_number):
            async for page in (await self._session.stream(query)).partitions(PAGE):
                for client_id, moment in page:
                    if client_id is None or moment is None:
                        continue
                    if client_id not in last or last[client_id] < moment:
                        last[client_id] = moment
        clients = select(Client.id, Client.name, Client.manager_id, Client.created_at).where(mine)
        async for part in (await self._session.stream(clients)).partitions(PAGE):
            yield [
                ClientContact(
                    client_id=client_id,
                    name=name,
                    manager_id=manager_id,
                    created_at=created_at,
                    last_contact=last.get(client_id),
                )
                for client_id, name, manager_id, created_at in part
            ]

    async def first_phones(self, client_ids: Collection[int]) -> dict[int, str]:
        """Each client's first number (the one added first)."""
        ids = sorted(client_ids)
        found: dict[int, str] = {}
        for part in batches(self._session, ids):
            query = (
                select(ClientPhone.client_id, ClientPhone.number)
                .where(among(self._session, ClientPhone.client_id, part))
                .order_by(ClientPhone.id.desc())
            )
            # Newest first: the first number, read last, is the one each client keeps.
            found.update((await self._session.execute(query)).all())
        return found

    async def period_calls(
        self,
        start: datetime,
        end: datetime,
        team: Collection[int] | None = None,
        *,
        nobody: bool = False,
    ) -> list[PeriodCall]:
        """Every call that started in [start, end), with what the reports page gives it an owner
        and a reason by: who answered, its case and who answers for it, the client and his
        manager, whose phones rang (first first), whether the PBX said busy or unavailable.

        ``team``: only the calls one of these managers may own — he answered it, answers for its
        case, is its client's manager or his phone rang — and with ``nobody`` those nobody may
        own too (unanswered, or counted in a case nobody answers for); a few more than he owns,
        never fewer (``hub/domain/report_figures.py: owner_of`` decides)."""
        in_period = (Call.started_at >= start, Call.started_at < end)
        of_call = and_(
            CallEvent.connector == Call.connector, CallEvent.vendor_call_id == Call.vendor_call_id
        )
        chosen: tuple[Any, ...] = in_period
        if team is not None:
            members = list(team)
            rang_for_team = (
                exists()
                .where(of_call, CallEvent.state == CallState.RINGING.value)
                .where(Manager.extension == CallEvent.extension, Manager.id.in_(members))
            )
            theirs = [
                Call.manager_id.in_(members),
                CallbackCase.manager_id.in_(members),
                Client.manager_id.in_(members),
                rang_for_team,
            ]
            if nobody:
                theirs += [
                    Call.manager_id.is_(None),
                    and_(Call.case_id.is_not(None), CallbackCase.manager_id.is_(None)),
                ]
            ids = (
                select(Call.id)
                .outerjoin(Client, Client.id == Call.client_id)
                .outerjoin(CallbackCase, CallbackCase.id == Call.case_id)
                .where(*in_period, or_(*theirs))
                .correlate(None)
            )
            chosen = (*in_period, Call.id.in_(ids))
        calls = (
            select(
                Call.id,
                Call.connector,
                Call.vendor_call_id,
                Call.direction,
                Call.outcome,
                Call.started_at,
                Call.ended_at,
                func.coalesce(Call.external_number, Call.caller),
                Call.client_id,
                Client.name,
                Client.manager_id,
                Call.manager_id,
                Call.case_id,
                CallbackCase.manager_id,
                Call.recording_url.is_not(None),
            )
            .outerjoin(Client, Client.id == Call.client_id)
            .outerjoin(CallbackCase, CallbackCase.id == Call.case_id)
            .where(*chosen)
        )
        rings = (
            select(Call.id, Manager.id, func.min(CallEvent.at))
            .join(CallEvent, of_call)
            .join(Manager, Manager.extension == CallEvent.extension)
            .where(*chosen, CallEvent.state == CallState.RINGING.value)
            .group_by(Call.id, Manager.id)
        )
        refusing = [r.value for r in (EndReason.BUSY, EndReason.UNAVAILABLE, EndReason.FAILED)]
        refused = (
            select(Call.id)
            .join(CallEvent, of_call)
            .where(*chosen, CallEvent.reason.in_(refusing))
            .distinct()
        )
        rang: dict[int, list[tuple[datetime, int]]] = {}
        for call_id, manager_id, first in await self._session.execute(rings):
            rang.setdefault(call_id, []).append((first, manager_id))
        said_no = set(await self._session.scalars(refused))
        return [
            PeriodCall(
                id=row[0],
                direction=row[3],
                outcome=row[4],
                started_at=row[5],
                ended_at=row[6],
                number=row[7],
                client_id=row[8],
                client_name=row[9],
                client_manager_id=row[10],
                answered_by=row[11],
                case_id=row[12],
                case_manager_id=row[13],
                rang=tuple(m for _, m in sorted(rang.get(row[0], []))),
                refused=row[0] in said_no,
                recorded=bool(row[14]),
            )
            for row in await self._session.execute(calls)
        ]

    async def period_cases(
        self,
        start: datetime,
        end: datetime,
        team: Collection[int] | None = None,
        *,
        nobody: bool = False,
    ) -> list[PeriodCase]:
        """The callback cases whose first miss is in [start, end) (``team``: of these managers
        only, and with ``nobody`` the cases nobody answers for)."""
        cases = select(
            CallbackCase.id,
            CallbackCase.manager_id,
            CallbackCase.status,
            CallbackCase.first_missed_at,
            CallbackCase.returned_at,
            CallbackCase.escalated_at,
        ).where(CallbackCase.first_missed_at >= start, CallbackCase.first_missed_at < end)
        if team is not None:
            theirs = CallbackCase.manager_id.in_(list(team))
            cases = cases.where(
                or_(theirs, CallbackCase.manager_id.is_(None)) if nobody else theirs
            )
        return [
            PeriodCase(
                id=i,
                manager_id=m,
                status=s,
                first_missed_at=f,
                returned_at=r,
                escalated_at=e,
            )
            for i, m, s, f, r, e in await self._session.execute(cases)
        ]
