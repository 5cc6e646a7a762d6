"""Keeps the routing snapshot in step with the database, on every instance.

The whole directory is loaded at start. After that two feeds carry every change (this instance's
own and every other instance's alike): the audit log (each directory change writes audit rows in
its transaction) and the talk log (each answered call with a number that is nobody's writes who
talked to it, in the fold's transaction — the sticky routing facts). A look reads both.

* **No gap, whatever the commit order.** Ids are drawn at insert and committed in another order
  on PostgreSQL, so a feed is followed with gap tracking (``hub/services/change_feed.py``): ids
  not seen below the newest are read again until every transaction that could still hold them
  has ended (PostgreSQL's own snapshot says when). Chosen over a sequence taken under a lock at
  commit (which would make every directory write, and the import, wait for each other) and
  over LISTEN/NOTIFY (a connection per instance to keep, and a reload after each loss of it):
  the writers are unchanged and the cost is one indexed range read per open gap per look.
* **Volume in one step.** A look applies every waiting change at once, a few multi-row reads
  per 500 entities; when more than ``RELOAD_ABOVE`` changes wait (a bulk import), or the
  changes laid over the loaded columns (``routing/snapshot.py``) outnumber an eighth of the
  clients, it loads the snapshot whole instead (about 6 s for a million clients on a quiet
  machine) and swaps it in.
* Every ``full_reload_interval`` the snapshot is loaded whole anyway (``hub/bootstrap``), and the
  talk log is trimmed to the sticky window.
* **Never a stall.** The service answers while it loads: a whole load reads its tables as
  streams and builds from one partition of ``LOAD_CHUNK`` rows at a time, letting the event
  loop run between two (a millisecond or so each); the feeds are read a page at a time, and
  changes are applied a chunk at a time. Routing reads the current snapshot until the new one is
  complete.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.clock import Clock
from hub.domain.facts import CallTalked
from hub.domain.hours import HoursError, parse_hours
from hub.services.calendar import stored_days
from hub.services.change_feed import FeedCursor
from routing.snapshot import (
    AbsenceView,
    ClientColumnsBuilder,
    Clients,
    ClientView,
    DirectorySnapshot,
    ListView,
    ManagerView,
)
from storage.db import SessionFactory, reading
from storage.models import Manager, NumberList
from storage.repositories.calendar import CalendarRepository
from storage.repositories.directory import CHUNK, LOAD_CHUNK, DirectoryRepository
from storage.repositories.feeds import (
    FeedRepository,
    TalkLogRepository,
    audit_feed,
    horizon,
    talk_feed,
)
from storage.repositories.managers import ManagerRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def manager_snapshot(manager: Manager) -> ManagerView:
    hours = None
    if manager.working_hours:
        try:
            hours = parse_hours(manager.working_hours, manager.timezone or "UTC")
        except (HoursError, ValueError) as exc:
            log.warning("manager %s: working hours ignored: %s", manager.id, exc)
    return ManagerView(
        id=manager.id,
        name=manager.name,
        role=manager.role,
        extension=manager.extension,
        active=manager.active,
        supervisor_id=manager.supervisor_id,
        hours=hours,
        mobile=manager.mobile,
    )


def list_snapshot(number_list: NumberList) -> ListView:
    return ListView(
        id=number_list.id,
        slug=number_list.slug,
        title=number_list.title,
        action=number_list.action,
        target_extension=number_list.target_extension,
        target_manager_id=number_list.target_manager_id,
    )


# More changes than this waiting at a look: load the snapshot whole rather than change by change.
RELOAD_ABOVE = 10_000
# At start, ids this far below the newest are checked for gaps (transactions still running then).
START_TAIL = 50_000
# Feed rows (or ids) per read.
FEED_PAGE = 1_000


async def record_talks(uow: UnitOfWork, talks: Sequence[CallTalked]) -> None:
    """Within the fold's transaction: put the talks on the feed every instance follows."""
    log_ = TalkLogRepository(uow.session)
    for talk in talks:
        log_.add(talk.number, talk.manager_id, talk.at)


