"""What people are told when a callback case changes: outbox rows, in the fact's transaction.

A missed call goes to those chosen at the miss (``case.told``: the responsible manager and his
supervisor, a ring group, or the duty recipients); a repeat miss and the end of the case edit
those same messages (where the first never arrived, the sender sends the edit as a new message);
an escalation goes to the supervisors and every director. Every message carries the same buttons
(call, WhatsApp, card, close, triage), which survive the edits. Each row has a dedup key, so a
fact refolded or re-swept never sends twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from hub.domain.cases import CaseEvent, CaseFact, CaseRecord, is_active, may_close
from hub.domain.clock import Clock
from hub.domain.people import Role
from hub.runtime.pacing import paced
from notifications.buttons import case_buttons
from notifications.catalogue import Language, duration, text
from notifications.rows import HANDED_OVER, outbox_row
from storage.models import Client, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Audience:
    """Who the messages of some cases go to, with the names the texts need."""

    managers: dict[int, Manager]
    clients: dict[int, Client]
    directors: list[Manager]
    # Numbers that are on a list (not waiting for triage).
    listed: frozenset[str] = frozenset()
    # Per case: its last call that has a recording.
    recorded: dict[int, int] = field(default_factory=dict)


def told(case: CaseRecord, audience: Audience) -> list[Manager]:
    """Who hears about the case: those chosen at the miss (``case.told``), and the responsible
    manager's supervisor as he is now (one assigned after the first miss hears of the next)."""
    ids = list(case.told or [])
    responsible = audience.managers.get(case.manager_id or 0)
    if responsible is not None:
        ids = [responsible.id, *ids]
        if responsible.supervisor_id is not None:
            ids.append(responsible.supervisor_id)
    found = (audience.managers.get(i) for i in dict.fromkeys(ids))
    return [m for m in found if m is not None and m.active]


