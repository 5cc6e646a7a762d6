"""``/reports``: the figures per manager and for the company over a period, with charts.

* ``/reports?from=&until=`` — the period's tables (calls, callbacks, unregistered numbers, the
  KPI, forgotten clients) and three charts; this month in the company's zone by default;
* ``/reports/calls?from=&until=&manager=&figure=`` — the calls behind one figure (``manager``: an
  id, ``none`` for nobody's, ``all``);
* ``/reports/chart/<per-day|waits|per-manager>.svg`` — a chart as an image file (the page's
  ``<img>``: the policy lets images come from the service itself);
* ``/reports/export/<table>.<csv|xlsx>`` — any table of the page, or ``list`` (the calls behind a
  figure), as a file.

Everyone sees the part his scope gives him (``hub/services/reports/period.py``); a bad period is a
400 page saying what is wrong, a figure or a manager not his a 404.
"""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.links import LINKS
from hub.console import report_tables as tables
from hub.console.access import page, person, scope
from hub.console.render import HEADERS, language, message, render
from hub.console.texts import text
from hub.domain.chart_figures import per_day, per_manager
from hub.domain.digest import Window
from hub.domain.recordings import recording_path
from hub.domain.report_figures import FIGURES, Period, PeriodError, read_period
from hub.services.reports.files import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from hub.services.reports.period import (
    PeriodReport,
    company_rules,
    kpi_of,
    period_report,
    unregistered_of,
)
from notifications import charts
from notifications.catalogue import Language
from storage.uow import UnitOfWork

# The calls a click-through page lists at most (its file has them all).
SHOWN = 500
CHARTS = ("per-day", "waits", "per-manager")


class _BadPeriod(Exception):
    """The period asked for cannot be read: the answer is ready."""

    def __init__(self, response: web.Response) -> None:
        super().__init__("bad period")
        self.response = response


class _Missing(Exception):
    """A figure or a manager the person has no such thing as."""


def _period(request: web.Request) -> Period:
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    today = request.app[CLOCK].now().astimezone(zone).date()
    return read_period(request.query.get("from"), request.query.get("until"), today, zone)


def _error(request: web.Request, problem: PeriodError) -> str:
    value = request.query.get(problem.problem.value, "")[:40]
    return text(f"reports_error_{problem.problem.value}", language(request), value=value)


async def _report(request: web.Request) -> PeriodReport:
    """The period asked for, as the person logged in sees it."""
    try:
        period = _period(request)
    except PeriodError as problem:
        message = _error(request, problem)
        if request.path == "/reports":
            context = {
                "error": message,
                "first": request.query.get("from", "")[:40],
                "last": request.query.get("until", "")[:40],
                "report": None,
            }
            raise _BadPeriod(
                render(request, "reports.html", context, person=person(request), status=400)
            ) from problem
        raise _BadPeriod(web.Response(status=400, text=message, headers=HEADERS)) from problem
    settings = request.app[SETTINGS]
    rules = company_rules(settings, request.app[DIRECTORY].snapshot.calendar)
    seen = await scope(request)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        return await period_report(
            uow,
            period,
            seen,
            rules,
            now=request.app[CLOCK].now(),
            forgotten_after=settings.clients.forgotten_after,
        )


async def _page_tables(
    request: web.Request, report: PeriodReport, lang: Language
) -> list[tables.PageTable]:
    links = request.app[LINKS]
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        numbers = await unregistered_of(uow, report.period, report.scope)
        kpi = await kpi_of(uow, report.period, report.scope)
    return [
        tables.calls_table(report, lang),
        tables.callbacks_table(report, lang),
        tables.unregistered_table(
            report, numbers, lang, page_link=links.signed, file_link=links.in_file
        ),
        tables.kpi_table(report, kpi, lang),
        tables.forgotten_table(report, report.forgotten, lang),
    ]


async def reports(request: web.Request) -> web.StreamResponse:
    me = person(request)
    lang = language(request)
    try:
        report = await _report(request)
    except _BadPeriod as bad:
        return bad.response
    query = tables.period_query(report.period)
    context = {
        "error": "",
        "first": report.period.first.isoformat(),
        "last": report.period.last.isoformat(),
        "report": report,
        "tables": await _page_tables(request, report, lang),
        "query": query,
        "charts": [(name, f"/reports/chart/{name}.svg?{query}") for name in CHARTS],
        "shown_first": report.period.first.strftime("%d.%m.%Y"),
        "shown_last": report.period.last.strftime("%d.%m.%Y"),
    }
    return render(request, "reports.html", context, person=me)


