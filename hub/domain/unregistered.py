"""The month-end report of unregistered numbers: who called a manager and is still nobody's.

A number "called him" in a month when one of its inbound calls that month was answered by him,
rang his extension (a ringing update of the call names it), or the number is his in the triage
queue (``unknown_numbers.manager_id``: then every call of the number that month counts). It is
"unregistered" while no client card holds it and no list does. Storage gives one row per call
and manager it reached; :func:`unregistered` folds them into one line per number and manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hub.domain.recordings import recording_path


@dataclass(frozen=True, slots=True, kw_only=True)
class UnregisteredCall:
    """One inbound call of an unregistered number, and one manager it reached."""

    call_id: int
    number: str
    manager_id: int
    started_at: datetime
    recording_url: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnregisteredNumber:
    number: str
    manager_id: int
    calls: int
    first_call: datetime
    last_call: datetime
    recordings: tuple[str, ...]


def unregistered(rows: Iterable[UnregisteredCall]) -> list[UnregisteredNumber]:
    """One line per (number, manager): his calls from it (each call once, however many ways it
    reached him), the first and the last, and where to play each recorded one
    (``/api/v1/calls/<id>/recording``), in call order. Sorted by manager, then
    by the first call."""
    calls: dict[tuple[str, int], dict[int, UnregisteredCall]] = {}
    for row in rows:
        calls.setdefault((row.number, row.manager_id), {})[row.call_id] = row
    lines = []
    for (number, manager_id), found in calls.items():
        ordered = sorted(found.values(), key=lambda c: (c.started_at, c.call_id))
        recordings = [recording_path(c.call_id) for c in ordered if c.recording_url]
        lines.append(
            UnregisteredNumber(
                number=number,
                manager_id=manager_id,
                calls=len(ordered),
                first_call=ordered[0].started_at,
                last_call=ordered[-1].started_at,
                recordings=tuple(dict.fromkeys(r for r in recordings if r)),
            )
        )
    return sorted(lines, key=lambda n: (n.manager_id, n.first_call, n.number))
