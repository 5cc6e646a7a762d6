"""Long loops give the event loop back every few items (hub/runtime/pacing.py)."""

from __future__ import annotations

import asyncio

from hub.runtime.pacing import GiveWay, paced


async def test_other_tasks_run_between_the_slices_of_a_long_loop() -> None:
    seen: list[int] = []
    ticks: list[int] = []

    async def ticker() -> None:
        while True:
            ticks.append(len(seen))
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    async for item in paced(range(100), every=25):
        seen.append(item)
    task.cancel()
    assert seen == list(range(100))
    # The ticker ran after each slice of 25, never in the middle of one.
    assert [t for t in ticks if 0 < t < 100] == [25, 50, 75]


async def test_a_loop_not_over_items_gives_way_too() -> None:
    done = 0
    turns: list[int] = []

    async def other() -> None:
        while True:
            turns.append(done)
            await asyncio.sleep(0)

    task = asyncio.create_task(other())
    await asyncio.sleep(0)
    give_way = GiveWay(10)
    while done < 35:
        done += 1
        await give_way.tick()
    task.cancel()
    assert [t for t in turns if t > 0] == [10, 20, 30]
