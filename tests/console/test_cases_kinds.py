"""``/cases``: a client's message nobody answered in time is on the board beside the missed
calls, marked as a message and leading to the conversation on the client's card; a contact
nobody knows yet is named as he calls himself, with no phone to ring."""

from __future__ import annotations

import re
from datetime import timedelta

from hub.bootstrap.database import SESSIONS
from tests.support.api import Api
from tests.support.console import Page, logged_in
from tests.support.conversations import (
    conversation,
    message_case,
    open_overdue_cases,
    said_in,
)
from tests.support.team import CALLER, miss, sales_team

OTHER = "+79035550000"
MIN = timedelta(minutes=1)


def row(page: Page, case_id: int) -> str:
    found = re.search(rf'<tr data-case="{case_id}".*?</tr>', page.text, flags=re.DOTALL)
    assert found is not None, page.text
    return found.group(0)


async def test_a_message_case_is_marked_and_leads_to_the_conversation(api: Api) -> None:
    team = await sales_team(api, (("ООО Ромашка", CALLER), ("ИП Лютик", OTHER)))
    ivan = team["ivan"]["id"]
    lutik = team["clients"][1]["id"]
    call_case = await miss(api, "m1", CALLER)
    now = api.clock.now()
    written = await conversation(
        api.app[SESSIONS],
        channel="tg",
        contact="5001",
        name="Лютик",
        client_id=lutik,
        manager_id=ivan,
        now=now,
        awaiting=30 * MIN,
        overdue=MIN,
        messages=[said_in("Вы работаете в субботу?", 30 * MIN)],
    )
    stranger = await conversation(
        api.app[SESSIONS],
        channel="tg",
        contact="5002",
        name="Пётр <i>из соседнего офиса</i>",
        manager_id=ivan,
        now=now,
        awaiting=20 * MIN,
        messages=[said_in("Здравствуйте", 20 * MIN)],
    )
    # Without a phone, what stands for his number is the channel and the chat.
    await message_case(
        api.app[SESSIONS],
        stranger,
        number="tg:5002",
        manager_id=ivan,
        since=now - 20 * MIN,
    )
    assert await open_overdue_cases(api.app) == 1
    cases = {c["conversation_id"]: c for c in (await api.get("/api/v1/callback-cases"))["items"]}
    assert cases[written]["kind"] == cases[stranger]["kind"] == "message"

    browser = await logged_in(api, ivan, "ivan", "correct horse")
    for board in (await browser.get("/cases"), await browser.get("/cases/rows")):
        called = row(board, call_case["id"])
        assert 'data-kind="call"' in called and "📵 звонок" in called
        assert "✉️" not in called and f'href="tel:{CALLER}"' in called

        message = row(board, cases[written]["id"])
        assert 'data-kind="message"' in message and "✉️ сообщение" in message
        assert f'href="/clients/{lutik}#conversation-{written}"' in message
        assert "Ответить" in message and "ИП Лютик" in message

        unknown = row(board, cases[stranger]["id"])
        assert "✉️ сообщение" in unknown
        assert "Пётр &lt;i&gt;из соседнего офиса&lt;/i&gt;" in unknown and "<i>" not in unknown
        # What stands for his number is no phone: nothing to dial or to open in WhatsApp.
        assert "tel:" not in unknown and "wa.me" not in unknown and "/call" not in unknown
        assert "/close" in unknown  # still closed by hand like any case
