"""The screen pop: as a call is routed to a manager, tell him who is calling.

Client name, status, personal manager (named whether or not he has a chat), the last contact and
its outcome, and an open callback case; under it the same buttons as under an alert (call,
WhatsApp, card, or triage for a number nobody knows). The writer hands stored routing decisions
over; a task of its own turns them into outbox rows, apart from the writer so that it never slows
ingestion down. A pop is only worth anything while the call rings: one not written within
MAX_AGE is dropped (and so is one pending when the service stops).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from hub.domain.clock import Clock
from hub.domain.facts import Fact, MessagesQueued
from hub.runtime.worker import Worker
from notifications.bot.actions import CardAction
from notifications.buttons import contact_row, triage_row
from notifications.catalogue import Language, outcome, text
from notifications.rows import outbox_row
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


MAX_AGE = timedelta(seconds=20)
CHUNK = 50
# More pending pops than this means far more calls than managers can take: keep the newest.
MAX_PENDING = 500
# How long the people read for pops are taken as they are.
PEOPLE_FOR = 5.0


def _pops(decision: dict[str, Any]) -> bool:
    """A decision that sends an outside caller to a manager."""
    return bool(decision["target"].get("manager_id")) and str(decision["caller"]).startswith("+")


class ScreenPop:
    def __init__(
        self,
        factory: SessionFactory,
        language: Language,
        zone: tzinfo,
        clock: Clock,
        report: Callable[[Sequence[Fact]], None] | None = None,
    ) -> None:
        self._factory = factory
        self._language = language
        self._zone = zone
        self._clock = clock
        self._report = report
        self._pending: list[dict[str, Any]] = []
        self._everyone: tuple[float, dict[int, Manager]] | None = None
        # Whether a PBX can place calls ("Позвонить" on the pop); set once it is known.
        self.can_call: Callable[[], bool] = lambda: False
        self._worker = Worker("screen pop", self._step)

    def submit(self, decisions: list[dict[str, Any]]) -> None:
        """Stored routing decisions; those that send the call to a manager get a pop."""
        self._pending += [d for d in decisions if _pops(d)]
        del self._pending[:-MAX_PENDING]
        if self._pending:
            self._worker.wake()

    def start(self) -> None:
        self._worker.start(now=False)

    async def stop(self) -> None:
        await self._worker.stop()

    async def _step(self) -> bool:
        """Write the pops of one chunk of pending decisions; whether more are pending. Pops that
        cannot be written are dropped: they are worth nothing once the phone stops ringing."""
        fresh = self._clock.now() - MAX_AGE
        chunk = [d for d in self._pending[:CHUNK] if d["at"] >= fresh]
        del self._pending[:CHUNK]
        try:
            # Read first, without SQLite's one write lock (most pops need none: the person has
            # no chat); then write the pops in a short transaction of their own.
            async with UnitOfWork(self._factory, read_only=True) as reading:
                rows = await self.pops(reading, chunk)
            written = 0
            if rows:
                async with UnitOfWork(self._factory) as uow:
                    written = await uow.outbox.enqueue(rows)
                    await uow.commit()
        except Exception as exc:
            log.warning("screen pops not written: %s", exc)
            return bool(self._pending)
        if written and self._report is not None:
            self._report([MessagesQueued(written)])
        return bool(self._pending)

    async def _people(self, uow: UnitOfWork) -> dict[int, Manager]:
        """Everyone, read at most every PEOPLE_FOR seconds: a burst of routed calls asks for
        pops many times a second, and who has a chat changes seldom."""
        now = time.monotonic()
        if self._everyone is None or now - self._everyone[0] > PEOPLE_FOR:
            self._everyone = (now, {m.id: m for m in await uow.managers.list()})
        return self._everyone[1]

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%d.%m %H:%M")

    async def pops(self, uow: UnitOfWork, decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The outbox rows of the pops for these decisions."""
        wanted = [d for d in decisions if _pops(d)]
        if not wanted:
            return []
        lang, now = self._language, self._clock.now()
        # A pop is a Telegram message while the phone rings: nothing to do for people without
        # a chat (and no queries spent on them).
        everyone = await self._people(uow)
        chats = {i: m for i, m in everyone.items() if m.telegram_chat_id is not None}
        wanted = [d for d in wanted if d["target"]["manager_id"] in chats]
        if not wanted:
            return []
        numbers = {d["caller"] for d in wanted}
        owners = await uow.clients.owners(numbers)
        listed = await uow.lists.memberships(numbers)
        cases = await uow.cases.active_for(numbers)
        rows = []
        for decision in wanted:
            person = chats[decision["target"]["manager_id"]]
            number = decision["caller"]
            client = await uow.clients.get(owners[number]) if number in owners else None
            # The client's manager by name, whether or not he has a chat of his own.
            owner = everyone.get(client.manager_id or 0) if client else None
            last_calls = await uow.calls.page(numbers=[number], limit=1)
            last = (
                f"{self._when(last_calls[0].started_at)}, {outcome(last_calls[0].outcome, lang)}"
                if last_calls
                else text("never", lang)
            )
            case = cases.get(number)
            case_line = (
                text(
                    "screen_pop_case",
                    lang,
                    count=case.missed_count,
                    when=self._when(case.first_missed_at),
                )
                if case
                else ""
            )
            body = text(
                "screen_pop",
                lang,
                who=client.name if client else text("unknown_number", lang),
                number=number,
                status=client.status if client else "—",
                manager=owner.name if owner else text("nobody", lang),
                last=last,
                case=case_line,
            )
            key = f"pop:{decision.get('call_ref') or number}:{decision['at'].isoformat()}"
            buttons = [contact_row(number, lang, can_call=self.can_call())]
            if client is not None:
                card = CardAction(id=client.id).pack()
                buttons[0].append({"text": text("button_card", lang), "callback_data": card})
            elif number not in listed:
                buttons.append(triage_row(number, lang))
            rows.append(outbox_row(key, person, "screen_pop", body, now=now, buttons=buttons))
        return rows
