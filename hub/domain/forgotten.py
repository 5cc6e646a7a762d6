"""Forgotten clients: nobody has talked to them for too long.

A client's last contact is his last answered call, inbound or outbound (from or to any of his
numbers). A client is forgotten when that was at least ``after`` ago — or, never contacted, when
his card is that old. Messenger conversations are not stored yet; when they are, their last
moment joins the calls' here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientContact:
    client_id: int
    name: str
    manager_id: int | None
    created_at: datetime
    last_contact: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ForgottenClient:
    client_id: int
    name: str
    manager_id: int | None
    last_contact: datetime | None
    days: int


def forgotten(
    clients: Iterable[ClientContact], now: datetime, after: timedelta
) -> list[ForgottenClient]:
    """The forgotten among ``clients``, the longest forgotten first; ``days`` counts from the
    last contact, or from the card's creation for a client never contacted."""
    found: list[tuple[datetime, ForgottenClient]] = []
    for client in clients:
        since = client.last_contact or client.created_at
        if now - since < after:
            continue
        days = max((now - since).days, 0)
        found.append(
            (
                since,
                ForgottenClient(
                    client_id=client.client_id,
                    name=client.name,
                    manager_id=client.manager_id,
                    last_contact=client.last_contact,
                    days=days,
                ),
            )
        )
    found.sort(key=lambda pair: (pair[0], pair[1].client_id))
    return [client for _, client in found]
