"""The property every connector keeps: whatever order a call's events come in, and with some of
them sent twice, the call comes out the same, no callback case is left open for an answered call,
and every missed-call alert that went out was edited to say the call was answered after all.

A vendor test gives the events of one answered inbound call (each a coroutine that delivers it)
and how to tell its call; :func:`check_any_order` delivers them shuffled and checks the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tests.support.api import Api
from tests.support.team import outbox
from tests.support.telegram_stub import until_true

Deliver = Callable[[], Awaitable[object]]


async def ensure_team(api: Api) -> None:
    """Иван (extension 101) and his supervisor Ольга, made on the first call of a database
    (hypothesis runs many examples against one)."""
    if (await api.get("/api/v1/managers"))["items"]:
        return
    boss = await api.post("/api/v1/managers", {"name": "Ольга", "role": "supervisor"})
    await api.post(
        "/api/v1/managers", {"name": "Иван", "extension": "101", "supervisor_id": boss["id"]}
    )


async def check_any_order(
    api: Api,
    events: Sequence[Deliver],
    order: Sequence[int],
    repeats: Sequence[int],
    *,
    number: str,
    expected: tuple[Any, ...],
    shape: Callable[[dict[str, Any]], tuple[Any, ...]],
    withdrawn: bool | None = None,
) -> None:
    """Deliver ``events`` in ``order`` (then ``repeats`` again); the call from ``number`` must
    have ``expected`` as its ``shape``, and no case or alert may say it was missed. Given
    ``withdrawn``: whether the order must have opened, then withdrawn, a case."""
    for index in [*order, *repeats]:
        await events[index]()
    calls = [c for c in (await api.get("/api/v1/calls"))["items"] if c["number"] == number]
    assert [shape(c) for c in calls] == [expected]
    cases = [c for c in (await api.get("/api/v1/callback-cases"))["items"] if c["number"] == number]
    assert all(c["status"] == "withdrawn" for c in cases), cases
    if withdrawn is not None:
        assert bool(cases) == withdrawn, cases

    async def delivered() -> bool:
        return all(r.status in ("sent", "superseded") for r in await outbox(api))

    await until_true(delivered)
    rows = [r for r in await outbox(api) if number in r.text]
    missed = {r.manager_id for r in rows if r.kind == "missed"}
    assert missed == {r.manager_id for r in rows if r.kind == "withdrawn"}
    assert bool(missed) == bool(cases)
