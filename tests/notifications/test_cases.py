"""Callback cases end to end: hook → case → outbox → delivered; returns, escalation, closing."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from config.settings import DigestSettings, EscalationSettings, OutboxSettings, Settings
from hub.app import create_app
from hub.bootstrap.people import DAILY_DIGEST, ESCALATION_SWEEP, SCHEDULE, WEEKLY_DIGEST
from storage.models import OutboxMessage
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock, week_of_moments
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import outbox, sales_team
from tests.support.telegram_stub import until_true

CALLER = "+79031112233"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(
        db_url,
        escalation=EscalationSettings(after=timedelta(hours=1), sweep_interval=timedelta(hours=1)),
        outbox=OutboxSettings(
            per_chat_interval=timedelta(0), poll_interval=timedelta(seconds=0.05)
        ),
    )


async def _delivered(api: Api) -> list[OutboxMessage]:
    """The outbox once every message in it is sent."""

    async def all_sent() -> bool:
        rows = await outbox(api)
        return bool(rows) and all(r.status == "sent" for r in rows)

    await until_true(all_sent)
    return await outbox(api)


def _missed(call_id: str, caller: str = CALLER) -> list[dict[str, Any]]:
    return [
        update(call_id, "ringing", caller=caller, extension="101"),
        update(call_id, "ended", caller=caller, extension="101", reason="no_answer"),
    ]


async def _cases(api: Api, query: str = "") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await api.get(f"/api/v1/callback-cases{query}"))["items"]
    return items


async def test_a_miss_opens_one_case_and_alerts_manager_and_supervisor(api: Api) -> None:
    team = await sales_team(api, boss_extension="100")
    await api.hook(_missed("m1"))
    cases = await _cases(api)
    assert len(cases) == 1
    case = cases[0]
    assert (case["number"], case["status"], case["missed_count"]) == (CALLER, "open", 1)
    assert case["manager_id"] == team["ivan"]["id"]
    assert case["client_id"] == team["client"]["id"]
    rows = await _delivered(api)
    assert sorted(r.chat_id or 0 for r in rows) == [1000, 1001]
    assert all(r.kind == "missed" and r.remote_message_id for r in rows)
    assert "ООО Ромашка" in rows[0].text and CALLER in rows[0].text
    assert "Пропущенный звонок" in rows[0].text
    buttons = rows[0].buttons
    assert buttons is not None
    assert buttons[0][0]["url"] == "https://wa.me/79031112233"
    assert buttons[0][-1]["callback_data"] == f"card:{team['client']['id']}"
    assert buttons[1][0]["callback_data"] == f"close:{case['id']}"


async def test_a_repeat_miss_edits_instead_of_sending(api: Api) -> None:
    await sales_team(api, boss_extension="100")
    await api.hook(_missed("m1"))
    await _delivered(api)
    await api.hook(_missed("m1"))  # the same call again changes nothing
    await api.hook(_missed("m2"))
    case = (await _cases(api))[0]
    assert case["missed_count"] == 2
    rows = await _delivered(api)
    sends = [r for r in rows if r.edit_key is None]
    edits = [r for r in rows if r.edit_key is not None]
    assert len(sends) == 2 and len(edits) == 2
    assert all("пропущено: 2" in r.text for r in edits)


async def test_a_callback_returns_the_case(api: Api) -> None:
    team = await sales_team(api, boss_extension="100")
    await api.hook(_missed("m1"))
    await api.hook(
        [
            update(
                "o1",
                "ringing",
                direction="outbound",
                caller="101",
                callee="8 903 111-22-33",
                extension="101",
            ),
            update(
                "o1",
                "answered",
                direction="outbound",
                caller="101",
                callee="8 903 111-22-33",
                extension="101",
            ),
        ]
    )
    case = (await _cases(api))[0]
    assert case["status"] == "returned"
    assert case["returned_by"] == team["ivan"]["id"]
    assert case["returned_call"] == "generic:o1"
    assert case["escalate_at"] is None
    rows = await _delivered(api)
    returned = [r for r in rows if r.kind == "returned"]
    assert sorted(r.chat_id or 0 for r in returned) == [1000, 1001]
    assert all("Перезвонили" in r.text and "Иван" in r.text for r in returned)


@pytest.mark.parametrize(
    "calls",
    [
        [
            update("a1", "ringing", extension="101"),
            update("a1", "ringing", extension="102"),
            update("a1", "answered", extension="102"),
            update("a1", "ended", extension="101"),
            update("a1", "ended", extension="102"),
        ],
        [update("w1", "ringing", caller="anonymous"), update("w1", "ended", caller="anonymous")],
        [
            update("x1", "ringing", caller="+79035550000"),
            update("x1", "ended", caller="+79035550000"),
        ],
        [
            update("i1", "ringing", direction="internal", caller="102", callee="101"),
            update("i1", "ended", direction="internal", caller="102", callee="101"),
        ],
    ],
    ids=["answered-by-colleague", "withheld", "spam", "internal"],
)
async def test_calls_that_open_no_case(api: Api, calls: list[dict[str, Any]]) -> None:
    await sales_team(api, boss_extension="100")
    await api.post("/api/v1/lists/spam/entries", {"number": "+79035550000"})
    await api.hook(calls)
    assert await _cases(api) == []
    assert await outbox(api) == []


async def test_escalation_happens_once(api: Api) -> None:
    team = await sales_team(api, boss_extension="100")
    await api.hook(_missed("m1"))
    sweep = api.app[SCHEDULE].job(ESCALATION_SWEEP).run
    assert await sweep(api.clock.now()) == 0  # not due yet
    later = api.clock.now() + timedelta(hours=2)
    counts = await asyncio.gather(sweep(later), sweep(later), sweep(later))
    assert sorted(counts) == [0, 0, 1]
    assert await sweep(later + timedelta(days=1)) == 0
    case = (await _cases(api))[0]
    assert case["status"] == "escalated" and case["escalated_at"] is not None
    rows = await _delivered(api)
    escalations = [r for r in rows if r.kind == "escalation"]
    assert sorted(r.chat_id or 0 for r in escalations) == [1000, 9000]
    assert all("Никто не перезвонил" in r.text and "Иван" in r.text for r in escalations)
    # A callback after the escalation still returns the case.
    await api.hook(
        [update("in2", "ringing", extension="101"), update("in2", "answered", extension="101")]
    )
    assert (await _cases(api))[0]["status"] == "returned"
    del team


async def test_close_by_hand_is_audited_and_told(api: Api) -> None:
    await sales_team(api, boss_extension="100")
    await api.hook(_missed("m1"))
    case = (await _cases(api))[0]
    status, body = await api.call(
        "POST", f"/api/v1/callback-cases/{case['id']}/close", {"reason": ""}
    )
    assert (status, body["error"]["field"]) == (400, "reason")
    _, closed = await api.call(
        "POST",
        f"/api/v1/callback-cases/{case['id']}/close",
        {"reason": "дозвонились с мобильного"},
        expect=200,
    )
    assert closed["status"] == "closed" and closed["close_reason"] == "дозвонились с мобильного"
    await api.call(
        "POST", f"/api/v1/callback-cases/{case['id']}/close", {"reason": "again"}, expect=409
    )
    audit = (await api.get("/api/v1/audit?entity=callback_case"))["items"]
    assert audit[0]["action"] == "close" and audit[0]["before"]["status"] == "open"
    rows = await _delivered(api)
    assert len([r for r in rows if r.kind == "closed"]) == 2
    state = await api.get("/api/v1/outbox")
    assert state["counts"] == {"sent": 4}


@pytest.fixture
def digest_settings(db_url: str) -> Settings:
    return make_settings(db_url, digest=DigestSettings(enabled=True, time="09:00"))


@pytest.mark.parametrize(
    "first_day", range(7), ids=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
)
async def test_digests_are_written_once_on_their_day(
    aiohttp_client: Any, digest_settings: Settings, first_day: int
) -> None:
    """A week of days, starting on each day of the week: every working morning each supervisor
    gets the days since the previous working day once (Monday's: Friday to Sunday; none on the
    weekend), and on Monday (only) each director gets last week once."""
    clock = TestClock(datetime(2026, 11, 23, 10, 0, tzinfo=MOSCOW) + timedelta(days=first_day))
    app = create_app(digest_settings, clock=clock)
    api = Api(await aiohttp_client(app), ADMIN_TOKEN, HOOK_SECRET)
    await sales_team(api, boss_extension="100")
    daily = app[SCHEDULE].job(DAILY_DIGEST).run
    weekly = app[SCHEDULE].job(WEEKLY_DIGEST).run
    for day in range(7):
        clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=MOSCOW) + timedelta(days=first_day + day))
        today = clock.now().astimezone(MOSCOW).date()
        await api.hook(_missed(f"m{day}"))
        await api.hook(
            [
                update(f"w{day}", "ringing", caller="anonymous"),
                update(f"w{day}", "ended", caller="anonymous"),
            ]
        )
        nine = datetime(today.year, today.month, today.day, 9, 0, tzinfo=MOSCOW) + timedelta(1)
        assert await daily(nine - timedelta(minutes=1)) == 0  # 08:59 the next morning: not yet
        assert await weekly(nine - timedelta(minutes=1)) == 0
        working = nine.weekday() < 5
        assert await daily(nine) == (1 if working else 0)
        assert await daily(nine + timedelta(hours=14, minutes=59)) == 0  # 23:59: written once
        is_monday = nine.weekday() == 0
        assert await weekly(nine) == (1 if is_monday else 0)
        assert await weekly(nine + timedelta(hours=3)) == 0
        rows = [r for r in await outbox(api) if r.kind == "digest"]
        since = today - timedelta(days=2) if is_monday else today
        label = today.isoformat() if since == today else f"{since.isoformat()}..{today}"
        mine = [r for r in rows if r.dedup_key.endswith(f":{label}")]
        expected = [(1000, f"📊 Команда Ольга за {label}")] if working else []
        assert [(r.chat_id, r.text.split(chr(10))[0]) for r in mine] == expected
        if is_monday:
            week = [r for r in rows if r.dedup_key.startswith("digest:weekly:")]
            label = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
            assert [(r.chat_id, r.dedup_key.rsplit(":", 1)[1]) for r in week] == [(9000, label)]
            assert week[0].text.split(chr(10))[0] == f"📊 Компания за {label}"


def test_digest_triggers_fire_at_nine_in_moscow_and_on_mondays() -> None:
    """The schedule's cron triggers, read at every hour that matters of every day of a week."""
    from apscheduler.triggers.cron import CronTrigger

    for moment in week_of_moments():
        daily = CronTrigger(hour=9, minute=0, timezone=MOSCOW).get_next_fire_time(None, moment)
        weekly = CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=MOSCOW)
        monday = weekly.get_next_fire_time(None, moment)
        assert daily is not None and monday is not None
        local = moment.astimezone(MOSCOW)
        expected_day = local.date() if local.time() <= time(9) else local.date() + timedelta(days=1)
        assert daily.astimezone(MOSCOW).date() == expected_day
        assert (daily.astimezone(MOSCOW).hour, daily.astimezone(MOSCOW).minute) == (9, 0)
        assert monday.astimezone(MOSCOW).weekday() == 0
        assert timedelta(0) <= monday - moment < timedelta(days=7)
