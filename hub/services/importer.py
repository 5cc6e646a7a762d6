"""``dozvon import clients``: an idempotent bulk upsert of client cards from a CSV export.

The directory is read into memory once; each chunk of rows is then decided in memory and written
in one transaction (cards, phones and their audit rows together). A row is matched to an existing
card by any of its phones, else by its exact name; a second run of the same file changes nothing.
A rejected row changes nothing and is reported with its line number and reason (a status outside
the closed set is one). A status the file changes counts as set by hand: the daily recompute from
sales leaves it until a newer sale.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.cases import CaseFact
from hub.domain.client_status import ClientStatus, parse_status
from hub.domain.clock import Clock, SystemClock
from hub.domain.errors import InvalidInput
from hub.domain.phone import Normalizer
from hub.services.csv_source import SourceRow
from hub.services.directory.triage import settle_numbers
from hub.services.serialisers import client_card
from storage.db import SessionFactory
from storage.repositories.imports import ImportRepository
from storage.uow import UnitOfWork

CHUNK = 2000


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Card:
    id: int | None
    name: str
    manager_id: int | None
    status: str
    notes: str
    phones: set[str]
    pending: bool = False
    hand_at: datetime | None = None  # when the status was set by hand


@dataclass(slots=True)
class _Directory:
    cards: dict[int, _Card]
    by_phone: dict[str, int]
    by_name: dict[str, list[int]]
    listed: set[str]
    managers_by_ext: dict[str, int]
    managers_by_name: dict[str, list[int]]


async def _load(factory: SessionFactory) -> _Directory:
    async with factory() as session:
        found = ImportRepository(session)
        cards = {
            cid: _Card(id=cid, name=name, manager_id=mid, status=status, notes=notes, phones=set())
            for cid, name, mid, status, notes in await found.clients()
        }
        for cid, at in (await found.status_marks()).items():
            cards[cid].hand_at = at
        by_phone: dict[str, int] = {}
        for cid, number in await found.client_phones():
            by_phone[number] = cid
            cards[cid].phones.add(number)
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
    return _Directory(cards, by_phone, by_name, listed, by_ext, by_mname)


def _manager(directory: _Directory, text: str) -> int | str | None:
    """The manager's id, None for an empty cell, or an error message."""
    if not text:
        return None
    if text in directory.managers_by_ext:
        return directory.managers_by_ext[text]
    found = directory.managers_by_name.get(text.casefold(), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return f"manager {text!r} is ambiguous ({len(found)} managers have that name)"
    return f"manager {text!r} not found (by extension or name)"


def _decide(
    directory: _Directory, row: SourceRow, normalize: Normalizer
) -> tuple[_Card | None, set[str], int | None, str | None]:
    """(existing card or None, its phones after the row, manager id, rejection reason)."""
    if not row.name:
        return None, set(), None, "name is empty"
    if row.status:
        try:
            parse_status(row.status)
        except InvalidInput as exc:
            return None, set(), None, exc.message
    manager = _manager(directory, row.manager)
    if isinstance(manager, str):
        return None, set(), None, manager
    numbers: set[str] = set()
    for raw in row.phones:
        number = normalize(raw)
        if not number.is_external:
            return None, set(), None, f"phone {raw!r} is not a valid outside number"
        if number.value in directory.listed:
            return None, set(), None, f"phone {number.value} is on a number list"
        numbers.add(number.value)
    owners = {directory.by_phone[n] for n in numbers if n in directory.by_phone}
    if len(owners) > 1:
        return (
            None,
            set(),
            None,
            (f"phones belong to different clients ({', '.join(map(str, sorted(owners)))})"),
        )
    card: _Card | None = None
    if owners:
        card = directory.cards[owners.pop()]
    else:
        same_name = directory.by_name.get(row.name, [])
        if len(same_name) == 1:
            card = directory.cards[same_name[0]]
    phones = numbers | (card.phones if card else set())
    return card, phones, manager, None


async def import_clients(
    factory: SessionFactory,
    rows: Sequence[SourceRow],
    normalize: Normalizer,
    *,
    actor: str = "import",
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
    clock: Clock = SystemClock(),  # noqa: B008 (a stateless clock, shared)
    on_facts: Callable[[UnitOfWork, list[CaseFact]], Awaitable[None]] | None = None,
) -> ImportReport:
    """Create and update cards from ``rows``, a chunk per transaction. ``on_facts``: what to do,
    within each chunk's transaction, with the cases the chunk settled (the alerts are edited)."""
    report = ImportReport()
    directory = await _load(factory)
    pending_ids = 0
    now = clock.now()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        created: list[_Card] = []
        updated: dict[int, _Card] = {}
        new_phones: list[tuple[_Card, str]] = []
        audits: list[tuple[str, _Card, dict[str, Any] | None]] = []
        for row in chunk:
            card, phones, manager_id, problem = _decide(directory, row, normalize)
            if problem is not None:
                report.rejected.append((row.line, problem))
                continue
            current = card.status if card else ClientStatus.POTENTIAL.value
            status = parse_status(row.status).value if row.status else current
            manager = manager_id if row.manager else (card.manager_id if card else None)
            by_hand = status != current
            if card is None:
                pending_ids -= 1
                card = _Card(
                    id=pending_ids,
                    name=row.name,
                    manager_id=manager,
                    status=status,
                    notes="",
                    phones=phones,
                    pending=True,
                    hand_at=now if by_hand else None,
                )
                created.append(card)
                directory.cards[pending_ids] = card
                directory.by_name.setdefault(card.name, []).append(pending_ids)
                report.created += 1
                audits.append(("create", card, None))
            elif (card.name, card.manager_id, card.status, card.phones) != (
                row.name,
                manager,
                status,
                phones,
            ):
                if not card.pending:
                    audits.append(("update", card, _view(card)))
                    updated[card.id or 0] = card
                    new_phones += [(card, n) for n in sorted(phones - card.phones)]
                if card.name != row.name:
                    directory.by_name[card.name].remove(card.id or 0)
                    directory.by_name.setdefault(row.name, []).append(card.id or 0)
                card.name, card.manager_id, card.status = row.name, manager, status
                if by_hand:
                    card.hand_at = now
                card.phones = set(phones)
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            for number in phones:
                directory.by_phone[number] = card.id or 0
        async with UnitOfWork(factory) as uow:
            await _write(uow.session, directory, created, updated, new_phones, audits, actor, now)
            # Numbers the chunk gave a card leave the triage queue; their cases get the client.
            owned = {n: f"client:{c.id}" for c in [*created, *updated.values()] for n in c.phones}
            facts = await settle_numbers(uow, owned, actor=actor, now=now)
            if on_facts is not None:
                await on_facts(uow, facts)
            if not dry_run:
                await uow.commit()
        if progress is not None:
            progress(len(chunk))
    return report


async def _write(
    session: AsyncSession,
    directory: _Directory,
    created: list[_Card],
    updated: dict[int, _Card],
    new_phones: list[tuple[_Card, str]],
    audits: list[tuple[str, _Card, dict[str, Any] | None]],
    actor: str,
    now: datetime,
) -> None:
    """Write one chunk with a handful of multi-row statements."""
    store = ImportRepository(session)
    if created:
        ids = await store.insert_clients(
            [
                {
                    "name": c.name,
                    "manager_id": c.manager_id,
                    "status": c.status,
                    "status_set_by_hand_at": c.hand_at,
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for c in created
            ]
        )
        for card, new_id in zip(created, ids, strict=True):
            temp, card.id, card.pending = card.id, new_id, False
            del directory.cards[temp or 0]
            directory.cards[new_id] = card
            names = directory.by_name[card.name]
            names[names.index(temp or 0)] = new_id
            for number in card.phones:
                directory.by_phone[number] = new_id
            new_phones += [(card, n) for n in sorted(card.phones)]
    await store.update_clients(
        [
            {
                "id": c.id,
                "name": c.name,
                "manager_id": c.manager_id,
                "status": c.status,
                "status_set_by_hand_at": c.hand_at,
                "updated_at": now,
            }
            for c in updated.values()
        ]
    )
    await store.insert_phones([(c.id or 0, n) for c, n in new_phones])
    await store.insert_audit(
        [
            {
                "at": now,
                "actor": actor,
                "action": action,
                "entity": "client",
                "entity_id": str(card.id),
                "before": before,
                "after": _view(card),
            }
            for action, card, before in audits
        ]
    )


def _view(card: _Card) -> dict[str, Any]:
    return client_card(
        id=card.id,
        name=card.name,
        manager_id=card.manager_id,
        status=card.status,
        notes=card.notes,
        phones=card.phones,
        status_set_by_hand_at=card.hand_at,
    )
