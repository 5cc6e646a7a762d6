"""``dozvon serve`` folds in a process of its own: a missed call stored by the service becomes a
call and a case there, the alert it writes is delivered by the service's sender at once (woken
through the socket pair, not by its poll a minute later), and that process ends with the service.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest
from pydantic import ValidationError
from sqlalchemy import select

from config.settings import DatabaseSettings, IngestSettings
from connectors.generic import sign
from storage.db import create_engine, create_session_factory
from storage.models import OutboxMessage
from tests.support.children import running
from tests.support.clock import MachineClock
from tests.support.service import served_api, serving
from tests.support.team import CALLER, missed_call
from tests.support.telegram_stub import until_true

ADMIN = "fold-admin"
SECRET = "fold-secret"
# The sender's own poll: far longer than the test may take, so only a wake-up delivers in time.
POLL = "10m"
# How long the folding process may take to start and fold on a loaded machine.
WITHIN = 60.0


async def _hook(
    session: aiohttp.ClientSession, base: str, updates: list[dict[str, object]]
) -> None:
    body = json.dumps(updates).encode()
    header = sign(SECRET, body, int(MachineClock().now().timestamp()))
    async with session.post(
        f"{base}/api/v1/hooks/generic", data=body, headers={"X-Dozvon-Signature": header}
    ) as response:
        assert response.status == 200, await response.text()


async def _alerts(db_url: str) -> list[OutboxMessage]:
    engine = create_engine(DatabaseSettings(url=db_url))
    try:
        async with create_session_factory(engine)() as session:
            rows = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "missed")
            )
            return list(rows.all())
    finally:
        await engine.dispose()


def _folding_pid(log: Path) -> int:
    found = re.search(r"folding: started \(pid (\d+)\)", log.read_text(errors="replace"))
    assert found is not None, "no folding process was started"
    return int(found.group(1))


@pytest.mark.slow
async def test_a_missed_call_is_folded_apart_and_its_alert_sent_at_once(
    db_url: str, tmp_path: Path
) -> None:
    env = {
        "DOZVON_DATABASE__URL": db_url,
        "DOZVON_ADMIN__TOKEN": ADMIN,
        "DOZVON_HOOKS__GENERIC_SECRET": SECRET,
        "DOZVON_OUTBOX__POLL_INTERVAL": POLL,
        "DOZVON_OUTBOX__PER_CHAT_INTERVAL": "0s",
        "DOZVON_INGEST__FOLD": "process",  # with SQLite too (its default is the loop)
    }
    async with serving(tmp_path, env) as base, aiohttp.ClientSession() as session:
        pid = _folding_pid(tmp_path / "dozvon.log")
        boss = await served_api(
            session,
            base,
            ADMIN,
            "POST",
            "/api/v1/managers",
            {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000},
        )
        ivan = await served_api(
            session,
            base,
            ADMIN,
            "POST",
            "/api/v1/managers",
            {
                "name": "Иван",
                "extension": "101",
                "supervisor_id": boss["id"],
                "telegram_chat_id": 1001,
            },
        )
        await served_api(
            session,
            base,
            ADMIN,
            "POST",
            "/api/v1/clients",
            {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CALLER]},
        )
        await _hook(session, base, missed_call("apart-1", CALLER, "101"))

        async def case_open() -> bool:
            cases = await served_api(session, base, ADMIN, "GET", "/api/v1/callback-cases")
            return any(c["number"] == CALLER and c["status"] == "open" for c in cases["items"])

        await until_true(case_open, seconds=WITHIN)

        async def alerts_sent() -> bool:
            sent = {r.chat_id for r in await _alerts(db_url) if r.status == "sent"}
            return {1000, 1001} <= sent

        await until_true(alerts_sent, seconds=WITHIN)

    async def ended() -> bool:
        return not running(pid)

    # The service stopped (SIGTERM): its folding process with it.
    await until_true(ended, seconds=WITHIN)


@pytest.mark.parametrize(
    ("fold", "url", "apart"),
    [
        ("auto", "sqlite+aiosqlite:///x.db", False),
        ("auto", "postgresql+asyncpg://h/db", True),
        ("process", "sqlite+aiosqlite:///x.db", True),
        ("loop", "postgresql+asyncpg://h/db", False),
    ],
)
def test_where_folding_runs(fold: str, url: str, apart: bool) -> None:
    ingest = IngestSettings.model_validate({"fold": fold})
    assert ingest.fold_apart(DatabaseSettings(url=url)) is apart


def test_an_unknown_place_to_fold_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="fold"):
        IngestSettings.model_validate({"fold": "thread"})
