"""Keeps the routing snapshot in step with the database.

The whole directory is loaded at start. After that every change to it is found through the audit
log (each directory change writes an audit row in its own transaction), so this instance's own
API writes and another instance's writes reach the snapshot the same way: read the audit rows
after the last one seen and reload just the entities they name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.clock import Clock
from hub.domain.hours import HoursError, parse_hours
from routing.snapshot import (
    AbsenceView,
    ClientView,
    DirectorySnapshot,
    ListView,
    ManagerView,
)
from storage.db import SessionFactory, reading
from storage.models import AuditEntry, Manager, NumberList
from storage.repositories.audit import AuditRepository
from storage.repositories.directory import DirectoryRepository
from storage.repositories.managers import ManagerRepository
from storage.repositories.unknown import UnknownNumberRepository

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


class DirectoryCache:
    """The snapshot plus the bookkeeping to keep it fresh."""

    def __init__(
        self,
        factory: SessionFactory,
        clock: Clock,
        sticky_window: timedelta,
        *,
        refresh_interval: float = 2.0,
    ) -> None:
        self._factory = factory
        self._clock = clock
        self._sticky_window = sticky_window
        # How often the service looks for other instances' changes (see hub/bootstrap).
        self.refresh_interval = refresh_interval
        self._lock = asyncio.Lock()
        self._last_audit_id = 0
        self.snapshot = DirectorySnapshot()

    async def load_all(self) -> None:
        """Build a fresh snapshot and swap it in whole."""
        async with self._lock, self._factory() as session:
            await reading(session)
            last_id = await AuditRepository(session).last_id()
            fresh = DirectorySnapshot()
            await self._load_managers(session, fresh, self._clock.now())
            await self._load_lists(session, fresh)
            directory = DirectoryRepository(session)
            for cid, name, manager_id in await directory.clients():
                fresh.clients[cid] = ClientView(id=cid, name=name, manager_id=manager_id)
            phones: dict[int, set[str]] = {}
            for cid, number in await directory.client_phones():
                phones.setdefault(cid, set()).add(number)
                fresh.client_by_phone[number] = cid
            fresh.phones_by_client = {cid: frozenset(nums) for cid, nums in phones.items()}
            fresh.list_by_number = await directory.list_entries()
            since = self._clock.now() - self._sticky_window
            for number, manager_id, at in await UnknownNumberRepository(session).sticky(since):
                fresh.note_talk(number, manager_id, at)
            self.snapshot = fresh
            self._last_audit_id = last_id

    async def catch_up(self) -> int:
        """Apply every directory change committed since the last look; returns how many."""
        async with self._lock, self._factory() as session:
            await reading(session)
            entries = await AuditRepository(session).since(self._last_audit_id)
            if not entries:
                return 0
            await self._apply(session, entries)
            self._last_audit_id = entries[-1].id
            return len(entries)

    async def _apply(self, session: AsyncSession, entries: Iterable[AuditEntry]) -> None:
        kinds = {entry.entity for entry in entries}
        if kinds & {"manager", "absence"}:
            await self._load_managers(session, self.snapshot, self._clock.now())
        if "list" in kinds:
            await self._load_lists(session, self.snapshot)
        for entry in entries:
            if entry.entity == "client":
                await self._refresh_client(session, int(entry.entity_id))
            elif entry.entity == "list_entry":
                found = await DirectoryRepository(session).list_of(entry.entity_id)
                self.snapshot.set_list_entry(entry.entity_id, found)

    async def _refresh_client(self, session: AsyncSession, client_id: int) -> None:
        directory = DirectoryRepository(session)
        client = await directory.client(client_id)
        if client is None:
            self.snapshot.set_client(None, client_id, frozenset())
            return
        numbers = await directory.numbers_of(client_id)
        self.snapshot.set_client(
            ClientView(id=client.id, name=client.name, manager_id=client.manager_id),
            client_id,
            frozenset(numbers),
        )

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
