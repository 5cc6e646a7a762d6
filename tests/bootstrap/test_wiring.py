"""The assembled app: every kind of fact has its reactions, every resource its key."""

from __future__ import annotations

import typing

from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.outbox import SENDER
from hub.bootstrap.people import SCHEDULE
from hub.bootstrap.pipeline import FOLDER, HANDLERS, INTAKE, ROUTER, WRITER
from hub.domain.cases import CaseFact
from hub.domain.facts import Fact
from tests.support.api import Api


async def test_every_fact_has_a_handler_and_case_facts_reach_the_outbox(api: Api) -> None:
    handlers = api.app[HANDLERS]
    kinds = set(typing.get_args(Fact))
    assert kinds <= set(handlers.after_map), kinds - set(handlers.after_map)
    # The alerts about a case are written in the case's own transaction.
    assert [h.__qualname__ for h in handlers.within_map[CaseFact]] == ["Alerts.react"]
    for key in (DIRECTORY, SENDER, SCHEDULE, FOLDER, INTAKE, ROUTER, WRITER):
        assert key in api.app


async def test_the_app_reads_the_time_from_its_clock(api: Api) -> None:
    moment = api.clock.now()
    decision = await api.get("/api/v1/route?from=%2B79161234567")
    assert decision["target"] == {"type": "default"}
    # The test clock started on a Wednesday in 2026, whatever day the machine thinks it is.
    assert moment.year == 2026 and moment.isoweekday() == 3
