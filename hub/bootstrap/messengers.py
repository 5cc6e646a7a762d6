"""Clients' messengers: every ``[messengers.NAME]`` with its connector's client, the rules of
taking messages in, the client sender that delivers replies and the relay of clients' files;
webhooks subscribed at start where the channel is told of them (long polling is
``polls.py``'s)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web

from config.settings import ConnectorSection
from connectors.messaging import Messenger, MessengerSpec
from connectors.messengers import MESSENGERS as SPECS
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.bootstrap.links import LINKS
from hub.bootstrap.outbox import RELAYS, SENDER
from hub.domain.deadlines import EscalationPolicy
from hub.domain.delivery import DeliveryError
from hub.services.conversations.files import FileRelay
from hub.services.conversations.intake import IntakePolicy
from hub.services.conversations.sender import ClientSender, SendPolicy
from notifications.catalogue import text

log = logging.getLogger(__name__)


def webhook_path(name: str) -> str:
    return f"/api/v1/messengers/{name}/webhook"


@dataclass(frozen=True, slots=True)
class Configured:
    """One configured messenger: its name, its type's spec, its section and its client."""

    name: str
    spec: MessengerSpec
    section: ConnectorSection
    client: Messenger


@dataclass(slots=True)
class Messengers:
    channels: Mapping[str, Configured]
    policy: IntakePolicy
    escalation: EscalationPolicy
    sender: ClientSender
    files: FileRelay
    phone_prompt: str
    polls: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def types(self) -> dict[str, str]:
        """Each configured messenger's type, by name."""
        return {name: c.section.type for name, c in self.channels.items()}

    def health_targets(self, public_url: str | None) -> dict[str, tuple[Messenger, str | None]]:
        """Each channel's client with the hub's webhook address for it (None: it polls, or the
        service has no public address)."""
        base = (public_url or "").rstrip("/")
        return {
            name: (
                c.client,
                base + webhook_path(name) if base and not c.spec.polls(c.section) else None,
            )
            for name, c in self.channels.items()
        }

    def prompt(self, name: str) -> str | None:
        """What asks a contact of ``name`` for his phone (None: the channel has no button)."""
        found = self.channels.get(name)
        return self.phone_prompt if found is not None and found.spec.asks_phone else None


MESSENGERS = web.AppKey("messengers", Messengers)


async def messengers(app: web.Application) -> AsyncIterator[None]:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    language = settings.telegram.language
    channels: dict[str, Configured] = {}
    for name, section in sorted(settings.messengers.items()):
        spec = SPECS[section.type]
        channels[name] = Configured(name, spec, section, spec.client(section, app[HTTP_CLIENT]))

    def within(after: timedelta) -> EscalationPolicy:
        """``after``, counted in working hours when the escalation counts so."""
        return EscalationPolicy.build(
            after,
            working_hours_only=settings.escalation.working_hours_only,
            hours=settings.escalation.working_hours,
            zone=settings.company.timezone,
        )

    policy = IntakePolicy(
        region=settings.phone.default_region,
        reply_within=within(settings.messages.reply_within),
        duty=tuple(settings.cases.duty),
        calendar=lambda: app[DIRECTORY].snapshot.calendar,
        token_client=app[LINKS].token_client,
    )
    outbox = settings.outbox
    sender = ClientSender(
        factory,
        {name: c.client for name, c in channels.items()},
        SendPolicy(
            max_backoff=outbox.max_backoff,
            dead_after=outbox.dead_after,
            poll_interval=outbox.poll_interval.total_seconds(),
            phone_button=text("button_share_phone", language),
        ),
        clock,
        undelivered=app[RELAYS].undelivered,
    )
    files = FileRelay(
        factory,
        {name: c.client for name, c in channels.items()},
        clock,
        relay=app[RELAYS].files,
        max_size=settings.messages.max_file_size,
        poll_interval=outbox.poll_interval.total_seconds(),
        relayed=app[SENDER].wake,
    )
    app[MESSENGERS] = Messengers(
        channels=channels,
        policy=policy,
        escalation=within(settings.escalation.after),
        sender=sender,
        files=files,
        phone_prompt=text("ask_phone", language),
    )
    base = (settings.http.public_url or "").rstrip("/")
    for name, configured in channels.items():
        if configured.spec.polls(configured.section):
            continue
        url = base + webhook_path(name) if base else None
        try:
            await configured.client.start(url)
        except (DeliveryError, OSError) as exc:
            log.warning("messenger %s: could not subscribe its webhook: %s", name, exc)
    sender.start()
    files.start()
    yield
    await files.stop()
    await sender.stop()
    for configured in channels.values():
        await configured.client.close()
