"""The directory as routing sees it: plain values read without any I/O.

Clients are nearly all of it, and a million of them is a size to plan for, so they are not an
object each. The loader packs them into columns (``ClientColumns``): ids, manager ids and where
each UTF-8 name ends in ``array``s of 32-bit numbers (64 once a value does not fit), the names in
one byte string, the phone numbers as 64-bit keys sorted for a binary search, each with its
client's id. That is 24 bytes a client and its name, where a card object, a frozenset of phones
and three dictionaries' entries took about 700; and a few objects instead of millions, which
also leaves the cyclic garbage collector nothing to walk. A card is made when routing asks for
it. Changes applied after the load (``Clients.set``, from the audit log) go into small
dictionaries laid over the columns, until the next full load builds new columns and drops them.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, islice
from operator import lt
from typing import Any

from hub.domain.calendar import Calendar
from hub.domain.hours import WorkingHours
from routing.memo import OwnerDecisions


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


# A client without a personal manager, in the manager column (ids are never this low).
NO_MANAGER = -(2**31)
# A newline-separated run of numbers of the E.164 shape.
_E164 = r"\+[1-9][0-9]{0,14}"
_NUMBERS = re.compile(rf"(?:{_E164}\n)*{_E164}")


def _manager_column(card: ClientView | None) -> int | None:
    """A card's manager as the manager column holds it (NO_MANAGER: none); None: no card."""
    if card is None:
        return None
    return NO_MANAGER if card.manager_id is None else card.manager_id


def phone_key(number: str) -> int:
    """The number as a 64-bit key, for a number of the E.164 shape ("+", a digit other than 0,
    up to 14 more); -1 for any other text. Keys sort as the numbers do by length, then as
    strings (``ClientColumnsBuilder.add_phones`` takes them in that order)."""
    digits = number[1:]
    if (
        number[:1] == "+"
        and 0 < len(digits) <= 15
        and digits.isascii()
        and digits.isdigit()
        and digits[0] != "0"
    ):
        return int(digits)
    return -1


class ClientColumns:
    """Every client's card and phones as one load read them, packed (see the module)."""

    __slots__ = ("_ids", "_keys", "_late", "_managers", "_name_ends", "_names", "_odd", "_owners")

    def __init__(
        self,
        ids: array[int] | None = None,
        managers: array[int] | None = None,
        name_ends: array[int] | None = None,
        names: bytes | bytearray = b"",
        keys: array[int] | None = None,
        owners: array[int] | None = None,
        *,
        late: dict[int, ClientView] | None = None,
        odd: dict[str, int] | None = None,
    ) -> None:
        # Sorted by id; a client read out of order is in ``late`` instead.
        self._ids = ids if ids is not None else array("i")
        self._managers = managers if managers is not None else array("i")
        self._name_ends = name_ends if name_ends is not None else array("i")
        self._names = names
        self._late = late or {}
        # Sorted by key, each with its client's id; a number without a key (or read out of
        # order) is in ``odd`` instead.
        self._keys = keys if keys is not None else array("q")
        self._owners = owners if owners is not None else array("i")
        self._odd = odd or {}

    def __len__(self) -> int:
        return len(self._ids) + len(self._late)

    def _position(self, client_id: int) -> int:
        """Where ``client_id`` is in the id column, or -1. Ids rise by at least one a row, so
        the search is narrowed to the rows it can be in: one when ids have no holes."""
        ids = self._ids
        count = len(ids)
        if not count:
            return -1
        low = max(0, count - 1 - (ids[-1] - client_id))
        high = min(count, client_id - ids[0] + 1)
        if low >= high:
            return -1
        at = bisect.bisect_left(ids, client_id, low, high)
        return at if at < high and ids[at] == client_id else -1

    def card(self, client_id: int) -> ClientView | None:
        at = self._position(client_id)
        if at < 0:
            return self._late.get(client_id)
        manager = self._managers[at]
        return ClientView(
            id=client_id,
            name=self._names[self._name_ends[at - 1] if at else 0 : self._name_ends[at]].decode(),
            manager_id=None if manager == NO_MANAGER else manager,
        )

    def manager(self, client_id: int) -> int | None:
        """The client's personal manager's id; NO_MANAGER without one; None: no such client."""
        at = self._position(client_id)
        if at >= 0:
            return self._managers[at]
        return _manager_column(self._late.get(client_id))

    def has(self, client_id: int) -> bool:
        return self._position(client_id) >= 0 or client_id in self._late

    def owner(self, number: str) -> int | None:
        """The id of the client whose phone ``number`` is."""
        key = phone_key(number)
        if key >= 0:
            keys = self._keys
            at = bisect.bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                return self._owners[at]
        return self._odd.get(number)

    def ids(self) -> Iterator[int]:
        yield from self._ids
        yield from self._late

    def numbers(self) -> Iterator[tuple[str, int]]:
        yield from zip((f"+{key}" for key in self._keys), self._owners, strict=True)
        yield from self._odd.items()


