"""Every Monday, each manager's forgotten clients: nobody has talked to them for
``clients.forgotten_after``.

One message per manager with forgotten clients, the longest forgotten first, and under it a row
of buttons per client: WhatsApp for his first number, and «📞 Позвонить» (``call:<E.164>``, the
click-to-call button). Written once per manager and Monday (the outbox key names both), at the
digest time in the company's zone, however often or wherever the job runs that day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub.domain.digest import is_due
from hub.domain.forgotten import ForgottenClient, ForgottenTally
from notifications.buttons import call, whatsapp
from notifications.catalogue import Language, text
from notifications.rows import outbox_row
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
KIND = "forgotten"
# Telegram takes at most 100 buttons under a message; two per client.
MAX_LISTED = 40
# Telegram's limit on a button's text is generous, a phone screen's is not.
MAX_NAME = 32


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def forgotten_message(
    clients: Sequence[ForgottenClient],
    phones: dict[int, str],
    after: timedelta,
    zone: ZoneInfo,
    language: Language,
    *,
    can_call: bool = True,
    count: int | None = None,
) -> tuple[str, list[list[dict[str, str]]]]:
    """The list's text and its buttons (rows of ``{"text", "url" | "callback_data"}``); «📞
    Позвонить» only when a PBX can place calls. ``clients``: the longest forgotten first, at
    least the MAX_LISTED the list shows; ``count``: how many there are in all (all of
    ``clients`` when not given)."""
    count = len(clients) if count is None else count
    lines = [text("forgotten_title", language, count=count, days=after.days)]
    buttons: list[list[dict[str, str]]] = []
    for index, client in enumerate(clients[:MAX_LISTED], start=1):
        values: dict[str, object] = {"index": index, "name": client.name, "days": client.days}
        if client.last_contact is None:
            lines.append(text("forgotten_line_never", language, **values))
        else:
            when = client.last_contact.astimezone(zone).strftime("%d.%m.%Y")
            lines.append(text("forgotten_line", language, when=when, **values))
        number = phones.get(client.client_id)
        if number is not None:
            label = text("forgotten_whatsapp", language, index=index, name=_short(client.name))
            row = [whatsapp(number, language, label)]
            buttons.append([*row, call(number, language)] if can_call else row)
    if count > MAX_LISTED:
        lines.append(text("list_more", language, count=count - MAX_LISTED))
    return "\n".join(lines), buttons


class ForgottenLists:
    def __init__(
        self,
        factory: SessionFactory,
        *,
        at: time,
        zone: ZoneInfo,
        after: timedelta,
        language: Language,
        can_call: Callable[[], bool] = lambda: True,
    ) -> None:
        self._factory = factory
        self._can_call = can_call
        self._at = at
        self._zone = zone
        self._after = after
        self._language: Language = language

    async def run(self, now: datetime) -> int:
        """On Mondays from the digest time, write each manager's list; returns how many were
        new (0 on other days, or when written already, by this instance or another)."""
        local = now.astimezone(self._zone)
        if local.weekday() != 0 or not is_due(now, self._at, self._zone):
            return 0
        # Read without SQLite's one write lock (every client is read), then write the lists in a
        # short transaction of their own: the outbox's keys make a repeated run write nothing.
        # Each manager's count and the clients his list shows, kept as the pages go by.
        tally = ForgottenTally(now, self._after, MAX_LISTED)
        async with UnitOfWork(self._factory, read_only=True) as uow:
            people = list(await uow.managers.list(active=True))
            async for page in uow.reports.client_contact_pages([p.id for p in people]):
                tally.add(page)
            shown = {p.id: tally.oldest(p.id) for p in people if tally.counts.get(p.id)}
            # Numbers only for the clients a list shows.
            phones = await uow.reports.first_phones(
                {c.client_id for mine in shown.values() for c in mine}
            )
        monday = local.date().isoformat()
        rows = [
            self._row(person, shown[person.id], tally.counts[person.id], phones, monday, now)
            for person in people
            if person.id in shown
        ]
        if not rows:
            return 0
        async with UnitOfWork(self._factory) as uow:
            written = await uow.outbox.enqueue(rows)
            await uow.commit()
        if written:
            log.info("%d list(s) of forgotten clients queued", written)
        return written

    def _row(
        self,
        person: Manager,
        clients: list[ForgottenClient],
        count: int,
        phones: dict[int, str],
        monday: str,
        now: datetime,
    ) -> dict[str, Any]:
        body, buttons = forgotten_message(
            clients,
            phones,
            self._after,
            self._zone,
            self._language,
            can_call=self._can_call(),
            count=count,
        )
        key = f"report:forgotten:{monday}:{person.id}"
        return outbox_row(key, person, KIND, body, now=now, buttons=buttons or None)
