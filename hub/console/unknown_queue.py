"""What the unknown numbers page shows: the open numbers of a person's scope, oldest first, as
rows of names (not ids) with a signed link that plays the latest recording; the lists a number
may go to; the clients a search box finds among those the person sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.links import LINKS
from hub.domain.recordings import recording_path
from hub.domain.scope import Scope
from hub.services.scope import kept
from storage.models import UnknownNumber
from storage.uow import UnitOfWork

# The page shows this many numbers, the oldest first (the queue is read a batch at a time).
QUEUE_LIMIT = 100
# The search box lists at most this many clients.
CHOICES = 20


@dataclass(frozen=True, slots=True)
class QueueRow:
    number: str
    days: int
    hours: int
    calls: int
    first: str
    last: str
    managers: list[str]
    recording: str | None  # a signed path that plays the latest recording


@dataclass(frozen=True, slots=True)
class Choice:
    """A list a number may be moved to, or a client it may be linked to."""

    value: str
    label: str


async def queue_rows(request: web.Request, seen: Scope) -> tuple[list[QueueRow], list[Choice]]:
    """The open numbers ``seen`` covers (at most QUEUE_LIMIT, the oldest first) and the lists."""
    app = request.app
    now: datetime = app[CLOCK].now()
    zone = ZoneInfo(app[SETTINGS].company.timezone)
    async with UnitOfWork(app[SESSIONS], read_only=True) as uow:
        read = 0

        async def fetch(last: UnknownNumber | None, size: int) -> Sequence[UnknownNumber]:
            nonlocal read
            batch = await uow.unknown.page(limit=size, oldest_skip=read)
            read += len(batch)
            return batch

        keep = (
            None
            if seen.everything
            else (lambda u: seen.sees_unknown(u.manager_id, u.manager_ids or []))
        )
        found = (await kept(fetch, keep, QUEUE_LIMIT)).rows
        names = {m.id: m.name for m in await uow.managers.list()}
        # The recordings of his team's calls (and of nobody's), not another team's.
        recorded = await uow.calls.last_recorded(
            (u.number for u in found), managers=None if seen.everything else seen.team
        )
        lists = [Choice(lst.slug, lst.title) for lst in await uow.lists.all()]
    rows = []
    for entry in found:
        hours = int((now - entry.first_seen).total_seconds() // 3600)
        involved = [entry.manager_id, *(entry.manager_ids or [])]
        path = recording_path(recorded.get(entry.number))
        rows.append(
            QueueRow(
                number=entry.number,
                days=hours // 24,
                hours=hours % 24,
                calls=entry.calls,
                first=entry.first_seen.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                last=entry.last_seen.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                managers=list(dict.fromkeys(names[m] for m in involved if m in names)),
                recording=app[LINKS].signed(path) if path is not None else None,
            )
        )
    return rows, lists


async def client_choices(request: web.Request, seen: Scope, words: str) -> list[Choice]:
    """The clients ``seen`` covers whose name or phone holds ``words`` (two characters or more)."""
    words = words.strip()[:100]
    if len(words) < 2:
        return []
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found = [
            c for c in await uow.clients.search(words, limit=200) if seen.sees_client(c.manager_id)
        ]
        found = found[:CHOICES]
        phones = await uow.clients.phones_of(c.id for c in found)
    return [Choice(str(c.id), " · ".join([c.name, *phones.get(c.id, [])[:2]])) for c in found]
