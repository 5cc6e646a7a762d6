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
400 page saying what is wrong (a date that cannot be read, or out of the years 2000 to 2999), a
figure or a manager not his a 404.

A period's figures are computed once for the page, its charts and its files: kept in this
instance's memory (:data:`KEPT`, ``hub/services/reports/recent.py``) for :data:`KEEP` by the
service's clock, per period and per part of the company seen (every director and admin shares
one), at most :data:`KEPT_PERIODS` of them. The page may thus show figures up to a minute old:
calls and changes of the last minute show on the next computation.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
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
from hub.domain.digits import plain_digits
from hub.domain.recordings import recording_path
from hub.domain.report_figures import FIGURES, Period, PeriodError, read_period
from hub.services.reports.files import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from hub.services.reports.period import (
    FiguresKey,
    PeriodFigures,
    PeriodReport,
    company_rules,
    figures_key,
    period_figures,
)
from hub.services.reports.recent import Recent
from notifications import charts
from notifications.catalogue import Language
from storage.uow import UnitOfWork

# The calls a click-through page lists at most (its file has them all).
SHOWN = 500
CHARTS = ("per-day", "waits", "per-manager")
# How long a period's figures are kept, and how many periods (and scopes) at most.
KEEP = timedelta(seconds=60)
KEPT_PERIODS = 32
KEPT: web.AppKey[Recent[FiguresKey, PeriodFigures]] = web.AppKey("report_figures")
# The largest id a record can have (a 32-bit integer column).
MAX_ID = 2**31 - 1


async def _finish_figures(app: web.Application) -> None:
    await app[KEPT].close()


def setup(app: web.Application) -> None:
    """Keep the periods' figures a while; when the service stops, the computations under way
    end (before the database closes) and the figures are forgotten."""
    app[KEPT] = Recent(keep=KEEP, size=KEPT_PERIODS)
    app.on_shutdown.append(_finish_figures)


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
    key = f"reports_error_{problem.problem.value}{'_year' if problem.year else ''}"
    return text(key, language(request), value=value)


async def _figures(request: web.Request) -> PeriodFigures:
    """The period asked for, as the person logged in sees it (kept a while, see above)."""
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
    app = request.app
    settings = app[SETTINGS]
    seen = await scope(request)
    now = app[CLOCK].now()

    async def compute() -> PeriodFigures:
        rules = company_rules(settings, app[DIRECTORY].snapshot.calendar)
        async with UnitOfWork(app[SESSIONS], read_only=True) as uow:
            return await period_figures(
                uow,
                period,
                seen,
                rules,
                now=now,
                forgotten_after=settings.clients.forgotten_after,
            )

    return await app[KEPT].get(figures_key(period, seen), now, compute)


async def _report(request: web.Request) -> PeriodReport:
    return (await _figures(request)).report


def _page_tables(
    request: web.Request, figures: PeriodFigures, lang: Language
) -> list[tables.PageTable]:
    links = request.app[LINKS]
    report = figures.report
    return [
        tables.calls_table(report, lang),
        tables.callbacks_table(report, lang),
        tables.unregistered_table(
            report, figures.unregistered, lang, page_link=links.signed, file_link=links.in_file
        ),
        tables.kpi_table(report, figures.kpi, lang),
        tables.forgotten_table(report, report.forgotten, lang),
    ]


async def reports(request: web.Request) -> web.StreamResponse:
    me = person(request)
    lang = language(request)
    try:
        figures = await _figures(request)
    except _BadPeriod as bad:
        return bad.response
    report = figures.report
    query = tables.period_query(report.period)
    context = {
        "error": "",
        "first": report.period.first.isoformat(),
        "last": report.period.last.isoformat(),
        "report": report,
        "tables": _page_tables(request, figures, lang),
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
    if not plain_digits(key) or len(key) > 10 or int(key) > MAX_ID:
        raise _Missing(key)
    if not report.sees(int(key)) or int(key) not in report.names:
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
        figures = await _figures(request)
        report = figures.report
        if name == "list":
            found = _list(request, report, lang, in_file=True)
        else:
            page_tables = {t.key: t for t in _page_tables(request, figures, lang)}
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
