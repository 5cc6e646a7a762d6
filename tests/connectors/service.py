"""What the vendors' end-to-end tests share: the app with their connectors, and the shape of the
calls it made, to compare a clean sequence of events with the same events repeated and shuffled."""

from __future__ import annotations

from typing import Any

from config.settings import ConnectorSection
from hub.app import create_app
from hub.domain.clock import Clock
from tests.support.api import Api
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings


async def service(
    aiohttp_client: Any, db_url: str, clock: Clock | None = None, **connectors: ConnectorSection
) -> Api:
    """The app with ``connectors`` (by name), started and reached through the test client; on
    ``clock`` when given (else the real one)."""
    app = create_app(make_settings(db_url, connectors=connectors), clock=clock)
    client = await aiohttp_client(app)
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def shapes(calls: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    """The calls as the values of ``keys``, in an order of their own (not the order they came)."""
    return sorted(tuple(call[key] for key in keys) for call in calls)
