"""Client statuses over time: sales make them newer at once, the daily recompute makes them older,
audits each change and tells the manager once about clients who stopped buying.

The app reads a clock the test moves (no waiting, any day and hour the suite runs); the schedule
is stopped so that the recompute runs only when the test calls it, at the moment it names.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from typing import Any

from hub.bootstrap.people import CLIENT_STATUSES, SCHEDULE
from tests.support.api import Api
from tests.support.clock import MOSCOW, TestClock
from tests.support.team import outbox, sales_team


def today(clock: TestClock) -> str:
    return clock.now().astimezone(MOSCOW).date().isoformat()


def at_recompute(clock: TestClock, days: int) -> datetime:
    """03:05 in Moscow, ``days`` after the clock's day; the clock is moved there."""
    day = clock.now().astimezone(MOSCOW).date() + timedelta(days=days)
    moment = datetime.combine(day, time(3, 5), tzinfo=MOSCOW)
    clock.set(moment)
    return moment


async def client(api: Api, client_id: int) -> dict[str, Any]:
    card: dict[str, Any] = await api.get(f"/api/v1/clients/{client_id}")
    return card


async def test_potential_new_regular_churned_as_the_clock_moves(api: Api, clock: TestClock) -> None:
    await api.app[SCHEDULE].stop()
    recompute = api.app[SCHEDULE].job(CLIENT_STATUSES).run
    team = await sales_team(api)
    card, ivan = team["client"], team["ivan"]
    sales = f"/api/v1/clients/{card['id']}/sales"
    assert (card["status"], card["status_set_by_hand"]) == ("potential", False)

    first = await api.post(sales, {"date": today(clock), "amount": "1500.50"})
    assert (first["date"], first["amount"], first["client_id"]) == (
        today(clock),
        "1500.50",
        card["id"],
    )
    assert (await client(api, card["id"]))["status"] == "new"

    at_recompute(clock, 100)
    assert await recompute(clock.now()) == 0  # 100 days: still new
    await api.post(sales, {"date": today(clock), "amount": 99})
    assert (await client(api, card["id"]))["status"] == "regular"
    listed = (await api.get(sales))["items"]
    assert [s["amount"] for s in listed] == ["99.00", "1500.50"]  # newest first

    moment = at_recompute(clock, 180)
    assert await recompute(moment) == 0  # the last sale is 180 days old: still regular
    moment = at_recompute(clock, 1)
    before_three = moment.replace(hour=2, minute=59)
    assert await recompute(before_three) == 0  # not yet the recompute time of the day
    assert await recompute(moment) == 1
    assert (await client(api, card["id"]))["status"] == "churned"

    versions = (await api.get(f"/api/v1/clients/{card['id']}/versions"))["items"]
    latest = versions[0]
    assert (latest["actor"], latest["action"], latest["card"]["status"]) == (
        "system",
        "status",
        "churned",
    )
    audit = (await api.get(f"/api/v1/audit?entity=client&entity_id={card['id']}"))["items"][0]
    assert (audit["before"]["status"], audit["after"]["status"]) == ("regular", "churned")

    told = [m for m in await outbox(api) if m.kind == "churned"]
    assert [(m.chat_id, m.manager_id) for m in told] == [(1001, ivan["id"])]
    assert told[0].dedup_key == f"clients:churned:{ivan['id']}:{today(clock)}"
    assert told[0].text.startswith("📉 Клиенты перестали покупать (1)")
    assert "• ООО Ромашка" in told[0].text

    assert await recompute(moment + timedelta(hours=1)) == 0  # a second run: nothing again
    assert [m.kind for m in await outbox(api)].count("churned") == 1


async def test_two_runs_at_once_change_audit_and_tell_once(api: Api, clock: TestClock) -> None:
    await api.app[SCHEDULE].stop()
    recompute = api.app[SCHEDULE].job(CLIENT_STATUSES).run
    team = await sales_team(api, (("ООО Ромашка", "+79031112233"), ("ИП Сидоров", "+79031112244")))
    for card in team["clients"]:
        for days in (0, 1):
            day = (clock.now().astimezone(MOSCOW).date() + timedelta(days=days)).isoformat()
            await api.post(f"/api/v1/clients/{card['id']}/sales", {"date": day, "amount": "10"})
    moment = at_recompute(clock, 400)
    runs = await asyncio.gather(recompute(moment), recompute(moment))
    assert sum(runs) == 2
    for card in team["clients"]:
        assert (await client(api, card["id"]))["status"] == "churned"
    audit = (await api.get("/api/v1/audit?entity=client&limit=1000"))["items"]
    assert sorted(a["entity_id"] for a in audit if a["actor"] == "system") == sorted(
        str(c["id"]) for c in team["clients"]
    )
    told = [m for m in await outbox(api) if m.kind == "churned"]
    assert len(told) == 1
    assert "• ИП Сидоров\n• ООО Ромашка" in told[0].text


async def test_a_status_set_by_hand_stays_until_a_newer_sale(api: Api, clock: TestClock) -> None:
    await api.app[SCHEDULE].stop()
    recompute = api.app[SCHEDULE].job(CLIENT_STATUSES).run
    card = (await sales_team(api))["client"]
    path = f"/api/v1/clients/{card['id']}"
    await api.post(f"{path}/sales", {"date": "2025-01-10", "amount": "5"})
    assert (await client(api, card["id"]))["status"] == "lapsed"

    changed = (await api.call("PATCH", path, {"status": "regular"}, expect=200))[1]
    assert changed["status"] == "regular" and changed["status_set_by_hand"] is True
    set_at = changed["status_set_by_hand_at"]
    assert datetime.fromisoformat(set_at) <= clock.now()
    # The same status again is no new hand-set moment.
    again = (await api.call("PATCH", path, {"status": "regular", "notes": "x"}, expect=200))[1]
    assert again["status_set_by_hand_at"] == set_at

    assert await recompute(at_recompute(clock, 1)) == 0
    assert (await client(api, card["id"]))["status"] == "regular"
    # A sale older than the hand-set day (history filled in) changes nothing ...
    await api.post(f"{path}/sales", {"date": "2025-02-10", "amount": "5"})
    assert (await client(api, card["id"]))["status_set_by_hand"] is True
    # ... a newer one brings the computed status back, at once.
    await api.post(f"{path}/sales", {"date": today(clock), "amount": "5"})
    now_card = await client(api, card["id"])
    assert (now_card["status"], now_card["status_set_by_hand"]) == ("regular", False)
    assert now_card["status_set_by_hand_at"] is None
