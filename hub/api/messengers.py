"""Clients' messengers over HTTP: ``/api/v1/messengers/NAME/webhook`` for each configured
``[messengers.NAME]``.

The channel's own secret or signature authenticates a post (a wrong one is a 401, kept among
the refused deliveries, nothing stored); a malformed one is a 400 naming the field. What a post
carries is committed before the 200 goes back — a channel retries what it did not see
answered, and a retry of something stored is stored nothing twice. A GET is the channel's check
of the address (WhatsApp's ``hub.challenge``).
"""

from __future__ import annotations

from aiohttp import web

from config.settings import ConnectorSection, Settings
from connectors.messaging import MessengerSpec, WebhookRequest
from connectors.messengers import MESSENGERS
from hub.api.endpoints import Endpoint
from hub.api.pbx.common import refusing
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.messengers import MESSENGERS as CONFIGURED
from hub.bootstrap.messengers import webhook_path
from hub.bootstrap.pipeline import HANDLERS
from hub.services.conversations.intake import receive


def _endpoints(name: str, section: ConnectorSection, spec: MessengerSpec) -> list[Endpoint]:
    async def webhook(request: web.Request) -> web.Response:
        posted = WebhookRequest(
            method=request.method,
            headers=dict(request.headers),
            query=dict(request.query),
            body=await request.read(),
        )
        with refusing(request, name):
            spec.verify(section, posted)
            delivery = spec.parse(section, posted)
        if delivery.messages or delivery.statuses:
            found = request.app[CONFIGURED]
            await receive(
                request.app[SESSIONS],
                request.app[HANDLERS],
                name,
                delivery,
                found.policy,
                now=request.app[CLOCK].now(),
                phone_prompt=found.prompt(name),
            )
        return web.Response(text=delivery.answer)

    # The scheme ``hub/api/openapi.py`` declares for the type's secret header.
    auth = f"messenger_{section.type}" if spec.secret_header else "none"
    summary = f"{spec.description} ({name}): the channel's posts, stored before the answer"
    return [
        Endpoint(
            method=method,
            path=webhook_path(name),
            handler=webhook,
            roles=None,
            summary=summary if method == "POST" else f"{spec.description} ({name}): address check",
            tag="messengers",
            auth=auth if method == "POST" else "none",
            strict_query=False,
        )
        for method in ("POST", "GET")
    ]


def messenger_endpoints(settings: Settings) -> list[Endpoint]:
    endpoints: list[Endpoint] = []
    for name, section in sorted(settings.messengers.items()):
        spec = MESSENGERS.get(section.type)
        if spec is None or not isinstance(section, spec.settings):
            raise TypeError(
                f"messengers.{name}: a {section.type!r} section not read by its connector's "
                "settings (load them with messenger_types=connectors.messengers.MESSENGER_SETTINGS)"
            )
        endpoints += _endpoints(name, section, spec)
    return endpoints
