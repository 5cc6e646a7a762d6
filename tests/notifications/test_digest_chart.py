"""The digests' chart end to end: a missed call and its callback, the digest jobs run at the
moments the test names (the app's clock moved to them), and what reaches the stand-in Bot API is
one sendPhoto per digest — a PNG, with the digest's text as its caption."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestServer

from config.settings import DigestSettings, OutboxSettings, TelegramSettings
from hub.app import create_app
from hub.bootstrap.people import DAILY_DIGEST, SCHEDULE, WEEKLY_DIGEST
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import CALLER, missed_call, outbox, sales_team
from tests.support.telegram_stub import BotApiStub, until

OLGA, DIRECTOR = 1000, 9000


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Moscow (the 23rd and the 30th are Mondays)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


def _callback(call_id: str) -> list[dict[str, Any]]:
    """Иван calls the client back and they talk."""
    ends = {"direction": "outbound", "caller": "101", "callee": CALLER, "extension": "101"}
    return [update(call_id, state, **ends) for state in ("ringing", "answered", "ended")]


def _png_width(image: bytes) -> int:
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    width: int = struct.unpack(">I", image[16:20])[0]
    return width


async def test_digests_go_as_a_chart_with_the_text_as_caption(
    stub: tuple[BotApiStub, TestServer], aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    settings = make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN", api_base=str(server.make_url("")).rstrip("/")
        ),
        digest=DigestSettings(enabled=True, time="09:00"),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    )
    clock = TestClock(_at(24, 10))  # a Tuesday
    app = create_app(settings, clock=clock)
    api = Api(await aiohttp_client(app), ADMIN_TOKEN, HOOK_SECRET)
    await sales_team(api)
    # The schedule's triggers count real time: stopped, the jobs run when the test says.
    await app[SCHEDULE].stop()
    await api.hook(missed_call("m1", CALLER, "101"))
    clock.set(_at(24, 10, 12) + timedelta(seconds=30))  # 12½ minutes after the miss
    await api.hook(_callback("back1"))
    await until(lambda: len(fake.sent_to(OLGA)) >= 1)  # the alert of the miss

    daily = app[SCHEDULE].job(DAILY_DIGEST).run
    clock.set(_at(25, 9))
    assert await daily(_at(25, 9)) == 1
    assert await daily(_at(25, 18)) == 0  # once (and nothing drawn again)
    await until(lambda: len(fake.photos_to(OLGA)) == 1)
    [row] = [r for r in await outbox(api) if r.kind == "digest"]
    [(caption, image)] = fake.photos_to(OLGA)
    assert caption == row.text
    assert caption.split("\n")[:4] == [
        "📊 Команда Ольга за 2026-11-24",
        "входящих: 1, исходящих: 1",
        "пропущено: 1 (со скрытого номера: 0)",
        "перезвонили: 1, медиана до перезвона: 12 мин",
    ]
    assert _png_width(image) >= 600
    assert not [t for t in fake.sent_to(OLGA) if t.startswith("📊")]  # no separate text
    assert fake.calls("sendDocument") == []

    weekly = app[SCHEDULE].job(WEEKLY_DIGEST).run
    clock.set(_at(30, 9))
    assert await weekly(_at(30, 9)) == 1
    assert await weekly(_at(30, 12)) == 0
    await until(lambda: len(fake.photos_to(DIRECTOR)) == 1)
    [(caption, image)] = fake.photos_to(DIRECTOR)
    assert caption.split("\n")[0] == "📊 Компания за 2026-11-23..2026-11-29"
    assert caption.split("\n")[3] == "перезвонили: 1, медиана до перезвона: 12 мин"
    assert _png_width(image) >= 600
    assert fake.sent_to(DIRECTOR) == []
