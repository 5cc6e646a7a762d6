"""Figures computed once and kept a short while: the reports page, its three charts and its files
ask for the same period's figures within seconds, and one computation serves them all.

An answer is kept for ``keep`` by the moments the callers give (the service's clock, which the
tests move), at most ``size`` of them, the oldest dropped first. A computation under way is shared
by everyone asking for the same key meanwhile, and goes on when the request that started it goes
away; one that fails is not kept, so the next request computes again. What is kept may thus be up
to ``keep`` old. It is the memory of one instance: behind a load balancer each instance computes
its own, and nothing is lost when one stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class _Kept(Generic[V]):
    made: datetime
    task: asyncio.Task[V]


class Recent(Generic[K, V]):
    """Answers by key, each kept ``keep`` from when it was asked for first."""

    def __init__(self, *, keep: timedelta, size: int) -> None:
        self._keep = keep
        self._size = size
        self._kept: dict[K, _Kept[V]] = {}
        self._running: set[asyncio.Task[V]] = set()

    def __len__(self) -> int:
        return len(self._kept)

    async def get(self, key: K, now: datetime, compute: Callable[[], Coroutine[Any, Any, V]]) -> V:
        """The answer for ``key``: kept, under way, or ``compute()``'d now."""
        kept = self._kept.get(key)
        if kept is None or not timedelta(0) <= now - kept.made < self._keep:
            kept = _Kept(now, asyncio.create_task(compute(), name=f"figures {key}"))
            self._kept.pop(key, None)  # a renewed key counts as the newest
            self._kept[key] = kept
            self._running.add(kept.task)
            kept.task.add_done_callback(lambda task: self._ended(key, task))
            for old in list(self._kept)[: -self._size]:
                del self._kept[old]
        return await asyncio.shield(kept.task)

    def _ended(self, key: K, task: asyncio.Task[V]) -> None:
        self._running.discard(task)
        failed = task.cancelled() or task.exception() is not None
        kept = self._kept.get(key)
        if failed and kept is not None and kept.task is task:
            del self._kept[key]

    async def close(self) -> None:
        """Let the computations under way end (whoever waits for them gets his answer), then
        forget every answer."""
        await asyncio.gather(*self._running, return_exceptions=True)
        self._kept.clear()
