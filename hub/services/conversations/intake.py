"""Taking a channel's delivery in: every message stored once, then told to whoever answers.

Inside one transaction (the caller commits, and only then answers the channel):

* the conversation with the contact is found or made, and tied to a client when it can be —
  a chat tied to a card already, the client's own phone he shared, or a deep link's client
  token;
* a message the channel delivered before is stored nothing twice and relayed nothing twice;
* the person who answers is chosen as for a missed call: the client's personal manager, his
  substitute while he is away, the one who answered this contact last, else the duty
  recipients; the message goes to him through the outbox (relay rows) with the conversation,
  so his reply to it finds the client again;
* a message that asks an answer starts the wait for one (``reply_due_at``), unless a wait is on;
* a contact not known to any card is written down for triage (his phone, or the chat standing
  in for one); once his chat is tied to a card, what waited under the chat is settled;
* statuses of our own messages (WhatsApp's sent/delivered/read/failed) are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from connectors.messaging import Delivery, Incoming, Status
from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.cases import CaseFact
from hub.domain.conversations import asks_an_answer, pseudo_number
from hub.domain.deadlines import EscalationPolicy, escalation_deadline
from hub.domain.facts import ClientWrote, Fact, RepliesQueued
from hub.domain.phone import normalize
from hub.domain.responsibility import Responsibility, choose_responsible
from hub.services.conversations.replies import ASK_PHONE
from hub.services.directory.triage import settle_numbers
from hub.services.facts import FactHandlers
from hub.services.staffing import load_staffing
from storage.db import SessionFactory
from storage.models import Conversation, ConversationMessage, UnknownNumber
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
# The kinds of attachment that are files to fetch and relay (a location is not).
FILES = frozenset({"photo", "document", "voice", "video", "audio", "sticker"})
# Delivery states only move forward (a late "sent" never undoes a "read").
_ORDER = {"pending": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass(frozen=True, slots=True)
class IntakePolicy:
    """What taking messages in needs to know of the settings."""

    region: str
    reply_within: EscalationPolicy
    duty: tuple[int | str, ...] = ("supervisor",)
    calendar: Callable[[], Calendar] = field(default=lambda: ORDINARY)
    # The client a deep-link payload names (None: not one of ours).
    token_client: Callable[[str], int | None] = field(default=lambda _: None)


@dataclass(slots=True)
class Taken:
    """What a delivery did: messages stored (new ones), relayed to whom, phones asked."""

    stored: list[ConversationMessage] = field(default_factory=list)
    duplicates: int = 0
    # (conversation, message, the people it goes to)
    relays: list[tuple[Conversation, ConversationMessage, tuple[int, ...]]] = field(
        default_factory=list
    )
    # Conversations whose client is not known yet and whose phone was never asked for.
    ask_phone: list[Conversation] = field(default_factory=list)
    # A contact's chat tied to a card settles what waited under it (its triage entry, its case).
    facts: list[CaseFact] = field(default_factory=list)


async def take(
    uow: UnitOfWork,
    channel: str,
    delivery: Delivery,
    policy: IntakePolicy,
    *,
    now: datetime,
) -> Taken:
    """Store and route what ``delivery`` carried, in ``uow``; the caller commits."""
    taken = Taken()
    for incoming in delivery.messages:
        await _message(uow, channel, incoming, policy, now, taken)
    for status in delivery.statuses:
        await _status(uow, channel, status)
    return taken


async def _message(
    uow: UnitOfWork,
    channel: str,
    incoming: Incoming,
    policy: IntakePolicy,
    now: datetime,
    taken: Taken,
) -> None:
    conversation = await uow.conversations.open(channel, incoming.contact, now)
    files = [
        {"kind": a.kind, "ref": a.ref, "name": a.name, "mime": a.mime, "size": a.size}
        for a in incoming.attachments
    ]
    message = await uow.conversations.receive(
        {
            "conversation_id": conversation.id,
            "channel": channel,
            "remote_id": incoming.message_id,
            "text": incoming.text,
            "attachments": files,
            "at": incoming.at,
        }
    )
    if message is None:
        taken.duplicates += 1
        return
    taken.stored.append(message)
    if any(f["kind"] in FILES for f in files):
        # Its files follow the relay once fetched from the channel (hub/services/
        # conversations/files.py): not while the channel waits for its answer.
        message.status = "fetching"
        message.next_attempt_at = now
    if incoming.name:
        conversation.name = incoming.name[:200]
    if incoming.user:
        conversation.user_ref = incoming.user[:100]
    unknown = conversation.client_id is None
    await _identify(uow, conversation, incoming, policy)
    if unknown and conversation.client_id is not None:
        # He was waiting for triage as the chat: the card he is tied to settles it.
        chat = pseudo_number(conversation.channel, conversation.contact)
        resolution = {chat: f"client:{conversation.client_id}"}
        taken.facts += await settle_numbers(uow, resolution, actor="system", now=now)
    # The channel's clock is the client's word for when he wrote (never later than now);
    # the wait for an answer runs from when the hub got it, on the hub's clock.
    written = min(incoming.at, now)
    conversation.last_message_at = max(conversation.last_message_at, written)
    asks = asks_an_answer(incoming.text, len(files))
    if not asks:
        return
    conversation.last_in_at = max(conversation.last_in_at or written, written)
    chosen = await responsible(uow, conversation, policy, now)
    conversation.manager_id = chosen.manager_id or conversation.manager_id
    people = (chosen.manager_id,) if chosen.manager_id is not None else chosen.told
    taken.relays.append((conversation, message, tuple(people)))
    if conversation.awaiting_since is None:
        conversation.awaiting_since = now
        conversation.reply_due_at = escalation_deadline(now, policy.reply_within, policy.calendar())
    if conversation.client_id is None:
        await _for_triage(uow, conversation, chosen, now)
        if not conversation.phone_asked and conversation.phone is None:
            conversation.phone_asked = True
            taken.ask_phone.append(conversation)


async def _identify(
    uow: UnitOfWork, conversation: Conversation, incoming: Incoming, policy: IntakePolicy
) -> None:
    """Tie the conversation to a client: by the phone he shared, or a deep link's token."""
    if incoming.phone:
        number = normalize(incoming.phone, policy.region)
        if number.is_external:
            conversation.phone = number.value
    if incoming.start:
        client_id = policy.token_client(incoming.start)
        if client_id is not None and await uow.clients.get(client_id) is not None:
            conversation.client_id = client_id
            return
    if conversation.client_id is None and conversation.phone is not None:
        owners = await uow.clients.owners([conversation.phone])
        if conversation.phone in owners:
            conversation.client_id = owners[conversation.phone]


