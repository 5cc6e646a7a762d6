"""Escalation end to end: deadlines in the database, one escalation whatever happens.

The app reads a clock the test moves: a miss is followed by a jump past its deadline, and the
sweep runs the way the service runs it (woken, at start, or called at a moment), never by waiting
for real time to pass. Everything delivered goes through real aiogram to the stand-in Bot API.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestServer

from config.settings import EscalationSettings, OutboxSettings, Settings, TelegramSettings
from hub.app import create_app
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

AFTER = timedelta(hours=2)
PAST_DEADLINE = AFTER + timedelta(minutes=1)


def _settings(db_url: str, server: TestServer) -> Settings:
    return make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN", api_base=str(server.make_url("")).rstrip("/")
        ),
        # The interval trigger counts real time: an hour never passes during a test, so the
        # sweep runs only when the test wakes it, calls it, or an instance starts.
        escalation=EscalationSettings(after=AFTER, sweep_interval=timedelta(hours=1)),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    )


MISSED = [
    update("m1", "ringing", extension="101"),
    update("m1", "ended", extension="101", reason="no_answer"),
]


def _escalations(fake: BotApiStub) -> list[int]:
    return sorted(
        int(r.params["chat_id"])
        for r in fake.calls("sendMessage")
        if r.params["text"].startswith("⚠️")
    )


async def _missed_and_alerted(api: Api, fake: BotApiStub) -> None:
    """The miss, and its two alerts (manager, supervisor) delivered and marked so. (A message
    reaches the stand-in a moment before the sender marks it sent; moving the clock past its
    lease in that moment would hand it to another sender again.)"""
    await sales_team(api)
    await api.hook(MISSED)
    await _all_delivered(api, 2)
    assert len(fake.calls("sendMessage")) == 2
    assert _escalations(fake) == []


async def _all_delivered(api: Api, count: int) -> None:
    """Wait until the outbox holds exactly ``count`` messages, every one delivered. A second
    escalation would be rows written in the sweep's own transaction: once the sweeps are done,
    the outbox shows it without waiting for anything more."""

    async def delivered() -> bool:
        counts = (await api.get("/api/v1/outbox"))["counts"]
        return bool(counts.get("sent", 0) >= count and "pending" not in counts)

    await until_true(delivered)
    assert (await api.get("/api/v1/outbox"))["counts"] == {"sent": count}


async def _case_status(api: Api) -> str:
    cases = (await api.get("/api/v1/callback-cases"))["items"]
    assert len(cases) == 1
    return str(cases[0]["status"])


async def test_no_callback_escalates_exactly_once(
    stub: Any, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    clock = TestClock()
    client = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    schedule = client.app[SCHEDULE]
    await _missed_and_alerted(api, fake)

    clock.advance(AFTER - timedelta(minutes=1))  # a minute before the deadline: nothing yet
    schedule.wake(ESCALATION_SWEEP)
    await schedule.settle(ESCALATION_SWEEP)
    assert await _case_status(api) == "open"

    clock.advance(timedelta(minutes=2))  # a minute past it: the sweep escalates
    schedule.wake(ESCALATION_SWEEP)
    await schedule.settle(ESCALATION_SWEEP)
    assert await _case_status(api) == "escalated"
    # Later sweeps, woken or called, find nothing left to escalate.
    schedule.wake(ESCALATION_SWEEP)
    await schedule.settle(ESCALATION_SWEEP)
    sweep = schedule.job(ESCALATION_SWEEP).run
    assert await sweep(clock.now() + timedelta(days=1)) == 0

    await _all_delivered(api, 4)  # two alerts, two escalations
    assert _escalations(fake) == [1000, 9000]
    assert len(fake.calls("sendMessage")) == 4


async def test_restart_between_miss_and_deadline(
    stub: Any, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    clock = TestClock()
    first = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    await _missed_and_alerted(Api(first, ADMIN_TOKEN, HOOK_SECRET), fake)
    await first.close()  # the service stops before the deadline ...
    clock.advance(PAST_DEADLINE)  # ... and the deadline passes while it is down
    assert _escalations(fake) == []

    # The new instance's sweep runs once as it starts: it catches up with the missed deadline.
    second = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    api = Api(second, ADMIN_TOKEN, HOOK_SECRET)
    await until(lambda: len(_escalations(fake)) >= 2)
    schedule = second.app[SCHEDULE]
    await schedule.settle(ESCALATION_SWEEP)
    assert await schedule.job(ESCALATION_SWEEP).run(clock.now()) == 0
    await _all_delivered(api, 4)
    assert _escalations(fake) == [1000, 9000]
    assert await _case_status(api) == "escalated"


async def test_two_instances_escalate_once(stub: Any, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    clock = TestClock()
    one = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    two = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    api = Api(one, ADMIN_TOKEN, HOOK_SECRET)
    await _missed_and_alerted(api, fake)

    clock.advance(PAST_DEADLINE)
    # Both instances sweep at the same moment: one claims the case, the other finds it taken.
    sweeps = [app[SCHEDULE].job(ESCALATION_SWEEP).run for app in (one.app, two.app)]
    counts = await asyncio.gather(*(sweep(clock.now()) for sweep in sweeps))
    assert sorted(counts) == [0, 1]
    # Their schedules wake up as well (both at once), and find nothing more.
    for app in (one.app, two.app):
        app[SCHEDULE].wake(ESCALATION_SWEEP)
    await asyncio.gather(*(app[SCHEDULE].settle(ESCALATION_SWEEP) for app in (one.app, two.app)))

    await _all_delivered(api, 4)  # both senders deliver from the one outbox: nothing twice
    assert _escalations(fake) == [1000, 9000]
    assert len(fake.calls("sendMessage")) == 4
    assert await _case_status(Api(two, ADMIN_TOKEN, HOOK_SECRET)) == "escalated"
