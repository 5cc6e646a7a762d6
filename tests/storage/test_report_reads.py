"""The reports' whole-table reads, a page at a time: every client once with his last answered
call (by his card or from his number), and each client's first number, across pages and
batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import SessionFactory
from storage.models import Call, Client, ClientPhone
from storage.repositories import reports, sets
from storage.uow import UnitOfWork

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _call(n: int, number: str, answered: datetime | None, client_id: int | None) -> Call:
    return Call(
        connector="pbx",
        vendor_call_id=f"c{n}",
        direction="inbound",
        status="ended",
        caller=number,
        caller_kind="e164",
        callee="101",
        callee_kind="internal",
        external_number=number,
        client_id=client_id,
        started_at=START,
        answered_at=answered,
        updated_at=START,
    )


async def test_pages_and_batches_hold_every_client_once(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reports, "PAGE", 3)
    monkeypatch.setattr(sets, "IN_BATCH", 2)
    monkeypatch.setattr(sets, "ARRAY_BATCH", 2)
    async with UnitOfWork(factory) as uow:
        clients = [Client(name=f"Клиент {i}", created_at=START) for i in range(7)]
        uow.session.add_all(clients)
        await uow.session.flush()
        for card in clients:  # two numbers each, the first added first
            uow.session.add(ClientPhone(client_id=card.id, number=f"+7903{card.id:07d}"))
        await uow.session.flush()
        for card in clients:
            uow.session.add(ClientPhone(client_id=card.id, number=f"+7905{card.id:07d}"))
        first, second = clients[0], clients[1]
        uow.session.add_all(
            [
                # The first client: one call with his card, a later one from his number only.
                _call(1, f"+7903{first.id:07d}", START + timedelta(days=1), first.id),
                _call(2, f"+7905{first.id:07d}", START + timedelta(days=3), None),
                # The second: answered once, and a later call nobody answered.
                _call(3, f"+7903{second.id:07d}", START + timedelta(days=2), second.id),
                _call(4, f"+7903{second.id:07d}", None, second.id),
            ]
        )
        await uow.commit()
        ids = [c.id for c in clients]

    async with UnitOfWork(factory, read_only=True) as uow:
        contacts = await uow.reports.client_contacts(None)
        phones = await uow.reports.first_phones(ids)

    assert sorted(c.client_id for c in contacts) == ids
    last = {c.client_id: c.last_contact for c in contacts}
    assert last[first.id] == START + timedelta(days=3)
    assert last[second.id] == START + timedelta(days=2)
    assert all(last[i] is None for i in ids[2:])
    assert phones == {i: f"+7903{i:07d}" for i in ids}
