"""How many routing decisions without a call id are stored each second; the rest are counted.

Every decision a PBX asks for with its call id is stored: the call it belongs to is linked to it.
One asked for without a call id (the routing API called bare) is linked to its call by the
caller's number and the time, and a real office makes a few such decisions a second at its
busiest. Beyond ``per_second`` of them in one second (a flood: a load test, a PBX asking in a
loop) storing each would cost the routing answers themselves — the rows are built and written
on the processors that answer — so those beyond are only counted, exactly, by reason (the
``dozvon_route_decisions_unrecorded`` metric), and the log says how many at most once a minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# How often the log says how many decisions were counted, not stored.
REPORT_EVERY = timedelta(minutes=1)


class DecisionBudget:
    """Whether a decision made at a moment is stored; reads no clock of its own (the router
    passes the moment it decided at)."""

    __slots__ = ("_left", "_per_second", "_reported", "_second", "_skipped")

    def __init__(self, per_second: int) -> None:
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self._per_second = per_second
        self._second: int | None = None
        self._left = 0
        self._skipped = 0
        self._reported: datetime | None = None

    @property
    def per_second(self) -> int:
        return self._per_second

    def take(self, now: datetime) -> bool:
        """Whether a decision made at ``now`` is stored (else it is counted by the caller)."""
        second = int(now.timestamp())
        if second != self._second:
            self._second, self._left = second, self._per_second
        if self._left:
            self._left -= 1
            return True
        self._skipped += 1
        return False

    def report(self, now: datetime) -> tuple[int, bool] | None:
        """How many were counted, not stored, since the last report, and whether this is the
        first report — at once for the first, then once ``REPORT_EVERY`` has passed since the
        last (None otherwise, and the count kept for the next)."""
        if not self._skipped:
            return None
        first = self._reported is None
        if self._reported is not None and now - self._reported < REPORT_EVERY:
            return None
        skipped, self._skipped, self._reported = self._skipped, 0, now
        return skipped, first
