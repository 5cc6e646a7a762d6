"""Webhook posts of a messenger in a test: what a post was answered, and a receiver that
answers them with one connector alone.

:class:`Posted` is what a channel's stand-in (``vk_api``, ``whatsapp_api``) gets back when it
posts to a webhook. :class:`Receiver` serves ``/webhook`` the way the hub reads a channel's
post — ``verify`` (401 on a :class:`SignatureError`), ``parse`` (400 on a
:class:`PayloadError`), the :class:`Delivery`'s answer with 200 — and keeps every delivery, so
a connector's tests run over real HTTP without the rest of the hub.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from config.settings import ConnectorSection
from connectors.errors import ConnectorError
from connectors.messaging import Delivery, MessengerSpec, WebhookRequest
from tests.support.stand_in import StandIn


@dataclass(frozen=True, slots=True)
class Posted:
    """A webhook's answer: its HTTP status and body text."""

    status: int
    text: str


async def post(url: str, body: bytes, headers: Mapping[str, str]) -> Posted:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=dict(headers)) as response,
    ):
        return Posted(response.status, await response.text())


async def get(url: str, query: Mapping[str, str]) -> Posted:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, params=dict(query)) as response,
    ):
        return Posted(response.status, await response.text())


@dataclass
class Receiver(StandIn):
    """One connector's webhook, answering as the hub would."""

    spec: MessengerSpec | None = None
    section: ConnectorSection | None = None
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhook"

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/webhook", self._hook)

    async def _hook(self, request: web.Request) -> web.Response:
        assert self.spec is not None and self.section is not None
        hook = WebhookRequest(
            method=request.method,
            headers=request.headers,
            query=request.query,
            body=await request.read(),
        )
        try:
            self.spec.verify(self.section, hook)
            delivery = self.spec.parse(self.section, hook)
        except ConnectorError as exc:
            return web.json_response({"error": exc.message, "field": exc.field}, status=exc.status)
        self.deliveries.append(delivery)
        return web.Response(text=delivery.answer)
