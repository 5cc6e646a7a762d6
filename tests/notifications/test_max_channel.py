"""The MAX staff channel through a real aiohttp session to the stand-in MAX Bot API: messages
to a person's user id with their buttons, edits by the string mid, a report's file and a chart
through uploads, and 429, 5xx and 403 as the sender knows them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from config.settings import MaxSettings
from notifications.channels import Channel, Rejected, RetryAfter, Temporary, Unreachable
from notifications.max import MaxChannel, keyboard
from tests.support.max_api import TOKEN, MaxApi
from tests.support.stand_in import serving

PERSON = 4242  # a manager's MAX user id
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BUTTONS = [
    [{"text": "Позвонить", "callback_data": "call:+79031112233"}],
    [
        {"text": "WhatsApp", "url": "https://wa.me/79031112233"},
        {"text": "Карточка", "callback_data": "card:7"},
    ],
]
KEYBOARD = {
    "type": "inline_keyboard",
    "payload": {
        "buttons": [
            [{"type": "callback", "text": "Позвонить", "payload": "call:+79031112233"}],
            [
                {"type": "link", "text": "WhatsApp", "url": "https://wa.me/79031112233"},
                {"type": "callback", "text": "Карточка", "payload": "card:7"},
            ],
        ]
    },
}


@pytest.fixture
async def max_api() -> AsyncIterator[MaxApi]:
    async for stand_in in serving(MaxApi()):
        yield stand_in


@pytest.fixture
async def channel(max_api: MaxApi) -> AsyncIterator[MaxChannel]:
    async with aiohttp.ClientSession() as session:
        channel = MaxChannel(max_api.staff(), session, ready_waits=(0.01,))
        checked: Channel = channel  # mypy: it keeps the protocol the outbox sender takes
        yield channel
        assert checked is channel


def test_buttons_become_an_inline_keyboard() -> None:
    assert keyboard(BUTTONS) == [KEYBOARD]
    assert keyboard(None) == [] and keyboard([]) == [] and keyboard([[]]) == []


async def test_a_message_with_buttons_to_the_persons_user_id(
    channel: MaxChannel, max_api: MaxApi
) -> None:
    mid = await channel.send(PERSON, "Пропущенный звонок: ООО Ромашка", BUTTONS)
    assert max_api.sent_to_user(PERSON) == ["Пропущенный звонок: ООО Ромашка"]
    assert max_api.sent_to(PERSON) == []  # a user id, not a chat id
    (body,) = max_api.messages_to(PERSON)
    assert body["attachments"] == [KEYBOARD]
    assert isinstance(mid, str) and mid in max_api.messages
    assert {r.authorization for r in max_api.requests} == {TOKEN}


async def test_an_edit_names_the_mid_and_can_drop_the_buttons(
    channel: MaxChannel, max_api: MaxApi
) -> None:
    mid = await channel.send(PERSON, "Пропущенный звонок", BUTTONS)
    await channel.edit(PERSON, mid, "Пропущенный звонок — перезвонили ✅", None)
    (edit,) = max_api.edits_of(mid)
    assert edit == {"text": "Пропущенный звонок — перезвонили ✅", "attachments": []}
    assert max_api.messages[mid]["text"] == "Пропущенный звонок — перезвонили ✅"
    with pytest.raises(Rejected, match="404"):
        await channel.edit(PERSON, "mid.none", "x", None)


async def test_a_report_file_goes_through_an_upload(channel: MaxChannel, max_api: MaxApi) -> None:
    mid = await channel.send_document(PERSON, "Отчёт за ноябрь.xlsx", b"PK\x03\x04 xlsx")
    (sent,) = max_api.files_to(PERSON)
    assert (sent.type, sent.filename, sent.content) == (
        "file",
        "Отчёт за ноябрь.xlsx",
        b"PK\x03\x04 xlsx",
    )
    (body,) = max_api.messages_to(PERSON)
    assert "text" not in body and mid in max_api.messages


async def test_a_file_as_the_message_carries_its_caption_and_buttons(
    channel: MaxChannel, max_api: MaxApi
) -> None:
    mid = await channel.send_document(PERSON, "договор.pdf", b"%PDF", "👤 ООО Ромашка", BUTTONS)
    (body,) = max_api.messages_to(PERSON)
    assert body["text"] == "👤 ООО Ромашка"
    assert [a["type"] for a in body["attachments"]] == ["file", KEYBOARD["type"]]
    assert body["attachments"][1] == KEYBOARD
    assert max_api.messages[mid]["text"] == "👤 ООО Ромашка"


async def test_a_chart_with_its_caption_and_buttons(channel: MaxChannel, max_api: MaxApi) -> None:
    max_api.not_ready(1)
    mid = await channel.send_photo(PERSON, PNG, "Сводка за неделю", BUTTONS)
    (chart,) = max_api.files_to(PERSON)
    assert (chart.type, chart.content) == ("image", PNG)
    (body,) = max_api.messages_to(PERSON)
    assert body["text"] == "Сводка за неделю"
    assert body["attachments"][0]["type"] == "image"
    assert body["attachments"][1] == KEYBOARD
    assert mid in max_api.messages


async def test_too_many_requests_waits_as_told(channel: MaxChannel, max_api: MaxApi) -> None:
    max_api.fail(429, 1, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await channel.send(PERSON, "x", None)
    assert caught.value.seconds == 7.0
    max_api.fail(429, 1, retry_after=None)
    with pytest.raises(RetryAfter) as caught:
        await channel.edit(PERSON, "mid.1", "x", None)
    assert caught.value.seconds == 1.0
    assert max_api.sent_to_user(PERSON) == []


async def test_server_errors_are_temporary(channel: MaxChannel, max_api: MaxApi) -> None:
    max_api.fail(500, 1)
    with pytest.raises(Temporary, match="500"):
        await channel.send(PERSON, "x", None)
    max_api.fail_uploads(502, 1)
    with pytest.raises(Temporary, match="502"):
        await channel.send_document(PERSON, "a.csv", b"a;b")
    max_api.not_ready(5)
    with pytest.raises(Temporary, match="attachment"):
        await channel.send_document(PERSON, "a.csv", b"a;b")
    await channel.send(PERSON, "x", None)
    assert max_api.sent_to_user(PERSON) == ["x"]


async def test_a_network_failure_is_temporary(max_api: MaxApi) -> None:
    base = max_api.url
    await max_api.close()
    async with aiohttp.ClientSession() as session:
        channel = MaxChannel(MaxSettings(token=TOKEN, api_base=base), session)
        with pytest.raises(Temporary, match="could not be reached"):
            await channel.send(PERSON, "x", None)


async def test_a_person_who_blocked_the_bot_is_unreachable(
    channel: MaxChannel, max_api: MaxApi
) -> None:
    mid = await channel.send(PERSON, "первое", None)
    max_api.block(PERSON)
    with pytest.raises(Unreachable, match=r"chat\.denied"):
        await channel.send(PERSON, "второе", None)
    with pytest.raises(Unreachable):
        await channel.edit(PERSON, mid, "правка", None)
    with pytest.raises(Unreachable, match="no MAX user"):
        await channel.send(None, "x", None)


async def test_other_refusals_are_final(channel: MaxChannel, max_api: MaxApi) -> None:
    with pytest.raises(Rejected, match="4000"):
        await channel.send(PERSON, "я" * 4001, None)
    async with aiohttp.ClientSession() as session:
        wrong = MaxChannel(MaxSettings(token="wrong", api_base=max_api.url), session)
        with pytest.raises(Rejected, match="401"):
            await wrong.send(PERSON, "x", None)


async def test_a_channel_needs_a_token() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValueError, match=r"max\.token"):
            MaxChannel(MaxSettings(), session)
