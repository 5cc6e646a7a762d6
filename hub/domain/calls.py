"""Call updates and the pure fold that turns a call's updates into what happened.

A connector parses a vendor payload into :class:`CallUpdate` values; the pipeline stores them and
calls :func:`fold_call` over every update of the call it has, in whatever order they came. The fold
sorts before it looks, so the same set of updates always gives the same :class:`CallSummary`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.domain.phone import PhoneNumber


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class CallState(enum.StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class EndReason(enum.StrEnum):
    """Why a leg or a call ended, as far as the PBX said."""

    NORMAL = "normal"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    CANCEL = "cancel"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"


class CallStatus(enum.StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class Outcome(enum.StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    BUSY = "busy"
    ABANDONED = "abandoned"
    UNANSWERED = "unanswered"


MISSED_OUTCOMES = frozenset({Outcome.MISSED, Outcome.BUSY, Outcome.ABANDONED})


def is_missed(direction: str, outcome: str | None) -> bool:
    """Is this call missed? An inbound call that ended without anyone answering it (no answer,
    busy, or the caller gave up while it rang). The one answer to the question, for the fold,
    the API, the digests and the bot alike; takes the enums or their stored strings."""
    return direction == Direction.INBOUND and outcome in MISSED_OUTCOMES


_STATE_RANK = {CallState.RINGING: 0, CallState.ANSWERED: 1, CallState.ENDED: 2}

# The most characters of each text field of an update that storage keeps (its columns: checked
# against storage.models in tests/storage/test_update_limits.py). A longer one is refused at the
# edge, where the PBX is told why, rather than failing the batch it would share with others.
MAX_LENGTHS = {"call_id": 200, "event_id": 200, "extension": 20, "leg": 200, "recording_url": 2000}


@dataclass(frozen=True, slots=True, kw_only=True)
class CallUpdate:
    """One thing a PBX said about one call, already normalised at the connector edge.

    ``event_id`` is the vendor's id of this notification when it has one; ``leg`` the vendor's id
    of the leg (Asterisk ``Uniqueid``, Mango ``call_id``). ``extension`` is the internal party of
    this leg. ``at`` is when it happened by the PBX's clock (``None``: when we received it).
    """

    connector: str
    call_id: str
    direction: Direction
    state: CallState
    caller: PhoneNumber
    callee: PhoneNumber
    event_id: str | None = None
    extension: str | None = None
    leg: str | None = None
    at: datetime | None = None
    reason: EndReason | None = None
    recording_url: str | None = None

    def unstorable(self) -> tuple[str, str] | None:
        """The first text field no database would keep as given — a NUL character, which none
        stores, or more characters than storage keeps (``MAX_LENGTHS``) — with what is wrong
        with it; else None."""
        texts = {
            "call_id": self.call_id,
            "event_id": self.event_id,
            "extension": self.extension,
            "leg": self.leg,
            "recording_url": self.recording_url,
        }
        for name, value in texts.items():
            if not value:
                continue
            if "\x00" in value:
                return name, f"{name} contains a NUL character"
            if len(value) > MAX_LENGTHS[name]:
                return name, f"{name} is longer than {MAX_LENGTHS[name]} characters"
        return None

    @property
    def state_key(self) -> str:
        """The natural identity of this update: the same call, state, party and leg is one fact."""
        return "|".join((self.call_id, self.state, self.extension or "", self.leg or ""))

    @property
    def dedup_key(self) -> str:
        """The key an update is stored once under; see :func:`dedup_key`."""
        return dedup_key(self.connector, self.state_key)


def dedup_key(connector: str, state_key: str) -> str:
    """The one key under which an update is stored once: its connector and natural identity.
    The writer and the repository that finds already-stored updates both build it here."""
    return f"{connector}|{state_key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallSummary:
    """What a call amounts to, given every update seen so far."""

    direction: Direction
    status: CallStatus
    outcome: Outcome | None
    caller: str
    callee: str
    answered_extension: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    recording_url: str | None
    # The extensions that rang for this call, in the order they first rang.
    rang: tuple[str, ...] = ()
    # The PBX said the whole call is over (an update without a party ended it), not only that
    # every leg seen so far has ended: no leg of it can still appear.
    final: bool = False

    @property
    def missed(self) -> bool:
        """An inbound call that ended without anyone answering it (missed, busy or abandoned)."""
        return is_missed(self.direction, self.outcome)

    @property
    def talk_time(self) -> timedelta | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return max(self.ended_at - self.answered_at, timedelta(0))


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredUpdate:
    """An update as the fold sees it: the moment it happened is always known."""

    direction: Direction
    state: CallState
    caller: str
    callee: str
    extension: str | None
    leg: str | None
    at: datetime
    reason: EndReason | None
    recording_url: str | None
    event_id: str | None = None


def _order(update: StoredUpdate) -> tuple[datetime, int, str, str, str]:
    return (
        update.at,
        _STATE_RANK[update.state],
        update.extension or "",
        update.leg or "",
        update.event_id or "",
    )


def _legs(updates: list[StoredUpdate]) -> tuple[set[str], set[str]]:
    seen: set[str] = set()
    ended: set[str] = set()
    for update in updates:
        party = update.leg or update.extension
        if party is None:
            continue
        seen.add(party)
        if update.state is CallState.ENDED:
            ended.add(party)
    return seen, ended


def _unanswered_outcome(direction: Direction, reason: EndReason | None) -> Outcome:
    if direction is not Direction.INBOUND:
        return Outcome.UNANSWERED
    if reason is EndReason.BUSY:
        return Outcome.BUSY
    if reason is EndReason.CANCEL:
        return Outcome.ABANDONED
    return Outcome.MISSED


def fold_call(updates: Iterable[StoredUpdate]) -> CallSummary:
    """Fold all updates of one call; the result does not depend on their order or repetitions.

    Ring-group semantics: if any leg was answered the call is answered. A call has ended when an
    update without a party says so, or when every party that rang has ended.
    """
    ordered = sorted(updates, key=_order)
    if not ordered:
        raise ValueError("a call needs at least one update")
    first = ordered[0]
    answered = [u for u in ordered if u.state is CallState.ANSWERED]
    ends = [u for u in ordered if u.state is CallState.ENDED]
    seen, ended_legs = _legs(ordered)
    whole_call_ended = any(u.leg is None and u.extension is None for u in ends)
    is_ended = bool(ends) and (whole_call_ended or seen <= ended_legs)
    recordings = [u.recording_url for u in ordered if u.recording_url]
    ended_at = ends[-1].at if is_ended else None

    if answered:
        status = CallStatus.ENDED if is_ended else CallStatus.ANSWERED
        outcome: Outcome | None = Outcome.ANSWERED
    elif is_ended:
        status = CallStatus.ENDED
        reason = next((u.reason for u in reversed(ends) if u.reason is not None), None)
        outcome = _unanswered_outcome(first.direction, reason)
    else:
        status = CallStatus.RINGING
        outcome = None
    return CallSummary(
        direction=first.direction,
        status=status,
        outcome=outcome,
        # An update that knows no numbers (a recording said as a leg of its own) may come first.
        caller=next((u.caller for u in ordered if u.caller), first.caller),
        callee=next((u.callee for u in ordered if u.callee), first.callee),
        answered_extension=answered[0].extension if answered else None,
        started_at=first.at,
        answered_at=answered[0].at if answered else None,
        ended_at=ended_at,
        recording_url=recordings[-1] if recordings else None,
        rang=tuple(dict.fromkeys(u.extension for u in ordered if u.extension)),
        final=is_ended and whole_call_ended,
    )
