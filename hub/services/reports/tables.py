"""A report as one table, whichever it is: what the command line prints or saves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hub.domain.month import Month
from hub.services.reports.files import Table, forgotten_table, kpi_table, unregistered_table
from hub.services.reports.queries import (
    forgotten_clients,
    refined_contacts,
    unregistered_numbers,
)
from notifications.catalogue import Language
from storage.uow import UnitOfWork

Report = Literal["unregistered", "kpi", "forgotten"]


async def report_table(
    uow: UnitOfWork,
    report: Report,
    *,
    month: Month,
    days: int,
    now: datetime,
    zone: ZoneInfo,
    language: Language,
    link: Callable[[str], str] = str,
) -> Table:
    """``unregistered`` and ``kpi`` cover ``month``; ``forgotten`` counts ``days`` to ``now``.
    ``link``: a recording's path as the link a person clicks."""
    names = {m.id: m.name for m in await uow.managers.list()}
    if report == "unregistered":
        lines = await unregistered_numbers(uow, month, zone)
        return unregistered_table(month.label, lines, names, zone, language, link=link)
    if report == "kpi":
        return kpi_table(month.label, await refined_contacts(uow, month, zone), names, language)
    found = await forgotten_clients(uow, now, timedelta(days=days))
    return forgotten_table(f"{days}d", found, names, zone, language)