class DirectoryCache:
    """The snapshot plus the bookkeeping to keep it fresh."""

    def __init__(
        self,
        factory: SessionFactory,
        clock: Clock,
        sticky_window: timedelta,
        *,
        refresh_interval: float = 2.0,
        calendar: Calendar = ORDINARY,
        load_chunk: int = LOAD_CHUNK,
    ) -> None:
        self._factory = factory
        # Rows built between two turns of the event loop when the snapshot is loaded whole.
        self._chunk = load_chunk
        # The configured calendar; the database's days are written over it.
        self._calendar = calendar
        self._clock = clock
        self._sticky_window = sticky_window
        # How often the service looks for other instances' changes (see hub/bootstrap).
        self.refresh_interval = refresh_interval
        self._lock = asyncio.Lock()
        self._changes = FeedCursor()
        self._talks = FeedCursor()
        self._loaded = False
        self.snapshot = DirectorySnapshot()

    async def load_all(self) -> None:
        """Build a fresh snapshot and swap it in whole."""
        async with self._lock, self._factory() as session:
            await reading(session)
            h = await horizon(session)
            oldest = (self._changes.look(h), self._talks.look(h))
            await self._load_all(session)
            self._changes.settle(oldest[0])
            self._talks.settle(oldest[1])

    async def catch_up(self) -> int:
        """Apply every change committed since the last look; returns how many."""
        async with self._lock, self._factory() as session:
            await reading(session)
            h = await horizon(session)
            oldest = (self._changes.look(h), self._talks.look(h))
            changes, talks = audit_feed(session), talk_feed(session)
            waiting = (await changes.newest() - self._changes.top) + (
                await talks.newest() - self._talks.top
            )
            applied = 0
            # Changes are laid over the loaded columns: once they are many, a whole load
            # (which folds them in) costs less memory than keeping them.
            clients = self.snapshot.clients
            overgrown = clients.changed > max(RELOAD_ABOVE, len(clients) // 8)
            if waiting <= RELOAD_ABOVE and not overgrown:
                found = await _read(changes, self._changes)
                found_talks = await _read(talks, self._talks)
                if found is not None and found_talks is not None:
                    await self._apply(session, found)
                    await self._apply_talks(found_talks)
                    applied = len(found) + len(found_talks)
                    waiting = -1
            if waiting >= 0:
                await self._load_all(session)
                applied = waiting
            self._changes.settle(oldest[0])
            self._talks.settle(oldest[1])
            return applied

    async def forget_old_talks(self) -> int:
        """Trim the talk log to the sticky window (older talks route nothing)."""
        async with UnitOfWork(self._factory) as uow:
            gone = await TalkLogRepository(uow.session).forget_before(
                self._clock.now() - self._sticky_window - timedelta(days=1)
            )
            await uow.commit()
        return gone

    async def _load_all(self, session: AsyncSession) -> None:
        # The feeds are accounted for first: a change committed after that is read again.
        await _account(audit_feed(session), self._changes, first=not self._loaded)
        await _account(talk_feed(session), self._talks, first=not self._loaded)
        fresh = DirectorySnapshot()
        fresh.calendar = await self._read_calendar(session)
        await self._load_managers(session, fresh, self._clock.now())
        await self._load_lists(session, fresh)
        directory = DirectoryRepository(session)
        # Built a partition at a time, the loop serving requests (from the current snapshot)
        # between two; swapped in whole at the end.
        columns = ClientColumnsBuilder()
        async for cards in directory.client_cards(self._chunk):
            columns.add_clients(cards)
            await asyncio.sleep(0)
        async for phones in directory.client_numbers(self._chunk):
            columns.add_phones(phones)
            await asyncio.sleep(0)
        fresh.clients = Clients(columns.build())
        async for entries in directory.list_entries(self._chunk):
            fresh.list_by_number.update((number, list_id) for number, list_id in entries)
            await asyncio.sleep(0)
        since = self._clock.now() - self._sticky_window
        async for talks in directory.talked_numbers(since, self._chunk):
            for number, manager_id, at in talks:
                if manager_id is not None and at is not None:
                    fresh.note_talk(number, manager_id, at)
            await asyncio.sleep(0)
        self.snapshot = fresh
        self._loaded = True

    async def _apply(self, session: AsyncSession, entries: Sequence[tuple[Any, ...]]) -> None:
        kinds = {entity for _, entity, _ in entries}
        if "calendar" in kinds:
            self.snapshot.calendar = await self._read_calendar(session)
        if kinds & {"manager", "absence"}:
            await self._load_managers(session, self.snapshot, self._clock.now())
        if "list" in kinds:
            await self._load_lists(session, self.snapshot)
        client_ids = sorted({int(key) for _, entity, key in entries if entity == "client"})
        numbers = sorted({key for _, entity, key in entries if entity == "list_entry"})
        directory = DirectoryRepository(session)
        # A chunk of changes read, then applied, at a time (the reads let the loop serve).
        for start in range(0, len(client_ids), CHUNK):
            part = client_ids[start : start + CHUNK]
            cards = {cid: (name, mid) for cid, name, mid in await directory.clients_in(part)}
            phones: dict[int, set[str]] = {}
            for cid, number in await directory.phones_in(part):
                phones.setdefault(cid, set()).add(number)
            for cid in part:
                card = cards.get(cid)
                view = None
                if card is not None:
                    view = ClientView(id=cid, name=card[0], manager_id=card[1])
                self.snapshot.set_client(view, cid, frozenset(phones.get(cid, ())))
        for start in range(0, len(numbers), CHUNK):
            entries_part = numbers[start : start + CHUNK]
            listed = await directory.lists_of(entries_part)
            for number in entries_part:
                self.snapshot.set_list_entry(number, listed.get(number))

    async def _read_calendar(self, session: AsyncSession) -> Calendar:
        return self._calendar.merged(await stored_days(CalendarRepository(session)))

    async def _apply_talks(self, talks: Sequence[tuple[Any, ...]]) -> None:
        for start in range(0, len(talks), CHUNK):
            if start:
                await asyncio.sleep(0)
            for _, number, manager_id, at in talks[start : start + CHUNK]:
                self.snapshot.note_talk(number, manager_id, at)

    @staticmethod
    async def _load_managers(
        session: AsyncSession, snapshot: DirectorySnapshot, now: datetime
    ) -> None:
        repo = ManagerRepository(session)
        managers = {m.id: manager_snapshot(m) for m in await repo.list()}
        absences: dict[int, list[AbsenceView]] = {}
        for absence in await repo.absences_touching(now - timedelta(days=1)):
            absences.setdefault(absence.manager_id, []).append(
                AbsenceView(
                    manager_id=absence.manager_id,
                    starts_at=absence.starts_at,
                    ends_at=absence.ends_at,
                    substitute_id=absence.substitute_id,
                )
            )
        snapshot.set_managers(managers, {k: tuple(v) for k, v in absences.items()})

    @staticmethod
    async def _load_lists(session: AsyncSession, snapshot: DirectorySnapshot) -> None:
        rows = await DirectoryRepository(session).lists()
        snapshot.lists = {lst.id: list_snapshot(lst) for lst in rows}


async def _read(feed: FeedRepository, cursor: FeedCursor) -> list[tuple[Any, ...]] | None:
    """The rows in the cursor's gaps and above its top, accounted for; ``None`` when there are
    more than ``RELOAD_ABOVE`` (the caller loads whole, which accounts for them)."""
    rows = list(await feed.within(cursor.ranges())) if cursor.gaps else []
    last = cursor.top
    while len(rows) <= RELOAD_ABOVE:
        limit = min(FEED_PAGE, RELOAD_ABOVE + 1 - len(rows))
        page = await feed.after(last, limit)
        rows += page
        if len(page) < limit:
            break
        last = page[-1][0]
    if len(rows) > RELOAD_ABOVE:
        return None
    above = [row[0] for row in rows if row[0] > cursor.top]
    cursor.saw((row[0] for row in rows), max(above, default=cursor.top))
    return rows


async def _account(feed: FeedRepository, cursor: FeedCursor, *, first: bool) -> None:
    """Before a whole load: every id visible now is in it; the rest below the newest are gaps.
    Read a page of ids at a time (after an import there may be a million)."""
    newest = await feed.newest()
    if first:
        cursor.top = max(0, newest - START_TAIL)
    if cursor.gaps:
        cursor.saw([row[0] for row in await feed.within(cursor.ranges())], cursor.top)
    while cursor.top < newest:
        high = min(cursor.top + FEED_PAGE, newest)
        cursor.saw(await feed.ids_between(cursor.top + 1, high), high)
