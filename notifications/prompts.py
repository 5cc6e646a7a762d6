"""«Кто это был?» — after an answered call with a number nobody knows, the manager who talked is
asked to triage it: the same buttons as under a missed-call alert (client, new client, list),
with call and WhatsApp, and the call's recording when it already has one. Written into the
outbox in the fold's transaction, once per call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo

from hub.domain.clock import Clock
from hub.domain.facts import UnknownAnswered
from notifications.buttons import contact_row, recording_row, triage_row
from notifications.catalogue import Language, text
from notifications.rows import outbox_row
from storage.uow import UnitOfWork


class Prompts:
    def __init__(self, language: Language, zone: tzinfo, clock: Clock) -> None:
        self._language = language
        self._zone = zone
        self._clock = clock
        # Whether a PBX can start calls; set once it is known (as for the alerts).
        self.can_call: Callable[[], bool] = lambda: False
        # The signed link that plays a stored call's recording (as for the alerts).
        self.recording_link: Callable[[int | None], str | None] = lambda _: None

    async def react(self, uow: UnitOfWork, facts: Sequence[UnknownAnswered]) -> None:
        """Ask each manager who talked about the number, unless it was triaged meanwhile."""
        waiting = await uow.unknown.by_numbers(f.number for f in facts)
        managers = {m.id: m for m in await uow.managers.list()}
        calls = await uow.calls.calls_by_key(_key(f.call) for f in facts)
        lang, now = self._language, self._clock.now()
        rows = []
        for fact in facts:
            entry, person = waiting.get(fact.number), managers.get(fact.manager_id)
            if entry is None or entry.status != "open" or person is None or not person.active:
                continue
            body = text(
                "who_was_it",
                lang,
                number=fact.number,
                when=fact.at.astimezone(self._zone).strftime("%d.%m %H:%M"),
            )
            call = calls.get(_key(fact.call))
            recorded = call.id if call is not None and call.recording_url else None
            buttons = [
                contact_row(fact.number, lang, can_call=self.can_call()),
                # To hear the talk again before saying who it was.
                *recording_row(self.recording_link(recorded), lang),
                triage_row(fact.number, lang),
            ]
            rows.append(
                outbox_row(
                    f"ask:{fact.call}:{person.id}", person, "triage", body, now=now, buttons=buttons
                )
            )
        await uow.outbox.enqueue(rows)


def _key(ref: str) -> tuple[str, str]:
    """(connector, vendor's call id) of a call reference ``connector:id``."""
    connector, _, call_id = ref.partition(":")
    return connector, call_id
