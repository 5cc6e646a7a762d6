"""``dozvon import sales``: purchases from a CSV export, each stored once, statuses recomputed.

Each row names its client by name or by phone; a row whose client cannot be told (no such
client, two clients of that name, a phone of another client than the name) is rejected with its
line and reason and changes nothing. A sale's dedup key is built from the client, the day, the
amount and the whole row (and which repeat of an identical row it is), so importing the same
file again adds nothing, while two equal purchases on one day in one file are two sales. The
clients whose sales changed get their status recomputed in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from hub.domain.clock import Clock, SystemClock
from hub.domain.phone import Normalizer
from hub.services.client_status import StatusRules, refresh_statuses
from hub.services.import_reasons import Reason
from hub.services.sales_source import SaleRow, parse_amount, parse_day
from storage.db import SessionFactory
from storage.repositories.imports import ImportRepository
from storage.uow import UnitOfWork

CHUNK = 2000
LARGEST = Decimal("1e12")  # Numeric(14, 2)


@dataclass(slots=True)
class SalesReport:
    added: int = 0
    already: int = 0  # stored by an earlier import of the same rows
    statuses_changed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Clients:
    by_name: dict[str, list[int]]
    by_phone: dict[str, int]
    names: dict[int, str]


def name_key(name: str) -> str:
    """Names are matched ignoring case, ``ё``/``е``, quotes and repeated spaces."""
    plain = name.casefold().replace("ё", "е").replace("«", "").replace("»", "").replace('"', "")
    return re.sub(r"\s+", " ", plain).strip()


async def _load(factory: SessionFactory) -> _Clients:
    async with UnitOfWork(factory, read_only=True) as uow:
        found = ImportRepository(uow.session)
        clients = await found.clients()
        phones = await found.client_phones()
    by_name: dict[str, list[int]] = {}
    for cid, name, *_ in clients:
        by_name.setdefault(name_key(name), []).append(cid)
    return _Clients(by_name, {n: c for c, n, _ in phones}, {c[0]: c[1] for c in clients})


def _client(clients: _Clients, row: SaleRow, normalize: Normalizer) -> int | str:
    """The client's id, or why the row names no single client."""
    by_phone: int | None = None
    for raw in row.phones:
        number = normalize(raw)
        if number.is_external and number.value in clients.by_phone:
            by_phone = clients.by_phone[number.value]
            break
    named = clients.by_name.get(name_key(row.client), []) if row.client else []
    if by_phone is not None:
        if named and by_phone not in named:
            return Reason("sale_split", owner=clients.names[by_phone], name=row.client)
        return by_phone
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        return Reason("client_ambiguous", name=row.client, count=len(named))
    if not row.client and not row.phones:
        return Reason("client_nothing")
    who = " / ".join(x for x in (row.client and repr(row.client), ", ".join(row.phones)) if x)
    return Reason("client_unknown", who=who)


def _decide(
    clients: _Clients, row: SaleRow, normalize: Normalizer
) -> tuple[int, date, Decimal] | str:
    client = _client(clients, row, normalize)
    if isinstance(client, str):
        return client
    day = parse_day(row.sold_on)
    if day is None:
        return Reason("date", value=row.sold_on)
    amount = parse_amount(row.amount)
    if amount is None:
        return Reason("amount", value=row.amount)
    if amount <= 0:
        return Reason("amount_not_sale", value=row.amount)
    if amount != amount.quantize(Decimal("0.01")) or amount >= LARGEST:
        return Reason("amount_precision", value=row.amount)
    return client, day, amount


def dedup_key(client_id: int, day: date, amount: Decimal, content: str, repeat: int) -> str:
    """The key of one imported sale: its client, day, amount, row and repeat within the file."""
    raw = f"{client_id}|{day.isoformat()}|{amount:.2f}|{content}|{repeat}"
    return f"sale:{hashlib.sha256(raw.encode()).hexdigest()}"


async def import_sales(
    factory: SessionFactory,
    rows: Sequence[SaleRow],
    normalize: Normalizer,
    rules: StatusRules,
    *,
    source: str = "",
    actor: str = "import",
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
    clock: Clock = SystemClock(),  # noqa: B008 (a stateless clock, shared)
) -> SalesReport:
    report = SalesReport()
    clients = await _load(factory)
    repeats: dict[str, int] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        now = clock.now()
        sales: list[dict[str, Any]] = []
        for row in chunk:
            decided = _decide(clients, row, normalize)
            if isinstance(decided, str):
                report.rejected.append((row.line, decided))
                continue
            client_id, day, amount = decided
            same = f"{client_id}|{day}|{amount:.2f}|{row.content}"
            repeats[same] = repeats.get(same, 0) + 1
            sales.append(
                {
                    "client_id": client_id,
                    "sold_on": day,
                    "amount": amount.quantize(Decimal("0.01")),
                    "source": source[:200],
                    "dedup_key": dedup_key(client_id, day, amount, row.content, repeats[same]),
                    "created_at": now,
                    "created_by": actor,
                }
            )
        async with UnitOfWork(factory) as uow:
            added = await uow.sales.insert_new(sales)
            report.added += len(added)
            report.already += len(sales) - len(added)
            report.statuses_changed += await refresh_statuses(
                uow, added, rules=rules, now=now, actor=actor
            )
            if not dry_run:
                await uow.commit()
        if progress is not None:
            progress(len(chunk))
    return report
