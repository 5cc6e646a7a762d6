"""Facts the services report, for whoever reacts to them (alerts, routing, the screen pop).

A service returns what happened; it does not know who listens. The one map from a fact's type to
its handlers is built in ``hub/bootstrap`` (see ``hub/services/facts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.domain.cases import CaseFact


@dataclass(frozen=True, slots=True)
class CallTalked:
    """A manager talked to an outside number (routing keeps unknown numbers with him)."""

    number: str
    manager_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class UnknownAnswered:
    """A call with a number nobody knows was answered and is over: the manager who talked is
    asked who it was (``call``: the call's ``connector:vendor id``)."""

    number: str
    manager_id: int
    call: str
    at: datetime


@dataclass(frozen=True, slots=True)
class UpdatesStored:
    """New call updates were committed and wait to be folded into calls."""

    count: int


@dataclass(frozen=True, slots=True)
class DecisionsStored:
    """Routing decisions were committed (each a ``route_decisions`` row as a dict)."""

    decisions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class MessagesQueued:
    """Messages to people were written to the outbox."""

    count: int


@dataclass(frozen=True, slots=True)
class ClientWrote:
    """A client's message was stored: it goes to these people (those who answer for him)."""

    conversation_id: int
    message_id: int
    people: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RepliesQueued:
    """Messages to clients were queued (replies, phone requests): the client sender has work."""

    count: int


Fact = (
    ClientWrote
    | RepliesQueued
    | CaseFact
    | CallTalked
    | UnknownAnswered
    | UpdatesStored
    | DecisionsStored
    | MessagesQueued
)
