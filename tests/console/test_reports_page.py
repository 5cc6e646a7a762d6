"""``/reports``: the period's figures per manager and for the company match the calls laid down,
each figure lists exactly its calls, the tables download as CSV and XLSX with the same figures,
a supervisor sees his team only, and a period that cannot be read is a 400 saying why.

The week laid down (Moscow, November 2026; working hours 09:00-18:00, a ring under 10 s short):

* Mon 08:00 the client (Иван's) rings 101 unanswered — out of hours; called back at 08:15 (15 min);
* Mon 11:00 an unknown number rings 101 unanswered; called back on Tue 09:50 (7 h 50 min of working
  time: within a working day, though 22 h 50 min passed);
* Mon 12:00 an unknown number gives up in the IVR (nobody rang): nobody's, never called back,
  escalated;
* Mon 14:00 Пётр's client finds 202 busy — nobody available; escalated; called back on Wed 10:00
  (14 working hours: later);
* Mon 15:00 an unknown number rings 101 for 5 s — a short ring (no case);
* Mon 16:00 the client's call answered by Иван, recorded;
* and on 31 October a call answered by Иван, outside the period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from config.settings import CallbackSettings, EscalationSettings, Settings
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock
from tests.support.console import Browser, with_password
from tests.support.settings import make_settings
from tests.support.team import CALLER, sales_team

CALLER2 = "+79035550101"
STRANGER1, STRANGER2, STRANGER3 = "+79165550177", "+79165550188", "+79165550199"
NOVEMBER = "from=2026-11-01&until=2026-11-30"
PASSWORD = "correct horse"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(
        db_url,
        callbacks=CallbackSettings(min_ring_time=timedelta(seconds=10)),
        # The sweep runs when the test calls it, never on real time passing.
        escalation=EscalationSettings(sweep_interval=timedelta(hours=1)),
    )


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=MOSCOW)


def _event(
    call_id: str, state: str, moment: datetime, number: str, extension: str | None, **kw: Any
) -> dict[str, Any]:
    outbound = kw.pop("direction", "inbound") == "outbound"
    parties = {"caller": extension or "100", "callee": number} if outbound else {"caller": number}
    return update(
        call_id,
        state,
        extension=extension,
        at=moment.isoformat(),
        direction="outbound" if outbound else "inbound",
        **parties,
        **kw,
    )


async def _call(
    api: Api,
    clock: TestClock,
    call_id: str,
    number: str,
    extension: str | None,
    start: datetime,
    *,
    rings: int,
    answered: bool = False,
    reason: str = "no_answer",
    outbound: bool = False,
    recording: str | None = None,
) -> None:
    """One call that rings ``rings`` seconds, then is answered (and talks a minute) or ends."""
    clock.set(start + timedelta(seconds=rings + 90))
    way = {"direction": "outbound" if outbound else "inbound"}
    events = [_event(call_id, "ringing", start, number, extension, **way)]
    end = start + timedelta(seconds=rings)
    if answered:
        events.append(
            _event(call_id, "answered", end, number, extension, **way)
            | ({"recording_url": recording} if recording else {})
        )
        end += timedelta(seconds=60)
        events.append(_event(call_id, "ended", end, number, extension, reason="normal", **way))
    else:
        events.append(_event(call_id, "ended", end, number, extension, reason=reason, **way))
    await api.hook(events)


async def seed(api: Api, clock: TestClock) -> dict[str, Any]:
    """The team, the other team and the week described above; the people's ids."""
    await api.app[SCHEDULE].settle(ESCALATION_SWEEP)
    team = await sales_team(api, boss_extension="100")
    other_boss = await api.post("/api/v1/managers", {"name": "Семён", "role": "supervisor"})
    petr = await api.post(
        "/api/v1/managers",
        {"name": "Пётр", "extension": "202", "supervisor_id": other_boss["id"]},
    )
    await api.post(
        "/api/v1/clients", {"name": "ЗАО Берёза", "manager_id": petr["id"], "phones": [CALLER2]}
    )
    await _call(api, clock, "old", CALLER, "101", at(31, 10, month=10), rings=5, answered=True)
    await _call(api, clock, "a", CALLER, "101", at(23, 8), rings=30)
    await _call(
        api, clock, "b", CALLER, "101", at(23, 8, 15), rings=10, answered=True, outbound=True
    )
    await _call(api, clock, "c", STRANGER1, "101", at(23, 11), rings=40)
    await _call(api, clock, "d", STRANGER2, None, at(23, 12), rings=20, reason="cancel")
    await _call(api, clock, "e", CALLER2, "202", at(23, 14), rings=15, reason="busy")
    await _call(api, clock, "f", STRANGER3, "101", at(23, 15), rings=5)
    recording = "https://records.example/g.mp3"
    await _call(
        api, clock, "g", CALLER, "101", at(23, 16), rings=5, answered=True, recording=recording
    )
    await _call(
        api, clock, "h", STRANGER1, "101", at(24, 9, 50), rings=10, answered=True, outbound=True
    )
    assert await api.app[SCHEDULE].job(ESCALATION_SWEEP).run(at(24, 15)) == 2
    await _call(api, clock, "i", CALLER2, "202", at(25, 10), rings=10, answered=True, outbound=True)
    clock.set(at(25, 10, 30))
    people = {"olga": team["boss"]["id"], "ivan": team["ivan"]["id"], "petr": petr["id"]}
    people["director"] = team["director"]["id"]
    return people


async def logged_in(api: Api, manager_id: int, login: str) -> Browser:
    await with_password(api, manager_id, PASSWORD, login=login)
    browser = Browser(api)
    await browser.log_in(login, PASSWORD)
    return browser


def _row(text: str, table: str, name: str) -> list[str]:
    """The cells' texts of ``name``'s row in the page's ``table``."""
    import re

    section = text[text.index(f'data-table="{table}"') :]
    section = section[: section.index("</table>")]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no row {name!r} in {table}")


async def test_the_directors_figures_match_the_week(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    page = await browser.get(f"/reports?{NOVEMBER}")
    assert page.status == 200, page.text
    # in, out, missed, out of hours, short ring, nobody available, abandoned, rang unanswered
    assert _row(page.text, "calls", "Иван")[1:] == ["4", "2", "3", "1", "1", "0", "0", "1"]
    assert _row(page.text, "calls", "Пётр")[1:] == ["1", "1", "1", "0", "0", "1", "0", "0"]
    assert _row(page.text, "calls", "никто в отдельности")[1:] == [
        "1",
        "0",
        "1",
        "0",
        "0",
        "0",
        "1",
        "0",
    ]
    assert _row(page.text, "calls", "Вся компания")[1:] == ["6", "3", "5", "1", "1", "1", "1", "1"]
    # cases, in 20 min, in a working day, later, never, median, p90, escalated, forgotten
    assert _row(page.text, "callbacks", "Иван")[1:] == [
        "2",
        "1",
        "1",
        "0",
        "0",
        "11 ч 32 мин",
        "22 ч 50 мин",
        "0",
        "0",
    ]
    assert _row(page.text, "callbacks", "Вся компания")[1:6] == ["4", "1", "1", "1", "1"]
    assert _row(page.text, "callbacks", "Вся компания")[8] == "2"
