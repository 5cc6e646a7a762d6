"""Which card a row of a client export is about: the directory held in memory, a row decided
against it.

The import reads every card, phone, listed number and manager once; each row is then matched
by any of its phones, else by its exact name, without a query. A rejection names what a person
can find: a card by its name and id, or the line of this file that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from hub.domain.client_status import ALLOWED, parse_status
from hub.domain.errors import InvalidInput
from hub.domain.written_phones import WrittenPhone
from hub.services.csv_source import SourceRow
from hub.services.import_reasons import Reason
from storage.db import SessionFactory
from storage.repositories.imports import ImportRepository


@dataclass(slots=True)
class Card:
    id: int | None
    name: str
    manager_id: int | None
    status: str
    notes: str
    phones: set[str]
    exts: dict[str, str] = field(default_factory=dict)  # number → extension
    pending: bool = False
    hand_at: datetime | None = None  # when the status was set by hand
    line: int | None = None  # the line of this file that created it

    def order(self) -> tuple[int, int]:
        """Stored cards by id, then those this file made by line."""
        return (0, self.id or 0) if self.line is None else (1, self.line)

    def label(self) -> Reason:
        """The card as a person finds it: «name» and its id, or the line that made it."""
        if self.line is not None:
            return Reason("card_new", name=self.name, line=self.line)
        return Reason("card_id", name=self.name, id=self.id)


@dataclass(slots=True)
class Directory:
    cards: dict[int, Card]
    by_phone: dict[str, int]
    by_name: dict[str, list[int]]
    listed: set[str]
    managers_by_ext: dict[str, int]
    managers_by_name: dict[str, list[int]]


async def load_directory(factory: SessionFactory) -> Directory:
    async with factory() as session:
        found = ImportRepository(session)
        cards = {
            cid: Card(id=cid, name=name, manager_id=mid, status=status, notes=notes, phones=set())
            for cid, name, mid, status, notes in await found.clients()
        }
        for cid, at in (await found.status_marks()).items():
            cards[cid].hand_at = at
        by_phone: dict[str, int] = {}
        for cid, number, ext in await found.client_phones():
            by_phone[number] = cid
            cards[cid].phones.add(number)
            if ext:
                cards[cid].exts[number] = ext
        listed = await found.listed_numbers()
        by_ext: dict[str, int] = {}
        by_mname: dict[str, list[int]] = {}
        for mid, mname, ext in await found.managers():
            if ext:
                by_ext[ext] = mid
            by_mname.setdefault(mname.strip().casefold(), []).append(mid)
    by_name: dict[str, list[int]] = {}
    for card in cards.values():
        by_name.setdefault(card.name, []).append(card.id or 0)
    return Directory(cards, by_phone, by_name, listed, by_ext, by_mname)


def _manager(directory: Directory, text: str) -> int | str | None:
    """The manager's id, None for an empty cell, or an error message."""
    if not text:
        return None
    if text in directory.managers_by_ext:
        return directory.managers_by_ext[text]
    found = directory.managers_by_name.get(text.casefold(), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return Reason("manager_ambiguous", name=text, count=len(found))
    return Reason("manager_unknown", name=text)


@dataclass(frozen=True, slots=True)
class Match:
    card: Card | None  # None: a new card
    phones: set[str]  # the card's phones after the row
    exts: dict[str, str]  # the extensions the row writes
    manager_id: int | None


def decide(directory: Directory, row: SourceRow, written: Sequence[WrittenPhone]) -> Match | str:
    """The card the row is about (with what it brings), or why it is rejected. ``written``:
    the row's phones, read (:func:`hub.domain.written_phones.read_phones`)."""
    if not row.name:
        return Reason("no_name")
    if row.status:
        try:
            parse_status(row.status)
        except InvalidInput:
            return Reason("status", value=row.status, allowed=ALLOWED)
    manager = _manager(directory, row.manager)
    if isinstance(manager, str):
        return manager
    numbers: set[str] = set()
    exts: dict[str, str] = {}
    for phone in written:
        number = phone.number
        if not phone.external:
            return Reason("phone_invalid", raw=phone.raw)
        if number in directory.listed:
            return Reason("phone_listed", number=number)
        numbers.add(number)
        if phone.ext:
            exts[number] = phone.ext
    owners = sorted(
        {directory.by_phone[n] for n in numbers if n in directory.by_phone},
        key=lambda o: directory.cards[o].order(),
    )
    if len(owners) > 1:
        return Reason("phones_split", cards=tuple(directory.cards[o].label() for o in owners))
    card: Card | None = None
    if owners:
        card = directory.cards[owners[0]]
    else:
        same_name = directory.by_name.get(row.name, [])
        if len(same_name) == 1:
            card = directory.cards[same_name[0]]
    phones = numbers | (card.phones if card else set())
    return Match(card, phones, exts, manager)
