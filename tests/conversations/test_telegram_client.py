"""A client writes to the company's Telegram bot, and his manager answers from his staff chat.

Real aiogram on both sides: the client bot's webhook posts go to the hub as Telegram would post
them (with the secret token), the staff bot polls its own stand-in; replies reach the client
bot's stand-in. The clock is moved to let a message go unanswered.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from config.settings import (
    EscalationSettings,
    MessagesSettings,
    Settings,
)
from connectors.telegram import TelegramSettings as ClientBotSettings
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from storage.models import Conversation, ConversationMessage, OutboxMessage
from tests.conversations.conftest import CLIENT_TOKEN, hub_settings, start
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.team import CALLER, sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

Stub = tuple[BotApiStub, TestServer]
SECRET = "client-bot-secret"
CLIENT_CHAT = 4242
WEBHOOK = "/api/v1/messengers/tg/webhook"


def _url(server: TestServer) -> str:
    return str(server.make_url("")).rstrip("/")


def settings(db_url: str, staff: TestServer, clients: TestServer) -> Settings:
    return hub_settings(
        db_url,
        staff,
        messengers={
            "tg": ClientBotSettings(
                type="telegram",
                token=CLIENT_TOKEN,
                api_base=_url(clients),
                mode="webhook",
                webhook_secret=SECRET,
                bot_username="romashka_bot",
            )
        },
        messages=MessagesSettings(reply_within=timedelta(minutes=15)),
        escalation=EscalationSettings(after=timedelta(hours=2), sweep_interval=timedelta(hours=1)),
    )


async def post(api: Api, update: dict[str, Any], secret: str = SECRET) -> int:
    response = await api.client.post(
        WEBHOOK, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
    )
    return response.status


async def rows(api: Api, model: Any) -> list[Any]:
    async with api.app[SESSIONS]() as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


async def relayed_id(api: Api, chat_id: int, index: int) -> int:
    """The staff chat's message id of relayed message ``index`` (once delivered)."""

    async def delivered() -> bool:
        found = [
            r
            for r in await rows(api, OutboxMessage)
            if r.kind == "relay" and r.chat_id == chat_id and r.remote_message_id is not None
        ]
        return len(found) > index

    await until_true(delivered)
    found = [
        r for r in await rows(api, OutboxMessage) if r.kind == "relay" and r.chat_id == chat_id
    ]
    return int(found[index].remote_message_id)


def reply_to(message_id: int, chat_id: int) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "date": 0,
        "chat": {"id": chat_id, "type": "private"},
        "text": "…",
    }


async def sweep(api: Api) -> None:
    schedule = api.app[SCHEDULE]
    schedule.wake(ESCALATION_SWEEP)
    await schedule.settle(ESCALATION_SWEEP)


