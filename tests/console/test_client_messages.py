"""A client's card at the console shows his conversations on the messengers: the latest
messages in and out with who wrote them and how far ours got (a client's markup shown as text,
never run), a reply form per conversation that answers the client as the person logged in
(refused for a client outside his scope, and past WhatsApp's 24-hour window offering the
template instead), and the links that tie a client's chat to the card."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from config.settings import Settings
from connectors.max import MaxSettings
from connectors.telegram import TelegramSettings
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.links import LINKS
from tests.support.api import Api
from tests.support.console import Page, logged_in
from tests.support.conversations import (
    conversation,
    conversation_row,
    messages_of,
    said_in,
    said_out,
)
from tests.support.settings import make_settings
from tests.support.stand_in import serving
from tests.support.team import sales_team
from tests.support.telegram_stub import BotApiStub, until_true
from tests.support.whatsapp_api import WhatsAppApi

PASSWORD = "correct horse"
BOT_TOKEN = "123456:client-bot-token"
CHAT = 5001  # the client's chat with the company's Telegram bot
WA_ID = "79031112233"  # his WhatsApp id
TEMPLATE = "dozvon_reopen"
MIN = timedelta(minutes=1)


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[BotApiStub, TestServer]]:
    fake = BotApiStub(token=BOT_TOKEN)
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, server
    await server.close()


@pytest.fixture
async def whatsapp() -> AsyncIterator[WhatsAppApi]:
    async for stand_in in serving(WhatsAppApi()):
        yield stand_in


@pytest.fixture
def settings(
    db_url: str, telegram: tuple[BotApiStub, TestServer], whatsapp: WhatsAppApi
) -> Settings:
    """A company bot on Telegram and one on MAX (both with names, for links), and a WhatsApp
    number with its reopening template."""
    bot = TelegramSettings.model_validate(
        {
            "type": "telegram",
            "token": BOT_TOKEN,
            "mode": "webhook",
            "webhook_secret": "client_webhook-secret",
            "bot_username": "romashka_bot",
            "api_base": str(telegram[1].make_url("")).rstrip("/"),
        }
    )
    max_bot = MaxSettings.model_validate(
        {
            "type": "max",
            "token": "max-test-token",
            "webhook_secret": "max-webhook-secret",
            "bot_username": "romashka_max",
            "api_base": "http://127.0.0.1:9",
        }
    )
    return make_settings(
        db_url,
        messengers={"tg": bot, "max": max_bot, "wa": whatsapp.section(template=TEMPLATE)},
    )


def rows(page: Page) -> list[tuple[str, str]]:
    """The card's message rows, as (direction, the row's HTML), top to bottom."""
    found = re.findall(r'<tr data-message="\d+" class="(in|out)">(.*?)</tr>', page.text, re.S)
    return [(direction, body) for direction, body in found]


def conversation_item(page: Page, conversation_id: int) -> str:
    found = re.search(
        rf'<li id="conversation-{conversation_id}".*?</li>', page.text, flags=re.DOTALL
    )
    assert found is not None, page.text
    return found.group(0)


async def _talk(api: Api, team: dict[str, Any], **values: Any) -> int:
    return await conversation(
        api.app[SESSIONS],
        now=api.clock.now(),
        client_id=team["client"]["id"],
        manager_id=team["ivan"]["id"],
        **values,
    )


async def test_the_card_shows_messages_in_and_out_with_their_delivery(api: Api) -> None:
    team = await sales_team(api)
    ivan = team["ivan"]["id"]
    browser = await logged_in(api, team["boss"]["id"], "olga", PASSWORD)
    telegram = await _talk(
        api,
        team,
        channel="tg",
        contact=str(CHAT),
        name="Анна <b>Ромашка</b>",
        awaiting=5 * MIN,
        messages=[
            said_in(
                "Здравствуйте!\n<script>alert('x')</script>",
                50 * MIN,
                attachments=[{"kind": "photo", "name": "счёт.jpg"}],
            ),
            said_out("Добрый день", 40 * MIN, "read", by=ivan),
            said_out("Счёт во вложении", 30 * MIN, "delivered", by=ivan),
            said_out("Вы тут?", 20 * MIN, "sent", by=ivan),
            said_out("Ещё раз", 10 * MIN, "failed", by=ivan, error="the client blocked the bot"),
            said_in("Цена?", 5 * MIN),
        ],
    )
    whatsapp = await _talk(
        api,
        team,
        channel="wa",
        contact=WA_ID,
        name="Анна",
        messages=[said_in("Привет из WhatsApp", 120 * MIN)],
    )
    card = await browser.get(f"/clients/{team['client']['id']}")
    assert card.status == 200 and "Переписка" in card.text

    shown = rows(card)
    texts = [re.search(r'<span class="text">(.*?)</span>', body, re.S) for _, body in shown]
    assert [t.group(1) if t else None for t in texts] == [
        "Цена?",
        "Ещё раз",
        "Вы тут?",
        "Счёт во вложении",
        "Добрый день",
        "Здравствуйте!\n&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
        "Привет из WhatsApp",
    ]
    assert [direction for direction, _ in shown] == ["in", "out", "out", "out", "out", "in", "in"]
    # How far each of ours got: ❗ with the reason, ✓ sent, ✓✓ delivered and read.
    assert "❗ не доставлено" in shown[1][1] and "the client blocked the bot" in shown[1][1]
    assert "✓ отправлено" in shown[2][1] and "✓✓" not in shown[2][1]
    assert "✓✓ доставлено" in shown[3][1]
    assert "✓✓ прочитано" in shown[4][1]
    assert all("✓" not in body and "❗" not in body for d, body in shown if d == "in")
    # Who wrote: the person for ours, the contact (his markup as text) for the client's.
    assert all("Иван" in body for d, body in shown if d == "out")
    assert "Анна &lt;b&gt;Ромашка&lt;/b&gt;" in shown[0][1]
    assert "📎 счёт.jpg" in shown[5][1]
    assert "Telegram" in shown[0][1] and "WhatsApp" in shown[6][1]
    # A client's markup is never part of the page.
    assert "<script>alert" not in card.text and "<b>Ромашка" not in card.text
    # The conversations: the Telegram one waits for an answer, the WhatsApp one does not.
    assert "ждёт ответа с" in conversation_item(card, telegram)
    assert "ответа не ждёт" in conversation_item(card, whatsapp)
    for talk in (telegram, whatsapp):
        action = f'action="/clients/{team["client"]["id"]}/conversations/{talk}/reply"'
        assert action in conversation_item(card, talk)


async def test_links_tie_a_clients_chat_to_his_card(api: Api) -> None:
    team = await sales_team(api)
    client_id = team["client"]["id"]
    browser = await logged_in(api, team["boss"]["id"], "olga", PASSWORD)
    card = await browser.get(f"/clients/{client_id}")
    assert "Ссылка для клиента" in card.text
    links = dict(
        re.findall(r'value="(https://(?:t\.me|max\.ru)/[^"?]+)\?start=([^"]+)"', card.text)
    )
    assert set(links) == {"https://t.me/romashka_bot", "https://max.ru/romashka_max"}
    # Each link carries the token that names this client (and no other) to the bot.
    assert {api.app[LINKS].token_client(token) for token in links.values()} == {client_id}
    # A WhatsApp number has no bot to start: no link for it.
    assert "wa.me" not in card.text


async def test_a_reply_goes_to_the_client_as_the_person_who_wrote_it(
    api: Api, telegram: tuple[BotApiStub, TestServer]
) -> None:
    fake = telegram[0]
    team = await sales_team(api)
    client_id, ivan = team["client"]["id"], team["ivan"]["id"]
    browser = await logged_in(api, ivan, "ivan", PASSWORD)
    talk = await _talk(
        api,
        team,
        channel="tg",
        contact=str(CHAT),
        awaiting=5 * MIN,
        messages=[said_in("Когда будет счёт?", 5 * MIN)],
    )
    path = f"/clients/{client_id}/conversations/{talk}/reply"

    # No form token: refused, nothing queued.
    forged = await browser.post(path, {"text": "подделка"})
    assert forged.status == 403
    empty = await browser.submit(path, {"text": "   "}, form=f"/clients/{client_id}")
    assert empty.status == 400 and "Напишите текст ответа." in empty.text
    assert [m.direction for m in await messages_of(api.app[SESSIONS], talk)] == ["in"]

    sent = await browser.submit(
        path, {"text": "Счёт отправил <b>сегодня</b>"}, form=f"/clients/{client_id}"
    )
    assert (sent.status, sent.location) == (
        303,
        f"/clients/{client_id}?done=reply_queued#conversation-{talk}",
    )
    assert await fake.nth_to(CHAT, 0) == "Счёт отправил <b>сегодня</b>"
    stored = (await messages_of(api.app[SESSIONS], talk))[-1]
    assert (stored.direction, stored.text, stored.manager_id) == (
        "out",
        "Счёт отправил <b>сегодня</b>",
        ivan,
    )
    assert (await conversation_row(api.app[SESSIONS], talk)).awaiting_since is None

    async def delivered() -> bool:
        return (await messages_of(api.app[SESSIONS], talk))[-1].status == "sent"

    await until_true(delivered)
    card = await browser.get(f"/clients/{client_id}?done=reply_queued")
    assert "Ответ отправляется клиенту." in card.text
    assert "ответа не ждёт" in conversation_item(card, talk)
    newest = rows(card)[0][1]
    assert "Счёт отправил &lt;b&gt;сегодня&lt;/b&gt;" in newest and "✓ отправлено" in newest


async def test_another_teams_client_is_not_answered(api: Api) -> None:
    team = await sales_team(api)
    client_id = team["client"]["id"]
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    stranger = await logged_in(api, other["id"], "petr", PASSWORD)
    talk = await _talk(
        api, team, channel="tg", contact=str(CHAT), messages=[said_in("Алло?", 5 * MIN)]
    )
    home = await stranger.get("/")
    refused = await stranger.post(
        f"/clients/{client_id}/conversations/{talk}/reply", {"csrf": home.token, "text": "Это я"}
    )
    assert refused.status == 404 and "не в вашем ведении" in refused.text
    assert (await stranger.get(f"/clients/{client_id}")).status == 404
    # Ivan's own client, but a conversation that is not his: as if it did not exist.
    stranger.forget_cookies()
    ivan = await logged_in(api, team["ivan"]["id"], "ivan", PASSWORD)
    unknown = await conversation(
        api.app[SESSIONS],
        channel="tg",
        contact="5002",
        now=api.clock.now(),
        messages=[said_in("Кто это?", MIN)],
    )
    card = await ivan.get(f"/clients/{client_id}")
    wrong = await ivan.post(
        f"/clients/{client_id}/conversations/{unknown}/reply", {"csrf": card.token, "text": "Я"}
    )
    assert wrong.status == 404
    for talked in (talk, unknown):
        assert all(m.direction == "in" for m in await messages_of(api.app[SESSIONS], talked))


async def test_past_whatsapps_window_the_template_is_offered(
    api: Api, whatsapp: WhatsAppApi
) -> None:
    team = await sales_team(api)
    client_id = team["client"]["id"]
    browser = await logged_in(api, team["ivan"]["id"], "ivan", PASSWORD)
    talk = await _talk(
        api,
        team,
        channel="wa",
        contact=WA_ID,
        awaiting=25 * 60 * MIN,
        messages=[said_in("Пришлите прайс", 25 * 60 * MIN)],
    )
    path = f"/clients/{client_id}/conversations/{talk}/reply"
    refused = await browser.submit(path, {"text": "Вот прайс"}, form=f"/clients/{client_id}")
    assert refused.status == 400
    item = conversation_item(refused, talk)
    assert "WhatsApp пропустит только шаблон" in item
    assert '<input type="hidden" name="template" value="1">' in item
    assert "Отправить шаблон" in item
    assert ">Вот прайс</textarea>" in item  # what he typed is kept
    assert [m.direction for m in await messages_of(api.app[SESSIONS], talk)] == ["in"]
    assert whatsapp.sent == []

    template = await browser.post(path, {"csrf": refused.token, "template": "1"})
    assert (template.status, template.location) == (
        303,
        f"/clients/{client_id}?done=reply_queued#conversation-{talk}",
    )
    stored = (await messages_of(api.app[SESSIONS], talk))[-1]
    assert (stored.direction, stored.attachments) == ("out", [{"kind": "template"}])
    sent = await whatsapp.nth_to(WA_ID, 0)
    assert (sent.type, sent.body["name"]) == ("template", TEMPLATE)
    card = await browser.get(f"/clients/{client_id}")
    assert "шаблон WhatsApp" in rows(card)[0][1]
