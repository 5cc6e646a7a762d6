"""Settings for an app under test: a fresh database, known secrets, quiet digests."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer

from config.settings import (
    AdminSettings,
    DatabaseSettings,
    DigestSettings,
    HooksSettings,
    OutboxSettings,
    ReportsSettings,
    RoutingSettings,
    Settings,
    TelegramSettings,
)

ADMIN_TOKEN = "test-admin-token"
HOOK_SECRET = "test-hook-secret"


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database": DatabaseSettings(url=url),
        "admin": AdminSettings(token=ADMIN_TOKEN),
        "hooks": HooksSettings(generic_secret=HOOK_SECRET),
        "routing": RoutingSettings(refresh_interval=0.2),
        # Digests are tested on their own; here they would add messages whenever a test runs
        # after the digest time.
        "digest": DigestSettings(enabled=False),
        "reports": ReportsSettings(enabled=False),
    }
    values.update(overrides)
    return Settings.model_validate(values)


def bot_settings(db_url: str, server: TestServer, **telegram: Any) -> Settings:
    """Settings with the staff bot on, talking to the stand-in Bot API at ``server``."""
    return make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN",
            api_base=str(server.make_url("")).rstrip("/"),
            polling_timeout="1s",
            **telegram,
        ),
        outbox=OutboxSettings(per_chat_interval="0.05s", poll_interval="50ms"),
    )
