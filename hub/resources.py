"""Long-lived resources as aiohttp cleanup contexts: started in order, closed in reverse."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from config.settings import AsteriskConnector
from connectors.asterisk.agi import serve_agi
from connectors.asterisk.client import AmiClient
from connectors.asterisk.route import dial_target
from connectors.asterisk.tracker import CallTracker
from hub.api.pbx.common import decide_in
from hub.auth import TokenVerifier
from hub.backlog import Backlog
from hub.cases import CasePolicy
from hub.deadlines import EscalationPolicy
from hub.folder import Folder
from hub.ingest import FoldResult
from hub.keys import (
    ALERTS,
    AMI_CLIENTS,
    BACKLOG,
    DIRECTORY,
    ENGINE,
    FOLDER,
    METRICS,
    NORMALIZER,
    SENDER,
    SESSIONS,
    SETTINGS,
    STAFF_BOT,
    STORING,
    SWEEP,
    VERIFIER,
    WRITER,
)
from hub.tasks import cancel_and_wait
from hub.writer import IngestWriter
from notifications.alerts import Alerts
from notifications.bot.handlers import BotContext
from notifications.bot.runner import StaffBot
from notifications.channels import Channel, ConsoleChannel
from notifications.digests import Digests
from notifications.escalation import EscalationSweep
from notifications.periodic import Periodic
from notifications.screen_pop import ScreenPop
from notifications.sender import OutboxSender, SenderPolicy
from notifications.telegram import TelegramChannel, create_bot
from routing.loader import DirectoryCache
from storage.db import create_engine, create_session_factory
from storage.types import utcnow

log = logging.getLogger(__name__)
# How long stopping waits for first events still being stored.
STORE_GRACE = 5.0


async def database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS].database)
    app[ENGINE] = engine
    app[SESSIONS] = create_session_factory(engine)
    yield
    await engine.dispose()


async def _keep_fresh(app: web.Application, cache: DirectoryCache) -> None:
    routing = app[SETTINGS].routing
    interval = routing.refresh_interval.total_seconds()
    full_every = routing.full_reload_interval.total_seconds()
    last_full = time.monotonic()
    failing = False
    while True:
        await asyncio.sleep(interval)
        try:
            if time.monotonic() - last_full >= full_every:
                await cache.load_all()
                gc.freeze()
                last_full = time.monotonic()
            else:
                await cache.catch_up()
            if failing:
                log.info("directory refresh works again")
                failing = False
        except Exception as exc:
            if not failing:
                log.warning("directory refresh failing (routing uses the last snapshot): %s", exc)
                failing = True


async def directory(app: web.Application) -> AsyncIterator[None]:
    cache = DirectoryCache(app[SESSIONS], app[SETTINGS].routing.sticky_window)
    started = time.perf_counter()
    await cache.load_all()
    log.info(
        "directory loaded: %d managers, %d clients, %d listed numbers in %.2fs",
        len(cache.snapshot.managers),
        len(cache.snapshot.clients),
        len(cache.snapshot.list_by_number),
        time.perf_counter() - started,
    )
    # The snapshot is hundreds of thousands of long-lived objects: keep them out of the cyclic
    # garbage collector's full passes, which would otherwise stall requests for tens of ms.
    gc.freeze()
    app[DIRECTORY] = cache
    task = asyncio.create_task(_keep_fresh(app, cache), name="directory-refresh")
    yield
    await cancel_and_wait(task)


async def notifier(app: web.Application) -> AsyncIterator[None]:
    """The outbox sender and the escalation sweep."""
    settings = app[SETTINGS]
    alerts = Alerts(
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        settings.escalation.after.total_seconds(),
    )
    outbox = settings.outbox
    console = ConsoleChannel()
    bot = None
    telegram: Channel = console
    if settings.telegram.token is not None:
        bot = create_bot(
            settings.telegram.token.get_secret_value(),
            api_base=settings.telegram.api_base,
            proxy=settings.telegram.proxy,
        )
        telegram = TelegramChannel(bot)
    sender = OutboxSender(
        app[SESSIONS],
        {"console": console, "telegram": telegram},
        SenderPolicy(
            per_chat_interval=outbox.per_chat_interval.total_seconds(),
            global_rate=outbox.global_rate,
            max_backoff=outbox.max_backoff.total_seconds(),
            dead_after=outbox.dead_after,
            poll_interval=outbox.poll_interval.total_seconds(),
        ),
        admin_chat_id=settings.telegram.admin_chat_id,
        language=settings.telegram.language,
    )
    sweep = EscalationSweep(
        app[SESSIONS], alerts, settings.escalation.sweep_interval, on_escalated=sender.wake
    )
    digests = Digests(
        app[SESSIONS],
        at=settings.digest.time,
        zone=settings.company.timezone,
        language=settings.telegram.language,
    )
    digest_job = Periodic("digests", timedelta(minutes=1), digests.run)
    app[ALERTS], app[SENDER], app[SWEEP] = alerts, sender, sweep
    staff_bot = None
    if bot is not None:
        context = BotContext(
            factory=app[SESSIONS],
            alerts=alerts,
            wake_sender=sender.wake,
            language=settings.telegram.language,
            zone=ZoneInfo(settings.company.timezone),
        )
        staff_bot = StaffBot(bot, context, settings.telegram)
        app[STAFF_BOT] = staff_bot
        staff_bot.start()
    sender.start()
    sweep.start()
    if settings.digest.enabled:
        digest_job.start()
    yield
    if staff_bot is not None:
        await staff_bot.stop()
    await digest_job.stop()
    await sweep.stop()
    await sender.stop()
    if bot is not None:
        await bot.session.close()


async def folder(app: web.Application) -> AsyncIterator[None]:
    cache = app[DIRECTORY]
    settings = app[SETTINGS]
    sender = app[SENDER]

    def on_folded(result: FoldResult) -> None:
        for number, manager_id, at in result.talks:
            cache.snapshot.note_talk(number, manager_id, at)
        if result.facts:
            sender.wake()

    policy = CasePolicy(
        min_ring_time=settings.callbacks.min_ring_time,
        escalation=EscalationPolicy.build(
            settings.escalation.after,
            working_hours_only=settings.escalation.working_hours_only,
            hours=settings.escalation.working_hours,
            zone=settings.company.timezone,
        ),
    )
    calls = Folder(app[SESSIONS], app[NORMALIZER], on_folded, cases=policy, react=app[ALERTS].react)
    calls.start()
    app[FOLDER] = calls
    yield
    await calls.stop()


async def writer(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    calls, sender = app[FOLDER], app[SENDER]

    def on_committed() -> None:
        calls.wake()

    pop = ScreenPop(
        app[SESSIONS],
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        on_written=sender.wake,
    )
    ingest = IngestWriter(
        app[SESSIONS],
        batch_max=settings.ingest.batch_max,
        on_committed=on_committed,
        on_decisions=pop.submit,
    )
    spool = settings.ingest.backlog_file or settings.database.beside(".backlog.jsonl")
    backlog = Backlog(ingest.submit, on_size=app[METRICS].backlog.set, spool=spool)
    pop.start()
    ingest.start()
    backlog.start()
    app[WRITER] = ingest
    app[BACKLOG] = backlog
    storing: set[asyncio.Task[None]] = set()
    app[STORING] = storing
    yield
    # First events still on their way to the writer: let them arrive (or reach the backlog).
    if storing:
        await asyncio.wait(set(storing), timeout=STORE_GRACE)
    for task in list(storing):
        await cancel_and_wait(task)
    await backlog.stop()
    await ingest.stop()
    await pop.stop()


async def verifier(app: web.Application) -> AsyncIterator[None]:
    token = app[SETTINGS].admin.token
    app[VERIFIER] = TokenVerifier(app[SESSIONS], token.get_secret_value() if token else None)
    yield


async def pbx_links(app: web.Application) -> AsyncIterator[None]:
    """Connections the service keeps to PBXs: Asterisk's AMI stream and its FastAGI server."""
    settings = app[SETTINGS]
    clients: dict[str, AmiClient] = {}
    servers: list[asyncio.Server] = []
    for name, config in sorted(settings.connectors.items()):
        if not isinstance(config, AsteriskConnector):
            continue
        client = AmiClient(
            name,
            host=config.host,
            port=config.port,
            username=config.username,
            secret=config.secret.get_secret_value(),
            tracker=CallTracker(name, app[NORMALIZER]),
            submit=app[WRITER].submit,
            clock=utcnow,
            reconnect_max=config.reconnect_max.total_seconds(),
        )
        client.start()
        clients[name] = client
        if config.agi_port is not None:
            prefix = config.channel_prefix

            def route(caller: str, dialled: str, call: str | None, prefix: str = prefix) -> str:
                return dial_target(decide_in(app, caller, dialled, call), prefix)

            servers.append(await serve_agi(config.agi_host, config.agi_port, route))
            log.info("%s: FastAGI routing on %s:%d", name, config.agi_host, config.agi_port)
    app[AMI_CLIENTS] = clients
    yield
    for server in servers:
        server.close()
        await server.wait_closed()
    for client in clients.values():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.drained(), 5)
        await client.stop()