def _manager(report: PeriodReport, key: str) -> int | str | None:
    """The ``manager`` of a link: "all", None (nobody's) or an id the person sees."""
    if key == "all":
        return key
    if key == "none":
        if not report.sees(None):
            raise _Missing(key)
        return None
    if not key.isdigit() or len(key) > 12 or not report.sees(int(key)):
        raise _Missing(key)
    if int(key) not in report.names:
        raise _Missing(key)
    return int(key)


def _list(
    request: web.Request, report: PeriodReport, lang: Language, *, in_file: bool = False
) -> tables.PageTable:
    """The calls behind the figure asked for; their recordings' links signed, and absolute for a
    file (read outside the service)."""
    figure = request.query.get("figure", "")
    key = request.query.get("manager", "all")
    if figure not in FIGURES:
        raise _Missing(figure)
    found = report.calls(figure, _manager(report, key))
    title = text(
        "reports_list_title",
        lang,
        figure=text(f"reports_figure_{figure}", lang),
        whose=tables.whose(report, key, lang),
    )
    links = request.app[LINKS]

    def recording(call_id: int) -> str:
        path = recording_path(call_id) or ""
        return links.in_file(path) if in_file else links.signed(path)

    return tables.list_table(report, found, title, lang, recording=recording)


def _not_found(request: web.Request) -> web.Response:
    return message(
        request,
        "reports_not_found_title",
        "reports_not_found",
        status=404,
        person=person(request),
    )


async def calls(request: web.Request) -> web.StreamResponse:
    me = person(request)
    lang = language(request)
    try:
        report = await _report(request)
        listed = _list(request, report, lang)
    except _BadPeriod as bad:
        return bad.response
    except _Missing:
        return _not_found(request)
    extra = {"manager": request.query.get("manager", "all"), "figure": request.query["figure"]}
    context = {
        "table": tables.PageTable(listed.key, listed.title, listed.columns, listed.rows[:SHOWN]),
        "count": len(listed.rows),
        "shown": SHOWN,
        "back": f"/reports?{tables.period_query(report.period)}",
        "query": tables.period_query(report.period, **extra),
        "shown_first": report.period.first.strftime("%d.%m.%Y"),
        "shown_last": report.period.last.strftime("%d.%m.%Y"),
    }
    return render(request, "report_calls.html", context, person=me)


def _chart(report: PeriodReport, name: str, lang: Language) -> charts.Chart:
    period = report.period
    if name == "per-day":
        window = Window(period.start, period.end, "")
        days = per_day(window, period.zone, report.call_rows(), report.case_rows())
        return charts.missed_and_returned(days, lang)
    if name == "waits":
        return charts.callback_waits(report.total.waits, lang)
    names = {m: report.names[m] for m in report.names if report.sees(m)}
    return charts.calls_per_manager(per_manager(report.attributed(), names), lang)


async def chart(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in CHARTS:
        return _not_found(request)
    try:
        report = await _report(request)
    except _BadPeriod as bad:
        return bad.response
    drawn = _chart(report, name, language(request))
    svg = await asyncio.to_thread(drawn.svg)
    return web.Response(
        body=svg.encode(), content_type="image/svg+xml", charset="utf-8", headers=HEADERS
    )


async def export(request: web.Request) -> web.StreamResponse:
    name, kind = request.match_info["table"], request.match_info["format"]
    lang = language(request)
    try:
        report = await _report(request)
        if name == "list":
            found = _list(request, report, lang, in_file=True)
        else:
            page_tables = {t.key: t for t in await _page_tables(request, report, lang)}
            if name not in page_tables:
                raise _Missing(name)
            found = page_tables[name]
    except _BadPeriod as bad:
        return bad.response
    except _Missing:
        return _not_found(request)
    table = found.file_table()
    body = csv_bytes(table) if kind == "csv" else await asyncio.to_thread(xlsx_bytes, table)
    filename = f"report-{name}-{report.period.first}-{report.period.last}.{kind}"
    return web.Response(
        body=body,
        headers={
            **HEADERS,
            "Content-Type": CSV_MIME if kind == "csv" else XLSX_MIME,
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


ROUTES = [
    web.get("/reports", page(reports)),
    web.get("/reports/calls", page(calls)),
    web.get("/reports/chart/{name:[a-z-]+}.svg", page(chart)),
    web.get("/reports/export/{table:[a-z]+}.{format:csv|xlsx}", page(export)),
]
