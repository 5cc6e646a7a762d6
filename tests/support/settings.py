"""Settings for an app under test: a fresh database, known secrets, quiet digests."""

from __future__ import annotations

from config.settings import (
    AdminSettings,
    DatabaseSettings,
    DigestSettings,
    HooksSettings,
    RoutingSettings,
    Settings,
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
    }
    values.update(overrides)
    return Settings.model_validate(values)
