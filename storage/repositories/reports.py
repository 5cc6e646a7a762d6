"""Read-only figures over calls and cases for a period: what digests and reports are made of."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.cases import ACTIVE
from hub.domain.digest import CallRow, CaseRow
from storage.models import Call, CallbackCase, Client


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
