"""The reports page's tables: what each shows (a cell's text, the link it clicks through to) and
what its CSV and XLSX files hold (the same rows, plain values), in the console's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from hub.console.texts import text
from hub.domain.calls import Direction, Outcome
from hub.domain.chart_figures import Wait
from hub.domain.forgotten import ForgottenClient
from hub.domain.kpi import KpiLine
from hub.domain.phone import withheld
from hub.domain.report_figures import Counted, Line, MissReason, Period, PeriodCall
from hub.domain.unregistered import UnregisteredNumber
from hub.services.reports import files
from hub.services.reports.period import PeriodReport
from notifications.catalogue import MESSAGES, Language

CALL_FIGURES = ("calls_in", "calls_out", "missed", *(f"missed_{r.value}" for r in MissReason))
CASE_FIGURES = (*(f"returned_{w.value}" for w in Wait), "escalated")


@dataclass(frozen=True, slots=True)
class Cell:
    """What a table shows in a cell, the value its files hold, and where it leads."""

    text: str
    value: files.Cell = None
    href: str | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None

    def file_table(self) -> files.Table:
        lines = [*self.rows, *([self.total] if self.total else [])]
        return files.Table(self.title, self.columns, [[c.value for c in row] for row in lines])


def period_query(period: Period, **extra: str) -> str:
    """The query of a link within the period (``from``, ``until`` and ``extra``)."""
    values = {"from": period.first.isoformat(), "until": period.last.isoformat(), **extra}
    return urlencode(values)


def manager_key(line: Line) -> str:
    """How a link names the line's manager: an id, ``none`` (nobody's) or ``all``."""
    if line.total:
        return "all"
    return "none" if line.manager_id is None else str(line.manager_id)


def whose(report: PeriodReport, key: str, language: Language) -> str:
    """A person's name for a line or a link's ``manager``."""
    if key == "all":
        return text("reports_company" if report.scope.everything else "reports_team", language)
    if key == "none":
        return text("reports_nobody", language)
    return report.names.get(int(key), f"#{key}")


def duration(value: timedelta | None, language: Language) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds >= 3600:
        return text("reports_hours", language, hours=seconds // 3600, minutes=seconds % 3600 // 60)
    return text("reports_minutes", language, minutes=seconds // 60, seconds=seconds % 60)


def _count(report: PeriodReport, line: Line, figure: str) -> Cell:
    count = line.figure(figure)
    query = period_query(report.period, manager=manager_key(line), figure=figure)
    return Cell(str(count), count, f"/reports/calls?{query}" if count else None)


def _name(report: PeriodReport, line: Line, language: Language) -> Cell:
    name = whose(report, manager_key(line), language)
    return Cell(name, name)


def _shows_total(report: PeriodReport) -> bool:
    return report.scope.everything or len(report.lines) > 1


def calls_table(report: PeriodReport, language: Language) -> PageTable:
    def row(line: Line) -> list[Cell]:
        return [_name(report, line, language), *(_count(report, line, f) for f in CALL_FIGURES)]

    return PageTable(
        "calls",
        text("reports_calls", language),
        [text("reports_manager", language)]
        + [text(f"reports_figure_{f}", language) for f in CALL_FIGURES],
        [row(line) for line in report.lines],
        row(report.total) if _shows_total(report) else None,
    )


def callbacks_table(report: PeriodReport, language: Language) -> PageTable:
    def row(line: Line) -> list[Cell]:
        forgotten = len(report.forgotten) if line.total else report.forgotten_of(line.manager_id)
        return [
            _name(report, line, language),
            Cell(str(line.cases), line.cases),
            *(_count(report, line, f) for f in CASE_FIGURES[:-1]),
            Cell(duration(line.median, language), duration(line.median, language)),
            Cell(duration(line.p90, language), duration(line.p90, language)),
            _count(report, line, "escalated"),
            Cell(str(forgotten), forgotten, "#forgotten" if forgotten else None),
        ]

    columns = [
        text("reports_manager", language),
        text("reports_cases", language),
        *(text(f"reports_figure_{f}", language) for f in CASE_FIGURES[:-1]),
        text("reports_median", language),
        text("reports_p90", language),
        text("reports_figure_escalated", language),
        text("reports_forgotten_count", language),
    ]
    return PageTable(
        "callbacks",
        text("reports_callbacks", language),
        columns,
        [row(line) for line in report.lines],
        row(report.total) if _shows_total(report) else None,
    )


def _shown(value: files.Cell, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return str(value)


# The month-end files' id columns, for programs; the page (and its files) name people instead.
_ID_COLUMNS = frozenset(
    title for key in ("column_manager_id", "column_client_id") for title in MESSAGES[key].values()
)


def _from_file(key: str, table: files.Table, zone: ZoneInfo) -> PageTable:
    kept = [i for i, title in enumerate(table.columns) if title not in _ID_COLUMNS]
    return PageTable(
        key,
        table.title,
        [table.columns[i] for i in kept],
        [[Cell(_shown(row[i], zone), row[i]) for i in kept] for row in table.rows],
    )


def unregistered_table(
    report: PeriodReport,
    lines: Sequence[UnregisteredNumber],
    language: Language,
    *,
    page_link: Callable[[str], str],
    file_link: Callable[[str], str],
) -> PageTable:
    """The numbers still unregistered; the recordings column plays each call's recording."""
    zone = report.period.zone
    title = text("reports_unregistered", language)
    made = files.unregistered_table(title, lines, report.names, zone, language, link=file_link)
    shown = _from_file("unregistered", made, zone)
    rows = [
        [*row[:-1], Cell("", row[-1].value, links=tuple(page_link(p) for p in line.recordings))]
        for row, line in zip(shown.rows, lines, strict=True)
    ]
    return PageTable(shown.key, shown.title, shown.columns, rows)


