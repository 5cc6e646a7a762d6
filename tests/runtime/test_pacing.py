"""Long loops give the event loop back every few items (hub/runtime/pacing.py)."""

from __future__ import annotations

from hub.runtime.pacing import GiveWay, paced
from tests.support.turns import turns_taken


async def test_other_tasks_run_between_the_slices_of_a_long_loop() -> None:
    seen: list[int] = []
    async with turns_taken(lambda: len(seen)) as turns:
        async for item in paced(range(100), every=25):
            seen.append(item)
    assert seen == list(range(100))
    # The other task ran after each slice of 25, never in the middle of one.
    assert [t for t in turns if 0 < t < 100] == [25, 50, 75]


async def test_a_loop_not_over_items_gives_way_too() -> None:
    done = 0
    give_way = GiveWay(10)
    async with turns_taken(lambda: done) as turns:
        while done < 35:
            done += 1
            await give_way.tick()
    assert [t for t in turns if t > 0] == [10, 20, 30]
