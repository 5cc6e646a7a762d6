"""Long loops on the event loop give way now and then.

A loop over hundreds of items between two awaits holds every request waiting behind it (a routing
answer the PBX waits for while the phone rings). :func:`paced` hands the loop back every
``every`` items, so no stretch of such work lasts more than a millisecond or two.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

T = TypeVar("T")
EVERY = 25


async def paced(items: Iterable[T], every: int = EVERY) -> AsyncIterator[T]:
    """``items``, one by one, letting other tasks run after each ``every`` of them."""
    for n, item in enumerate(items):
        if n and n % every == 0:
            await asyncio.sleep(0)
        yield item
