"""The reports' use cases: read a month (or a moment) and fold the rows into report lines.

Months are calendar months in the company's time zone. All SQL is in
``storage/repositories/reports.py``; the rules are in the domain (``hub/domain/unregistered.py``,
``kpi.py``, ``forgotten.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub.domain.forgotten import ForgottenClient, forgotten
from hub.domain.kpi import Actors, KpiLine, kpi
from hub.domain.month import Month
from hub.domain.people import Role
from hub.domain.unregistered import UnregisteredNumber, unregistered
from storage.models import Manager
from storage.uow import UnitOfWork

# Whose KPI line shows even when it is all zeros: the people who sell.
SELLERS = frozenset({Role.MANAGER, Role.SUPERVISOR})


async def unregistered_numbers(
    uow: UnitOfWork,
    month: Month,
    zone: ZoneInfo,
    managers: Collection[int] | None = None,
    *,
    window: tuple[datetime, datetime] | None = None,
) -> list[UnregisteredNumber]:
    """The month's numbers still nobody's, per manager they called (of ``managers``, if given);
    ``window``: the calls of these moments instead of the calendar month's."""
    start, end = window or month.window(zone)
    return unregistered(await uow.reports.unregistered_calls(start, end, managers))


async def refined_contacts(
    uow: UnitOfWork,
    month: Month,
    zone: ZoneInfo,
    people: Sequence[Manager] | None = None,
    managers: Collection[int] | None = None,
) -> list[KpiLine]:
    """The KPI «контакты уточнены» of the month: a line per active seller and per anyone who
    did such work (of ``managers``, if given). ``people``: every manager, if already read."""
    start, end = month.window(zone)
    people = list(people if people is not None else await uow.managers.list())
    lines = kpi(
        await uow.reports.kpi_audit(start, end),
        await uow.reports.resolutions(start, end),
        Actors((p.id, p.name) for p in people),
        everyone=[p.id for p in people if p.active and p.role in SELLERS],
    )
    return [line for line in lines if managers is None or line.manager_id in managers]


async def forgotten_clients(
    uow: UnitOfWork, now: datetime, after: timedelta, managers: Collection[int] | None = None
) -> list[ForgottenClient]:
    """Clients nobody has talked to for ``after`` (of ``managers``, if given), oldest first."""
    return forgotten(await uow.reports.client_contacts(managers), now, after)
