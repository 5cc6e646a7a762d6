"""Client statuses, computed from sales: at once after a sale, and every day for everyone.

A sale can only make a client's status newer (potential → new → regular), so it is recomputed
with the sale, in its transaction. Time alone makes statuses older (new → lapsed, regular →
churned): :func:`recompute_statuses` runs daily at ``clients.status.recompute_at`` in the
company's time zone. It reads every client's facts without the write lock, then changes the
statuses that moved in one transaction, each by a compare-and-set (so two instances, or a run
repeated, change and audit a client once) with its audit entry (actor ``system``) and, per
manager, one message about his clients who stopped buying, keyed by the day.

A status set by hand stands (the recompute leaves it) until a sale dated on or after that day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from config.settings import Settings
from hub.domain.client_status import ClientStatus, Thresholds, hand_status_stands, status_of
from hub.domain.digest import is_due
from hub.services.serialisers import client_view
from notifications.catalogue import Language
from notifications.churned import churned_notice
from storage.db import SessionFactory
from storage.repositories.client_statuses import StatusFacts
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# Clients read or changed at a time: each page's rows are turned into objects on the event loop,
# about 2 ms for 500 (10 ms for 2,000, too long a pause for a routing answer waiting behind it).
CHUNK = 500
SYSTEM = "system"


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusRules:
    """The thresholds, the company's time zone (what "today" is) and the daily recompute time."""

    thresholds: Thresholds
    zone: ZoneInfo
    at: time

    @classmethod
    def of(cls, settings: Settings) -> StatusRules:
        status = settings.clients.status
        return cls(
            thresholds=Thresholds(new_for=status.new_for, churned_after=status.churned_after),
            zone=ZoneInfo(settings.company.timezone),
            at=status.recompute_at,
        )

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()


def _computed(facts: StatusFacts, today: date, rules: StatusRules) -> ClientStatus | None:
    """The status ``facts`` call for, or None when the stored one stays (set by hand, or
    already right)."""
    if hand_status_stands(facts.set_by_hand_at, facts.last_sale, rules.zone):
        return None
    status = status_of(facts.purchases, facts.last_sale, today, rules.thresholds)
    if status == facts.status and facts.set_by_hand_at is None:
        return None
    return status


async def refresh_statuses(
    uow: UnitOfWork, client_ids: Iterable[int], *, rules: StatusRules, now: datetime, actor: str
) -> int:
    """Recompute these clients' statuses in ``uow`` (after their sales changed), auditing each
    change as ``actor``; returns how many changed."""
    today = rules.today(now)
    changed = 0
    ids = sorted(set(client_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        summaries = await uow.sales.summaries(part)
        cards = await uow.client_statuses.cards(part)
        phones = await uow.clients.phones_of(c.id for c in cards)
        extensions = await uow.clients.extensions_of(phones)
        for card in cards:
            purchases, last = summaries[card.id]
            facts = StatusFacts(
                card.id, card.manager_id, card.status, card.status_set_by_hand_at, purchases, last
            )
            status = _computed(facts, today, rules)
            if status is None:
                continue
            before = client_view(card, phones[card.id], extensions[card.id])
            card.status, card.status_set_by_hand_at = status.value, None
            uow.audit.record(
                actor=actor,
                action="status",
                entity="client",
                entity_id=card.id,
                before=before,
                after=client_view(card, phones[card.id], extensions[card.id]),
            )
            changed += 1
    await uow.flush()
    return changed


async def recompute_statuses(
    factory: SessionFactory, now: datetime, *, rules: StatusRules, language: Language
) -> int:
    """The daily recompute, once today's recompute time (in the company's zone) has come;
    returns how many statuses changed (0 when they were right already)."""
    if not is_due(now, rules.at, rules.zone):
        return 0
    today = rules.today(now)
    moves: list[tuple[StatusFacts, ClientStatus]] = []
    async with UnitOfWork(factory, read_only=True) as uow:
        after = 0
        while page := await uow.client_statuses.facts(after_id=after, limit=CHUNK):
            for facts in page:
                status = _computed(facts, today, rules)
                if status is not None:
                    moves.append((facts, status))
            after = page[-1].client_id
    if not moves:
        return 0
    changed = 0
    churned: dict[int, list[str]] = {}
    async with UnitOfWork(factory) as uow:
        for start in range(0, len(moves), CHUNK):
            part = moves[start : start + CHUNK]
            cards = {c.id: c for c in await uow.client_statuses.cards(f.client_id for f, _ in part)}
            phones = await uow.clients.phones_of(cards)
            extensions = await uow.clients.extensions_of(cards)
            for facts, status in part:
                card = cards.get(facts.client_id)
                if card is None or not await uow.client_statuses.set_status(facts, status):
                    continue  # deleted, or changed by someone else since it was read
                before = client_view(card, phones[card.id], extensions[card.id])
                after_view = {
                    **before,
                    "status": status.value,
                    "status_set_by_hand": False,
                    "status_set_by_hand_at": None,
                }
                uow.audit.record(
                    actor=SYSTEM,
                    action="status",
                    entity="client",
                    entity_id=card.id,
                    before=before,
                    after=after_view,
                )
                changed += 1
                if status == ClientStatus.CHURNED and card.manager_id is not None:
                    churned.setdefault(card.manager_id, []).append(card.name)
        managers = {m.id: m for m in await uow.managers.list(active=True)}
        notices = [
            churned_notice(managers[mid], names, day=today, language=language, now=now)
            for mid, names in sorted(churned.items())
            if mid in managers
        ]
        told = await uow.outbox.enqueue(notices)
        await uow.commit()
    log.info(
        "client statuses recomputed for %s: %d changed, %d manager(s) told", today, changed, told
    )
    return changed
