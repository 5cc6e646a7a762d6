"""The director's weekly digest, figure by figure, for a week of calls the test lays down.

``test_digests_are_written_once_on_their_day`` (test_cases.py) checks who gets which digest on
which day; here one known week — every call at a written moment, the app's clock moved along
with them — must come out as exactly the text the director reads on Monday morning.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from config.settings import DigestSettings, EscalationSettings, OutboxSettings
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.people import DAILY_DIGEST, ESCALATION_SWEEP, SCHEDULE, WEEKLY_DIGEST
from storage.models import OutboxMessage
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import sales_team

CALLER = "+79031112233"
OTHER = "+79035550000"
UNKNOWN = "+79037770000"
QUARTER = timedelta(minutes=15)


def _at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of November 2026 in Moscow (the 16th is a Monday)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MOSCOW)


def _leg(call_id: str, state: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return update(call_id, state, extension="101", at=at.isoformat(), **fields)


def _missed(call_id: str, at: datetime, caller: str) -> list[dict[str, Any]]:
    later = at + timedelta(seconds=20)
    return [
        _leg(call_id, "ringing", at, caller=caller),
        _leg(call_id, "ended", later, caller=caller, reason="no_answer"),
    ]


def _talked(call_id: str, at: datetime, number: str, direction: str) -> list[dict[str, Any]]:
    """An answered call with ``number``, ringing from 10 s before ``at``, answered at ``at``."""
    ends: dict[str, Any] = (
        {"caller": number} if direction == "inbound" else {"caller": "101", "callee": number}
    )
    legs = [("ringing", at - timedelta(seconds=10)), ("answered", at), ("ended", at + QUARTER)]
    return [_leg(call_id, state, moment, direction=direction, **ends) for state, moment in legs]


async def test_weekly_digest_figures(aiohttp_client: Any, db_url: str) -> None:
    settings = make_settings(
        db_url,
        digest=DigestSettings(enabled=True, time="09:00"),
        escalation=EscalationSettings(after=timedelta(hours=1), sweep_interval=timedelta(hours=1)),
        outbox=OutboxSettings(per_chat_interval=timedelta(0), poll_interval=timedelta(seconds=1)),
    )
    clock = TestClock(_at(15, 8))  # Sunday morning, before any digest is due
    app = create_app(settings, clock=clock)
    api = Api(await aiohttp_client(app), ADMIN_TOKEN, HOOK_SECRET)
    await sales_team(api, (("ООО Ромашка", CALLER), ("ИП Сидоров", OTHER)))
    # The schedule's triggers count real time (09:00 in Moscow comes when it comes): stopped,
    # so the jobs run only when the test calls them, at the moments it names.
    await app[SCHEDULE].stop()
    sweep = app[SCHEDULE].job(ESCALATION_SWEEP).run

    week: list[tuple[datetime, list[dict[str, Any]]]] = [
        (_at(15, 23, 50), _talked("before", _at(15, 23, 50), CALLER, "inbound")),  # not counted
        (_at(17, 10), _missed("a", _at(17, 10), CALLER)),  # case A
        (_at(17, 10, 30), _talked("a-back", _at(17, 10, 30), CALLER, "outbound")),  # 30 min
        (_at(18, 11), _missed("b", _at(18, 11), OTHER)),  # case B, escalated at 12:30
        (_at(19, 12), _missed("w", _at(19, 12), "anonymous")),  # withheld: no case
        (_at(20, 11), _talked("b-back", _at(20, 11), OTHER, "outbound")),  # 48 h after B
        (_at(20, 15), _talked("in", _at(20, 15), CALLER, "inbound")),
        (_at(21, 13), _missed("u", _at(21, 13), UNKNOWN)),  # case C, still open
        (_at(23, 8, 30), _talked("after", _at(23, 8, 30), CALLER, "inbound")),  # not counted
    ]
    for moment, updates in week:
        # The PBX reports each call once it is over (the hook refuses moments ahead of now).
        last = max(datetime.fromisoformat(u["at"]) for u in updates)
        clock.set(last + timedelta(seconds=30))
        await api.hook(updates)
        if moment == _at(18, 11):
            clock.set(_at(18, 12, 30))
            assert await sweep(_at(18, 12, 30)) == 1
    statuses = {
        c["number"]: c["status"] for c in (await api.get("/api/v1/callback-cases"))["items"]
    }
    assert statuses == {CALLER: "returned", OTHER: "returned", UNKNOWN: "open"}

    monday_9 = _at(23, 9)
    clock.set(monday_9)
    weekly = app[SCHEDULE].job(WEEKLY_DIGEST).run
    assert await weekly(monday_9 - timedelta(seconds=1)) == 0
    assert await weekly(monday_9) == 1
    assert await app[SCHEDULE].job(DAILY_DIGEST).run(monday_9) == 1  # Ольга's Sunday, apart
    async with app[SESSIONS]() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.dedup_key.like("digest:weekly:%"))
            )
        ).all()
    assert [(r.chat_id, r.kind) for r in rows] == [(9000, "digest")]
    assert rows[0].text.split("\n") == [
        "📊 Компания за 2026-11-16..2026-11-22",
        "входящих: 5, исходящих: 2",
        "пропущено: 4 (со скрытого номера: 1)",
        # The median of 30 min and 48 h.
        "перезвонили: 2, медиана до перезвона: 1 д 15 мин",
        "ещё не перезвонили: 1, эскалировано: 1",
        "неизвестных номеров ждут разбора: 1",
    ]
