"""Sales entered one at a time (the API): store the purchase and recompute the client's status
in the same transaction, so the card never shows a status its sales contradict."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hub.services.client_status import StatusRules, refresh_statuses
from hub.services.directory.clients import get_client
from hub.services.directory.commands import SaleCreate
from storage.models import Sale
from storage.uow import UnitOfWork


async def add_sale(
    uow: UnitOfWork,
    client_id: int,
    body: SaleCreate,
    *,
    actor: str,
    now: datetime,
    rules: StatusRules,
) -> Sale:
    """Record a purchase of the client; a status set by hand gives way if the sale is newer."""
    await get_client(uow, client_id)
    sale = Sale(
        client_id=client_id,
        sold_on=body.date,
        amount=body.amount,
        source=body.source or "api",
        created_by=actor,
    )
    uow.sales.add(sale)
    await uow.flush()
    await refresh_statuses(uow, [client_id], rules=rules, now=now, actor=actor)
    return sale


async def client_sales(uow: UnitOfWork, client_id: int) -> Sequence[Sale]:
    """The client's sales, newest first."""
    await get_client(uow, client_id)
    return await uow.sales.of_client(client_id)
