"""The company calendar's special days, kept by date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CalendarDay


class CalendarRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def days(self) -> dict[date, str]:
        """Every special day, by date."""
        rows = await self._session.scalars(select(CalendarDay))
        return {row.day: row.kind for row in rows}

    async def replace_year(self, year: int, days: Mapping[date, str]) -> None:
        """The year's special days become ``days`` (all of the same year)."""
        await self._session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
            )
        )
        self._session.add_all(CalendarDay(day=d, kind=k) for d, k in sorted(days.items()))
        await self._session.flush()
