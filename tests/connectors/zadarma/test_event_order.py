"""Zadarma's notifications of one answered call, in any order and some twice: the same call, and
no case or alert that says it was missed (``NOTIFY_END`` carries the disposition, so an early end
already tells an answered call)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.connectors.event_order import check_any_order, ensure_team
from tests.connectors.service import service
from tests.connectors.zadarma.payloads import DID, START, account, notify
from tests.support.api import Api
from tests.support.fuzzing import fuzz

EXAMPLES = itertools.count(1)
EVENTS = 4


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, zd=account())


def _answered(call_id: str, caller: str) -> list[dict[str, str]]:
    base = {"pbx_call_id": call_id, "caller_id": caller, "called_did": DID, "call_start": START}
    return [
        {"event": "NOTIFY_START", **base},
        {"event": "NOTIFY_INTERNAL", **base, "internal": "101"},
        {
            "event": "NOTIFY_ANSWER",
            "pbx_call_id": call_id,
            "caller_id": caller,
            "destination": "101",
            "internal": "101",
            "call_start": START,
        },
        {
            "event": "NOTIFY_END",
            **base,
            "internal": "101",
            "duration": "35",
            "disposition": "answered",
            "status_code": "16",
            "is_recorded": "0",
            "call_id_with_rec": "",
        },
    ]


@fuzz(8)
@given(
    order=st.permutations(range(EVENTS)),
    repeats=st.lists(st.integers(0, EVENTS - 1), max_size=2),
)
async def test_an_answered_call_in_any_order(
    api: Api, order: list[int], repeats: list[int]
) -> None:
    await _replay(api, order, repeats)


async def test_the_end_before_the_answer_opens_no_case(api: Api) -> None:
    # NOTIFY_END says "answered" itself: no case opens even before NOTIFY_ANSWER comes.
    await _replay(api, [0, 1, 3, 2], [], withdrawn=False)


async def _replay(
    api: Api, order: list[int], repeats: list[int], withdrawn: bool | None = None
) -> None:
    await ensure_team(api)
    example = next(EXAMPLES)
    caller = f"7916444{example:04d}"
    forms = _answered(f"z{example}", caller)

    def deliver(form: dict[str, str]) -> Any:
        return lambda: notify(api, form)

    await check_any_order(
        api,
        [deliver(form) for form in forms],
        order,
        repeats,
        number=f"+{caller}",
        expected=("inbound", "answered", "101"),
        shape=lambda c: (c["direction"], c["outcome"], c["extension"]),
        withdrawn=withdrawn,
    )
