"""``dozvon import clients``: an idempotent bulk upsert of client cards from a CSV or XLSX export.

The directory is read into memory once; each chunk of rows is then decided in memory and written
in one transaction (cards, phones and their audit rows together); a big file's phones are read
ahead in a worker process meanwhile. A row is matched to an existing card by any of its phones,
else by its exact name; a second run of the same file changes nothing.
A card matched by phone keeps its name when the file names it otherwise: the row is reported
(``matched by phone, name differs``) and only ``update_names`` renames it — an export's short
name must not overwrite a card's full one by accident. A phone written with an extension
(«доб. 123») is stored as its number, the extension beside it; a comment column fills the notes.
A card whose manager the file changes hands its open cases to him, as an edit of the card does
(``hub/services/directory/handover.py``).
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
from hub.domain.phone import Normalizer
from hub.services.client_match import Card, Directory, decide, load_directory
from hub.services.csv_source import SourceRow
from hub.services.directory.handover import hand_over_clients
from hub.services.directory.triage import settle_numbers
from hub.services.import_reasons import Reason
from hub.services.phones_ahead import AHEAD_FROM, PhonesAhead
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
    # Rows matched to a card by phone that name it otherwise: (line, both names).
    names_differ: list[tuple[int, str]] = field(default_factory=list)


async def import_clients(
    factory: SessionFactory,
    rows: Sequence[SourceRow],
    normalize: Normalizer,
    *,
    actor: str = "import",
    dry_run: bool = False,
    update_names: bool = False,
    progress: Callable[[int], object] | None = None,
    clock: Clock = SystemClock(),  # noqa: B008 (a stateless clock, shared)
    on_facts: Callable[[UnitOfWork, list[CaseFact]], Awaitable[None]] | None = None,
    ahead_from: int = AHEAD_FROM,
) -> ImportReport:
    """Create and update cards from ``rows``, a chunk per transaction. ``update_names``: a card
    matched by phone takes the file's name. ``on_facts``: what to do, within each chunk's
    transaction, with the cases the chunk settled (their alerts edited) or handed to a card's new
    manager (his alert sent); not called on a dry run. From ``ahead_from``
    rows on, the phones are read ahead in a worker process (``hub/services/phones_ahead.py``)."""
    starts = range(0, len(rows), CHUNK)
    cells = [[row.phones for row in rows[start : start + CHUNK]] for start in starts]
    with PhonesAhead(cells, normalize, apart=len(rows) >= ahead_from) as ahead:
        return await _import(
            factory, rows, ahead, actor, dry_run, update_names, progress, clock, on_facts
        )


async def _import(
    factory: SessionFactory,
    rows: Sequence[SourceRow],
    ahead: PhonesAhead,
    actor: str,
    dry_run: bool,
    update_names: bool,
    progress: Callable[[int], object] | None,
    clock: Clock,
    on_facts: Callable[[UnitOfWork, list[CaseFact]], Awaitable[None]] | None,
) -> ImportReport:
    report = ImportReport()
    directory = await load_directory(factory)
    pending_ids = 0
    now = clock.now()
    for index, start in enumerate(range(0, len(rows), CHUNK)):
        chunk = rows[start : start + CHUNK]
        read = await ahead.chunk(index)
        created: list[Card] = []
        updated: dict[int, Card] = {}
        new_phones: list[tuple[Card, str]] = []
        new_exts: list[tuple[str, str]] = []
        audits: list[tuple[str, Card, dict[str, Any] | None]] = []
        moves: dict[int, tuple[int, int]] = {}
        for row, written in zip(chunk, read, strict=True):
            match = decide(directory, row, written)
            if isinstance(match, str):
                report.rejected.append((row.line, match))
                continue
            card, phones = match.card, match.phones
            current = card.status if card else ClientStatus.POTENTIAL.value
            status = parse_status(row.status).value if row.status else current
            manager = match.manager_id if row.manager else (card.manager_id if card else None)
            by_hand = status != current
            if card is None:
                pending_ids -= 1
                card = Card(
                    id=pending_ids,
                    name=row.name,
                    manager_id=manager,
                    status=status,
                    notes=row.notes,
                    phones=phones,
                    exts=match.exts,
                    pending=True,
                    hand_at=now if by_hand else None,
                    line=row.line,
                )
                created.append(card)
                directory.cards[pending_ids] = card
                directory.by_name.setdefault(card.name, []).append(pending_ids)
                report.created += 1
                audits.append(("create", card, None))
                for number in phones:
                    directory.by_phone[number] = card.id or 0
                continue
            name = card.name
            if row.name != card.name:
                if update_names:
                    name = row.name
                else:
                    report.names_differ.append(
                        (row.line, Reason("name_differs", card=card.label(), name=row.name))
                    )
            notes = row.notes or card.notes
            exts = {**card.exts, **match.exts}
            if (card.name, card.manager_id, card.status, card.notes, card.phones, card.exts) == (
                name,
                manager,
                status,
                notes,
                phones,
                exts,
            ):
                report.unchanged += 1
                continue
            if not card.pending:
                audits.append(("update", card, _view(card)))
                updated[card.id or 0] = card
                new_phones += [(card, n) for n in sorted(phones - card.phones)]
                new_exts += [
                    (n, e)
                    for n, e in sorted(exts.items())
                    if n in card.phones and card.exts.get(n) != e
                ]
            if not card.pending and manager != card.manager_id:
                # The card's cases follow it (from the manager it had before this file).
                cid = card.id or 0
                was = moves.pop(cid)[0] if cid in moves else card.manager_id
                if was is not None and manager is not None and was != manager:
                    moves[cid] = (was, manager)
            if card.name != name:
                directory.by_name[card.name].remove(card.id or 0)
                directory.by_name.setdefault(name, []).append(card.id or 0)
            card.name, card.manager_id, card.status, card.notes = name, manager, status, notes
            if by_hand:
                card.hand_at = now
            card.phones, card.exts = set(phones), exts
            report.updated += 1
            for number in phones:
                directory.by_phone[number] = card.id or 0
        async with UnitOfWork(factory) as uow:
            await _write(
                uow.session, directory, created, updated, new_phones, new_exts, audits, actor, now
            )
            # Numbers the chunk gave a card leave the triage queue; their cases get the client.
            owned = {n: f"client:{c.id}" for c in [*created, *updated.values()] for n in c.phones}
            facts = await settle_numbers(uow, owned, actor=actor, now=now)
            facts += await hand_over_clients(uow, moves, actor=actor, now=now)
            if on_facts is not None and not dry_run:
                await on_facts(uow, facts)
            if not dry_run:
                await uow.commit()
        if progress is not None:
            progress(len(chunk))
    return report


async def _write(
    session: AsyncSession,
    directory: Directory,
    created: list[Card],
    updated: dict[int, Card],
    new_phones: list[tuple[Card, str]],
    new_exts: list[tuple[str, str]],
    audits: list[tuple[str, Card, dict[str, Any] | None]],
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
                    "notes": c.notes,
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
                "notes": c.notes,
                "updated_at": now,
            }
            for c in updated.values()
        ]
    )
    await store.insert_phones([(c.id or 0, n, c.exts.get(n)) for c, n in new_phones])
    await store.set_extensions(new_exts)
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


def _view(card: Card) -> dict[str, Any]:
    return client_card(
        id=card.id,
        name=card.name,
        manager_id=card.manager_id,
        status=card.status,
        notes=card.notes,
        phones=card.phones,
        status_set_by_hand_at=card.hand_at,
        extensions=card.exts,
    )
