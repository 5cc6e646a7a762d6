"""What people are told when a callback case changes: outbox rows, in the fact's transaction.

A missed call goes to the responsible manager and his supervisor; a repeat miss and the return
edit those same messages; an escalation goes to the supervisor and every director. Each row has a
dedup key, so a fact refolded or re-swept never sends twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from hub.domain.cases import CaseEvent, CaseFact, CaseRecord
from hub.domain.clock import Clock
from hub.domain.people import Role
from notifications.catalogue import Language, duration, text
from notifications.rows import outbox_row
from storage.models import Client, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Audience:
    """Who the messages of one case go to, with the names the texts need."""

    managers: dict[int, Manager]
    clients: dict[int, Client]
    directors: list[Manager]


def _recipients(case: CaseRecord, audience: Audience) -> list[Manager]:
    found: list[Manager] = []
    manager = audience.managers.get(case.manager_id or 0)
    if manager is not None:
        found.append(manager)
        boss = audience.managers.get(manager.supervisor_id or 0)
        if boss is not None:
            found.append(boss)
    return found


def _escalation_recipients(case: CaseRecord, audience: Audience) -> list[Manager]:
    found = _recipients(case, audience)[1:]  # the supervisor, if there is one
    found += [d for d in audience.directors if d.id not in {m.id for m in found}]
    return found


class Alerts:
    """Turns case facts into outbox rows."""

    def __init__(
        self, language: Language, zone: tzinfo, escalation_after_seconds: float, clock: Clock
    ) -> None:
        self._clock = clock
        self._language = language
        self._zone = zone
        self._after = escalation_after_seconds

    def _who(self, case: CaseRecord, audience: Audience) -> str:
        client = audience.clients.get(case.client_id or 0)
        return client.name if client else text("unknown_number", self._language)

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%d.%m %H:%M")

    def _buttons(self, case: CaseRecord) -> list[list[dict[str, str]]]:
        lang = self._language
        row: list[dict[str, str]] = [
            {"text": text("button_whatsapp", lang), "url": f"https://wa.me/{case.number[1:]}"}
        ]
        if case.client_id:
            row.append(
                {"text": text("button_card", lang), "callback_data": f"card:{case.client_id}"}
            )
        row.append({"text": text("button_called_back", lang), "callback_data": f"close:{case.id}"})
        return [row]

    def _missed_text(self, case: CaseRecord, audience: Audience) -> str:
        return text(
            "missed",
            self._language,
            who=self._who(case, audience),
            number=case.number,
            when=self._when(case.last_missed_at),
            count=case.missed_count,
        )

    def rows(self, facts: Sequence[CaseFact], audience: Audience) -> list[dict[str, Any]]:
        now = self._clock.now()
        rows: list[dict[str, Any]] = []
        for fact in facts:
            case = fact.case
            if fact.event is CaseEvent.ESCALATED:
                manager = audience.managers.get(case.manager_id or 0)
                body = text(
                    "escalated",
                    self._language,
                    after=duration(self._after, self._language),
                    who=self._who(case, audience),
                    number=case.number,
                    when=self._when(case.first_missed_at),
                    count=case.missed_count,
                    manager=manager.name if manager else text("nobody", self._language),
                )
                for person in _escalation_recipients(case, audience):
                    rows.append(
                        outbox_row(
                            f"case:{case.id}:escalated:{person.id}",
                            person,
                            "escalation",
                            body,
                            now=now,
                        )
                    )
                continue
            for person in _recipients(case, audience):
                key = f"case:{case.id}:to:{person.id}"
                if fact.event is CaseEvent.OPENED:
                    rows.append(
                        outbox_row(
                            f"case:{case.id}:opened:{person.id}",
                            person,
                            "missed",
                            self._missed_text(case, audience),
                            now=now,
                            buttons=self._buttons(case),
                            message_key=key,
                        )
                    )
                elif fact.event is CaseEvent.REPEATED:
                    rows.append(
                        outbox_row(
                            f"case:{case.id}:missed:{case.missed_count}:{person.id}",
                            person,
                            "missed",
                            self._missed_text(case, audience),
                            now=now,
                            buttons=self._buttons(case),
                            edit_key=key,
                        )
                    )
                elif fact.event in (CaseEvent.RETURNED, CaseEvent.CLOSED):
                    rows.append(
                        outbox_row(
                            f"case:{case.id}:{fact.event}:{person.id}",
                            person,
                            str(fact.event),
                            self._final_text(fact, audience),
                            now=now,
                            edit_key=key,
                        )
                    )
        return rows

    def _final_text(self, fact: CaseFact, audience: Audience) -> str:
        case = fact.case
        who, lang = self._who(case, audience), self._language
        if fact.event is CaseEvent.RETURNED:
            by = audience.managers.get(case.returned_by or 0)
            after = (case.returned_at or case.first_missed_at) - case.first_missed_at
            return text(
                "returned",
                lang,
                who=who,
                number=case.number,
                by=by.name if by else text("someone", lang),
                after=duration(after.total_seconds(), lang),
            )
        return text(
            "closed",
            lang,
            who=who,
            number=case.number,
            by=case.closed_by or "",
            reason=case.close_reason or "",
        )

    async def react(self, uow: UnitOfWork, facts: Sequence[CaseFact]) -> None:
        """Write the outbox rows for ``facts`` in the caller's transaction."""
        if not facts:
            return
        audience = await load_audience(uow, [f.case for f in facts])
        await uow.outbox.enqueue(self.rows(facts, audience))


async def load_audience(uow: UnitOfWork, cases: Sequence[CaseRecord]) -> Audience:
    managers = {m.id: m for m in await uow.managers.list()}
    client_ids = {c.client_id for c in cases if c.client_id}
    clients = {cid: c for cid in client_ids if (c := await uow.clients.get(cid)) is not None}
    directors = [m for m in managers.values() if m.role == Role.DIRECTOR and m.active]
    return Audience(managers=managers, clients=clients, directors=directors)
