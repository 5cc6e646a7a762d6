"""MAX, VK and WhatsApp end to end: a client's message through the channel's webhook reaches his
manager's staff chat; the manager's answer (through the API, as the staff chat does) reaches the
channel's API in its documented shape; the channels' own checks hold.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from hub.bootstrap.database import SESSIONS
from storage.models import ConversationMessage, OutboxMessage
from tests.conversations.conftest import hub_settings, start
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.max_api import SECRET as MAX_SECRET
from tests.support.max_api import MaxApi, post_update
from tests.support.team import CALLER, sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true
from tests.support.vk_api import CONFIRMATION, VkApi
from tests.support.whatsapp_api import WhatsAppApi, text

Stub = tuple[BotApiStub, TestServer]


def _url(api: Api, name: str) -> str:
    return str(api.client.make_url(f"/api/v1/messengers/{name}/webhook"))


async def _stored(api: Api) -> list[ConversationMessage]:
    async with api.app[SESSIONS]() as session:
        query = select(ConversationMessage).order_by(ConversationMessage.id)
        return list((await session.scalars(query)).all())


async def _conversation(api: Api) -> dict[str, Any]:
    async def found() -> bool:
        return bool((await api.get("/api/v1/conversations"))["items"])

    await until_true(found)
    item: dict[str, Any] = (await api.get("/api/v1/conversations"))["items"][0]
    return item


async def test_max_a_message_is_stored_relayed_and_answered(
    staff: Stub, max_api: MaxApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    api = await start(
        aiohttp_client, hub_settings(db_url, staff_server, messengers={"mx": max_api.section()})
    )
    team = await sales_team(api)
    url = _url(api, "mx")

    # A wrong secret: 401, nothing stored.
    update = max_api.message_created(501, 601, "Здравствуйте")
    assert await post_update(url, update, secret="not-the-secret") == 401
    assert await _stored(api) == []

    # He shares his own phone (MAX's contact attachment), then writes: Иван gets it.
    assert await post_update(url, max_api.contact(501, 601, CALLER)) == 200
    update = max_api.message_created(501, 601, "Нужна консультация")
    assert await post_update(url, update) == 200
    relay = await staff_bot.nth_to(1001, 0)
    assert relay.startswith("👤 ООО Ромашка · MAX")
    assert "Нужна консультация" in relay

    # MAX delivers the same update again (its retry): stored once, relayed once.
    assert await post_update(url, update, secret=MAX_SECRET) == 200
    assert [m.text for m in await _stored(api) if m.direction == "in"].count(
        "Нужна консультация"
    ) == 1

    # The answer is a POST /messages with his text, to the dialog's chat.
    conversation = await _conversation(api)
    assert conversation["client_id"] == team["client"]["id"]
    await api.post(
        f"/api/v1/conversations/{conversation['id']}/messages", {"text": "Перезвоню через час"}
    )
    await until(lambda: "Перезвоню через час" in max_api.sent_to(501))
    assert len(staff_bot.sent_to(1001)) == 1


async def test_vk_confirms_relays_and_answers_with_a_random_id(
    staff: Stub, vk_api: VkApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    api = await start(
        aiohttp_client, hub_settings(db_url, staff_server, messengers={"vk": vk_api.section()})
    )
    await sales_team(api)
    url = _url(api, "vk")

    # The handshake: the confirmation string, and nothing stored.
    confirmed = await vk_api.post(url, vk_api.confirmation())
    assert (confirmed.status, confirmed.text) == (200, CONFIRMATION)
    # A wrong secret is refused.
    refused = await vk_api.post(url, vk_api.message_new(3001, "спам", secret="wrong"))
    assert refused.status == 401

    answered = await vk_api.post(url, vk_api.message_new(3001, "Сколько стоит доставка?"))
    assert (answered.status, answered.text) == (200, "ok")
    # Nobody knows him: the duty recipients (Ольга) get it.
    relay = await staff_bot.nth_to(1000, 0)
    assert relay.startswith("👤 ") and "Сколько стоит доставка?" in relay
    assert [m.text for m in await _stored(api)] == ["Сколько стоит доставка?"]

    conversation = await _conversation(api)
    await api.post(f"/api/v1/conversations/{conversation['id']}/messages", {"text": "300 ₽"})
    sent = await vk_api.nth_to(3001, 0)
    assert sent.text == "300 ₽"
    assert sent.random_id != 0
    # The contact waits in the triage queue with the chat standing for his number.
    unknown = (await api.get("/api/v1/unknown-numbers"))["items"]
    assert [u["number"] for u in unknown] == ["vk:3001"]


async def test_whatsapp_verifies_signs_and_holds_free_text_to_its_window(
    staff: Stub, wa_api: WhatsAppApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    clock = TestClock()
    settings = hub_settings(
        db_url, staff_server, messengers={"wa": wa_api.section(template="reopen_conversation")}
    )
    api = await start(aiohttp_client, settings, clock)
    team = await sales_team(api)
    url = _url(api, "wa")

    verified = await wa_api.subscribe(url, challenge="31337")
    assert (verified.status, verified.text) == (200, "31337")
    assert (await wa_api.subscribe(url, token="wrong")).status == 401

    sender = CALLER.lstrip("+")
    bad = await wa_api.post(url, wa_api.inbound(text(sender, "Привет")), signature="sha256=00")
    assert bad.status == 401
    assert await _stored(api) == []

    good = await wa_api.post(url, wa_api.inbound(text(sender, "Есть в наличии?")))
    assert good.status == 200
    relay = await staff_bot.nth_to(1001, 0)  # his number is on Иван's client's card
    assert relay.startswith("👤 ООО Ромашка · WhatsApp")
    conversation = await _conversation(api)
    assert conversation["client_id"] == team["client"]["id"]
    path = f"/api/v1/conversations/{conversation['id']}/messages"

    await api.post(path, {"text": "Да, есть"})
    sent = await wa_api.nth_to(sender, 0)
    assert sent.type == "text"

    # 25 hours later free text is refused before anything is sent: through the API (409), and
    # in Иван's chat, where he is offered the template with one button — which sends it.
    clock.advance(timedelta(hours=25))
    _, refused = await api.call("POST", path, {"text": "Вы ещё здесь?"}, expect=409)
    assert refused["error"]["code"] == "window_closed"
    relayed = await _relayed_id(api, 1001)
    staff_bot.message(1001, "Вы ещё здесь?", reply_to=_reply_to(relayed, 1001))
    offer = await staff_bot.nth_to(1001, 1)
    assert offer.startswith("⏳ Клиент писал больше 24 часов назад")
    [request] = [r for r in staff_bot.calls("sendMessage") if r.params["text"] == offer]
    [[button]] = request.params["reply_markup"]["inline_keyboard"]
    assert len(wa_api.to(sender)) == 1
    staff_bot.press(1001, button["callback_data"])
    template = await wa_api.nth_to(sender, 1)
    assert template.type == "template"
    assert template.body["name"] == "reopen_conversation"

    # Its statuses are kept: the first answer was read.
    statuses = wa_api.status(sent.message_id, "read", recipient=sender)
    assert (await wa_api.post(url, statuses)).status == 200
    messages = (await api.get(path))["items"]
    first = next(m for m in messages if m["text"] == "Да, есть")
    assert (first["status"], first["delivered"]) == ("read", True)


async def _relayed_id(api: Api, chat_id: int) -> int:
    """The staff chat's message id of the first message relayed there, once delivered."""
    found: list[int] = []

    async def delivered() -> bool:
        async with api.app[SESSIONS]() as session:
            query = select(OutboxMessage.remote_message_id).where(
                OutboxMessage.kind == "relay",
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.remote_message_id.is_not(None),
            )
            found.extend(int(i) for i in (await session.scalars(query)).all() if i is not None)
        return bool(found)

    await until_true(delivered)
    return found[0]


def _reply_to(message_id: int, chat_id: int) -> dict[str, Any]:
    return {"message_id": message_id, "date": 0, "chat": {"id": chat_id, "type": "private"}}
