"""The call pipeline: writer, folder, backlog, the intake every edge stores through, the router,
the screen pop — and the handler map that ties the facts they report to their reactions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, METRICS, NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.folding import (
    FOLD_APART,
    WAKE_FOLDER,
    case_policy,
    fold_pace,
    folding_process,
)
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.outbox import ALERTS, PROMPTS, RELAYS, SENDER
from hub.bootstrap.wiring import wire
from hub.runtime.child import Child
from hub.services.decision_budget import DecisionBudget
from hub.services.facts import FactHandlers
from hub.services.ingest.backlog import Backlog
from hub.services.ingest.fold_worker import Folder
from hub.services.ingest.intake import Intake
from hub.services.ingest.writer import IngestWriter
from hub.services.rejections import Rejections
from hub.services.routing import CallRouter
from notifications.screen_pop import ScreenPop

HANDLERS = web.AppKey("handlers", FactHandlers)
WRITER = web.AppKey("writer", IngestWriter)
FOLDER = web.AppKey("folder", Folder)
BACKLOG = web.AppKey("backlog", Backlog)
INTAKE = web.AppKey("intake", Intake)
REJECTIONS = web.AppKey("rejections", Rejections)
ROUTER = web.AppKey("router", CallRouter)
# How long stopping waits for first events still being stored.
STORE_GRACE = 5.0


async def pipeline(app: web.Application) -> AsyncIterator[None]:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    handlers = FactHandlers()
    screen_pop = ScreenPop(
        factory,
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        clock,
        report=handlers.committed,
    )
    # As for the alerts: known once the PBX links are up (see hub/bootstrap/people.py).
    screen_pop.can_call = lambda: app[ALERTS].can_call()
    folder: Folder | None = None
    apart: Child | None = None
    fold: Callable[[], None]
    if app.get(FOLD_APART, False):
        apart = folding_process(settings, wake_sender=app[SENDER].wake)
        fold = partial(apart.signal, WAKE_FOLDER)
    else:
        cases = case_policy(app, lambda: app[DIRECTORY].snapshot.calendar)
        folder = Folder(
            factory,
            app[NORMALIZER],
            handlers,
            clock,
            cases=cases,
            pace=fold_pace(settings.database),
        )
        fold = folder.wake
    writer = IngestWriter(factory, handlers, clock, batch_max=settings.ingest.batch_max)
    wire(
        handlers,
        alerts=app[ALERTS],
        prompts=app[PROMPTS],
        relays=app[RELAYS],
        sender=app[SENDER],
        clients=app[MESSENGERS].sender,
        files=app[MESSENGERS].files,
        directory=app[DIRECTORY],
        fold=fold,
        screen_pop=screen_pop,
    )
    spool = settings.ingest.backlog_file or settings.database.beside(".backlog.jsonl")
    backlog = Backlog(writer.submit, on_size=app[METRICS].backlog.set, spool=spool)
    rejections = Rejections(app[METRICS], clock)
    intake = Intake(writer, backlog, app[METRICS], rejections)
    app[ROUTER] = CallRouter(
        app[DIRECTORY],
        app[NORMALIZER],
        writer.record_decision,
        clock,
        sticky_window=settings.routing.sticky_window,
        observe=app[METRICS].route_latency.observe,
        budget=DecisionBudget(settings.routing.record_per_second),
        unrecorded=app[METRICS].unrecorded_decision,
    )
    app[HANDLERS], app[WRITER] = handlers, writer
    if folder is not None:
        app[FOLDER] = folder
        folder.start()
    if apart is not None:
        apart.start()
    app[BACKLOG], app[INTAKE], app[REJECTIONS] = backlog, intake, rejections
    screen_pop.start()
    writer.start()
    backlog.start()
    yield
    await intake.finish(STORE_GRACE)
    await backlog.stop()
    await writer.stop()
    if folder is not None:
        await folder.stop()
    if apart is not None:
        await apart.stop()
    await screen_pop.stop()
