"""Watching a long loop give the event loop back: another task that notes, each time it gets a
turn, how far the loop has come."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


@asynccontextmanager
async def turns_taken(progress: Callable[[], int]) -> AsyncIterator[list[int]]:
    """The list of ``progress()`` values seen by another task at each of its turns while the
    block runs (the first, 0, before the block starts)."""
    turns: list[int] = []

    async def other_task() -> None:
        while True:
            turns.append(progress())
            await asyncio.sleep(0)

    task = asyncio.create_task(other_task())
    await asyncio.sleep(0)
    try:
        yield turns
    finally:
        task.cancel()
