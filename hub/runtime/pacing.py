"""Long loops on the event loop give way now and then.

A loop over hundreds of items between two awaits holds every request waiting behind it (a routing
answer the PBX waits for while the phone rings). :func:`paced` hands the loop back every
``every`` items, so no stretch of such work lasts more than a millisecond or two;
:class:`GiveWay` does the same for a loop that is not over a sequence of items.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

T = TypeVar("T")
# Some 100 µs an item under load (a call folded, a case's alerts rendered): a turn a millisecond.
EVERY = 10


async def paced(items: Iterable[T], every: int = EVERY) -> AsyncIterator[T]:
    """``items``, one by one, letting other tasks run after each ``every`` of them."""
    give_way = GiveWay(every)
    for item in items:
        yield item
        await give_way.tick()


class GiveWay:
    """``await tick()`` after each item of a long loop: other tasks run after every ``every``."""

    def __init__(self, every: int = EVERY) -> None:
        self._every = every
        self._done = 0

    async def tick(self) -> None:
        self._done += 1
        if self._done % self._every == 0:
            await asyncio.sleep(0)
