"""How call updates from any edge reach storage: stored before the answer, or kept if they must be.

Three ways, one for each kind of request a PBX makes:

* :meth:`Intake.store` — the usual: committed before the request is answered; a 503 otherwise,
  and the PBX sends them again;
* :meth:`Intake.store_or_keep` — answered for whatever happens (Twilio's ``<Dial>`` action): if
  storage is away, the backlog keeps them until it is back;
* :meth:`Intake.store_soon` — a call's first event, whose routing answer the PBX waits for while
  the phone rings: stored in the background, through the backlog when that fails.
"""

from __future__ import annotations

import asyncio
import logging

from connectors.errors import PayloadError
from hub.domain.calls import CallUpdate
from hub.domain.errors import Unavailable
from hub.runtime.metrics import Metrics
from hub.runtime.tasks import cancel_and_wait
from hub.services.ingest.backlog import Backlog
from hub.services.ingest.writer import Accepted, IngestWriter
from hub.services.rejections import Rejections

log = logging.getLogger(__name__)
# Beyond this many first events waiting for the writer, more go to the backlog instead.
MAX_STORING = 1000


class Intake:
    def __init__(
        self, writer: IngestWriter, backlog: Backlog, metrics: Metrics, rejections: Rejections
    ) -> None:
        self._writer = writer
        self._backlog = backlog
        self._metrics = metrics
        self._rejections = rejections
        self._storing: set[asyncio.Task[None]] = set()

    async def store(
        self, connector: str, updates: list[CallUpdate], *, remote: str | None = None
    ) -> Accepted:
        """Commit updates through the writer; :class:`Unavailable` if they could not be stored.

        An update no database could store is refused here (400), before it reaches the writer,
        where it would fail the whole batch it shares with other requests."""
        if not updates:
            return Accepted(new=0, duplicates=0)
        for update in updates:
            unstorable = update.unstorable()
            if unstorable is not None:
                field, problem = unstorable
                error = PayloadError(problem, field=field)
                self._rejections.note(connector, remote, error)
                raise error
        try:
            accepted = await self._writer.submit(updates)
        except RuntimeError as exc:
            raise Unavailable(f"{exc}; retry later") from exc
        self._metrics.events_ingested.labels(connector).inc(accepted.new)
        self._metrics.duplicates_dropped.labels(connector).inc(accepted.duplicates)
        return accepted

    async def store_or_keep(self, connector: str, updates: list[CallUpdate]) -> None:
        """Store updates that are answered for whatever happens: if storage is away, the backlog
        keeps them and stores them as soon as it can."""
        try:
            await self.store(connector, updates)
        except Unavailable as exc:
            log.warning("%s: call updates not stored yet (%s); kept in the backlog", connector, exc)
            self._backlog.keep(connector, updates)

    def store_soon(self, connector: str, updates: list[CallUpdate]) -> None:
        """Store without making the caller wait. If storing fails now (or too many wait
        already), the backlog tries again; the call's later events say the same facts too."""
        if len(self._storing) >= MAX_STORING:
            self._backlog.keep(connector, updates)
            return

        async def run() -> None:
            try:
                await self.store_or_keep(connector, updates)
            except Exception:
                log.exception("%s: first event of a call not stored", connector)

        task = asyncio.create_task(run(), name=f"{connector}-store")
        self._storing.add(task)
        task.add_done_callback(self._storing.discard)

    async def settled(self) -> None:
        """Wait until the updates being stored in the background are stored (or kept)."""
        if self._storing:
            await asyncio.wait(set(self._storing))

    async def finish(self, grace: float) -> None:
        """At shutdown: let first events still on their way arrive (or reach the backlog)."""
        if self._storing:
            await asyncio.wait(set(self._storing), timeout=grace)
        for task in list(self._storing):
            await cancel_and_wait(task)
