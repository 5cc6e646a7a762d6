"""Folding stored call updates into calls, cases and alerts — on the service's own loop, or in a
process of its own beside it (``ingest.fold_process``, what ``dozvon serve`` does by default).

Folding is the heaviest work the service does per update (the call, its case, the alerts, who
talked to whom). In a process of its own it never delays a routing answer or a webhook's: the
service stores updates and signals the folding process through a socket pair; the folding
process folds them in its own transactions (the same code, the same claims as a second instance
would), writes the alerts into the outbox with the case, and signals back for the service's
sender to deliver them at once. Routing learns who talked to whom from the talk log within
``routing.refresh_interval``, as every instance does. The folding process stops when the service
does, or when the service is gone; one that dies is started again, and what it left unfolded
stays stored until then.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection

from aiohttp import web

from config.settings import DatabaseSettings, Settings
from connectors.mango import MangoSettings
from hub.bootstrap.core import CLOCK, METRICS, NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS, database
from hub.bootstrap.directory import company_calendar
from hub.bootstrap.links import links
from hub.bootstrap.outbox import case_writers
from hub.bootstrap.wiring import fold_reactions
from hub.domain.calendar import Calendar
from hub.domain.cases import CaseFact
from hub.domain.clock import SystemClock
from hub.domain.deadlines import EscalationPolicy
from hub.domain.facts import UnknownAnswered
from hub.domain.phone import Normalizer
from hub.runtime.child import Child, signal_through, until_parent_gone
from hub.runtime.loops import event_loop, keep_collector_away, share_interpreter
from hub.runtime.metrics import create_metrics
from hub.runtime.worker import Worker
from hub.services.calendar import current_calendar
from hub.services.cases import CasePolicy
from hub.services.facts import FactHandlers
from hub.services.ingest.fold_worker import POSTGRESQL_PACE, SQLITE_PACE, Folder, FoldPace
from storage.uow import UnitOfWork

# Set (by ``dozvon serve``) when stored updates are folded in a process of their own.
FOLD_APART = web.AppKey("fold_apart", bool)
# The signals through the socket pair: "updates are stored" (to the folding process) and
# "alerts are in the outbox" (back to the service).
WAKE_FOLDER = b"f"
WAKE_SENDER = b"s"
_FOLDER = web.AppKey("folding", Folder)
# The folding process yields the processor to the service: when both have work, the routing
# answers and the webhooks go first, and folding takes what is left (about a tenth, when the
# service keeps the processors busy; all of it when the service is idle).
NICENESS = 10


def fold_pace(database: DatabaseSettings) -> FoldPace:
    """How the folder takes its work (its gathering, its passes' size), by where the updates are
    stored (see hub/services/ingest/fold_worker.py)."""
    return SQLITE_PACE if database.is_sqlite else POSTGRESQL_PACE


def case_policy(app: web.Application, calendar: Callable[[], Calendar]) -> CasePolicy:
    """The rules cases follow, from the settings; ``calendar``: the company calendar now."""
    settings = app[SETTINGS]
    return CasePolicy(
        min_ring_time=settings.callbacks.min_ring_time,
        escalation=EscalationPolicy.build(
            settings.escalation.after,
            working_hours_only=settings.escalation.working_hours_only,
            hours=settings.escalation.working_hours,
            zone=settings.company.timezone,
        ),
        sticky_window=settings.routing.sticky_window,
        duty=tuple(settings.cases.duty),
        calendar=calendar,
        summary_wait={
            name: section.summary_wait
            for name, section in settings.connectors.items()
            if isinstance(section, MangoSettings)
        },
    )


def folding_process(settings: Settings, *, wake_sender: Callable[[], None]) -> Child:
    """The service's handle on its folding process (not started yet)."""
    # The settings as a plain ``Settings`` (the loader's class is made at run time, and another
    # interpreter could not find it to unpickle): the same values, field by field.
    portable = Settings.model_construct(**dict(settings))
    return Child(
        "folding",
        f"{__name__}:{fold_apart.__name__}",
        (portable,),
        niceness=NICENESS,
        signals={WAKE_SENDER: wake_sender},
    )


def fold_apart(settings: Settings, end: Connection) -> None:
    """The folding process: fold what is stored, and whatever ``end`` says is new, until the
    service closes ``end`` or is gone."""
    from hub.logs import configure_logging

    configure_logging(settings.log)
    loop = event_loop(settings.http.uvloop)
    share_interpreter()
    try:
        loop.run_until_complete(_fold_until_stopped(settings, end))
    finally:
        loop.close()


async def _fold_until_stopped(settings: Settings, end: Connection) -> None:
    app = web.Application()
    app[SETTINGS] = settings
    app[CLOCK] = SystemClock()
    app[METRICS] = create_metrics()
    app[NORMALIZER] = Normalizer(settings.phone.default_region, settings.phone.internal_max_digits)
    app.cleanup_ctx.extend([database, links, _folding(end)])
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        keep_collector_away()
        await until_parent_gone(end, {WAKE_FOLDER: app[_FOLDER].wake})
    finally:
        await runner.cleanup()


class _CalendarKept:
    """The company calendar, read again every ``every`` seconds (a change made in the console
    reaches the deadlines of the cases folded next)."""

    def __init__(self, app: web.Application, every: float) -> None:
        self._factory = app[SESSIONS]
        self._configured = company_calendar(app[SETTINGS])
        self.calendar = self._configured
        self.worker = Worker("company calendar", self.read, every=every, max_backoff=every)

    async def read(self) -> bool:
        async with UnitOfWork(self._factory, read_only=True) as uow:
            self.calendar = await current_calendar(uow, self._configured)
        return False


def _folding(end: Connection) -> Callable[[web.Application], AsyncIterator[None]]:
    async def folding(app: web.Application) -> AsyncIterator[None]:
        alerts, prompts = case_writers(app)
        handlers = FactHandlers()
        handlers.within_map.update(fold_reactions(alerts, prompts))

        def wake_sender(_: object) -> None:
            signal_through(end.fileno(), WAKE_SENDER)

        handlers.after_map.update({CaseFact: [wake_sender], UnknownAnswered: [wake_sender]})
        kept = _CalendarKept(app, app[SETTINGS].routing.refresh_interval.total_seconds())
        await kept.read()
        cases = case_policy(app, lambda: kept.calendar)
        folder = Folder(
            app[SESSIONS],
            app[NORMALIZER],
            handlers,
            app[CLOCK],
            cases=cases,
            pace=fold_pace(app[SETTINGS].database),
        )
        app[_FOLDER] = folder
        kept.worker.start(now=False)
        folder.start()
        yield
        await folder.stop()
        await kept.worker.stop()

    return folding
