"""The log says which outbox message went to whom: its id, its kind and the person's name — the
admin of a service without a Telegram token reads the messages there."""

from __future__ import annotations

import logging

import pytest

from tests.support.api import Api
from tests.support.team import miss, outbox, sales_team
from tests.support.telegram_stub import until_true


async def test_each_delivery_names_the_outbox_message_and_the_person(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await sales_team(api)
    await miss(api, "m1")

    async def sent() -> bool:
        rows = await outbox(api)
        return bool(rows) and all(r.status == "sent" for r in rows)

    await until_true(sent)
    rows = {r.manager_id: (r.id, r.chat_id) for r in await outbox(api) if r.kind == "missed"}
    names = {m["id"]: m["name"] for m in (await api.get("/api/v1/managers"))["items"]}
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("outbox #")]
    for manager_id, (row_id, chat) in rows.items():
        line = f"outbox #{row_id} (missed) to {names[manager_id]}, chat {chat}: sent"
        assert line in logged, logged
    texts = [r.getMessage() for r in caplog.records if r.name == "notifications.channels"]
    assert any("Пропущенный" in t for t in texts), texts
