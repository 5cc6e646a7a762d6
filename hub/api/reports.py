"""Reports over HTTP: the month's unregistered numbers, the KPI «контакты уточнены», forgotten
clients. A month is ``YYYY-MM`` in the company's time zone (the current one when not given).

A token of a person reads them within his scope: a supervisor his team's lines (another
manager's ``manager_id`` is a 403), a director or an admin all; a manager's person none."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import query_int, reply, unit_of_work
from hub.api.scoped import scope_of
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.domain.errors import Forbidden
from hub.domain.month import Month
from hub.domain.people import Role
from hub.services.auth import REPORTERS
from hub.services.reports.queries import (
    forgotten_clients,
    refined_contacts,
    unregistered_numbers,
)
from hub.services.reports.views import forgotten_view, kpi_view, unregistered_view

MONTH = Query(name="month", description="YYYY-MM in the company's time zone (default: this one)")
MANAGER = Query(name="manager_id", type="integer", description="one manager's lines only")


def _zone(request: web.Request) -> ZoneInfo:
    return ZoneInfo(request.app[SETTINGS].company.timezone)


def _month(request: web.Request) -> Month:
    text = request.query.get("month")
    if text is None or text == "":
        return Month.of(request.app[CLOCK].now().astimezone(_zone(request)).date())
    return Month.parse(text)


def _managers(request: web.Request) -> set[int] | None:
    """Whose lines: one manager's when asked, else everyone's, within the token's scope."""
    manager_id = query_int(request, "manager_id", lo=1)
    scope = scope_of(request)
    if scope.everything:
        return None if manager_id is None else {manager_id}
    if scope.role == Role.MANAGER:
        raise Forbidden("reports are for supervisors, directors and admins, not a manager")
    if manager_id is None:
        return set(scope.team)
    if manager_id not in scope.team:
        raise Forbidden(f"manager {manager_id} is not in this token's team")
    return {manager_id}


async def unregistered(request: web.Request) -> web.Response:
    month, managers = _month(request), _managers(request)
    async with unit_of_work(request) as uow:
        lines = await unregistered_numbers(uow, month, _zone(request), managers)
    return reply({"month": month.label, "items": [unregistered_view(n) for n in lines]})


async def kpi(request: web.Request) -> web.Response:
    month, managers = _month(request), _managers(request)
    async with unit_of_work(request) as uow:
        lines = await refined_contacts(uow, month, _zone(request), managers=managers)
    return reply({"month": month.label, "items": [kpi_view(line) for line in lines]})


async def forgotten(request: web.Request) -> web.Response:
    default = request.app[SETTINGS].clients.forgotten_after.days
    days = query_int(request, "days", default, lo=1, hi=3650)
    assert days is not None
    now = request.app[CLOCK].now()
    async with unit_of_work(request) as uow:
        found = await forgotten_clients(uow, now, timedelta(days=days), _managers(request))
    return reply({"days": days, "items": [forgotten_view(c) for c in found]})


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/reports/unregistered",
        handler=unregistered,
        roles=REPORTERS,
        summary="Numbers that called a manager in the month and are still neither a client's "
        "nor on a list",
        tag="reports",
        query=(MONTH, MANAGER),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/reports/kpi",
        handler=kpi,
        roles=REPORTERS,
        summary="The KPI «контакты уточнены» per manager: numbers triaged, cards created, "
        "phones added",
        tag="reports",
        query=(MONTH, MANAGER),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/reports/forgotten",
        handler=forgotten,
        roles=REPORTERS,
        summary="Clients nobody has talked to for `days` (default clients.forgotten_after), "
        "oldest first",
        tag="reports",
        query=(
            Query(name="days", type="integer", description="1 to 3650"),
            MANAGER,
        ),
    ),
]
