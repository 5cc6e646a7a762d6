"""The reports' use cases on one known month (tests/support/report_month.py), on SQLite and on
PostgreSQL: which numbers are unregistered and whose, the KPI, forgotten clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from hub.domain.month import Month
from hub.domain.unregistered import UnregisteredNumber
from hub.services.links import Links
from hub.services.reports.files import unregistered_table
from hub.services.reports.queries import (
    forgotten_clients,
    refined_contacts,
    unregistered_numbers,
)
from hub.services.reports.views import forgotten_view, kpi_view, unregistered_view
from storage.db import SessionFactory
from storage.uow import UnitOfWork
from tests.support.clock import TestClock
from tests.support.report_month import (
    EXPECTED_FORGOTTEN,
    EXPECTED_KPI,
    EXPECTED_UNREGISTERED,
    IVAN,
    NOW,
    PETR,
    seed_month,
)

MOSCOW = ZoneInfo("Europe/Moscow")
NOVEMBER = Month(2026, 11)


async def test_unregistered_numbers_of_the_month(factory: SessionFactory) -> None:
    await seed_month(factory)
    async with UnitOfWork(factory, read_only=True) as uow:
        lines = await unregistered_numbers(uow, NOVEMBER, MOSCOW)
        petr = await unregistered_numbers(uow, NOVEMBER, MOSCOW, {PETR})
        october = await unregistered_numbers(uow, Month(2026, 10), MOSCOW)
        december = await unregistered_numbers(uow, Month(2026, 12), MOSCOW)
    assert [unregistered_view(n) for n in lines] == EXPECTED_UNREGISTERED
    assert [unregistered_view(n) for n in petr] == EXPECTED_UNREGISTERED[2:]
    # The calls just outside November fall into their own months.
    assert [(n.number, n.manager_id, n.calls) for n in october] == [("+79161000001", IVAN, 1)]
    assert [(n.number, n.manager_id, n.calls) for n in december] == [("+79161000001", IVAN, 1)]


async def test_kpi_of_the_month(factory: SessionFactory) -> None:
    await seed_month(factory)
    async with UnitOfWork(factory, read_only=True) as uow:
        lines = await refined_contacts(uow, NOVEMBER, MOSCOW)
        ivan = await refined_contacts(uow, NOVEMBER, MOSCOW, managers={IVAN})
        october = await refined_contacts(uow, Month(2026, 10), MOSCOW)
    assert [kpi_view(line) for line in lines] == EXPECTED_KPI
    assert [kpi_view(line) for line in ivan] == EXPECTED_KPI[1:2]
    assert [(k.manager_id, k.clients_created, k.refined) for k in october] == [
        (1, 0, 0),
        (IVAN, 1, 1),
        (PETR, 0, 0),
    ]


async def test_forgotten_clients(factory: SessionFactory) -> None:
    await seed_month(factory)
    async with UnitOfWork(factory, read_only=True) as uow:
        found = await forgotten_clients(uow, NOW, timedelta(days=90))
        petr = await forgotten_clients(uow, NOW, timedelta(days=90), {PETR})
        lenient = await forgotten_clients(uow, NOW, timedelta(days=300))
    assert [forgotten_view(c) for c in found] == EXPECTED_FORGOTTEN
    assert [c.client_id for c in petr] == [3]
    # 300 days: nobody yet (the longest is ИП Забытов's, since February 1st: 297 days).
    assert [c.client_id for c in lenient] == []


def test_files_link_the_recordings_through_the_public_address() -> None:
    line = UnregisteredNumber(
        number="+79161000001",
        manager_id=2,
        calls=1,
        first_call=datetime(2026, 11, 3, 7, tzinfo=UTC),
        last_call=datetime(2026, 11, 3, 7, tzinfo=UTC),
        recordings=("/api/v1/calls/7/recording",),
    )
    zone = ZoneInfo("Europe/Moscow")
    table = unregistered_table("2026-11", [line], {2: "Иван"}, zone, "ru")
    assert table.rows[0][-1] == "/api/v1/calls/7/recording"
    links = Links(b"key", TestClock(), public_url="https://dozvon.example.com/", ttl=timedelta(1))
    public = unregistered_table("2026-11", [line], {2: "Иван"}, zone, "ru", link=links.in_file)
    link = urlsplit(str(public.rows[0][-1]))
    assert (link.scheme, link.netloc, link.path) == (
        "https",
        "dozvon.example.com",
        "/api/v1/calls/7/recording",
    )
    query = parse_qs(link.query)
    links.check(link.path, {k: v[0] for k, v in query.items()})  # it opens
