"""Call updates that must not be lost although storing them failed when they came.

Some vendor requests are answered whatever happens to storage: Twilio's ``<Dial>`` action comes
while the caller is on the line (an error there ends his call, and Twilio does not retry), and a
call's first event is answered with the routing decision before it is stored. When the writer
cannot take such updates they wait here and are offered again every second until stored
(repeats are harmless: storing is idempotent). With a ``spool`` file they are also written there
(flushed to disk) before anything else happens, and read back at the next start, so a restart
during a database outage loses none; the file is rewritten as they get stored and removed when
none wait. At shutdown one last attempt is made. Beyond ``limit`` waiting updates new ones are
dropped with one error, so a long outage cannot exhaust memory or disk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.phone import PhoneKind, PhoneNumber
from hub.runtime.worker import Worker

log = logging.getLogger(__name__)
LIMIT = 10_000
RETRY_EVERY = 1.0

Submit = Callable[[list[CallUpdate]], Awaitable[object]]


class Backlog:
    def __init__(
        self,
        submit: Submit,
        *,
        limit: int = LIMIT,
        interval: float = RETRY_EVERY,
        on_size: Callable[[int], None] | None = None,
        spool: Path | None = None,
    ) -> None:
        self._submit = submit
        self._spool = spool
        self._limit = limit
        self._interval = interval
        self._on_size = on_size
        # As they came: one request's updates are offered together, and one that cannot be
        # stored (whatever the reason) does not hold up the others.
        self._waiting: list[list[CallUpdate]] = self._read_spool()  # left by the last run
        self._count = sum(len(group) for group in self._waiting)
        self._worker = Worker("ingest backlog", self._step, failing="failing")
        self._full = False

    def __len__(self) -> int:
        return self._count

    def keep(self, connector: str, updates: list[CallUpdate]) -> None:
        """Store these later (they could not be stored now)."""
        if not updates:
            return
        if len(self) + len(updates) > self._limit:
            if not self._full:
                log.error(
                    "%s: %d call updates wait to be stored; dropping newer ones until there is "
                    "room",
                    connector,
                    len(self),
                )
                self._full = True
            return
        self._waiting.append(updates)
        self._count += len(updates)
        if self._spool is not None:
            try:
                with self._spool.open("a", encoding="utf-8") as out:
                    # A line of its own even after a write cut short by a crash.
                    out.write("\n" + _line(updates))
                    out.flush()
                    os.fsync(out.fileno())
            except OSError as exc:
                log.error("%s: call updates kept in memory only (%s)", connector, exc)
        self._sized()
        self._worker.wake()

    def _sized(self) -> None:
        if self._on_size is not None:
            self._on_size(len(self))

    def start(self) -> None:
        if self._waiting:
            log.warning("%d call updates from before the restart wait to be stored", len(self))
            self._sized()
        self._worker.start(now=bool(self._waiting))

    async def stop(self) -> None:
        await self._worker.stop()
        await self._attempt()
        if self._waiting and self._spool is not None:
            log.warning("%d call updates wait in %s for the next start", len(self), self._spool)
        elif self._waiting:
            log.error("%d call updates could not be stored before stopping", len(self))

    def _read_spool(self) -> list[list[CallUpdate]]:
        if self._spool is None:
            return []
        try:
            self._spool.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.error(
                "backlog file %s cannot be created (%s); updates wait in memory", self._spool, exc
            )
        if not self._spool.exists():
            return []
        groups: list[list[CallUpdate]] = []
        for number, line in enumerate(self._spool.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                groups.append([_update(item) for item in json.loads(line)])
            except (ValueError, TypeError, KeyError) as exc:
                log.error(
                    "%s:%d is not a waiting call update, skipped: %s", self._spool, number, exc
                )
        return groups

    def _rewrite_spool(self) -> None:
        """The file says what still waits: rewritten whole (then swapped in), or removed."""
        if self._spool is None:
            return
        try:
            if not self._waiting:
                self._spool.unlink(missing_ok=True)
                return
            fresh = self._spool.with_name(self._spool.name + ".new")
            with fresh.open("w", encoding="utf-8") as out:
                out.writelines(_line(group) for group in self._waiting)
                out.flush()
                os.fsync(out.fileno())
            fresh.replace(self._spool)
        except OSError as exc:
            log.error("backlog file %s not rewritten: %s", self._spool, exc)

    async def _step(self) -> bool:
        await asyncio.sleep(self._interval)  # give storage a moment
        await self._attempt()
        return bool(self._waiting)

    async def _attempt(self) -> None:
        """Offer every waiting group once; keep those that still fail."""
        groups, self._waiting = self._waiting, []
        # All at once: the writer commits what has queued up together (and isolates a group
        # that fails), rather than one commit per group.
        try:
            results = await asyncio.gather(
                *(self._submit(group) for group in groups), return_exceptions=True
            )
        except asyncio.CancelledError:
            self._waiting = groups + self._waiting  # stopping: the last attempt takes them
            raise
        failed: list[list[CallUpdate]] = []
        for group, result in zip(groups, results, strict=True):
            if isinstance(result, BaseException):
                failed.append(group)
                log.debug("%d call updates not stored yet: %s", len(group), result)
        self._waiting = failed + self._waiting
        self._count = sum(len(group) for group in self._waiting)
        self._sized()
        if len(failed) < len(groups):
            self._rewrite_spool()
            log.info("call updates that had waited are stored (%d still wait)", len(self))
        if self._full and len(self) < self._limit:
            self._full = False


def _line(updates: list[CallUpdate]) -> str:
    def plain(update: CallUpdate) -> dict[str, Any]:
        fields = asdict(update)
        fields["at"] = update.at.isoformat() if update.at else None
        return fields

    return json.dumps([plain(u) for u in updates], ensure_ascii=False) + "\n"


def _update(item: dict[str, Any]) -> CallUpdate:
    def number(fields: dict[str, Any]) -> PhoneNumber:
        return PhoneNumber(raw=fields["raw"], kind=PhoneKind(fields["kind"]), value=fields["value"])

    return CallUpdate(
        connector=item["connector"],
        call_id=item["call_id"],
        direction=Direction(item["direction"]),
        state=CallState(item["state"]),
        caller=number(item["caller"]),
        callee=number(item["callee"]),
        event_id=item["event_id"],
        extension=item["extension"],
        leg=item["leg"],
        at=datetime.fromisoformat(item["at"]) if item["at"] else None,
        reason=EndReason(item["reason"]) if item["reason"] else None,
        recording_url=item["recording_url"],
    )
