"""The screen pop: as a call is routed to a manager, tell him who is calling.

Written in the writer's transaction together with the routing decision that caused it: client
name, status, personal manager, the last contact and its outcome, and an open callback case.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from notifications.catalogue import Language, text
from notifications.rows import outbox_row
from storage.types import utcnow
from storage.uow import UnitOfWork


class ScreenPop:
    def __init__(self, language: Language, zone: tzinfo) -> None:
        self._language = language
        self._zone = zone

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%d.%m %H:%M")

    async def react(self, uow: UnitOfWork, decisions: list[dict[str, Any]]) -> None:
        wanted = [
            d
            for d in decisions
            if d["target"].get("manager_id") and str(d["caller"]).startswith("+")
        ]
        if not wanted:
            return
        lang, now = self._language, utcnow()
        managers = {m.id: m for m in await uow.managers.list()}
        numbers = {d["caller"] for d in wanted}
        owners = await uow.clients.owners(numbers)
        cases = await uow.cases.active_for(numbers)
        rows = []
        for decision in wanted:
            person = managers.get(decision["target"]["manager_id"])
            if person is None:
                continue
            number = decision["caller"]
            client = await uow.clients.get(owners[number]) if number in owners else None
            owner = managers.get(client.manager_id or 0) if client else None
            last_calls = await uow.calls.page(numbers=[number], limit=1)
            last = (
                f"{self._when(last_calls[0].started_at)}, {last_calls[0].outcome or '…'}"
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
            rows.append(outbox_row(key, person, "screen_pop", body, now=now))
        await uow.outbox.enqueue(rows)
