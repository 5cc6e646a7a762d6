"""The reports page's use case: one period's figures for the part of the company a person sees.

Two queries read the period's calls and cases (``storage/repositories/reports.py``), the domain
classifies them in one pass (``hub/domain/report_figures.py``), and the person's scope
(``hub/domain/scope.py``) keeps what is his: directors and admins see the company and every
manager, a supervisor his team (and what nobody in particular answers for), a manager himself.
For anyone but directors and admins the queries already leave out most of what is not his
(another team's answered calls and cases), and the scope decides the rest. Beside them: the
numbers still unregistered that called in the period, the KPI «контакты уточнены» over it, and
the forgotten clients as of now — all of it read at once by :func:`period_figures`, what the
reports page keeps a while under :func:`figures_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from config.settings import Settings
from hub.domain.calendar import Calendar
from hub.domain.chart_figures import AttributedCall
from hub.domain.deadlines import WEEKDAYS
from hub.domain.digest import CallRow, CaseRow
from hub.domain.forgotten import ForgottenClient
from hub.domain.hours import parse_hours
from hub.domain.kpi import Actors, KpiLine, kpi
from hub.domain.report_figures import (
    Classified,
    Counted,
    Line,
    Period,
    Rules,
    calls_behind,
    classify,
    lines,
)
from hub.domain.scope import Scope
from hub.domain.unregistered import UnregisteredNumber, unregistered
from hub.services.reports.queries import SELLERS, forgotten_clients
from storage.models import Manager
from storage.uow import UnitOfWork


def company_rules(settings: Settings, calendar: Calendar) -> Rules:
    """The company's working hours (``escalation.working_hours`` on weekdays, in its zone), its
    calendar and ``callbacks.min_ring_time``."""
    hours = parse_hours(
        dict.fromkeys(WEEKDAYS, settings.escalation.working_hours), settings.company.timezone
    )
    return Rules(hours, calendar, settings.callbacks.min_ring_time)


@dataclass(frozen=True, slots=True)
class PeriodReport:
    period: Period
    scope: Scope
    names: dict[int, str]
    classified: Classified
    lines: list[Line]
    total: Line
    forgotten: list[ForgottenClient]

    def sees(self, manager_id: int | None) -> bool:
        return self.scope.owns(manager_id)

    def forgotten_of(self, manager_id: int | None) -> int:
        return sum(1 for c in self.forgotten if c.manager_id == manager_id)

    def calls(self, figure: str, manager: int | str | None) -> list[Counted]:
        """The calls behind ``figure`` of ``manager`` (an id, None: nobody's, "all": every one
        the person sees)."""
        whose: Callable[[int | None], bool] = (
            self.sees if manager == "all" else lambda m: m == manager and self.sees(m)
        )
        return calls_behind(self.classified, figure, whose)

    def attributed(self) -> list[AttributedCall]:
        """The calls the person sees, as the per-manager chart counts them."""
        return [
            AttributedCall(manager_id=owner, direction=call.direction, outcome=call.outcome)
            for call, owner, _ in self.classified.calls
            if self.sees(owner)
        ]

    def call_rows(self) -> list[CallRow]:
        """The missed calls the person sees, for the chart of missed and returned per day."""
        return [
            CallRow(
                direction=call.direction,
                outcome=call.outcome,
                started_at=call.started_at,
                caller_kind="",
            )
            for call, owner, reason in self.classified.calls
            if reason is not None and self.sees(owner)
        ]

    def case_rows(self) -> list[CaseRow]:
        return [
            CaseRow(
                status=case.status,
                first_missed_at=case.first_missed_at,
                returned_at=case.returned_at,
                escalated_at=case.escalated_at,
            )
            for case, _ in self.classified.cases
            if self.sees(case.manager_id)
        ]


def _team(scope: Scope) -> frozenset[int] | None:
    return None if scope.everything else scope.team


async def _unregistered(
    uow: UnitOfWork, period: Period, team: frozenset[int] | None
) -> list[UnregisteredNumber]:
    """The numbers no card and no list holds that called the person's managers in the period."""
    return unregistered(await uow.reports.unregistered_calls(period.start, period.end, team))


async def _kpi(
    uow: UnitOfWork, period: Period, scope: Scope, managers: Sequence[Manager]
) -> list[KpiLine]:
    """The KPI «контакты уточнены» over the period, a line per seller the person sees."""
    found = kpi(
        await uow.reports.kpi_audit(period.start, period.end),
        await uow.reports.resolutions(period.start, period.end),
        Actors((m.id, m.name) for m in managers),
        everyone=[m.id for m in managers if m.active and m.role in SELLERS],
    )
    return [line for line in found if scope.owns(line.manager_id)]


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """Everything the reports page shows of a period, in no language yet."""

    report: PeriodReport
    unregistered: list[UnregisteredNumber]
    kpi: list[KpiLine]


async def period_figures(
    uow: UnitOfWork,
    period: Period,
    scope: Scope,
    rules: Rules,
    *,
    now: datetime,
    forgotten_after: timedelta,
) -> PeriodFigures:
    """The period's figures, its unregistered numbers and its KPI as ``scope`` sees them."""
    managers = list(await uow.managers.list())
    names = {m.id: m.name for m in managers}
    team, nobody = _team(scope), scope.owns(None)
    classified = classify(
        await uow.reports.period_calls(period.start, period.end, team, nobody=nobody),
        await uow.reports.period_cases(period.start, period.end, team, nobody=nobody),
        rules,
    )
    people = [
        m.id
        for m in sorted(managers, key=lambda m: (m.name.casefold(), m.id))
        if m.active and m.role in SELLERS
    ]
    found, total = lines(classified, people, scope.owns)
    forgotten = await forgotten_clients(uow, now, forgotten_after, team)
    return PeriodFigures(
        PeriodReport(period, scope, names, classified, found, total, forgotten),
        await _unregistered(uow, period, team),
        await _kpi(uow, period, scope, managers),
    )


FiguresKey = tuple[str, str, str, str, tuple[int, ...]]


def figures_key(period: Period, scope: Scope) -> FiguresKey:
    """What :func:`period_figures` depend on: the period and what the scope lets in (directors
    and admins alike see everything; anyone else his role's part of his team)."""
    seen = ("everything", ()) if scope.everything else (scope.role.value, tuple(sorted(scope.team)))
    return (period.first.isoformat(), period.last.isoformat(), period.zone.key, *seen)
