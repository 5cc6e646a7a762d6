"""The company calendar over HTTP and on the command line: a year replaced whole and audited,
routing by working hours reading it at once, bad days refused without a change."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from config.settings import CompanySettings, Settings
from tests.support.api import Api
from tests.support.cli import dozvon
from tests.support.clock import MOSCOW, TestClock
from tests.support.settings import make_settings

NEW_YEAR = [{"date": f"2027-01-0{d}", "kind": "holiday"} for d in range(1, 9)]


@pytest.fixture
def settings(db_url: str) -> Settings:
    company = CompanySettings(short_days=["2026-12-31"])
    return make_settings(db_url, company=company)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(datetime(2027, 1, 5, 11, 0, tzinfo=MOSCOW))  # a Tuesday of the holidays


async def _route(api: Api, number: str) -> Any:
    return (await api.get(f"/api/v1/route?from=%2B{number[1:]}"))["target"].get("manager_id")


async def test_a_year_is_replaced_whole_and_routing_reads_it_at_once(api: Api) -> None:
    ivan = await api.post(
        "/api/v1/managers",
        {
            "name": "Иван",
            "extension": "101",
            "timezone": "Europe/Moscow",
            "working_hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00"),
        },
    )
    await api.post(
        "/api/v1/clients",
        {"name": "ООО Ромашка", "phones": ["+79161234567"], "manager_id": ivan["id"]},
    )
    assert (await _route(api, "+79161234567")) == ivan["id"]  # an ordinary Tuesday
    year = await api.call("PUT", "/api/v1/calendar", {"year": 2027, "days": NEW_YEAR}, expect=200)
    assert [d["date"] for d in year[1]["days"]] == [d["date"] for d in NEW_YEAR]
    assert year[1]["working_days"]["2027-01"] == 15
    # Now the 5th of January is a holiday: Иван is outside his working hours.
    assert (await _route(api, "+79161234567")) != ivan["id"]
    shown = await api.get("/api/v1/calendar?year=2026")
    assert shown["days"] == [{"date": "2026-12-31", "kind": "short", "source": "config"}]
    audit = (await api.get("/api/v1/audit?entity=calendar"))["items"]
    assert [(a["entity_id"], a["action"]) for a in audit] == [("2027", "update")]
    # The year again, smaller: replaced whole.
    await api.call("PUT", "/api/v1/calendar", {"year": 2027, "days": NEW_YEAR[:1]}, expect=200)
    assert len((await api.get("/api/v1/calendar?year=2027"))["days"]) == 1
    assert (await _route(api, "+79161234567")) == ivan["id"]


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        ([{"date": "2028-01-01", "kind": "holiday"}], "days[0].date", "2028-01-01 is not in 2027"),
        ([{"date": "2027-02-30", "kind": "holiday"}], "days[0].date", "is not a date"),
        ([{"date": "2027-01-01", "kind": "party"}], "days[0].kind", "is not a kind of day"),
        (NEW_YEAR[:1] * 2, "days[1].date", "2027-01-01 is named twice"),
    ],
)
async def test_bad_days_are_refused_and_nothing_changes(
    api: Api, days: list[dict[str, str]], field: str, message: str
) -> None:
    await api.call("PUT", "/api/v1/calendar", {"year": 2027, "days": NEW_YEAR[:2]}, expect=200)
    status, body = await api.call("PUT", "/api/v1/calendar", {"year": 2027, "days": days})
    assert (status, body["error"]["field"]) == (400, field)
    assert message in body["error"]["message"]
    assert len((await api.get("/api/v1/calendar?year=2027"))["days"]) == 2


def test_a_production_calendar_is_imported_from_a_file(tmp_path: Path) -> None:
    source = tmp_path / "calendar-2027.csv"
    rows = ["Дата;Тип", *(f"0{d}.01.2027;выходной" for d in range(1, 9)), "22.02.2027;сокращённый"]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = dozvon(tmp_path, "calendar", "import", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2027: 9 days (8 holiday, 1 short) were stored"
    shown = dozvon(tmp_path, "calendar", "show", "--year", "2027")
    lines = shown.stdout.splitlines()
    assert lines[1].split() == ["2027-01-01", "holiday", "database"]
    assert lines[-1].startswith("working days: 01: 15, 02: 20,")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind\n2027-01-01,party\n", encoding="utf-8")
    refused = dozvon(tmp_path, "calendar", "import", str(bad))
    assert refused.returncode == 2
    assert "'party' is not a kind of day" in refused.stderr