def kpi_table(report: PeriodReport, lines: Sequence[KpiLine], language: Language) -> PageTable:
    made = files.kpi_table(text("reports_kpi", language), lines, report.names, language)
    return _from_file("kpi", made, report.period.zone)


def forgotten_table(
    report: PeriodReport, clients: Sequence[ForgottenClient], language: Language
) -> PageTable:
    zone = report.period.zone
    title = text("reports_forgotten", language)
    return _from_file(
        "forgotten", files.forgotten_table(title, clients, report.names, zone, language), zone
    )


def outcome(call: PeriodCall, reason: MissReason | None, language: Language) -> str:
    if reason is not None:
        because = text(f"reports_figure_missed_{reason.value}", language).lower()
        return text("reports_missed_because", language, reason=because)
    if call.outcome == Outcome.ANSWERED:
        return text("reports_answered", language)
    if call.outcome is None:
        return text("reports_going_on", language)
    return text("reports_not_answered", language)


def list_table(
    report: PeriodReport,
    calls: Sequence[Counted],
    title: str,
    language: Language,
    *,
    recording: Callable[[int], str],
) -> PageTable:
    """The calls behind a figure: time, direction, number, client, manager, outcome, recording."""
    zone = report.period.zone
    rows = []
    for call, owner, reason in calls:
        local = call.started_at.astimezone(zone).replace(tzinfo=None, microsecond=0)
        manager = report.names.get(owner, "") if owner is not None else ""
        direction = "reports_inbound" if call.direction == Direction.INBOUND else "reports_outbound"
        link = recording(call.id) if call.recorded else None
        said = outcome(call, reason, language)
        # A caller who withheld his number shows as such, not as the PBX's placeholder for it.
        number = text("reports_withheld", language) if withheld(call.number) else call.number
        rows.append(
            [
                Cell(local.strftime("%d.%m.%Y %H:%M"), local),
                Cell(text(direction, language), text(direction, language)),
                Cell(number, number),
                Cell(call.client_name or "", call.client_name or ""),
                Cell(manager, manager),
                Cell(said, said),
                Cell("", link, links=(link,) if link else ()),
            ]
        )
    keys = ("time", "direction", "number", "client", "manager", "outcome", "recording")
    return PageTable("list", title, [text(f"reports_{k}", language) for k in keys], rows)
