"""How many times a thing may be tried in a while: a sliding window of attempts per key.

The console counts login attempts with it, per username and per client address. It is a plain
structure in memory, so the count is per instance: behind a load balancer each instance allows its
own share (the limit is a brake on guessing, not an exact quota). Times come from the caller's
clock, so a test moves the clock instead of waiting.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class SlidingWindow:
    """At most ``limit`` attempts per key within any ``window``; the next one is refused.

    A refused attempt is not counted: once the window has slid past the earlier attempts, the key
    may try again. Keys idle for a whole window are forgotten, so memory stays bounded by the
    keys of the last window."""

    def __init__(self, limit: int, window: timedelta) -> None:
        if limit < 1:
            raise ValueError("a window allows at least one attempt")
        self._limit = limit
        self._window = window
        self._seen: dict[str, deque[datetime]] = {}
        self._swept: datetime | None = None

    def attempt(self, key: str, now: datetime) -> bool:
        """Count an attempt for ``key`` at ``now`` if it is allowed; False when it is not."""
        return self.attempt_all([key], now)

    def attempt_all(self, keys: list[str], now: datetime) -> bool:
        """One attempt that counts against every key: allowed only if each key allows it, and
        then counted for each (so a refused attempt costs no key anything)."""
        self._sweep(now)
        start = now - self._window
        windows = []
        for key in keys:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= start:
                seen.popleft()
            windows.append(seen)
        if any(len(seen) >= self._limit for seen in windows):
            return False
        for seen in windows:
            seen.append(now)
        return True

    def _sweep(self, now: datetime) -> None:
        """Forget the keys without an attempt in the last window (at most once a window)."""
        if self._swept is not None and now - self._swept < self._window:
            return
        start = now - self._window
        self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > start}
        self._swept = now
