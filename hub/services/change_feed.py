"""Where a follower of a change feed is: the newest id seen, and the gaps below it.

A feed is a table read by increasing id (the audit log, the talk log). On PostgreSQL a ``serial``
id is drawn at insert and the rows become visible at commit, in another order: id 7 can be read
while id 6 belongs to a transaction still running (or one that will roll back). Reading "after
the newest id seen" would skip id 6 for ever. So the follower keeps every id it has not seen
below its newest as a *gap* and reads the gaps again on every look, until it knows they can no
longer fill:

1. a gap is found by a read;
2. at the next look (a refresh later: every transaction holding an id in the gap had drawn it
   before that read, and holds a transaction id by now) it is *marked* with the next
   transaction id PostgreSQL will give — every transaction that can still fill it is below the
   mark;
3. once the oldest transaction still running is at or above the mark, taken *before* a look's
   read, that read has seen whatever the gap was going to hold, and the gap is dropped.

A gap costs an indexed range read per look while it is open, which is as long as the slowest
transaction that was running when it was found. A rolled-back id stays a gap for that long,
then goes. SQLite's writers take turns and commit in id order, so there it keeps no gaps.
This module is pure bookkeeping; the reads are ``storage/repositories/feeds.py``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Gap:
    """Ids ``low``..``high`` (inclusive) not seen yet; ``mark``: see the module's step 2."""

    low: int
    high: int
    mark: int | None = None


@dataclass(slots=True)
class FeedCursor:
    top: int = 0
    gaps: list[Gap] = field(default_factory=list)

    def ranges(self) -> list[tuple[int, int]]:
        return [(gap.low, gap.high) for gap in self.gaps]

    def missing(self) -> int:
        """How many ids the open gaps span."""
        return sum(gap.high - gap.low + 1 for gap in self.gaps)

    def look(self, horizon: tuple[int, int] | None) -> int | None:
        """Start a look, before its read: mark the gaps found by earlier looks. Returns the
        oldest running transaction to give ``settle`` after the read."""
        if horizon is None:
            self.gaps.clear()
            return None
        oldest_running, next_xid = horizon
        for gap in self.gaps:
            if gap.mark is None:
                gap.mark = next_xid
        return oldest_running

    def saw(self, ids: Iterable[int], newest: int) -> None:
        """Account for a read: ``ids`` seen (in the gaps or above ``top``), ``newest`` the
        largest id the read covered above ``top``. Unseen ids up to it become gaps."""
        seen = sorted(set(ids))
        kept: list[Gap] = []
        for gap in self.gaps:
            kept += _split(gap.low, gap.high, seen, gap.mark)
        if newest > self.top:
            kept += _split(self.top + 1, newest, seen, None)
            self.top = newest
        self.gaps = kept

    def settle(self, oldest_running: int | None) -> None:
        """End a look: drop the gaps no transaction can fill any more (see the module)."""
        if oldest_running is None:
            self.gaps.clear()
            return
        self.gaps = [g for g in self.gaps if g.mark is None or g.mark > oldest_running]


def _split(low: int, high: int, seen: list[int], mark: int | None) -> list[Gap]:
    """The parts of ``low..high`` not in ``seen`` (sorted)."""
    parts: list[Gap] = []
    start = low
    index = bisect.bisect_left(seen, low)
    while index < len(seen) and seen[index] <= high:
        if seen[index] > start:
            parts.append(Gap(start, seen[index] - 1, mark))
        start = seen[index] + 1
        index += 1
    if start <= high:
        parts.append(Gap(start, high, mark))
    return parts