def _rising(values: Sequence[int]) -> bool:
    """Is each value above the one before?"""
    return all(map(lt, values, islice(values, 1, None)))


def _extend(column: array[int], values: Sequence[int]) -> array[int]:
    """``column`` with ``values`` appended: 32-bit numbers until one does not fit, 64 after."""
    size = len(column)
    try:
        column.extend(values)
    except OverflowError:
        del column[size:]
        column = array("q", column)
        column.extend(values)
    return column


class ClientColumnsBuilder:
    """Packs rows into ``ClientColumns``, a chunk at a time. Any order is right; rows in order
    (clients by id, phones by the length of the number, then the number) are packed fastest, a
    chunk by a few calls in C, and the rest one by one."""

    def __init__(self) -> None:
        self._ids = array("i")
        self._managers = array("i")
        self._name_ends = array("i")
        self._names = bytearray()
        self._late: dict[int, ClientView] = {}
        self._keys = array("q")
        self._owners = array("i")
        self._odd: dict[str, int] = {}

    def add_clients(self, rows: Sequence[Sequence[Any]]) -> None:
        """(id, name, manager id) rows."""
        if not rows:
            return
        ids, names, managers = zip(*rows, strict=True)
        last = self._ids[-1] if self._ids else None
        if (last is None or ids[0] > last) and _rising(ids):
            encoded = [name.encode() for name in names]
            ends = list(islice(accumulate(map(len, encoded), initial=len(self._names)), 1, None))
            self._ids = _extend(self._ids, ids)
            self._managers = _extend(
                self._managers, [NO_MANAGER if m is None else m for m in managers]
            )
            self._name_ends = _extend(self._name_ends, ends)
            self._names += b"".join(encoded)
            return
        for client_id, name, manager_id in rows:
            if last is None or client_id > last:
                self.add_clients([(client_id, name, manager_id)])
                last = client_id
            else:
                self._late[client_id] = ClientView(id=client_id, name=name, manager_id=manager_id)

    def add_phones(self, rows: Sequence[Sequence[Any]]) -> None:
        """(number, client id) rows."""
        if not rows:
            return
        numbers, owners = zip(*rows, strict=True)
        last = self._keys[-1] if self._keys else -1
        if _NUMBERS.fullmatch("\n".join(numbers)):
            found = list(map(int, numbers))
            if found[0] > last and _rising(found):
                self._keys.extend(found)
                self._owners = _extend(self._owners, owners)
                return
        keys: list[int] = []
        kept: list[int] = []
        for number, client_id in rows:
            key = phone_key(number)
            if key > last:
                keys.append(key)
                kept.append(client_id)
                last = key
            else:
                self._odd[number] = client_id
        self._keys.extend(keys)
        self._owners = _extend(self._owners, kept)

    def build(self) -> ClientColumns:
        return ClientColumns(
            self._ids,
            self._managers,
            self._name_ends,
            self._names,
            self._keys,
            self._owners,
            late=self._late,
            odd=self._odd,
        )


