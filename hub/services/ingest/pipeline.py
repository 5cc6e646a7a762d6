"""The call pipeline's core: store new updates once, refold their calls, record unknown numbers.

Two steps, each one transaction. :func:`store_updates` keeps each new update once (dedup on the
vendor's event id and on the natural key); the webhook is acknowledged when that commits, since
everything else can be derived from the stored updates. :func:`fold_pending` then takes the
updates not yet folded, refolds every call they touch from all of its stored updates, and records
what follows (the call, unknown numbers). Repeats and any order give the same calls; after a crash
the updates stored but not yet folded are folded on the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub.domain.calls import (
    CallState,
    CallStatus,
    CallSummary,
    CallUpdate,
    Direction,
    EndReason,
    StoredUpdate,
    fold_call,
)
from hub.domain.cases import CaseFact
from hub.domain.facts import CallTalked, UnknownAnswered
from hub.domain.phone import Normalizer
from hub.domain.unknown import UnknownStatus
from hub.runtime.pacing import paced
from hub.services.cases import CasePolicy, FoldedCall, apply_cases
from storage.models import Call, CallEvent, UnknownNumber
from storage.repositories.calls import CallKey
from storage.uow import UnitOfWork

ROUTE_MATCH_WINDOW = timedelta(minutes=5)


# A pass holds SQLite's one write lock while it works: a bounded batch keeps it short (about a
# few hundredths of a second), so a webhook waiting to store its updates waits no longer.
FOLD_BATCH = 100
# The kinds of turn a fold takes on PostgreSQL: a call, an outside number.
CALL_TURN, NUMBER_TURN = 1, 2


@dataclass(slots=True)
class FoldResult:
    """What one fold pass did, and what routing should learn from it."""

    folded: int = 0
    # Calls put off until their PBX's last word (see apply_cases) that came due and were decided.
    settled: int = 0
    talks: list[CallTalked] = field(default_factory=list)
    facts: list[CaseFact] = field(default_factory=list)
    answered_unknown: list[UnknownAnswered] = field(default_factory=list)
    summaries: dict[CallKey, CallSummary] = field(default_factory=dict)


def _row(update: CallUpdate, received_at: datetime) -> dict[str, Any]:
    return {
        "connector": update.connector,
        "vendor_call_id": update.call_id,
        "event_id": update.event_id,
        "state_key": update.state_key,
        "direction": update.direction.value,
        "state": update.state.value,
        "caller": update.caller.value,
        "callee": update.callee.value,
        "extension": update.extension,
        "leg": update.leg,
        "reason": update.reason.value if update.reason else None,
        "at": update.at or received_at,
        "received_at": received_at,
        "recording_url": update.recording_url,
        "folded": False,
    }


def _stored(event: CallEvent) -> StoredUpdate:
    return StoredUpdate(
        direction=Direction(event.direction),
        state=CallState(event.state),
        caller=event.caller,
        callee=event.callee,
        extension=event.extension,
        leg=event.leg,
        at=event.at,
        reason=EndReason(event.reason) if event.reason else None,
        recording_url=event.recording_url,
        event_id=event.event_id,
    )


def _unique(updates: list[CallUpdate]) -> list[CallUpdate]:
    seen_events: set[tuple[str, str]] = set()
    seen_states: set[str] = set()
    result: list[CallUpdate] = []
    for update in updates:
        key = update.dedup_key
        event = (update.connector, update.event_id) if update.event_id else None
        if key in seen_states or (event is not None and event in seen_events):
            continue
        seen_states.add(key)
        if event is not None:
            seen_events.add(event)
        result.append(update)
    return result


def external_of(summary: CallSummary, normalize: Normalizer) -> str | None:
    """The outside party of a call: the caller of an inbound call, the callee of an outbound one."""
    if summary.direction is Direction.INBOUND:
        party = normalize(summary.caller)
    elif summary.direction is Direction.OUTBOUND:
        party = normalize(summary.callee)
    else:
        return None
    return party.value if party.is_external else None


def update_rows(updates: list[CallUpdate], *, now: datetime) -> list[dict[str, Any]]:
    """The ``call_events`` rows of these updates, each repeat within them left out."""
    return [_row(u, now) for u in _unique(updates)]


async def store_updates(uow: UnitOfWork, updates: list[CallUpdate], *, now: datetime) -> set[str]:
    """Store the updates not seen before; returns their dedup keys. The caller commits."""
    return await uow.calls.insert_events(update_rows(updates, now=now))


async def fold_pending(
    uow: UnitOfWork,
    *,
    normalize: Normalizer,
    now: datetime,
    cases: CasePolicy | None = None,
    limit: int = FOLD_BATCH,
) -> FoldResult:
    """Fold up to ``limit`` stored updates into their calls (and, given a policy, into callback
    cases); the caller commits."""
    result = FoldResult()
    await uow.calls.plan_for_their_values()
    pending = await uow.calls.take_unfolded(limit)
    due = await uow.calls.due_to_settle(now, limit) if cases is not None else []
    if not pending and not due:
        return result
    result.folded, result.settled = len(pending), len(due)
    keys: set[CallKey] = {(e.connector, e.vendor_call_id) for e in pending} | set(due)
    # Another instance may be folding one of these calls, or a call from the same number (its
    # update reached that instance): take turns with it (PostgreSQL; see take_turns).
    await uow.calls.take_turns(CALL_TURN, (f"{connector}:{call_id}" for connector, call_id in keys))
    events = await uow.calls.events_of(keys)
    calls = await uow.calls.calls_by_key(keys)
    summaries = {}
    async for key in paced(sorted(keys)):
        if events[key]:
            summaries[key] = fold_call(_stored(e) for e in events[key])
    result.summaries = summaries
    externals = {key: external_of(s, normalize) for key, s in summaries.items()}
    numbers = {n for n in externals.values() if n}
    await uow.calls.take_turns(NUMBER_TURN, numbers)
    owners = await uow.clients.owners(numbers)
    listed = await uow.lists.memberships(numbers)
    extensions = {e for s in summaries.values() for e in s.rang}
    extensions |= {s.answered_extension for s in summaries.values() if s.answered_extension}
    managers = await uow.managers.by_extensions(extensions)
    unknown = await uow.unknown.by_numbers(
        n for n in numbers if n not in owners and n not in listed
    )
    new_calls = [key for key in summaries if key not in calls]
    earliest = min((summaries[k].started_at for k in new_calls), default=now)
    by_ref, by_caller = await uow.calls.decisions_for(
        refs=[call_id for _, call_id in new_calls],
        callers=[summaries[k].caller for k in new_calls],
        since=earliest - ROUTE_MATCH_WINDOW,
    )
    # New rows are written with one multi-row INSERT each (no per-row RETURNING round trip);
    # rows that exist are updated through the session, which batches them too.
    new_call_rows: list[Call] = []
    new_unknown: dict[str, UnknownNumber] = {}
    folded_calls: list[FoldedCall] = []
    list_opens = {lst.id: lst.opens_cases for lst in await uow.lists.all()} if listed else {}

    async for key, summary in paced(list(summaries.items())):
        number = externals[key]
        manager_id = managers.get(summary.answered_extension or "")
        call = calls.get(key)
        is_new = call is None
        if call is None:
            call = Call(
                connector=key[0], vendor_call_id=key[1], updated_at=now, route=None, settle_at=None
            )
            decision = by_ref.get(key[1]) or by_caller.get(summary.caller)
            if decision is not None:
                call.route = {
                    "target": decision.target,
                    "reason": decision.reason,
                    "reason_code": decision.reason_code,
                }
            new_call_rows.append(call)
        call.direction = summary.direction.value
        call.status = summary.status.value
        call.outcome = summary.outcome.value if summary.outcome else None
        call.caller = summary.caller
        call.caller_kind = normalize(summary.caller).kind.value
        call.callee = summary.callee
        call.callee_kind = normalize(summary.callee).kind.value
        call.external_number = number
        call.client_id = owners.get(number) if number else None
        call.manager_id = manager_id
        call.extension = summary.answered_extension
        call.started_at = summary.started_at
        call.answered_at = summary.answered_at
        call.ended_at = summary.ended_at
        call.recording_url = summary.recording_url
        if number is not None:
            folded_calls.append(
                FoldedCall(
                    call=call,
                    summary=summary,
                    number=number,
                    client_id=call.client_id,
                    opens_cases=list_opens.get(listed[number], True) if number in listed else True,
                    last_talked=_last_talk(unknown.get(number)),
                    last_heard=max(e.received_at for e in events[key]),
                )
            )
        if number is None or number in owners or number in listed:
            continue
        if manager_id is not None and summary.answered_at is not None:
            result.talks.append(CallTalked(number, manager_id, summary.answered_at))
            if summary.status is CallStatus.ENDED:
                ref = f"{key[0]}:{key[1]}"
                result.answered_unknown.append(
                    UnknownAnswered(number, manager_id, ref, summary.answered_at)
                )
        if summary.direction is Direction.INBOUND:
            entry = unknown.get(number)
            if entry is None:
                entry = UnknownNumber(
                    number=number,
                    status=UnknownStatus.OPEN,
                    first_seen=summary.started_at,
                    last_seen=summary.started_at,
                    calls=0,
                    manager_ids=[],
                    recording_urls=[],
                    last_manager_id=None,
                    last_talked_at=None,
                    manager_id=None,
                    resolution=None,
                    resolved_by=None,
                    resolved_at=None,
                )
                new_unknown[number] = entry
                unknown[number] = entry
            rang = [managers[e] for e in summary.rang if e in managers]
            _note_call(entry, summary, manager_id, counted=is_new, rang=rang)
        elif number in unknown and manager_id is not None and summary.answered_at is not None:
            _note_talk(unknown[number], manager_id, summary.answered_at)
    if cases is not None:
        result.facts = await apply_cases(uow, folded_calls, cases, now=now)
    await uow.calls.insert_new(new_call_rows)
    await uow.unknown.insert_new(list(new_unknown.values()))
    await uow.flush()
    return result


def _last_talk(entry: UnknownNumber | None) -> tuple[int, datetime] | None:
    if entry is None or entry.last_manager_id is None or entry.last_talked_at is None:
        return None
    return entry.last_manager_id, entry.last_talked_at


def _note_talk(entry: UnknownNumber, manager_id: int, at: datetime) -> None:
    if manager_id not in (entry.manager_ids or []):
        entry.manager_ids = [*(entry.manager_ids or []), manager_id]
    if entry.last_talked_at is None or entry.last_talked_at <= at:
        entry.last_manager_id = manager_id
        entry.last_talked_at = at
        entry.manager_id = manager_id


def _note_call(
    entry: UnknownNumber,
    summary: CallSummary,
    manager_id: int | None,
    *,
    counted: bool,
    rang: list[int],
) -> None:
    """Count the call on the number's queue entry. The number belongs to the manager who last
    talked to it, else to the first whose phone rang for it."""
    if entry.status != UnknownStatus.OPEN:
        # Triaged earlier, but the card or list entry has since been removed: back in the queue.
        entry.status = UnknownStatus.OPEN
        entry.resolution = None
        entry.resolved_at = None
    if counted:
        entry.calls = (entry.calls or 0) + 1
    entry.first_seen = min(entry.first_seen, summary.started_at)
    entry.last_seen = max(entry.last_seen, summary.started_at)
    if manager_id is not None and summary.answered_at is not None:
        _note_talk(entry, manager_id, summary.answered_at)
    if entry.manager_id is None and rang:
        entry.manager_id = rang[0]
    url = summary.recording_url
    if url and url not in (entry.recording_urls or []):
        entry.recording_urls = [*(entry.recording_urls or []), url][-50:]
