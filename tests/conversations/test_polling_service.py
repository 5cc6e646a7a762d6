"""A real ``dozvon serve`` whose Telegram client bot polls: a client's updates are fetched,
stored and relayed, the offset confirming them only afterwards, and the manager's answer from
his staff chat reaches the client — the deployed service end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.conversations.conftest import CLIENT_TOKEN
from tests.support.service import served_api, serving
from tests.support.team import CALLER
from tests.support.telegram_stub import BotApiStub, until

Stub = tuple[BotApiStub, TestServer]
ADMIN = "polling-admin"
CLIENT_CHAT = 4343


def _url(server: TestServer) -> str:
    return str(server.make_url("")).rstrip("/")


async def _api(
    session: aiohttp.ClientSession, base: str, method: str, path: str, body: Any = None
) -> Any:
    return await served_api(session, base, ADMIN, method, path, body)


@pytest.mark.slow
async def test_a_polling_client_bot_relays_and_answers(
    staff: Stub, clients_bot: Stub, db_url: str, tmp_path: Path
) -> None:
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    env = {
        "DOZVON_DATABASE__URL": db_url,
        "DOZVON_ADMIN__TOKEN": ADMIN,
        "DOZVON_TELEGRAM__TOKEN": "123456:STAFF-BOT",
        "DOZVON_TELEGRAM__API_BASE": _url(staff_server),
        "DOZVON_TELEGRAM__POLLING_TIMEOUT": "1s",
        "DOZVON_OUTBOX__PER_CHAT_INTERVAL": "0s",
        "DOZVON_OUTBOX__POLL_INTERVAL": "50ms",
        "DOZVON_MESSENGERS__TG__TYPE": "telegram",
        "DOZVON_MESSENGERS__TG__TOKEN": CLIENT_TOKEN,
        "DOZVON_MESSENGERS__TG__API_BASE": _url(client_server),
        "DOZVON_MESSENGERS__TG__MODE": "polling",
        "DOZVON_MESSENGERS__TG__POLLING_TIMEOUT": "1s",
    }
    async with serving(tmp_path, env) as base, aiohttp.ClientSession() as session:
        ivan = await _api(
            session,
            base,
            "POST",
            "/api/v1/managers",
            {"name": "Иван", "extension": "101", "telegram_chat_id": 1001},
        )
        client = {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CALLER]}
        await _api(session, base, "POST", "/api/v1/clients", client)

        client_bot.contact(CLIENT_CHAT, CALLER)
        client_bot.message(CLIENT_CHAT, "Когда привезёте?")
        relay = await staff_bot.nth_to(1001, 0)
        assert relay.startswith("👤 ООО Ромашка · Telegram")
        assert "Когда привезёте?" in relay
        # Every update fetched was confirmed by a later poll's offset, once stored.
        await until(lambda: client_bot.confirmed >= 2)

        [sent] = [r for r in staff_bot.calls("sendMessage") if r.params["text"] == relay]
        relayed_id = int(sent.result["message_id"])
        reply_to = {"message_id": relayed_id, "date": 0, "chat": {"id": 1001, "type": "private"}}
        staff_bot.message(1001, "Завтра до обеда", reply_to=reply_to)
        await until(lambda: "Завтра до обеда" in client_bot.sent_to(CLIENT_CHAT))

        [conversation] = (await _api(session, base, "GET", "/api/v1/conversations"))["items"]
        path = f"/api/v1/conversations/{conversation['id']}/messages"
        texts = [m["text"] for m in (await _api(session, base, "GET", path))["items"]]
        assert texts.count("Когда привезёте?") == 1
        assert "Завтра до обеда" in texts