class Clients(Mapping[int, ClientView]):
    """``snapshot.clients``: every client's card by id — the loaded columns, and over them the
    cards and phones set since."""

    __slots__ = ("_base", "_cards", "_count", "_numbers", "_phones")

    def __init__(self, base: ClientColumns | None = None) -> None:
        self._base = base if base is not None else ClientColumns()
        # Set since the load: a client's card (None: the client is gone) and phones; the
        # numbers given to a client (None: taken from one and not given to another).
        self._cards: dict[int, ClientView | None] = {}
        self._phones: dict[int, frozenset[str]] = {}
        self._numbers: dict[str, int | None] = {}
        self._count = len(self._base)

    def __getitem__(self, client_id: int) -> ClientView:
        card = self._card(client_id)
        if card is None:
            raise KeyError(client_id)
        return card

    def get(self, client_id: int, default: Any = None) -> Any:
        card = self._card(client_id)
        return default if card is None else card

    def _card(self, client_id: int) -> ClientView | None:
        cards = self._cards
        return cards[client_id] if client_id in cards else self._base.card(client_id)

    def manager_of(self, client_id: int) -> int | None:
        """The client's personal manager's id without making his card (routing asks this of
        every known caller); NO_MANAGER without one; None: no such client."""
        cards = self._cards
        if client_id in cards:
            return _manager_column(cards[client_id])
        return self._base.manager(client_id)

    def __contains__(self, client_id: object) -> bool:
        if not isinstance(client_id, int):
            return False
        if client_id in self._cards:
            return self._cards[client_id] is not None
        return self._base.has(client_id)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        cards = self._cards
        yield from (cid for cid in self._base.ids() if cid not in cards)
        yield from (cid for cid, card in cards.items() if card is not None)

    @property
    def changed(self) -> int:
        """How many clients were set since the columns were loaded."""
        return len(self._cards)

    def owner(self, number: str) -> int | None:
        """The id of the client whose phone ``number`` is."""
        if number in self._numbers:
            return self._numbers[number]
        client_id = self._base.owner(number)
        if client_id is not None:
            phones = self._phones.get(client_id)
            if phones is not None and number not in phones:
                return None
        return client_id

    def set(self, client_id: int, card: ClientView | None, phones: frozenset[str]) -> None:
        """Replace one client's card and phones (``card=None``: the client is gone)."""
        for number in self._phones.get(client_id, ()):
            if self._numbers.get(number) == client_id:
                self._numbers[number] = None
        self._count += (card is not None) - (client_id in self)
        self._cards[client_id] = card
        self._phones[client_id] = phones if card is not None else frozenset()
        if card is not None:
            for number in phones:
                self._numbers[number] = client_id

    def numbers(self) -> Iterator[tuple[str, int]]:
        """Every (number, client id) routing would find."""
        seen = self._numbers
        for number, _ in self._base.numbers():
            if number not in seen:
                client_id = self.owner(number)
                if client_id is not None:
                    yield number, client_id
        yield from ((n, cid) for n, cid in seen.items() if cid is not None)


class ClientPhones(Mapping[str, int]):
    """``snapshot.client_by_phone``: the id of the client each number belongs to."""

    __slots__ = ("_clients",)

    def __init__(self, clients: Clients) -> None:
        self._clients = clients

    def get(self, number: str, default: Any = None) -> Any:
        client_id = self._clients.owner(number)
        return default if client_id is None else client_id

    def __getitem__(self, number: str) -> int:
        client_id = self._clients.owner(number)
        if client_id is None:
            raise KeyError(number)
        return client_id

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and self._clients.owner(number) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self._clients.numbers())

    def __iter__(self) -> Iterator[str]:
        return (number for number, _ in self._clients.numbers())


@dataclass(slots=True)
class DirectorySnapshot:
    """Everything a routing decision reads. Only the snapshot loader writes to it."""

    managers: dict[int, ManagerView] = field(default_factory=dict)
    absences: dict[int, tuple[AbsenceView, ...]] = field(default_factory=dict)
    clients: Clients = field(default_factory=Clients)
    lists: dict[int, ListView] = field(default_factory=dict)
    list_by_number: dict[str, int] = field(default_factory=dict)
    sticky: dict[str, StickyView] = field(default_factory=dict)
    extensions: dict[str, int] = field(default_factory=dict)
    # The company calendar: working hours are read against it (holidays, shortened days).
    calendar: Calendar = field(default_factory=Calendar)
    # Decisions for personal managers' clients, while they hold (routing/memo.py).
    decided: OwnerDecisions = field(default_factory=OwnerDecisions)

    @property
    def client_by_phone(self) -> ClientPhones:
        # Made at each look: held here, it would tie the snapshot in a cycle that only the
        # cyclic collector frees (and the old snapshot's memory would wait for it).
        return ClientPhones(self.clients)

    def set_client(self, client: ClientView | None, client_id: int, phones: frozenset[str]) -> None:
        """Replace one client's card and phones (``client=None``: the client is gone)."""
        self.clients.set(client_id, client, phones)

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
