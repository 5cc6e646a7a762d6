"""Twilio's requests about one answered call, in any order and some twice: the same call; a
status callback that says "completed" before the ``<Dial>`` result opens a case, which the
result (the manager answered) withdraws, with the alerts edited."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.connectors.event_order import check_any_order, ensure_team
from tests.connectors.service import service
from tests.connectors.twilio.payloads import account, call, post
from tests.support.api import Api
from tests.support.fuzzing import fuzz

EXAMPLES = itertools.count(1)
EVENTS = 3


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, tw=account())


def _answered(sid: str, caller: str) -> list[tuple[str, dict[str, str]]]:
    return [
        ("voice", call(sid, caller)),
        (
            "dial-result?ext=101",
            {**call(sid, caller), "DialCallStatus": "completed", "DialCallDuration": "35"},
        ),
        ("status", {**call(sid, caller), "CallStatus": "completed"}),
    ]


async def _replay(
    api: Api, order: list[int], repeats: list[int], withdrawn: bool | None = None
) -> None:
    await ensure_team(api)
    example = next(EXAMPLES)
    caller = f"+7916333{example:04d}"
    requests = _answered(f"CA{example:032d}", caller)

    def deliver(path: str, params: dict[str, str]) -> Any:
        return lambda: post(api, f"/api/v1/hooks/tw/{path}", params)

    await check_any_order(
        api,
        [deliver(path, params) for path, params in requests],
        order,
        repeats,
        number=caller,
        expected=("inbound", "answered", "101"),
        shape=lambda c: (c["direction"], c["outcome"], c["extension"]),
        withdrawn=withdrawn,
    )


@fuzz(6)
@given(
    order=st.permutations(range(EVENTS)),
    repeats=st.lists(st.integers(0, EVENTS - 1), max_size=2),
)
async def test_an_answered_call_in_any_order(
    api: Api, order: list[int], repeats: list[int]
) -> None:
    await _replay(api, order, repeats)


async def test_completed_before_the_dial_result_opens_a_case_then_withdraws_it(api: Api) -> None:
    await _replay(api, [0, 2, 1], [], withdrawn=True)
    await _replay(api, [0, 1, 2], [], withdrawn=False)
