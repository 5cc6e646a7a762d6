"""The staff bot on MAX end to end: MAX's updates posted to the real app's webhook, the bot's
answers read from the stand-in MAX API.

People act as they do in MAX — open an invite link (``bot_started`` with the code), type
commands, press the buttons under alerts (``message_callback`` with the button's payload), reply
to a client's relayed message — and the assertions are on what reached the stand-in and on the
service's own API.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from config.settings import OutboxSettings, Settings
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from notifications.max_bot.updates import claim_key
from storage.models import BotUpdate, Manager
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.max_api import MaxApi, post_update
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.stand_in import serving
from tests.support.team import CALLER, miss
from tests.support.telegram_stub import until

BOSS, IVAN, PETR = 700100, 700101, 700102
STRANGER = 777
SECRET = "staff-max-secret"
WEBHOOK = "https://dozvon.example.com/api/v1/max/webhook"
REFUSAL = "Здравствуйте! Этот бот работает только для сотрудников компании."
UNKNOWN_CALLER = "+79035550000"


@pytest.fixture
async def max_api() -> AsyncIterator[MaxApi]:
    async for served in serving(MaxApi()):
        yield served


def _settings(db_url: str, max_api: MaxApi, **more: Any) -> Settings:
    return make_settings(
        db_url,
        max=max_api.staff(webhook_url=WEBHOOK, webhook_secret=SECRET),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
        **more,
    )


async def _start(aiohttp_client: Any, settings: Settings) -> Api:
    client = await aiohttp_client(create_app(settings, clock=TestClock()))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


@pytest.fixture
async def api(max_api: MaxApi, aiohttp_client: Any, db_url: str) -> Api:
    return await _start(aiohttp_client, _settings(db_url, max_api))


async def _set(api: Api, manager_id: int, **fields: Any) -> None:
    async with api.app[SESSIONS]() as session:
        person = await session.get(Manager, manager_id)
        assert person is not None
        for key, value in fields.items():
            setattr(person, key, value)
        await session.commit()


async def _team(api: Api) -> dict[str, Any]:
    """Ольга (supervisor), Иван (hers, extension 101, ООО Ромашка's manager) and Пётр
    (extension 102), each on MAX only."""
    boss = await api.post("/api/v1/managers", {"name": "Ольга", "role": "supervisor"})
    ivan = await api.post(
        "/api/v1/managers", {"name": "Иван", "extension": "101", "supervisor_id": boss["id"]}
    )
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    client = await api.post(
        "/api/v1/clients", {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CALLER]}
    )
    for person, user_id in ((boss, BOSS), (ivan, IVAN), (petr, PETR)):
        await _set(api, person["id"], max_user_id=user_id)
    return {"boss": boss, "ivan": ivan, "petr": petr, "client": client}


async def _post(api: Api, update: dict[str, Any], secret: str | None = SECRET) -> int:
    """MAX posts ``update`` to the staff bot's webhook; the status answered (only after the
    update was handled)."""
    return await post_update(str(api.client.make_url("/api/v1/max/webhook")), update, secret=secret)


def _mid(max_api: MaxApi, user_id: int, starts: str) -> str:
    """The mid of the last message sent to ``user_id`` whose text starts with ``starts``."""
    found = [
        mid
        for mid, held in max_api.messages.items()
        if held["target"] == user_id and str(held.get("text", "")).startswith(starts)
    ]
    assert found, (starts, max_api.sent_to_user(user_id))
    return found[-1]


def _buttons(max_api: MaxApi, mid: str) -> list[dict[str, Any]]:
    attachments = max_api.messages[mid].get("attachments") or []
    rows = next(a["payload"]["buttons"] for a in attachments if a["type"] == "inline_keyboard")
    return [button for row in rows for button in row]


def _answer(max_api: MaxApi, index: int = -1) -> dict[str, Any]:
    body: dict[str, Any] = max_api.answers()[index].body
    return body


async def test_an_invite_binds_his_max_user_once(max_api: MaxApi, api: Api) -> None:
    people = await _team(api)
    petr = people["petr"]
    # MAX once found him unreachable; he is not bound any more.
    await _set(api, petr["id"], max_user_id=None, unreachable=["max"])
    # The webhook was subscribed at start, with its secret and the updates the bot acts on.
    await until(lambda: bool(max_api.subscriptions))
    [subscription] = max_api.subscriptions
    assert (subscription["url"], subscription["secret"]) == (WEBHOOK, SECRET)
    assert set(subscription["update_types"]) == {
        "message_created",
        "message_callback",
        "bot_started",
    }

    invite = await api.post(f"/api/v1/managers/{petr['id']}/invite?channel=max", None)
    assert invite["link"] == f"https://max.ru/dozvon_bot?start={invite['code']}"
    assert await _post(api, max_api.bot_started(5000, 700555, invite["code"])) == 200
    [welcome] = max_api.sent_to_user(700555)
    assert welcome.startswith("Добро пожаловать, Пётр!")
    bound = await api.get(f"/api/v1/managers/{petr['id']}")
    assert (bound["max_user_id"], bound["unreachable"]) == (700555, [])

    # The same link opened by somebody else: refused; he stays Пётр's. A made-up code is a
    # stranger's start.
    assert await _post(api, max_api.bot_started(6000, 700666, invite["code"])) == 200
    assert "уже использовано" in max_api.sent_to_user(700666)[0]
    assert await _post(api, max_api.bot_started(6001, 700667, "not-a-real-code")) == 200
    assert max_api.sent_to_user(700667)[0].startswith(REFUSAL)
    assert (await api.get(f"/api/v1/managers/{petr['id']}"))["max_user_id"] == 700555

    # Пётр uses his commands now; the binding is audited as his MAX user's doing.
    assert await _post(api, max_api.message_created(5000, 700555, "/missed")) == 200
    assert max_api.sent_to_user(700555)[-1] == "✅ Открытых случаев нет: всем перезвонили."
    audit = await api.get("/api/v1/audit?entity=manager")
    [entry] = [e for e in audit["items"] if e["action"] == "bind_max"]
    assert entry["actor"] == "max:700555"
    # A channel the staff bot is not on.
    status, _ = await api.call("POST", f"/api/v1/managers/{petr['id']}/invite?channel=vk")
    assert status == 400


async def test_a_stranger_gets_one_polite_refusal_and_nothing_else(
    max_api: MaxApi, api: Api
) -> None:
    people = await _team(api)
    case = await miss(api, "m1")
    for words in ("/missed", "/team", "/help", "привет"):
        assert await _post(api, max_api.message_created(STRANGER + 1, STRANGER, words)) == 200
    assert await _post(api, max_api.bot_started(STRANGER + 1, STRANGER)) == 200
    for payload in (f"close:{case['id']}", f"card:{people['client']['id']}"):
        assert await _post(api, max_api.message_callback(STRANGER, payload)) == 200

    replies = max_api.sent_to_user(STRANGER)
    assert len(replies) == 5
    assert all(r.startswith(REFUSAL) for r in replies)
    answers = [a.body for a in max_api.answers()]
    assert len(answers) == 2
    assert all(a["notification"].startswith(REFUSAL) and "message" not in a for a in answers)
    assert all(CALLER not in r for r in replies)
    assert (await api.get("/api/v1/callback-cases?status=open"))["items"]


async def test_missed_lists_and_called_back_closes_with_a_reason(max_api: MaxApi, api: Api) -> None:
    people = await _team(api)
    case = await miss(api, "m1")
    await until(lambda: any(t.startswith("📵") for t in max_api.sent_to_user(IVAN)))
    alert = _mid(max_api, IVAN, "📵 Пропущенный звонок")

    assert await _post(api, max_api.message_created(IVAN + 1, IVAN, "/missed")) == 200
    listed = _mid(max_api, IVAN, "📋")
    assert max_api.messages[listed]["text"].splitlines()[0] == "📋 Ждут перезвона: 1"
    assert [b["payload"] for b in _buttons(max_api, listed)] == [f"close:{case['id']}"]

    # Пётр is neither responsible nor the supervisor: refused, nothing asked.
    close = f"close:{case['id']}"
    assert await _post(api, max_api.message_callback(PETR, close, alert)) == 200
    assert _answer(max_api)["notification"].startswith("Этот случай закрывают ответственный")
    assert max_api.sent_to_user(PETR) == []
    # Without a PBX «Позвонить» says so.
    assert await _post(api, max_api.message_callback(IVAN, f"call:{CALLER}", alert)) == 200
    assert _answer(max_api)["notification"] == "АТС не настроена для звонков из Дозвона."
    # The card.
    card = f"card:{people['client']['id']}"
    assert await _post(api, max_api.message_callback(IVAN, card, alert)) == 200
    assert max_api.messages[_mid(max_api, IVAN, "🗂")]["text"].startswith("🗂 ООО Ромашка")

    # «Перезвонил» under the alert: the question with the reasons, then one of them.
    assert await _post(api, max_api.message_callback(IVAN, close, alert)) == 200
    assert _answer(max_api)["notification"] == "👇 Ответ — ниже в чате"
    question = _mid(max_api, IVAN, "Почему закрываем")
    assert max_api.messages[question]["text"] == (
        f"Почему закрываем случай #{case['id']} ({CALLER})?"
    )
    assert [b["text"] for b in _buttons(max_api, question)] == [
        "Перезвонил с мобильного",
        "Связался в мессенджере",
        "Перезвон не нужен",
        "Другая причина…",
        "Отмена",
    ]
    mobile = f"reason:{case['id']}:mobile"
    assert await _post(api, max_api.message_callback(IVAN, mobile, question)) == 200
    done = f"Случай #{case['id']} закрыт: Перезвонил с мобильного"
    # The answer replaces the question, without its buttons.
    assert _answer(max_api)["message"] == {"text": done, "attachments": []}
    assert max_api.messages[question]["text"] == done
    closed = (await api.get("/api/v1/callback-cases?status=closed"))["items"]
    assert [(c["id"], c["close_reason"], c["closed_by"]) for c in closed] == [
        (case["id"], "Перезвонил с мобильного", "Иван")
    ]
    audit = await api.get("/api/v1/audit?entity=callback_case")
    assert [e["actor"] for e in audit["items"] if e["action"] == "close"] == ["Иван"]
    # The outbox edits the alert in place.
    await until(lambda: bool(max_api.edits_of(alert)))
    assert max_api.edits_of(alert)[-1]["text"].startswith("☑️ Закрыто вручную\nООО Ромашка")

    # Pressing again: it is closed already, nothing changes.
    again = f"reason:{case['id']}:messenger"
    assert await _post(api, max_api.message_callback(IVAN, again, question)) == 200
    assert "уже закрыт" in _answer(max_api)["notification"]
    closed = (await api.get("/api/v1/callback-cases?status=closed"))["items"]
    assert closed[0]["close_reason"] == "Перезвонил с мобильного"


async def test_another_reason_is_typed_and_a_command_ends_the_question(
    max_api: MaxApi, api: Api
) -> None:
    await _team(api)
    case = await miss(api, "m1")
    other = f"reason:{case['id']}:other"
    # The supervisor has the alert (her answers below are then the last messages she got).
    await until(lambda: any(t.startswith("📵") for t in max_api.sent_to_user(BOSS)))
    # She closes it for her manager; a command in between ends the question.
    assert await _post(api, max_api.message_callback(BOSS, other)) == 200
    prompt = _mid(max_api, BOSS, f"Случай #{case['id']}: напишите причину")
    assert await _post(api, max_api.message_created(BOSS + 1, BOSS, "/help")) == 200
    assert await _post(api, max_api.message_created(BOSS + 1, BOSS, "просто слова")) == 200
    assert max_api.sent_to_user(BOSS)[-1].startswith("Команды:\n/missed")
    assert (await api.get("/api/v1/callback-cases?status=open"))["items"]

    # An answer that comes long after the question is not taken for one.
    assert await _post(api, max_api.message_callback(BOSS, other)) == 200
    clock = api.clock
    assert isinstance(clock, TestClock)
    clock.advance(timedelta(minutes=31))
    assert await _post(api, max_api.message_created(BOSS + 1, BOSS, "поздние слова")) == 200
    assert max_api.sent_to_user(BOSS)[-1].startswith("Команды:\n/missed")
    assert (await api.get("/api/v1/callback-cases?status=open"))["items"]

    # Asked again, she answers with MAX's «Ответить» on the question.
    assert await _post(api, max_api.message_callback(BOSS, other)) == 200
    prompt = _mid(max_api, BOSS, f"Случай #{case['id']}: напишите причину")
    reply = max_api.message_created(
        BOSS + 1, BOSS, "Клиент написал на почту, вопрос решён", reply_to=prompt
    )
    assert await _post(api, reply) == 200
    assert max_api.sent_to_user(BOSS)[-1] == (
        f"Случай #{case['id']} закрыт: Клиент написал на почту, вопрос решён"
    )
    closed = (await api.get("/api/v1/callback-cases?status=closed"))["items"]
    assert (closed[0]["close_reason"], closed[0]["closed_by"]) == (
        "Клиент написал на почту, вопрос решён",
        "Ольга",
    )


async def test_triage_a_new_client_and_a_list(max_api: MaxApi, api: Api) -> None:
    people = await _team(api)
    await miss(api, "m1", UNKNOWN_CALLER)
    await until(lambda: any("неизвестный номер" in t for t in max_api.sent_to_user(IVAN)))
    alert = _mid(max_api, IVAN, "📵 Пропущенный звонок\nнеизвестный номер")
    pressable = [b["payload"] for b in _buttons(max_api, alert) if b["type"] == "callback"]
    triage = [p for p in pressable if p.startswith("tri:")]
    assert triage == [f"tri:{a}:{UNKNOWN_CALLER}:0" for a in ("find", "new", "list")]
    assert await _post(api, max_api.message_created(IVAN + 1, IVAN, "/unknown")) == 200
    assert max_api.sent_to_user(IVAN)[-1].startswith(UNKNOWN_CALLER)

    # «Новый клиент»: the name is asked, and typed.
    assert await _post(api, max_api.message_callback(IVAN, triage[1], alert)) == 200
    assert max_api.sent_to_user(IVAN)[-1] == (
        f"Как назвать нового клиента с номером {UNKNOWN_CALLER}? Карточка будет вашей."
    )
    assert await _post(api, max_api.message_created(IVAN + 1, IVAN, "ООО Новый")) == 200
    assert max_api.sent_to_user(IVAN)[-1] == f"✅ {UNKNOWN_CALLER}: новый клиент «ООО Новый» (ваш)"
    clients = (await api.get("/api/v1/clients?name=Новый"))["items"]
    assert [(c["name"], c["manager_id"]) for c in clients] == [("ООО Новый", people["ivan"]["id"])]

    # «В список» for another unknown number: the lists as buttons, then one of them.
    other = "+79035550001"
    await miss(api, "m2", other)
    await until(lambda: any(other in t for t in max_api.sent_to_user(IVAN)))
    alert = _mid(max_api, IVAN, f"📵 Пропущенный звонок\nнеизвестный номер\n{other}")
    assert await _post(api, max_api.message_callback(IVAN, f"tri:list:{other}:0", alert)) == 200
    question = _mid(max_api, IVAN, f"В какой список внести {other}?")
    seekers = next(b for b in _buttons(max_api, question) if b["text"] == "Соискатели")
    assert await _post(api, max_api.message_callback(IVAN, seekers["payload"], question)) == 200
    assert max_api.messages[question]["text"] == f"✅ {other}: в списке «Соискатели»"
    decision = await api.get(f"/api/v1/route?from=%2B{other[1:]}")
    assert decision["reason_code"].startswith("list")
    audit = await api.get("/api/v1/audit?entity=unknown_number")
    assert [(e["action"], e["actor"]) for e in audit["items"]] == [("triage", "Иван")] * 2


async def test_a_reply_to_a_relayed_message_reaches_the_client(
    max_api: MaxApi, aiohttp_client: Any, db_url: str
) -> None:
    api = await _start(
        aiohttp_client, _settings(db_url, max_api, messengers={"mx": max_api.section()})
    )
    await _team(api)
    clients_hook = str(api.client.make_url("/api/v1/messengers/mx/webhook"))
    # A client writes to the company's MAX bot: his own phone, then his question.
    assert await post_update(clients_hook, max_api.contact(501, 601, CALLER)) == 200
    assert (
        await post_update(clients_hook, max_api.message_created(501, 601, "Есть доставка?")) == 200
    )
    await until(lambda: any("Есть доставка?" in t for t in max_api.sent_to_user(IVAN)))
    relayed = _mid(max_api, IVAN, "👤 ООО Ромашка · MAX")

    # A reply to something else is not taken for an answer to anybody: he gets the help.
    stray = max_api.message_created(IVAN + 1, IVAN, "Это кому?", reply_to="mid.unknown")
    assert await _post(api, stray) == 200
    assert max_api.sent_to_user(IVAN)[-1].startswith("Команды:\n/missed")

    reply = max_api.message_created(IVAN + 1, IVAN, "Да, завтра привезём", reply_to=relayed)
    assert await _post(api, reply) == 200
    assert max_api.sent_to_user(IVAN)[-1] == "✅ Ответ отправляется: ООО Ромашка"
    await until(lambda: "Да, завтра привезём" in max_api.sent_to(501))
    assert "Это кому?" not in max_api.sent_to(501)

    # He answers with a document: fetched from MAX, it reaches the client as a file.
    invoice = b"%PDF-1.7 invoice"
    attached = max_api.document(invoice, "счёт.pdf")
    with_file = max_api.message_created(
        IVAN + 1, IVAN, "Счёт", attachments=[attached], reply_to=relayed
    )
    assert await _post(api, with_file) == 200
    await until(lambda: bool(max_api.files_to(501)))
    [sent] = max_api.files_to(501)
    assert (sent.filename, sent.content) == ("счёт.pdf", invoice)

    # The client sends a document: it reaches Иван as one message, the file under the line
    # naming the client; his reply to that message reaches the client.
    contract = b"%PDF-1.7 contract"
    sends = max_api.message_created(
        501, 601, "", attachments=[max_api.document(contract, "договор.pdf")]
    )
    assert await post_update(clients_hook, sends) == 200
    await until(lambda: any(f.filename == "договор.pdf" for f in max_api.files_to(IVAN)))
    [file_mid] = [
        mid
        for mid, body in max_api.messages.items()
        if body["target"] == IVAN
        and any(a.get("type") == "file" for a in body.get("attachments") or [])
    ]
    assert max_api.messages[file_mid]["text"].startswith("👤 ООО Ромашка · MAX")
    thanks = max_api.message_created(IVAN + 1, IVAN, "Получил договор", reply_to=file_mid)
    assert await _post(api, thanks) == 200
    await until(lambda: "Получил договор" in max_api.sent_to(501))


async def test_a_wrong_secret_is_refused_and_an_update_posted_twice_is_handled_once(
    max_api: MaxApi, api: Api
) -> None:
    await _team(api)
    update = max_api.message_created(IVAN + 1, IVAN, "/help")
    for secret in (None, "wrong-secret"):
        assert await _post(api, update, secret=secret) == 401
    assert max_api.sent_to_user(IVAN) == []
    async with api.client.post(
        "/api/v1/max/webhook", data=b"{not json", headers={"X-Max-Bot-Api-Secret": SECRET}
    ) as response:
        assert response.status == 400
    assert await _post(api, {"update_type": "message_created"}) == 400

    # Answered only after it was handled; MAX posting it again changes nothing.
    assert await _post(api, update) == 200
    assert len(max_api.sent_to_user(IVAN)) == 1
    assert await _post(api, update) == 200
    assert len(max_api.sent_to_user(IVAN)) == 1
    # MAX failing to take the answer (a 500): 503, and MAX's next post of it is handled.
    update = max_api.message_created(IVAN + 1, IVAN, "/missed")
    max_api.fail(500, 1)
    assert await _post(api, update) == 503
    assert len(max_api.sent_to_user(IVAN)) == 1
    assert await _post(api, update) == 200
    assert max_api.sent_to_user(IVAN)[-1] == "✅ Открытых случаев нет: всем перезвонили."
    # A press posted twice is answered once.
    press = max_api.message_callback(IVAN, "close:999999")
    for _ in range(2):
        assert await _post(api, press) == 200
    assert len(max_api.answers()) == 1
    # MAX's claims sit beside Telegram's, under keys Telegram never uses.
    async with api.app[SESSIONS]() as session:
        keys = list((await session.scalars(select(BotUpdate.update_id))).all())
    assert len(keys) == 3
    assert all(k < 0 for k in keys)


def test_claim_keys_name_one_update_and_stay_out_of_telegrams_range() -> None:
    builder = MaxApi()
    said = builder.message_created(1, 2, "/help", mid="mid.1")
    pressed = builder.message_callback(2, "close:1", "mid.1")
    started = builder.bot_started(1, 2, "code")
    keys = [claim_key(u) for u in (said, pressed, started)]
    assert all(k < 0 for k in keys)  # Telegram's update ids are positive
    assert len(set(keys)) == 3
    # MAX's every delivery of an update is the same update.
    assert claim_key(json.loads(json.dumps(said))) == keys[0]
    assert claim_key(builder.message_created(1, 2, "/help", mid="mid.2")) != keys[0]