def _escalation_recipients(case: CaseRecord, audience: Audience) -> list[Manager]:
    """The supervisors among those told (the duty recipients when nobody was responsible),
    then every director; never the responsible manager himself."""
    responsible = audience.managers.get(case.manager_id or 0)
    if responsible is None:
        found = told(case, audience)
    else:
        boss = responsible.supervisor_id
        found = [
            m
            for m in told(case, audience)
            if m.id != responsible.id and (m.role != Role.MANAGER or m.id == boss)
        ]
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
        # Whether a PBX can start calls ("Позвонить" under the alerts); set once it is known.
        self.can_call: Callable[[], bool] = lambda: False
        # The signed link that plays a stored call's recording (None: no link to give).
        self.recording_link: Callable[[int | None], str | None] = lambda _: None

    def _who(self, case: CaseRecord, audience: Audience) -> str:
        client = audience.clients.get(case.client_id or 0)
        return client.name if client else text("unknown_number", self._language)

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%d.%m %H:%M")

    def _buttons(
        self, case: CaseRecord, audience: Audience, person: Manager
    ) -> list[list[dict[str, str]]]:
        """The buttons under a message about ``case`` to ``person``: «Перезвонил» only for
        those who may close it."""
        responsible = audience.managers.get(case.manager_id or 0)
        boss = responsible.supervisor_id if responsible is not None else None
        closes = may_close(person.role, person.id, case.manager_id, boss)
        return case_buttons(
            number=case.number,
            case_id=case.id,
            client_id=case.client_id,
            active=is_active(case.status) and closes,
            unknown=not case.client_id and case.number not in audience.listed,
            language=self._language,
            can_call=self.can_call(),
            recording=self.recording_link(audience.recorded.get(case.id)),
        )

    def _responsible_line(self, case: CaseRecord, audience: Audience) -> str:
        lang = self._language
        manager = audience.managers.get(case.manager_id or 0)
        if manager is None:
            return text("duty_line", lang) if case.responsible_reason == "duty" else ""
        why = case.responsible_reason
        reason = text(f"why_{why}", lang) if why and why != "duty" else ""
        return text("responsible_line", lang, manager=manager.name, reason=reason).rstrip(" ·")

    def _missed_text(self, case: CaseRecord, audience: Audience) -> str:
        body = text(
            "unanswered" if case.kind == "message" else "missed",
            self._language,
            who=self._who(case, audience),
            number=case.number,
            when=self._when(case.last_missed_at),
            count=case.missed_count,
        )
        line = self._responsible_line(case, audience)
        return f"{body}\n{line}" if line else body

    def _fact_rows(self, fact: CaseFact, audience: Audience, now: datetime) -> list[dict[str, Any]]:
        """The outbox rows of one fact: one for each person it is told to."""
        rows: list[dict[str, Any]] = []
        case = fact.case
        if fact.event is CaseEvent.ESCALATED:
            manager = audience.managers.get(case.manager_id or 0)
            body = text(
                "escalated_message" if case.kind == "message" else "escalated",
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
                        buttons=self._buttons(case, audience, person),
                    )
                )
            return rows
        audience_now = told(case, audience)
        if fact.event is CaseEvent.ASSIGNED and fact.previous is not None:
            rows += self._handed_rows(fact.previous, case, audience, audience_now, now)
        for person in audience_now:
            key = f"case:{case.id}:to:{person.id}"
            if fact.event is CaseEvent.OPENED:
                rows.append(
                    outbox_row(
                        f"case:{case.id}:opened:{person.id}",
                        person,
                        "missed",
                        self._missed_text(case, audience),
                        now=now,
                        buttons=self._buttons(case, audience, person),
                        message_key=key,
                    )
                )
            elif fact.event in (CaseEvent.REPEATED, CaseEvent.ASSIGNED):
                step = (
                    f"missed:{case.missed_count}"
                    if fact.event is CaseEvent.REPEATED
                    # Triage may move a case back and forth: each move is its own edit.
                    else f"assigned:{case.client_id}:{case.manager_id}:{now.isoformat()}"
                )
                rows.append(
                    outbox_row(
                        f"case:{case.id}:{step}:{person.id}",
                        person,
                        "missed",
                        self._missed_text(case, audience),
                        now=now,
                        buttons=self._buttons(case, audience, person),
                        edit_key=key,
                    )
                )
            elif fact.event in (CaseEvent.RETURNED, CaseEvent.CLOSED, CaseEvent.WITHDRAWN):
                rows.append(
                    outbox_row(
                        f"case:{case.id}:{fact.event}:{person.id}",
                        person,
                        str(fact.event),
                        self._final_text(fact, audience),
                        now=now,
                        buttons=self._buttons(case, audience, person),
                        edit_key=key,
                    )
                )
        return rows

    def _handed_rows(
        self,
        previous: int,
        case: CaseRecord,
        audience: Audience,
        told_now: list[Manager],
        now: datetime,
    ) -> list[dict[str, Any]]:
        """The edit of the alert of the manager a case was handed from (unless he still hears
        of it another way, as the new one's supervisor): whom it went to, without buttons."""
        person = audience.managers.get(previous)
        if person is None or not person.active or person in told_now:
            return []
        manager = audience.managers.get(case.manager_id or 0)
        body = text(
            "handed_over",
            self._language,
            manager=manager.name if manager else text("nobody", self._language),
            who=self._who(case, audience),
            number=case.number,
        )
        step = f"handed:{case.manager_id}:{now.isoformat()}"
        return [
            outbox_row(
                f"case:{case.id}:{step}:{person.id}",
                person,
                HANDED_OVER,
                body,
                now=now,
                edit_key=f"case:{case.id}:to:{person.id}",
            )
        ]

    def _final_text(self, fact: CaseFact, audience: Audience) -> str:
        case = fact.case
        who, lang = self._who(case, audience), self._language
        if fact.event is CaseEvent.WITHDRAWN:
            by = audience.managers.get(case.returned_by or 0)
            return text(
                "withdrawn",
                lang,
                who=who,
                number=case.number,
                by=by.name if by else text("someone", lang),
            )
        if fact.event is CaseEvent.RETURNED:
            by = audience.managers.get(case.returned_by or 0)
            after = (case.returned_at or case.first_missed_at) - case.first_missed_at
            return text(
                "answered" if case.kind == "message" else "returned",
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
        now = self._clock.now()
        # A pass that opened many cases renders their texts and buttons a few at a time.
        rows = [row async for fact in paced(facts) for row in self._fact_rows(fact, audience, now)]
        await uow.outbox.enqueue(rows)


async def load_audience(uow: UnitOfWork, cases: Sequence[CaseRecord]) -> Audience:
    managers = {m.id: m for m in await uow.managers.list()}
    clients = await uow.clients.many({c.client_id for c in cases if c.client_id})
    directors = [m for m in managers.values() if m.role == Role.DIRECTOR and m.active]
    unknown = {c.number for c in cases if not c.client_id}
    listed = frozenset(await uow.lists.memberships(unknown)) if unknown else frozenset()
    recorded = await uow.calls.recorded_for_cases({c.id for c in cases if c.id is not None})
    return Audience(
        managers=managers, clients=clients, directors=directors, listed=listed, recorded=recorded
    )
