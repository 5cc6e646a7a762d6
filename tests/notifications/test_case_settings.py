"""Which calls open cases and when they escalate, as the settings say, end to end.

``callbacks.min_ring_time``: a missed call that rang for less opens no case and alerts nobody.
``escalation.working_hours_only``: the deadline counts only 09:00–18:00, Monday to Friday, in
the company's time zone. Call times are written in the hook (``at``), so the figures are exact;
the app's clock stands where the test puts it, whatever the day and hour it runs at.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from config.settings import CallbackSettings, EscalationSettings, OutboxSettings, Settings
from hub.app import create_app
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import outbox, sales_team

CALLER = "+79031112233"
OTHER = "+79035550000"
TWO = (("ООО Ромашка", CALLER), ("ИП Сидоров", OTHER))
QUICK = timedelta(hours=1)  # sweeps run only when the test calls them


async def _start(aiohttp_client: Any, settings: Settings, clock: TestClock) -> Api:
    client = await aiohttp_client(create_app(settings, clock=clock))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def _outbox_settings() -> OutboxSettings:
    return OutboxSettings(per_chat_interval=timedelta(0), poll_interval=timedelta(seconds=0.05))


def _missed(call_id: str, rang_at: datetime, ring: timedelta, caller: str) -> list[dict[str, Any]]:
    """A call from ``caller`` that rang from ``rang_at`` for ``ring`` and was not answered."""
    return [
        update(call_id, "ringing", caller=caller, extension="101", at=rang_at.isoformat()),
        update(
            call_id,
            "ended",
            caller=caller,
            extension="101",
            reason="no_answer",
            at=(rang_at + ring).isoformat(),
        ),
    ]


async def _cases(api: Api) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await api.get("/api/v1/callback-cases"))["items"]
    return items


async def test_calls_shorter_than_min_ring_time_open_no_case(
    aiohttp_client: Any, db_url: str
) -> None:
    settings = make_settings(
        db_url,
        callbacks=CallbackSettings(min_ring_time=timedelta(seconds=10)),
        escalation=EscalationSettings(sweep_interval=QUICK),
        outbox=_outbox_settings(),
    )
    clock = TestClock()
    api = await _start(aiohttp_client, settings, clock)
    await sales_team(api, TWO)
    rang_at = clock.now() - timedelta(minutes=1)

    # Hung up after 9.999 s: not a missed call anyone needs to return.
    await api.hook(_missed("short", rang_at, timedelta(seconds=9.999), CALLER))
    calls = (await api.get("/api/v1/calls"))["items"]
    # Stored and folded as a missed call all the same.
    assert [(c["call_id"], c["missed"]) for c in calls] == [("short", True)]
    assert await _cases(api) == []
    assert await outbox(api) == []

    # Rang for exactly the minimum: a case, and the manager and his supervisor are told.
    await api.hook(_missed("long", rang_at, timedelta(seconds=10), OTHER))
    cases = await _cases(api)
    assert [(c["number"], c["status"], c["missed_count"]) for c in cases] == [(OTHER, "open", 1)]
    rows = await outbox(api)
    assert sorted((r.kind, r.chat_id) for r in rows) == [("missed", 1000), ("missed", 1001)]
    assert all(OTHER in r.text and CALLER not in r.text for r in rows)


# Friday 27 November 2026, an hour before the end of the working day in Moscow.
FRIDAY_17 = datetime(2026, 11, 27, 17, 0, tzinfo=MOSCOW)


async def test_working_hours_only_escalation_waits_for_monday(
    aiohttp_client: Any, db_url: str
) -> None:
    """Two working hours from Friday 17:00: one on Friday, the other on Monday 09:00–10:00."""
    settings = make_settings(
        db_url,
        escalation=EscalationSettings(
            after=timedelta(hours=2), working_hours_only=True, sweep_interval=QUICK
        ),
        outbox=_outbox_settings(),
    )
    clock = TestClock(FRIDAY_17)
    api = await _start(aiohttp_client, settings, clock)
    await sales_team(api, TWO)
    await api.hook(_missed("m1", FRIDAY_17, timedelta(seconds=20), CALLER))
    [case] = await _cases(api)
    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=MOSCOW)
    assert datetime.fromisoformat(case["escalate_at"]) == monday_10

    sweep = api.app[SCHEDULE].job(ESCALATION_SWEEP).run
    not_yet = [
        datetime(2026, 11, 27, 19, 0, tzinfo=MOSCOW),  # Friday evening: 2 h passed on the clock
        datetime(2026, 11, 29, 23, 59, tzinfo=MOSCOW),  # Sunday night: 54 h on the clock
        monday_10 - timedelta(seconds=1),
    ]
    for moment in not_yet:
        clock.set(moment)
        assert await sweep(moment) == 0, moment
        assert [c["status"] for c in await _cases(api)] == ["open"]
    clock.set(monday_10)
    assert await sweep(monday_10) == 1
    [case] = await _cases(api)
    assert case["status"] == "escalated"
    assert datetime.fromisoformat(case["escalated_at"]) == monday_10
    escalations = [r for r in await outbox(api) if r.kind == "escalation"]
    assert sorted(r.chat_id or 0 for r in escalations) == [1000, 9000]
    assert all(r.text.startswith("⚠️ Никто не перезвонил за 2 ч\n") for r in escalations)
    assert all("первый звонок: 27.11 17:00" in r.text for r in escalations)