async def responsible(
    uow: UnitOfWork, conversation: Conversation, policy: IntakePolicy, now: datetime
) -> Responsibility:
    """Who answers this conversation now, chosen as for a missed call (the one who answered
    the contact last stands for "last talked")."""
    staffing = await load_staffing(uow, since=now, extensions=set())
    owner = None
    if conversation.client_id is not None:
        client = await uow.clients.get(conversation.client_id)
        owner = client.manager_id if client is not None else None
    return choose_responsible(
        owner_id=owner,
        last_talked_id=conversation.manager_id if owner is None else None,
        rang_ids=[],
        duty=policy.duty,
        people=staffing.people_at(now),
    )


async def _for_triage(
    uow: UnitOfWork, conversation: Conversation, chosen: Responsibility, now: datetime
) -> None:
    """A contact no card knows waits in the triage queue: by his phone, or by the chat."""
    number = conversation.phone or pseudo_number(conversation.channel, conversation.contact)
    entry = await uow.unknown.get(number, lock=True)
    if entry is None:
        uow.unknown.add(
            UnknownNumber(
                number=number,
                status="open",
                first_seen=now,
                last_seen=now,
                calls=0,
                manager_ids=[],
                recording_urls=[],
                manager_id=chosen.manager_id,
            )
        )
    elif entry.status == "open":
        entry.last_seen = max(entry.last_seen, now)


async def _status(uow: UnitOfWork, channel: str, status: Status) -> None:
    message = await uow.conversations.sent(channel, status.message_id)
    if message is None:
        return
    if _ORDER.get(status.state, 0) > _ORDER.get(message.status, 0):
        message.status = status.state
        if status.error:
            message.error = status.error[:500]


async def receive(
    factory: SessionFactory,
    handlers: FactHandlers,
    channel: str,
    delivery: Delivery,
    policy: IntakePolicy,
    *,
    now: datetime,
    phone_prompt: str | None = None,
) -> Taken:
    """The one use case "a channel delivered": store it (:func:`take`), ask an unknown contact
    once for his phone where the channel has the button (``phone_prompt``), write the relays,
    commit — and only then may the channel be answered."""
    async with UnitOfWork(factory) as uow:
        taken = await take(uow, channel, delivery, policy, now=now)
        asked = 0
        if phone_prompt:
            for conversation in taken.ask_phone:
                uow.conversations.add(
                    ConversationMessage(
                        conversation_id=conversation.id,
                        channel=channel,
                        direction="out",
                        text=phone_prompt,
                        attachments=[{"kind": ASK_PHONE}],
                        at=now,
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
                asked += 1
        facts: list[Fact] = [
            *taken.facts,
            *(
                ClientWrote(conversation.id, message.id, people)
                for conversation, message, people in taken.relays
            ),
        ]
        if asked:
            facts.append(RepliesQueued(asked))
        await uow.flush()
        await handlers.within(uow, facts)
        await uow.commit()
    handlers.committed(facts)
    if taken.stored or taken.duplicates:
        log.info(
            "%s: %d message(s) stored, %d delivered again",
            channel,
            len(taken.stored),
            taken.duplicates,
        )
    return taken