async def test_a_client_writes_his_manager_answers_and_an_unanswered_message_opens_a_case(
    staff: Stub, clients_bot: Stub, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    clock = TestClock()
    api = await start(aiohttp_client, settings(db_url, staff_server, client_server), clock)
    team = await sales_team(api)

    # His first message: nobody knows him yet; he is asked once for his phone.
    assert await post(api, client_bot.message(CLIENT_CHAT, "Добрый день")) == 200
    await until(lambda: client_bot.calls("sendMessage"))
    [ask] = client_bot.calls("sendMessage")
    assert int(ask.params["chat_id"]) == CLIENT_CHAT
    button = ask.params["reply_markup"]["keyboard"][0][0]
    assert button["request_contact"] is True

    # He shares his own phone: the chat is tied to his card.
    assert await post(api, client_bot.contact(CLIENT_CHAT, CALLER)) == 200
    [conversation] = await rows(api, Conversation)
    assert (conversation.client_id, conversation.phone) == (team["client"]["id"], CALLER)
    # He waited for triage as the chat until then: the card settled it.
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    [entry] = (await api.get("/api/v1/unknown-numbers?status=resolved"))["items"]
    assert (entry["number"], entry["resolution"]) == ("tg:4242", f"client:{team['client']['id']}")

    # He writes: the message reaches Иван's staff chat under a header naming the client.
    assert await post(api, client_bot.message(CLIENT_CHAT, "Пришлите счёт, пожалуйста")) == 200
    relay = await staff_bot.nth_to(1001, 0)
    assert relay.startswith("👤 ООО Ромашка · Telegram · потенциальный")
    assert "Пришлите счёт, пожалуйста" in relay
    # «Добрый день» came before anyone knew him: it went to the duty recipients (Ольга).
    assert any("Добрый день" in text for text in staff_bot.sent_to(1000))

    # Иван answers it in his chat: the answer reaches the client's chat.
    first = await relayed_id(api, 1001, 0)
    staff_bot.message(1001, "Отправил на почту", reply_to=reply_to(first, 1001))
    await until(lambda: "Отправил на почту" in client_bot.sent_to(CLIENT_CHAT))
    listed = await api.get(f"/api/v1/conversations?client_id={team['client']['id']}")
    [item] = listed["items"]
    assert (item["channel"], item["contact"], item["awaiting_reply"]) == ("tg", "4242", False)
    assert item["manager_id"] == team["ivan"]["id"]
    messages = (await api.get(f"/api/v1/conversations/{item['id']}/messages"))["items"]
    out = [m for m in messages if m["direction"] == "out" and m["text"] == "Отправил на почту"]
    await until_true(lambda: _delivered(api, item["id"]))
    assert out and out[0]["manager_id"] == team["ivan"]["id"]

    # A second message nobody answers: after reply_within a case of kind message opens, and
    # Иван and his supervisor are told.
    assert await post(api, client_bot.message(CLIENT_CHAT, "Так где счёт?")) == 200
    await staff_bot.nth_to(1001, 2)
    clock.advance(timedelta(minutes=14))
    await sweep(api)
    assert (await api.get("/api/v1/callback-cases"))["items"] == []
    clock.advance(timedelta(minutes=2))
    await sweep(api)
    [case] = (await api.get("/api/v1/callback-cases"))["items"]
    assert (case["kind"], case["status"], case["number"]) == ("message", "open", CALLER)
    assert case["manager_id"] == team["ivan"]["id"]
    assert (await api.get("/api/v1/callback-cases?kind=call"))["items"] == []
    assert [c["id"] for c in (await api.get("/api/v1/callback-cases?kind=message"))["items"]] == [
        case["id"]
    ]
    await api.call("GET", "/api/v1/callback-cases?kind=sms", expect=400)
    await until(lambda: _told(staff_bot, 1001, "Сообщение без ответа"))
    await until(lambda: _told(staff_bot, 1000, "Сообщение без ответа"))

    # His answer returns it.
    second = await relayed_id(api, 1001, 1)
    staff_bot.message(1001, "Вот счёт", reply_to=reply_to(second, 1001))
    await until(lambda: "Вот счёт" in client_bot.sent_to(CLIENT_CHAT))

    async def returned() -> bool:
        [found] = (await api.get("/api/v1/callback-cases?status=all"))["items"]
        return bool(found["status"] == "returned")

    await until_true(returned)
    [case] = (await api.get("/api/v1/callback-cases?status=all"))["items"]
    assert case["returned_by"] == team["ivan"]["id"]


def _told(bot: BotApiStub, chat_id: int, words: str) -> bool:
    return any(words in text for text in bot.sent_to(chat_id))


async def _delivered(api: Api, conversation_id: int) -> bool:
    messages = (await api.get(f"/api/v1/conversations/{conversation_id}/messages"))["items"]
    return any(m["direction"] == "out" and m["delivered"] for m in messages)


async def test_a_wrong_secret_is_refused_and_stores_nothing(
    staff: Stub, clients_bot: Stub, aiohttp_client: Any, db_url: str
) -> None:
    _, staff_server = staff
    client_bot, client_server = clients_bot
    api = await start(aiohttp_client, settings(db_url, staff_server, client_server))
    assert await post(api, client_bot.message(CLIENT_CHAT, "Привет"), secret="wrong") == 401
    assert await rows(api, ConversationMessage) == []


async def test_a_redelivered_update_is_stored_and_relayed_once(
    staff: Stub, clients_bot: Stub, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    api = await start(aiohttp_client, settings(db_url, staff_server, client_server))
    await sales_team(api)
    await post(api, client_bot.contact(CLIENT_CHAT, CALLER))
    update = client_bot.message(CLIENT_CHAT, "Один раз")
    assert [await post(api, update) for _ in range(3)] == [200, 200, 200]
    stored = [m for m in await rows(api, ConversationMessage) if m.text == "Один раз"]
    assert len(stored) == 1
    await staff_bot.nth_to(1001, 0)
    relays = [r for r in await rows(api, OutboxMessage) if r.kind == "relay"]
    assert len(relays) == 1


async def test_a_clients_document_arrives_as_one_message_and_a_reply_to_it_answers_him(
    staff: Stub, clients_bot: Stub, aiohttp_client: Any, db_url: str
) -> None:
    """His document reaches Иван's chat as the message itself, the line naming him its
    caption; Иван answers the document with «Ответить», and the answer reaches the client."""
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    api = await start(aiohttp_client, settings(db_url, staff_server, client_server))
    await sales_team(api)
    assert await post(api, client_bot.contact(CLIENT_CHAT, CALLER)) == 200

    contract = b"%PDF-1.7 contract"
    assert await post(api, client_bot.document(CLIENT_CHAT, "договор.pdf", contract)) == 200
    await until(lambda: bool(staff_bot.documents_to(1001)))
    assert staff_bot.documents_to(1001) == [("договор.pdf", contract)]
    [sent] = [r for r in staff_bot.calls("sendDocument") if int(r.params["chat_id"]) == 1001]
    assert sent.params["caption"].startswith("👤 ООО Ромашка · Telegram")
    # The relay's own message (what he wrote, the file named) and the file: nothing else.
    await until(lambda: bool(staff_bot.sent_to(1001)))
    assert len(staff_bot.sent_to(1001)) == 1 and "договор.pdf" in staff_bot.sent_to(1001)[0]

    document_id = sent.result["message_id"]
    staff_bot.message(1001, "Подписал, спасибо", reply_to=reply_to(document_id, 1001))
    await until(lambda: "Подписал, спасибо" in client_bot.sent_to(CLIENT_CHAT))


async def test_files_go_both_ways(
    staff: Stub, clients_bot: Stub, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    api = await start(aiohttp_client, settings(db_url, staff_server, client_server))
    await sales_team(api)
    assert await post(api, client_bot.contact(CLIENT_CHAT, CALLER)) == 200

    # His photo: the relay names it, and the picture itself follows to Иван's chat.
    picture = b"\xff\xd8\xff" + bytes(range(256)) * 8
    assert await post(api, client_bot.photo(CLIENT_CHAT, picture, caption="Вот брак")) == 200
    relay = await staff_bot.nth_to(1001, 0)
    assert "Вот брак" in relay and "📎 фото" in relay
    await until(lambda: bool(staff_bot.photos_to(1001)))
    [(caption, content)] = staff_bot.photos_to(1001)
    assert content == picture
    assert caption.startswith("👤 ООО Ромашка · Telegram")

    # Иван answers it with a document: it reaches the client's chat as a document.
    invoice = b"%PDF-1.7 invoice"
    file_id = staff_bot.file(invoice, name="счёт.pdf")
    first = await relayed_id(api, 1001, 0)
    staff_bot.content(
        1001,
        document={"file_id": file_id, "file_unique_id": "u1", "file_name": "счёт.pdf"},
        caption="Счёт во вложении",
        reply_to_message=reply_to(first, 1001),
    )
    await until(lambda: bool(client_bot.documents_to(CLIENT_CHAT)))
    assert client_bot.documents_to(CLIENT_CHAT) == [("счёт.pdf", invoice)]
    [conversation] = (await api.get("/api/v1/conversations"))["items"]
    path = f"/api/v1/conversations/{conversation['id']}/messages"

    async def sent() -> bool:
        items = (await api.get(path))["items"]
        return any(m["direction"] == "out" and m["status"] == "sent" for m in items)

    await until_true(sent)
    [out] = [m for m in (await api.get(path))["items"] if m["direction"] == "out"]
    assert (out["text"], out["attachments"][0]["name"]) == ("Счёт во вложении", "счёт.pdf")
    # Once sent, the file's content is not kept.
    [row] = [m for m in await rows(api, ConversationMessage) if m.direction == "out"]
    assert row.attachments == [{"kind": "document", "name": "счёт.pdf", "size": len(invoice)}]
