"""The routing decision: a pure function of (caller, directory snapshot, clock).

The dialled line is recorded with the decision (``hub/services/routing.py``) but does not change it.

Known client → personal manager if available → his substitute while he is absent → his
supervisor → default. Number on a list → the list's action. Unknown number → the manager who last
talked to it within the sticky window → default. Every answer says why.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.domain.phone import PhoneKind, PhoneNumber
from routing.decision import (
    ReasonCode,
    RouteDecision,
    Target,
    TargetType,
    default_decision,
)
from routing.snapshot import NO_MANAGER, DirectorySnapshot, ListView, ManagerView


def current_absence(
    snapshot: DirectorySnapshot, manager_id: int, now: datetime
) -> tuple[bool, int | None]:
    """(is absent now, named substitute) for a manager."""
    for absence in snapshot.absences.get(manager_id, ()):
        if absence.starts_at <= now < absence.ends_at:
            return True, absence.substitute_id
    return False, None


def unavailable_because(
    snapshot: DirectorySnapshot, manager: ManagerView, now: datetime
) -> str | None:
    """Why a manager cannot take a call now, or None when he can."""
    if not manager.active:
        return "inactive"
    if not manager.extension:
        return "has no extension"
    if current_absence(snapshot, manager.id, now)[0]:
        return "absent"
    if manager.hours is not None and not manager.hours.contains(now, snapshot.calendar):
        return "outside working hours"
    return None


def _to_manager(manager: ManagerView) -> Target:
    return Target(type=TargetType.MANAGER, extension=manager.extension, manager_id=manager.id)


def _available(
    snapshot: DirectorySnapshot, manager_id: int | None, now: datetime
) -> ManagerView | None:
    if manager_id is None:
        return None
    manager = snapshot.managers.get(manager_id)
    if manager is None or unavailable_because(snapshot, manager, now) is not None:
        return None
    return manager


def _for_client(
    snapshot: DirectorySnapshot, client_id: int, manager_id: int, now: datetime
) -> RouteDecision:
    owner = snapshot.managers.get(manager_id) if manager_id != NO_MANAGER else None
    if owner is None:
        client = snapshot.clients[client_id]
        return default_decision(f"client {client.name!r} has no personal manager")
    # The same for all his clients while nothing it depends on changes (routing/memo.py).
    decision = snapshot.decided.get(snapshot, owner.id, now)
    if decision is None:
        decision = _for_owner(snapshot, owner, now)
        snapshot.decided.keep(snapshot, owner.id, now, decision)
    return decision


def _for_owner(snapshot: DirectorySnapshot, owner: ManagerView, now: datetime) -> RouteDecision:
    """Where a call to the owner's clients goes now: the chain from him to the default."""
    _, substitute_id = current_absence(snapshot, owner.id, now)
    chain: list[tuple[ManagerView, ReasonCode, str]] = []
    why_not = unavailable_because(snapshot, owner, now)
    if why_not is None:
        chain.append((owner, ReasonCode.PERSONAL_MANAGER, f"personal manager {owner.name}"))
    substitute = _available(snapshot, substitute_id, now)
    if substitute is not None:
        chain.append(
            (
                substitute,
                ReasonCode.SUBSTITUTE,
                f"substitute: {owner.name} is {why_not or 'absent'}, {substitute.name} covers",
            )
        )
    supervisor = _available(snapshot, owner.supervisor_id, now)
    if supervisor is not None and supervisor.id not in {m.id for m, _, _ in chain}:
        chain.append(
            (
                supervisor,
                ReasonCode.SUPERVISOR,
                f"supervisor's team: {owner.name} is {why_not or 'unavailable'},"
                f" {supervisor.name} takes it",
            )
        )
    if not chain:
        return default_decision(
            f"fallback: personal manager {owner.name} is {why_not} and nobody covers"
        )
    manager, code, reason = chain[0]
    fallback = (*(_to_manager(m) for m, _, _ in chain[1:]), Target(type=TargetType.DEFAULT))
    return RouteDecision(target=_to_manager(manager), reason=reason, code=code, fallback=fallback)


def _for_list(snapshot: DirectorySnapshot, entry: ListView, now: datetime) -> RouteDecision:
    label = f"list: {entry.title}"
    if entry.action == "reject":
        return RouteDecision(
            target=Target(type=TargetType.REJECT), reason=f"{label} → reject", code=ReasonCode.LIST
        )
    if entry.action == "route":
        manager = _available(snapshot, entry.target_manager_id, now)
        if manager is not None:
            return RouteDecision(
                target=_to_manager(manager),
                reason=f"{label} → {manager.name}",
                code=ReasonCode.LIST,
                fallback=(Target(type=TargetType.DEFAULT),),
            )
        if entry.target_extension:
            return RouteDecision(
                target=Target(type=TargetType.EXTENSION, extension=entry.target_extension),
                reason=f"{label} → extension {entry.target_extension}",
                code=ReasonCode.LIST,
                fallback=(Target(type=TargetType.DEFAULT),),
            )
        return default_decision(f"{label} → its specialist is unavailable", ReasonCode.LIST)
    return default_decision(f"{label} → default route", ReasonCode.LIST)


def decide(
    caller: PhoneNumber,
    snapshot: DirectorySnapshot,
    now: datetime,
    *,
    sticky_window: timedelta,
) -> RouteDecision:
    """Where a call from ``caller`` should go now, and why."""
    if caller.kind is PhoneKind.WITHHELD:
        return default_decision("caller id withheld")
    if caller.kind is PhoneKind.INTERNAL:
        return default_decision("internal caller")
    if not caller.is_external:
        return default_decision("caller id is not a valid number")
    list_id = snapshot.list_by_number.get(caller.value)
    if list_id is not None and list_id in snapshot.lists:
        return _for_list(snapshot, snapshot.lists[list_id], now)
    clients = snapshot.clients
    client_id = clients.owner(caller.value)
    if client_id is not None and (manager_id := clients.manager_of(client_id)) is not None:
        return _for_client(snapshot, client_id, manager_id, now)
    sticky = snapshot.sticky.get(caller.value)
    if sticky is not None and now - sticky.at <= sticky_window:
        manager = _available(snapshot, sticky.manager_id, now)
        if manager is not None:
            return RouteDecision(
                target=_to_manager(manager),
                reason=f"unknown number: {manager.name} talked to it last",
                code=ReasonCode.STICKY,
                fallback=(Target(type=TargetType.DEFAULT),),
            )
    return default_decision("unknown number: default route")
