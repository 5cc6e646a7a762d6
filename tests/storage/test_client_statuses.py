"""The daily recompute's reading: pages of clients with their purchase days and last sale, each
page only its clients' sales, every client once across the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from storage.db import SessionFactory
from storage.models import Client, Sale
from storage.repositories.client_statuses import StatusFacts
from storage.uow import UnitOfWork

HAND = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def test_pages_hold_each_client_once_with_his_own_sales(factory: SessionFactory) -> None:
    # Client i bought on i distinct days (one of them twice); the third's status was set by hand.
    async with UnitOfWork(factory) as uow:
        clients = [
            Client(name=f"Клиент {i}", status="regular" if i == 3 else "potential")
            for i in range(5)
        ]
        clients[3].status_set_by_hand_at = HAND
        uow.session.add_all(clients)
        await uow.session.flush()
        for i, card in enumerate(clients):
            days = [date(2026, 1, day) for day in range(1, i + 1)]
            for n, day in enumerate([*days, *days[:1]]):
                uow.session.add(
                    Sale(client_id=card.id, sold_on=day, amount=Decimal(100), dedup_key=f"{i}-{n}")
                )
        await uow.commit()
        ids = [c.id for c in clients]

    pages: list[list[StatusFacts]] = []
    async with UnitOfWork(factory, read_only=True) as uow:
        after = 0
        while page := await uow.client_statuses.facts(after_id=after, limit=2):
            pages.append(page)
            after = page[-1].client_id

    assert [len(page) for page in pages] == [2, 2, 1]
    facts = [f for page in pages for f in page]
    assert [f.client_id for f in facts] == ids
    assert [f.purchases for f in facts] == [0, 1, 2, 3, 4]
    assert [f.last_sale for f in facts] == [None, *(date(2026, 1, i) for i in range(1, 5))]
    assert facts[3].status == "regular" and facts[3].set_by_hand_at == HAND
    assert all(f.set_by_hand_at is None for f in facts if f.client_id != ids[3])
