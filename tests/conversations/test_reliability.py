"""Nothing a channel delivers is lost or doubled, and no reply is sent twice.

* A real ``dozvon serve`` is down while MAX delivers: MAX sees no answer and retries; the retry,
  once the service is back (and a second copy of it, as after an answer lost on the way), is
  stored once and relayed once.
* The channel's API answers 429, then 500: the reply waits as told, is retried, and reaches the
  client once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from config.settings import OutboxSettings
from tests.conversations.conftest import hub_settings, start
from tests.support.max_api import SECRET, MaxApi, post_update
from tests.support.service import free_port, served_api, serving
from tests.support.team import CALLER, sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

Stub = tuple[BotApiStub, TestServer]
ADMIN = "reliability-admin"


def _env(db_url: str, staff: TestServer, max_api: MaxApi) -> dict[str, str]:
    section = "DOZVON_MESSENGERS__MX__"
    return {
        "DOZVON_DATABASE__URL": db_url,
        "DOZVON_ADMIN__TOKEN": ADMIN,
        "DOZVON_TELEGRAM__TOKEN": "123456:STAFF-BOT",
        "DOZVON_TELEGRAM__API_BASE": str(staff.make_url("")).rstrip("/"),
        "DOZVON_TELEGRAM__POLLING_TIMEOUT": "1s",
        "DOZVON_OUTBOX__PER_CHAT_INTERVAL": "0s",
        "DOZVON_OUTBOX__POLL_INTERVAL": "50ms",
        f"{section}TYPE": "max",
        f"{section}TOKEN": max_api.token,
        f"{section}WEBHOOK_SECRET": SECRET,
        f"{section}API_BASE": max_api.url,
    }


async def _api(
    session: aiohttp.ClientSession, base: str, method: str, path: str, body: Any = None
) -> Any:
    return await served_api(session, base, ADMIN, method, path, body)


@pytest.mark.slow
async def test_a_delivery_while_the_service_is_down_is_stored_once_when_it_is_back(
    staff: Stub, max_api: MaxApi, db_url: str, tmp_path: Path
) -> None:
    staff_bot, staff_server = staff
    env = _env(db_url, staff_server, max_api)
    update = max_api.message_created(501, 601, "Вы работаете сегодня?")

    # Nobody listens: MAX's delivery fails, unanswered.
    down = f"http://127.0.0.1:{free_port()}/api/v1/messengers/mx/webhook"
    with pytest.raises(aiohttp.ClientConnectionError):
        await post_update(down, update)

    async with serving(tmp_path, env) as base, aiohttp.ClientSession() as session:
        boss = {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000}
        await _api(session, base, "POST", "/api/v1/managers", boss)
        url = f"{base}/api/v1/messengers/mx/webhook"
        # Its retry, and the same again (an answer lost on the way): both acknowledged.
        assert await post_update(url, update) == 200
        assert await post_update(url, update) == 200
        [conversation] = (await _api(session, base, "GET", "/api/v1/conversations"))["items"]
        path = f"/api/v1/conversations/{conversation['id']}/messages"
        messages = (await _api(session, base, "GET", path))["items"]
        assert [m["text"] for m in messages if m["direction"] == "in"] == ["Вы работаете сегодня?"]
        # Relayed once, to the duty recipient (the supervisor), and the contact waits for
        # triage once.
        await staff_bot.nth_to(1000, 0)
        outbox = (await _api(session, base, "GET", "/api/v1/outbox"))["items"]
        assert [m["kind"] for m in outbox if m["kind"] == "relay"] == ["relay"]
        unknown = (await _api(session, base, "GET", "/api/v1/unknown-numbers"))["items"]
        assert [u["number"] for u in unknown] == ["mx:501"]


async def test_a_reply_the_channel_refuses_for_a_while_is_sent_once(
    staff: Stub, max_api: MaxApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    settings = hub_settings(
        db_url,
        staff_server,
        messengers={"mx": max_api.section()},
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms", max_backoff="1s"),
    )
    api = await start(aiohttp_client, settings)
    await sales_team(api)
    url = str(api.client.make_url("/api/v1/messengers/mx/webhook"))
    assert await post_update(url, max_api.contact(501, 601, CALLER)) == 200
    assert await post_update(url, max_api.message_created(501, 601, "Когда доставка?")) == 200
    [conversation] = (await api.get("/api/v1/conversations"))["items"]
    path = f"/api/v1/conversations/{conversation['id']}/messages"

    max_api.fail(429, 1, retry_after=1)
    max_api.fail(500, 1)
    await api.post(path, {"text": "Завтра до 12"})

    async def sent() -> bool:
        items = (await api.get(path))["items"]
        return any(m["text"] == "Завтра до 12" and m["status"] == "sent" for m in items)

    await until_true(sent)
    assert max_api.sent_to(501).count("Завтра до 12") == 1
    refused = [r for r in max_api.requests if r.path == "/messages" and r.status >= 400]
    assert sorted(r.status for r in refused) == [429, 500]
    await until(lambda: bool(staff_bot.sent_to(1001)))
