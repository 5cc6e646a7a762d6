"""The company calendar over HTTP: a year's special days, read and replaced whole."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import actor, commit_directory, query_int, read_model, reply, unit_of_work
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.directory import DIRECTORY
from hub.services.auth import ADMINS, READERS
from hub.services.calendar import CalendarYear, put_year, stored_calendar, year_days, year_view


async def read_year(request: web.Request) -> web.Response:
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    this_year = request.app[CLOCK].now().astimezone(zone).year
    year = query_int(request, "year", this_year, lo=2000, hi=2100)
    assert year is not None
    async with unit_of_work(request) as uow:
        stored = await stored_calendar(uow)
    calendar = request.app[DIRECTORY].snapshot.calendar
    return reply(year_view(calendar, stored, year))


async def replace_year(request: web.Request) -> web.Response:
    body = await read_model(request, CalendarYear)
    days = year_days(body.year, [(d.date, d.kind) for d in body.days])
    async with unit_of_work(request) as uow:
        await put_year(uow, body.year, days, actor=actor(request))
        await commit_directory(request, uow)
        stored = await stored_calendar(uow)
    return reply(year_view(request.app[DIRECTORY].snapshot.calendar, stored, body.year))


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/calendar",
        handler=read_year,
        roles=READERS,
        summary="The company calendar of a year: holidays, shortened days, weekends worked",
        tag="calendar",
        query=(Query(name="year", type="integer", description="default: this year"),),
    ),
    Endpoint(
        method="PUT",
        path="/api/v1/calendar",
        handler=replace_year,
        roles=ADMINS,
        summary="Replace a year's special days (a production calendar)",
        tag="calendar",
        body=CalendarYear,
    ),
]
