"""A leaving manager's work handed to another: his clients (all, or some), his open callback cases
and the numbers waiting in his triage queue — each change audited, so every instance's routing
follows the clients at once.

The clients move card by card through :func:`change_client` (audited as ``reassign``, which the
routing change feed reads like any card change); an open case changes its responsible person and
whom it tells (when only some clients move, the open cases of those clients); a number in the
queue changes whose it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from hub.domain.cases import CaseFact
from hub.domain.errors import InvalidInput
from hub.services.directory.clients import change_client
from hub.services.directory.commands import Body, Id
from hub.services.directory.handover import hand_over_cases
from hub.services.directory.managers import get_manager
from storage.uow import UnitOfWork

PAGE = 500


class ManagerReassign(Body):
    """``POST /api/v1/managers/{id}/reassign``: to whom, and which clients (all by default)."""

    to: Id
    clients: Literal["all"] | list[Id] = "all"


@dataclass(frozen=True, slots=True)
class Reassigned:
    """How much moved from one manager to another."""

    clients: int
    cases: int
    unknown_numbers: int
    # The open cases handed over (their alerts to send).
    handed: list[CaseFact] = field(default_factory=list)

    def view(self) -> dict[str, int]:
        return {
            "clients": self.clients,
            "cases": self.cases,
            "unknown_numbers": self.unknown_numbers,
        }


async def _clients_of(uow: UnitOfWork, manager_id: int, only: Sequence[int] | None) -> list[int]:
    """The ids of the manager's clients to move: all of them, or ``only`` (each must be his)."""
    if only is not None:
        for client_id in only:
            client = await uow.clients.get(client_id)
            if client is None or client.manager_id != manager_id:
                raise InvalidInput(
                    f"client {client_id} is not a client of manager {manager_id}", field="clients"
                )
        return list(dict.fromkeys(only))
    found: list[int] = []
    while page := await uow.clients.page(
        manager_id=manager_id, after_id=found[-1] if found else 0, limit=PAGE
    ):
        found += [c.id for c in page]
    return found


async def reassign(
    uow: UnitOfWork,
    from_id: int,
    to_id: int,
    *,
    clients: Sequence[int] | None = None,
    actor: str,
    now: datetime,
) -> Reassigned:
    """Move manager ``from_id``'s clients (``clients``: only these; None: all), open cases and
    queued numbers to manager ``to_id``; the caller commits. Moving only some clients moves their
    open cases with them and leaves his other cases and his triage queue where they are. The
    cases go to whoever stands in for ``to_id`` at ``now`` (hub/services/directory/handover.py)."""
    source = await get_manager(uow, from_id)
    target = await get_manager(uow, to_id, field="to")
    if source.id == target.id:
        raise InvalidInput("a manager's work cannot be handed to himself", field="to")
    if not target.active:
        raise InvalidInput(f"manager {to_id} ({target.name}) is not active", field="to")
    moved = await _clients_of(uow, from_id, clients)
    for client_id in moved:
        await change_client(uow, client_id, {"manager_id": to_id}, actor=actor, action="reassign")
    # An open case follows its client's card: with only some clients, only their cases move.
    handed = await hand_over_cases(
        uow, from_id, to_id, actor=actor, now=now, clients=None if clients is None else set(moved)
    )
    if clients is not None:
        await uow.flush()
        return Reassigned(clients=len(moved), cases=len(handed), unknown_numbers=0, handed=handed)
    queued = await uow.unknown.page(manager_id=from_id, limit=100_000)
    for entry in queued:
        entry.manager_id = to_id
    done = Reassigned(
        clients=len(moved), cases=len(handed), unknown_numbers=len(queued), handed=handed
    )
    uow.audit.record(
        actor=actor,
        action="reassign",
        entity="manager",
        entity_id=from_id,
        before=None,
        after={"to": to_id, **done.view()},
    )
    await uow.flush()
    return done
