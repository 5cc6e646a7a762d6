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


def _judged(
    client: ClientContact, now: datetime, after: timedelta
) -> tuple[datetime, ForgottenClient] | None:
    """(since when, the client) for a forgotten client; None for one talked to lately."""
    since = client.last_contact or client.created_at
    if now - since < after:
        return None
    return since, ForgottenClient(
        client_id=client.client_id,
        name=client.name,
        manager_id=client.manager_id,
        last_contact=client.last_contact,
        days=max((now - since).days, 0),
    )


def _order(entry: tuple[datetime, ForgottenClient]) -> tuple[datetime, int]:
    return entry[0], entry[1].client_id


def forgotten(
    clients: Iterable[ClientContact], now: datetime, after: timedelta
) -> list[ForgottenClient]:
    """The forgotten among ``clients``, the longest forgotten first; ``days`` counts from the
    last contact, or from the card's creation for a client never contacted."""
    found = [judged for c in clients if (judged := _judged(c, now, after)) is not None]
    found.sort(key=_order)
    return [client for _, client in found]


class ForgottenTally:
    """The forgotten of clients given a page at a time: how many each manager has, and his
    ``keep`` longest forgotten in the order :func:`forgotten` gives — without holding them all
    (a million clients' contacts at once are a few hundred megabytes)."""

    def __init__(self, now: datetime, after: timedelta, keep: int) -> None:
        self._now = now
        self._after = after
        self._keep = keep
        self.counts: dict[int | None, int] = {}
        self._kept: dict[int | None, list[tuple[datetime, ForgottenClient]]] = {}

    def add(self, clients: Iterable[ClientContact]) -> None:
        for client in clients:
            judged = _judged(client, self._now, self._after)
            if judged is None:
                continue
            manager = client.manager_id
            self.counts[manager] = self.counts.get(manager, 0) + 1
            if not self._keep:
                continue
            kept = self._kept.setdefault(manager, [])
            kept.append(judged)
            if len(kept) >= 4 * self._keep:
                self._trim(kept)

    def _trim(self, kept: list[tuple[datetime, ForgottenClient]]) -> None:
        kept.sort(key=_order)
        del kept[self._keep :]

    def oldest(self, manager_id: int | None) -> list[ForgottenClient]:
        """The manager's ``keep`` longest forgotten, the longest first."""
        kept = self._kept.get(manager_id, [])
        self._trim(kept)
        return [client for _, client in kept]
