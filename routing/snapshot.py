"""The directory as routing sees it: plain values in dictionaries, read without any I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub.domain.calendar import Calendar
from hub.domain.hours import WorkingHours


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagerView:
    id: int
    name: str
    role: str
    extension: str | None
    active: bool
    supervisor_id: int | None
    hours: WorkingHours | None = None
    mobile: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AbsenceView:
    manager_id: int
    starts_at: datetime
    ends_at: datetime
    substitute_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientView:
    id: int
    name: str
    manager_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListView:
    id: int
    slug: str
    title: str
    action: str
    target_extension: str | None
    target_manager_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StickyView:
    manager_id: int
    at: datetime


@dataclass(slots=True)
class DirectorySnapshot:
    """Everything a routing decision reads. Only the snapshot loader writes to it."""

    managers: dict[int, ManagerView] = field(default_factory=dict)
    absences: dict[int, tuple[AbsenceView, ...]] = field(default_factory=dict)
    clients: dict[int, ClientView] = field(default_factory=dict)
    client_by_phone: dict[str, int] = field(default_factory=dict)
    phones_by_client: dict[int, frozenset[str]] = field(default_factory=dict)
    lists: dict[int, ListView] = field(default_factory=dict)
    list_by_number: dict[str, int] = field(default_factory=dict)
    sticky: dict[str, StickyView] = field(default_factory=dict)
    extensions: dict[str, int] = field(default_factory=dict)
    # The company calendar: working hours are read against it (holidays, shortened days).
    calendar: Calendar = field(default_factory=Calendar)

    def set_client(self, client: ClientView | None, client_id: int, phones: frozenset[str]) -> None:
        """Replace one client's card and phones (``client=None``: the client is gone)."""
        for number in self.phones_by_client.pop(client_id, frozenset()):
            if self.client_by_phone.get(number) == client_id:
                del self.client_by_phone[number]
        self.clients.pop(client_id, None)
        if client is None:
            return
        self.clients[client_id] = client
        self.phones_by_client[client_id] = phones
        for number in phones:
            self.client_by_phone[number] = client_id

    def set_list_entry(self, number: str, list_id: int | None) -> None:
        if list_id is None:
            self.list_by_number.pop(number, None)
        else:
            self.list_by_number[number] = list_id

    def set_managers(
        self, managers: dict[int, ManagerView], absences: dict[int, tuple[AbsenceView, ...]]
    ) -> None:
        self.managers = managers
        self.absences = absences
        self.extensions = {m.extension: m.id for m in managers.values() if m.extension}

    def note_talk(self, number: str, manager_id: int, at: datetime) -> None:
        current = self.sticky.get(number)
        if current is None or current.at <= at:
            self.sticky[number] = StickyView(manager_id=manager_id, at=at)
